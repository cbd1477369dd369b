"""The whole app in French: every page each role opens, its forms, errors and files.

With French chosen (the language cookie), each role (and an anonymous visitor) opens
every page of the access matrix it may open, plus the PDF editions, a calendar feed, the
error pages and each record form sent back with errors; the matrix's pages are read from
its one recorded walk (tests/crawl.py), which holds their English too. A page fails when
it shows, verbatim, a phrase of three words or more of an English message of the catalog:
text that a template or Python module forgot to translate. The records the tests create
(names, narratives, clauses) are user data and are taken out before looking.

Form labels and choices are checked against the same page in English: a label or a
choice that reads the same in both languages was not translated (a field without a
label gets Django's English one made from its name, "Timezone").
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.datastructures import CaseInsensitiveMapping
from pypdf import PdfReader

from agreements.models import ProtocolClause, ReportJob
from reports.network import make_network_report
from tests.conftest import World
from tests.crawl import EXTRA_PAGES, Crawl, Visit, crawl_records, user_data
from tests.factories import ClauseFactory
from tests.hr_police.po_file import parse_po
from tests.test_access_matrix import MATRIX
from workspace.records import KINDS

CATALOG = Path(settings.BASE_DIR) / "locale" / "fr_CA" / "LC_MESSAGES" / "django.po"
ROLES = ("anonymous", "manager", "other_manager", "liaison", "researcher", "admin")
FRENCH = {"django_language": "fr-ca"}

# Labels and choices that are the same word in both languages (or a code).
SAME_IN_BOTH = {
    "Date", "Format", "Source", "Notes", "Code", "Distance", "Version", "Action", "Total",
    "Dialogue", "Directive", "Surveillance", "Minutes", "Site", "Sites", "Service", "Formation",
    "Position", "Opposition", "Fragile", "Description", "F1", "F2", "F3", "F4", "F5",
}  # fmt: skip

_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]*>|\n")
_WORD = re.compile(r"[A-Za-z]{2,}")


def _words(text: str) -> int:
    return len(_WORD.findall(text))


@cache
def english_phrases() -> list[str]:
    """Pieces of the catalog's English messages between placeholders and tags, of three
    words or more, that their French translation does not itself contain."""
    phrases = set()
    for entry in parse_po(CATALOG):
        if not entry.msgid or entry.obsolete:
            continue
        french = " ".join(entry.translations)
        for message in (entry.msgid, entry.plural or ""):
            for piece in _PLACEHOLDER.split(message):
                piece = " ".join(piece.split()).strip(" .,:;()—–-")
                if _words(piece) >= 3 and piece not in french:
                    phrases.add(piece)
    return sorted(phrases, key=len, reverse=True)


def english_in(text: str, phrases: Iterable[str]) -> list[str]:
    """The English phrases shown in `text` (whitespace normalised)."""
    shown = " ".join(text.replace("\xa0", " ").split())
    # A plain `in` first: compiling a pattern per phrase for every page was most of the cost.
    return [
        p
        for p in phrases
        if p in shown and re.search(rf"(?<![\w'’]){re.escape(p)}(?![\w'’])", shown)
    ]


@dataclass
class Page:
    """What a person reads on an HTML page, and its form fields' labels and choices."""

    text: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # field name → label
    choices: dict[tuple[str, str], str] = field(default_factory=dict)  # (name, value) → text


class _Reader(HTMLParser):
    READ = ("title", "alt", "aria-label", "placeholder")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._skip = 0
        self._label_for: str | None = None
        self._label: list[str] = []
        self._ids: dict[str, str] = {}  # element id → field name
        self._select: str | None = None
        self._option: str | None = None
        self._option_text: list[str] = []
        self._for_labels: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "style"):
            self._skip += 1
        self.page.text += [a[k] for k in self.READ if a.get(k)]
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.page.text.append(a["value"])
        picks_a_record = a.get("type") in ("checkbox", "radio") and a.get("value", "").isdigit()
        # A checkbox per officer is labelled with user data: not checked.
        named = tag in ("input", "select", "textarea") and a.get("id") and a.get("name")
        if named and not picks_a_record:
            self._ids[a["id"]] = a["name"]
        if tag == "label" and a.get("for"):
            self._label_for, self._label = a["for"], []
        if tag == "select":
            self._select = a.get("name")
        if tag == "option":
            self._option, self._option_text = a.get("value", ""), []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "label" and self._label_for:
            self._for_labels[self._label_for] = " ".join("".join(self._label).split())
            self._label_for = None
        if tag == "option" and self._select and self._option is not None:
            text = " ".join("".join(self._option_text).split())
            self.page.choices[(self._select, self._option)] = text
            self._option = None
        if tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if data.strip():
            self.page.text.append(data)
        if self._label_for:
            self._label.append(data)
        if self._option is not None:
            self._option_text.append(data)

    def close(self) -> None:
        super().close()
        for element_id, label in self._for_labels.items():
            if element_id in self._ids:
                self.page.labels[self._ids[element_id]] = label.rstrip(" *")


def read_page(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def readable_text(response: Any) -> str:
    """What a person reads in a recorded answer or a test client's response."""
    if isinstance(response, Visit):
        kind, body = response.content_type, response.content
    else:
        kind = response.get("Content-Type", "")
        body = b"".join(response.streaming_content) if response.streaming else response.content
    if "pdf" in kind:
        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(body)).pages)
    if "calendar" in kind:
        return body.decode().replace("\r\n ", "")
    return " | ".join(read_page(body.decode()).text)


def without(text: str, data: list[str]) -> str:
    text = " ".join(text.replace("\xa0", " ").split())
    for value in data:
        text = text.replace(" ".join(value.split()), " ")
    return text


@pytest.fixture
def rich_world(world: World) -> dict[str, Any]:
    """The records the matrix walk has: more than the matrix's, to fill score and report
    pages."""
    return crawl_records(world)


def client_for(world: World, role: str, cookies: dict[str, str]) -> Client:
    client = Client()
    client.cookies.load(cookies)
    if world.users[role] is not None:
        client.force_login(world.users[role])  # type: ignore[arg-type]
    return client


def pages_for(role: str, crawl: Crawl) -> list[Visit]:
    """The French answers of every page `role` opens: the matrix's and the extra ones."""
    names = [name for name, (_, expected) in MATRIX.items() if expected[role] == 200]
    names += [name for name, (_, roles) in EXTRA_PAGES.items() if role in roles]
    return [crawl.visit(name, role, "fr") for name in sorted(names)]


def french_problems(french: Visit, english: Visit | None, data: list[str]) -> list[str]:
    """English shown on a French page, and its form fields left the same as in English."""
    text = without(readable_text(french), data)
    problems = [f"{french.url}: {p!r}" for p in english_in(text, english_phrases())]
    if french.is_html and english is None:
        problems.append(f"{french.url}: not read in English, its fields cannot be compared")
    elif french.is_html:
        problems += untranslated_fields(french.url, french, english)
    return problems


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_opens_is_in_french(role: str, matrix_crawl: Crawl) -> None:
    problems, checked = [], 0
    for french in pages_for(role, matrix_crawl):
        assert french.status == 200, french.url
        if "csv" in french.content_type:
            continue  # CSV headers and values are a stable, English interface (SPEC)
        checked += 1
        english = matrix_crawl.visits.get((french.name, role, "en"))  # none for the PDFs
        problems += french_problems(french, english, matrix_crawl.user_data)
    assert checked > (1 if role == "anonymous" else 5)
    assert not problems, "English on French pages:\n" + "\n".join(problems)


def untranslated_fields(url: str, french: Any, english: Any) -> list[str]:
    """Labels and choices of the page's forms that read the same as in English."""
    fr, en = read_page(french.content.decode()), read_page(english.content.decode())
    problems = [
        f"{url}: label of {name!r} is {label!r} in both languages"
        for name, label in fr.labels.items()
        if label == en.labels.get(name) and label not in SAME_IN_BOTH and _WORD.search(label)
    ]
    problems += [
        f"{url}: choice {value!r} of {name!r} is {text!r} in both languages"
        for (name, value), text in fr.choices.items()
        if text == en.choices.get((name, value))
        and _WORD.search(text)
        and text not in SAME_IN_BOTH
        and text != value
        and not value.isdigit()  # a record chosen by its primary key: user data
    ]
    return problems


# Wrong in every way a record form checks: dates out of range, a negative count, a bad
# badge and e-mail, a phone number in a narrative, a recurrence rule that is not one.
BAD_INPUT = {
    "date": "2999-01-01", "start": "1800-01-01", "visits": "-1", "badge_number": "!",
    "email": "x", "narrative": "Appelez le 514-555-1234", "rrule": "FREQ=NEVER",
}  # fmt: skip


@pytest.mark.django_db
def test_forms_sent_back_with_errors_explain_in_french(world: World, rich_world: Any) -> None:
    phrases, data = english_phrases(), user_data()
    client = client_for(world, "manager", FRENCH)
    problems = []
    for kind in KINDS.values():
        url = kind.url("create", world.site)
        response = client.post(url, BAD_INPUT)
        assert response.status_code == 422, url
        text = without(readable_text(response), data)
        assert "Rien n’a été enregistré" in text, url
        problems += [f"{url}: {p!r}" for p in english_in(text, phrases)]
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_error_pages_and_the_network_report_are_in_french(world: World, rich_world: Any) -> None:
    phrases = english_phrases()
    manager = client_for(world, "manager", FRENCH)
    for url, status in (("/sites/nowhere/", 404), (reverse("agreements:weights"), 403)):
        response = manager.get(url)
        assert response.status_code == status
        assert not english_in(readable_text(response), phrases), url

    admin = world.users["admin"]
    job = ReportJob.objects.create(requested_by=admin, as_of=date(2026, 6, 30), language="fr-ca")
    assert make_network_report.call(job.pk) == "done"
    job.refresh_from_db()
    text = "\n".join(p.extract_text() for p in PdfReader(job.file.open("rb")).pages)
    assert "Rapport du réseau" in text
    assert "Page 1 sur" in text
    assert not english_in(text, phrases)


# ---------------------------------------------------------------------------------------
# The checks themselves find what they are for.


def test_the_check_finds_an_english_message_in_french_text() -> None:
    phrases = english_phrases()
    assert english_in("Pointage | The weights were changed; every score now uses them.", phrases)
    assert not english_in("Les pondérations ont été modifiées.", phrases)
    # A word of a longer English word is not a phrase: "add" in "address" and the like.
    assert english_in("xx Sort by yy", ["Sort by"]) == ["Sort by"]
    assert english_in("xx Sort bye yy", ["Sort by"]) == []


def test_the_check_finds_english_on_a_recorded_french_page() -> None:
    html = CaseInsensitiveMapping({"Content-Type": "text/html; charset=utf-8"})

    def page(body: str) -> Visit:
        return Visit("agreements:weights", "admin", "fr", "/weights/", 200, html, body.encode())

    english = page("<p>Weights</p>")
    french = page("<p>The weights were changed; every score now uses them.</p>")
    assert french_problems(french, english, []) == [
        "/weights/: 'The weights were changed; every score now uses them'"
    ]
    # The same words stored in a record are user data: not ours to translate.
    assert french_problems(french, english, ["The weights were changed"]) == []
    assert french_problems(page("<p>Les pondérations ont été modifiées.</p>"), english, []) == []
    # A French page whose English was not read cannot pass unchecked.
    assert french_problems(page("<p>Pondérations</p>"), None, []) == [
        "/weights/: not read in English, its fields cannot be compared"
    ]


def test_the_check_finds_a_field_that_was_not_translated() -> None:
    form = (
        '<form><label for="id_timezone">{}</label><select name="timezone" id="id_timezone">'
        '<option value="strong">{}</option><option value="7">Robin</option></select></form>'
    )
    english = form.format("Timezone", "Strong")
    same = untranslated_fields("/x/", _Html(english), _Html(english))
    assert same == [
        "/x/: label of 'timezone' is 'Timezone' in both languages",
        "/x/: choice 'strong' of 'timezone' is 'Strong' in both languages",
    ]
    assert (
        untranslated_fields("/x/", _Html(form.format("Fuseau horaire", "Solide")), _Html(english))
        == []
    )


@dataclass
class _Html:
    text: str

    @property
    def content(self) -> bytes:
        return self.text.encode()


def test_clauses_are_user_data_not_english_to_translate(db: Any) -> None:
    clause = ClauseFactory(text="Officers do not enter during operating hours.")
    assert clause.text in user_data()
    assert ProtocolClause.objects.count() == 1
