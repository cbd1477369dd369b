"""French (Canada): every template string translated, a sound catalog, and the switcher.

English stays the default (no cookie, no Accept-Language → en-ca); the switcher's choice
lives in Django's language cookie, so it outlasts the session.
"""

from __future__ import annotations

import ast
import gettext
import io
import re
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.template.base import Lexer, TokenType
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation.template import templatize
from pypdf import PdfReader

from agreements.choices import Role
from agreements.models import Site
from reports.editions import build_report
from tests.agreements.test_score_pages import NOW, riverside_like, score_url
from tests.conftest import make_user
from tests.hr_police.po_file import Entry, parse_po

TEMPLATES = Path(settings.BASE_DIR) / "templates"
CATALOG = Path(settings.BASE_DIR) / "locale" / "fr_CA" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOG.with_suffix(".mo")

# ---------------------------------------------------------------------------------------
# (a) No template text outside {% translate %} / {% blocktranslate %}.

# Words that read the same in both languages, on purpose: the product's name, the factor
# codes of the rubric (F1–F5, as in the SPEC), and the switcher's language names, each
# written in its own language.
SAME_IN_BOTH = {"hr_police", "F1", "F2", "F3", "F4", "F5", "English", "Français"}
# Attributes a person reads or hears (screen readers announce aria-label and title).
READ_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder"}
PLACEHOLDER = "\ue000"  # stands for a template tag or variable: never a word
WORD = re.compile(r"[^\W\d_][\w'’-]*")


def visible_markup(source: str) -> str:
    """The template with each tag and variable replaced by PLACEHOLDER, and the text of
    translate blocks and comments removed; line breaks are kept for line numbers."""
    parts: list[str] = []
    hidden = None  # the block tag whose text is not shown as written
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.TEXT:
            if hidden:
                parts.append("\n" * token.contents.count("\n"))
            else:
                parts.append(token.contents)
            continue
        if token.token_type == TokenType.BLOCK:
            name = token.split_contents()[0]
            if name in ("blocktranslate", "blocktrans", "comment"):
                hidden = name
            elif name in ("endblocktranslate", "endblocktrans", "endcomment"):
                hidden = None
        if token.token_type != TokenType.COMMENT and not hidden:
            parts.append(PLACEHOLDER)
    return "".join(parts)


class _WordFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self._raw: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._raw = tag
        described = tag == "meta" and dict(attrs).get("name") == "description"
        for name, value in attrs:
            if value and (name in READ_ATTRIBUTES or (described and name == "content")):
                self._check(f'{name}="{value}"', value)

    def handle_endtag(self, tag: str) -> None:
        if tag == self._raw:
            self._raw = None

    def handle_data(self, data: str) -> None:
        if not self._raw:
            self._check(data, data)

    def _check(self, shown: str, text: str) -> None:
        words = [w for w in WORD.findall(text.replace(PLACEHOLDER, " ")) if w not in SAME_IN_BOTH]
        if words:
            line = self.getpos()[0] + shown[: shown.find(words[0])].count("\n")
            self.found.append((line, " ".join(shown.replace(PLACEHOLDER, "…").split())))


def untranslated_text(source: str) -> list[tuple[int, str]]:
    """(line, text) of every piece of visible text a template writes untranslated."""
    finder = _WordFinder()
    finder.feed(visible_markup(source))
    finder.close()
    return finder.found


def template_files() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html")) + sorted(TEMPLATES.rglob("*.txt"))


def test_every_template_string_is_translated() -> None:
    assert len(template_files()) > 50
    problems = [
        f"{path.relative_to(TEMPLATES)}:{line}: {text}"
        for path in template_files()
        for line, text in untranslated_text(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "Wrap these in {% translate %}:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("<p>Hello</p>", [(1, "Hello")]),
        ("{% if x %}\n<p>Back to {{ site }}</p>{% endif %}", [(2, "Back to …")]),
        ('<nav aria-label="Main">{% translate "Go" %}</nav>', [(1, 'aria-label="Main"')]),
        ('<input placeholder="Search {{ x }}">', [(1, 'placeholder="Search …"')]),
        ('<img alt="Chart" src="{{ u }}">', [(1, 'alt="Chart"')]),
    ],
)
def test_the_check_finds_untranslated_text(source: str, expected: list[tuple[int, str]]) -> None:
    assert untranslated_text(source) == expected


def test_the_check_passes_translated_code_and_comments() -> None:
    source = """{% load i18n %}<h1 class="h3">{% translate "Sign in" %}</h1>
    <p title="{% translate 'Help' %}">{% blocktranslate %}Hi {{ n }}{% endblocktranslate %}</p>
    {# a note #}{% comment %}English notes{% endcomment %}<!-- an HTML comment -->
    <script>const word = "text";</script><style>a::after { content: "x"; }</style>
    <p>hr_police · F1 {{ value }} – 12 &amp; 3 / 100</p>"""
    assert untranslated_text(source) == []


# ---------------------------------------------------------------------------------------
# (b) The catalog: complete, not fuzzy, placeholders kept, compiled, current.

PLACEHOLDERS = re.compile(r"%\(\w+\)[sd]|\{\w*\}|%%|%[sd]")


def catalog() -> list[Entry]:
    return [e for e in parse_po(CATALOG) if e.msgid and not e.obsolete]


def test_the_catalog_is_for_french_canada_with_french_plurals() -> None:
    header = next(e for e in parse_po(CATALOG) if e.msgid == "")
    assert "fuzzy" not in header.flags
    assert "Language: fr_CA\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n > 1);\n" in header.msgstr[0]


def test_every_catalog_entry_is_translated_with_the_same_placeholders() -> None:
    entries = catalog()
    assert len(entries) > 400
    problems = []
    for entry in entries:
        name = f"{entry.context + ' | ' if entry.context else ''}{entry.msgid!r}"
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {name}")
        expected = 2 if entry.plural is not None else 1  # French: one, and more than one
        if len(entry.msgstr) != expected or not all(entry.translations):
            problems.append(f"untranslated: {name}")
        wanted = sorted(PLACEHOLDERS.findall(entry.msgid))
        for text in entry.translations:
            if sorted(PLACEHOLDERS.findall(text)) != wanted:
                problems.append(f"placeholders differ: {name} → {text!r}")
    assert not problems, "\n".join(problems)


# French typography: a non-breaking space before : ; ? ! » and after «, so they never
# start a line. A plain space there, or none before a colon, is a slip.
_SPACING_SLIPS = re.compile(r" [:;?!»]|« |(?<=[^\W\d_])[:;?!](?=\s|$)")


def test_french_punctuation_has_its_non_breaking_spaces() -> None:
    slips = [
        f"{entry.msgid!r} → {text!r}"
        for entry in catalog()
        for text in entry.translations
        if _SPACING_SLIPS.search(text.replace("Authorization: Bearer", ""))
    ]
    assert not slips, "\n".join(slips)


def test_the_compiled_catalog_matches_its_source() -> None:
    with COMPILED.open("rb") as compiled:
        messages = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    for entry in catalog():
        key = f"{entry.context}\x04{entry.msgid}" if entry.context else entry.msgid
        if entry.plural is None:
            assert messages.get(key) == entry.msgstr[0], f"{key!r}: run `make messages`"
        else:
            for index, text in entry.msgstr.items():
                assert messages.get((key, index)) == text, f"{key!r}: run `make messages`"


_CALL = re.compile(r"\b(n?p?gettext)\(((?:\s*u?(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")\s*,?)+)")
_STRING = re.compile(r"u?('(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")")


def template_messages() -> set[tuple[str | None, str]]:
    """(context, msgid) of every message the templates ask for, as makemessages sees them."""
    found = set()
    for path in template_files():
        for function, arguments in _CALL.findall(templatize(path.read_text(encoding="utf-8"))):
            strings = [ast.literal_eval(s) for s in _STRING.findall(arguments)]
            if function.startswith(("pgettext", "npgettext")):
                found.add((strings[0], strings[1]))
            else:
                found.add((None, strings[0]))
    return found


def test_the_catalog_holds_every_template_message() -> None:
    in_catalog = {(e.context, e.msgid) for e in catalog()}
    missing = template_messages() - in_catalog
    assert not missing, f"run `make messages` and translate: {sorted(missing, key=str)}"


# ---------------------------------------------------------------------------------------
# (c) and (d): the switcher, the pages in French, Quebec dates and numbers.


def switch_to_french(client: Client, next_path: str) -> Any:
    return client.post(reverse("set_language"), {"language": "fr-ca", "next": next_path})


@pytest.mark.django_db
def test_the_login_page_is_english_by_default_and_french_after_switching(client: Client) -> None:
    login = reverse("login")
    page = client.get(login).content.decode()
    assert '<html lang="en-ca">' in page
    assert '<button class="btn btn-link btn-sm link-light" type="submit" name="language"' in page
    assert 'value="fr-ca" lang="fr-CA">Français</button>' in page
    assert 'name="next" value="/accounts/login/"' in page

    response = switch_to_french(client, login)
    assert (response.status_code, response["Location"]) == (302, login)
    page = client.get(login).content.decode()
    assert '<html lang="fr-ca">' in page
    assert "<title>Se connecter · hr_police</title>" in page
    assert "sites de consommation supervisée (SCS)" in page
    assert "Nom d’utilisateur" in page  # Django's own form labels follow
    assert 'value="en-ca" lang="en-CA">English</button>' in page


@pytest.mark.django_db
def test_a_french_browser_gets_french_until_the_switcher_says_otherwise(client: Client) -> None:
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9").content.decode()
    assert '<html lang="fr-ca">' in page
    client.post(reverse("set_language"), {"language": "en-ca", "next": "/"})
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr-CA").content.decode()
    assert '<html lang="en-ca">' in page


@pytest.mark.django_db
def test_a_failed_sign_in_explains_itself_in_french(client: Client) -> None:
    switch_to_french(client, "/")
    page = client.post(reverse("login"), {"username": "x", "password": "y"}).content.decode()
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in page


@time_machine.travel(NOW)
@pytest.mark.django_db
def test_the_french_scorecard_reads_quebec_dates_and_numbers(
    manager_client: Client, site: Site
) -> None:
    riverside_like(site)
    url = score_url(site, as_of="2026-06-30")
    english = manager_client.get(url).content.decode()
    assert "As of 30 Jun 2026" in english
    assert '<p class="display-5 mb-0">54.0</p>' in english

    switch_to_french(manager_client, url)
    response = manager_client.get(url)  # a later request: the choice persists
    page = response.content.decode()
    assert '<html lang="fr-ca">' in page
    assert ">Mes sites</a>" in page
    assert ">Tableau de bord</a>" in page
    assert "pointage de la relation" in page
    assert "Au 30 juin 2026" in page  # « 22 novembre 2026 », not 2026-06-30 or June 30
    assert '<p class="display-5 mb-0">54,0</p>' in page  # the decimal comma
    assert 'value="2026-06-30"' in page  # the date input keeps its ISO value


@pytest.mark.django_db
def test_times_and_numbers_follow_quebec_conventions() -> None:
    moment = date(2026, 11, 22)
    with translation.override("fr-ca"):
        assert formats.date_format(moment, "DATE_FORMAT") == "22 novembre 2026"
        assert formats.time_format(_at(14, 30)) == "14\xa0h\xa030"
        assert formats.time_format(_at(9, 5)) == "9\xa0h\xa005"
        assert formats.number_format(1234.5, 1, force_grouping=True) == "1\xa0234,5"
    with translation.override("en-ca"):
        assert formats.time_format(_at(14, 30)) == "14:30"
        assert formats.date_format(_at(14, 30), "SHORT_DATETIME_FORMAT").endswith("14:30")


def _at(hour: int, minute: int) -> datetime:
    return datetime(2026, 11, 22, hour, minute)


@pytest.mark.django_db
def test_a_signed_in_user_who_still_needs_two_factors_may_switch_language(
    client: Client, site: Site, settings: Any
) -> None:
    settings.HR_POLICE_REQUIRE_2FA = True
    client.force_login(make_user(Role.MANAGER, site=site))
    setup = reverse("two_factor_setup")
    response = switch_to_french(client, setup)
    assert (response.status_code, response["Location"]) == (302, setup)
    page = client.get(setup).content.decode()
    assert "Configurer la connexion à deux facteurs" in page


@pytest.mark.django_db
def test_error_pages_switch_language_back_to_the_home_page(client: Client, site: Site) -> None:
    client.force_login(make_user(Role.MANAGER, site=site))
    page = client.get("/sites/nowhere-at-all/").content.decode()
    assert 'name="next" value="/"' in page
    assert "nowhere-at-all" not in page


@pytest.mark.django_db
def test_a_pdf_made_in_french_is_tagged_french(site: Site) -> None:
    with translation.override("fr-ca"):
        pdf = build_report(site, "liaison")
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.trailer["/Root"]["/Lang"] == "fr-CA"
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Heures d'ouverture" in text or "Heures d’ouverture" in text
