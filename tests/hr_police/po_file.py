"""A small reader for gettext .po files (polib is not a dependency).

Enough for our catalog: comments, flags, msgctxt, msgid, msgid_plural, msgstr and
msgstr[n], each possibly split over several quoted lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"$')


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text)


@dataclass
class Entry:
    msgid: str = ""
    context: str | None = None
    plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    references: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def translations(self) -> list[str]:
        return [self.msgstr[i] for i in sorted(self.msgstr)]


def parse_po(path: Path) -> list[Entry]:
    """Every entry of the file, the header (msgid "") included, in file order."""
    entries: list[Entry] = []
    entry = Entry()
    key: str | None = None
    started = False

    def finish() -> None:
        nonlocal entry, key, started
        if started:
            entries.append(entry)
        entry, key, started = Entry(), None, False

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            line = line[2:].strip()
            if not line:
                continue
        elif line.startswith("#,"):
            if started:
                finish()
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        elif line.startswith("#:"):
            if started:
                finish()
            entry.references += line[2:].split()
            continue
        elif line.startswith("#"):
            if started:
                finish()
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, text = match.groups()
            if keyword in ("msgctxt", "msgid") and key is not None and key.startswith("msgstr"):
                finish()  # an entry without a blank line before it
            started = True
            key = keyword
            _append(entry, key, _unquote(text))
        elif line.startswith('"') and key is not None:
            _append(entry, key, _unquote(line[1:-1]))
    finish()
    return entries


def _append(entry: Entry, key: str, text: str) -> None:
    if key == "msgctxt":
        entry.context = (entry.context or "") + text
    elif key == "msgid":
        entry.msgid += text
    elif key == "msgid_plural":
        entry.plural = (entry.plural or "") + text
    else:
        index = int(key[7:-1]) if "[" in key else 0
        entry.msgstr[index] = entry.msgstr.get(index, "") + text
