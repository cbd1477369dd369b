"""The whole app in French: every page each role opens, its forms, errors and files.

With French chosen (the language cookie), each role (and an anonymous visitor) opens
every page of the access matrix it may open, plus the PDF editions, a calendar feed, the
error pages and each record form sent back with errors. A page fails when it shows,
verbatim, a phrase of three words or more of an English message of the catalog: text
that a template or Python module forgot to translate. The records the tests create
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
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from agreements.choices import Category, DistanceBand, Impact
from agreements.models import ProtocolClause, ReportJob
from reports.network import make_network_report
from tests.conftest import World
from tests.factories import CheckInFactory, ClauseFactory, InteractionFactory
from tests.hr_police.po_file import parse_po
from tests.test_access_matrix import MATRIX, site_records
from workspace.records import KINDS

CATALOG = Path(settings.BASE_DIR) / "locale" / "fr_CA" / "LC_MESSAGES" / "django.po"
ROLES = ("anonymous", "manager", "liaison", "researcher", "admin")
FRENCH = {"django_language": "fr-ca"}
ENGLISH = {"django_language": "en-ca"}

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
    return [p for p in phrases if re.search(rf"(?<![\w'’]){re.escape(p)}(?![\w'’])", shown)]


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


def user_data() -> list[str]:
    """Every text the tests stored (names, narratives, clauses, labels): not ours to
    translate, so taken out of a page before looking for English."""
    texts = set()
    for model in apps.get_models():
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for row in model._default_manager.values_list(*names) if names else []:
            texts |= {value for value in row if value and len(value) > 3}
    return sorted(texts, key=len, reverse=True)


def readable_text(response: Any) -> str:
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
    """The access matrix's records, and more of what fills the score and report pages."""
    objects = site_records(world)
    site = world.site
    ClauseFactory(protocol=objects["signed"], topic="entry_during_hours")
    InteractionFactory(site=site, category=Category.VEHICLE_IN_BUFFER,
                       distance_band=DistanceBand.BUFFER, impact=Impact.CLIENTS_LEFT)  # fmt: skip
    CheckInFactory(site=site, status="held")
    return objects


def client_for(world: World, role: str, cookies: dict[str, str]) -> Client:
    client = Client()
    client.cookies.load(cookies)
    if world.users[role] is not None:
        client.force_login(world.users[role])  # type: ignore[arg-type]
    return client


def pages_for(role: str, objects: dict[str, Any]) -> list[str]:
    urls = [make(objects) for name, (make, expected) in MATRIX.items() if expected[role] == 200]
    if role in ("manager", "admin"):
        urls += [
            reverse("agreements:site_report", kwargs={"slug": "riverside", "edition": edition})
            for edition in ("manager", "liaison")
        ]
    return sorted(set(urls))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_opens_is_in_french(
    role: str, world: World, rich_world: dict[str, Any], settings: Any
) -> None:
    settings.SECURE_SSL_REDIRECT = False
    phrases, data = english_phrases(), user_data()
    french, english = client_for(world, role, FRENCH), client_for(world, role, ENGLISH)
    problems, checked = [], 0
    for url in pages_for(role, rich_world):
        response = french.get(url)
        assert response.status_code == 200, url
        if "csv" in response.get("Content-Type", ""):
            continue  # CSV headers and values are a stable, English interface (SPEC)
        checked += 1
        problems += [
            f"{url}: {p!r}" for p in english_in(without(readable_text(response), data), phrases)
        ]
        if "html" in response.get("Content-Type", ""):
            problems += untranslated_fields(url, response, english.get(url))
    assert checked > (1 if role == "anonymous" else 10)
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
