"""Read a form off a rendered page as a browser would submit it, so that tests of edit
pages post back exactly what the page held (including the version it loaded)."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

TEXT_INPUTS = {"text", "hidden", "number", "date", "time", "datetime-local", "email", "url",
               "tel", "search", "password", ""}  # fmt: skip


class _FormReader(HTMLParser):
    def __init__(self, action: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._select_multiple = False
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._fields = []
            self.forms.append((a.get("action", ""), self._fields))
        if self._fields is None:
            return
        if tag == "input" and a.get("name") and "disabled" not in a:
            kind = a.get("type", "").lower()
            if kind in TEXT_INPUTS:
                self._fields.append((a["name"], a.get("value", "")))
            elif kind in ("checkbox", "radio") and "checked" in a:
                self._fields.append((a["name"], a.get("value", "on")))
        elif tag == "select" and "disabled" not in a:
            self._select, self._options = a.get("name"), []
            self._select_multiple = "multiple" in a
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and "disabled" not in a:
            self._textarea, self._text = a.get("name"), ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if self._fields is None:
            return
        if tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected]
            if not chosen and self._options and not self._select_multiple:
                chosen = [self._options[0][0]]
            self._fields += [(self._select, v) for v in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # Browsers drop the newline that follows <textarea>.
            self._fields.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._fields = None


def page_form(html: str | bytes, *, action: str | None = None) -> dict[str, Any]:
    """The fields of the page's first edit form (the first carrying a version), or of
    the form posting to `action`, as a dict for the test client: repeated names become
    lists."""
    reader = _FormReader(action)
    reader.feed(html.decode() if isinstance(html, bytes) else html)
    for form_action, fields in reader.forms:
        if action is None or form_action == action:
            if action is None and not any(n == "edit_version" for n, _ in fields):
                continue
            data: dict[str, Any] = {}
            for name, value in fields:
                if name not in data:
                    data[name] = value
                else:
                    before = data[name]
                    data[name] = [*(before if isinstance(before, list) else [before]), value]
            data.pop("csrfmiddlewaretoken", None)
            return data
    raise AssertionError(f"No form posting to {action!r} on the page.")


def opened(client: Any, page_url: str) -> dict[str, str]:
    """The version an edit page loaded, to post as if from that page."""
    html = client.get(page_url).content.decode()
    marker = 'name="edit_version" value="'
    start = html.index(marker) + len(marker)
    return {"edit_version": html[start : html.index('"', start)]}
