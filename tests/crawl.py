"""One walk of the URL × role matrix per test run, in English and in French.

The access, hardening, privacy and French tests all look at every page of the matrix
(tests/test_access_matrix.py) as every role. Each used to request the pages itself, on a
world built again for each URL: about a thousand requests and eighty worlds per run. Now
the `matrix_crawl` fixture (tests/conftest.py) walks the matrix once per run, records each
answer (status, headers, body), and those tests check the records.

The records behind the walk are created in one transaction that is rolled back before any
test looks at the answers, and the caches the walk filled (rate limits, scores) are
emptied: nothing of it reaches another test, on SQLite as on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.cache import caches
from django.db import models, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.datastructures import CaseInsensitiveMapping

from agreements.choices import Category, DistanceBand, Impact
from tests.conftest import TEST_SETTINGS, World, build_world
from tests.factories import CheckInFactory, ClauseFactory, InteractionFactory

# Each page is read as a visitor who chose the language (the language cookie).
LANGUAGES = {"en": "en-ca", "fr": "fr-ca"}

# An interaction never shared: no page a liaison opens may show any of it.
SECRET_NARRATIVE = "Narrative-7f3a: officer stood at the door"
SECRET_RESOLUTION = "Resolution-91bc: raised at the meeting"
SECRET_CATEGORY = "surveillance"


def _edition(edition: str) -> Callable[[dict[str, Any]], str]:
    return lambda objects: reverse(
        "agreements:site_report", kwargs={"slug": "riverside", "edition": edition}
    )


# Pages outside the matrix's rows (one URL name, several pages) and the roles that open
# them: the site report's other editions, for its managers and the admin. They are here
# for the French check and are PDFs (a third of the walk's time): read in French only.
EXTRA_PAGES: dict[str, tuple[Callable[[dict[str, Any]], str], tuple[str, ...]]] = {
    f"agreements:site_report[{edition}]": (_edition(edition), ("manager", "admin"))
    for edition in ("manager", "liaison")
}


@dataclass(frozen=True)
class Visit:
    """One recorded answer: `role` opened `url` (the matrix row `name`) in `language`."""

    name: str
    role: str
    language: str
    url: str
    status: int
    headers: CaseInsensitiveMapping[str] = field(repr=False)
    content: bytes = field(repr=False)

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    @property
    def content_type(self) -> str:
        return self.header("Content-Type")

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")

    def text(self) -> str:
        return self.content.decode(errors="replace")


@dataclass
class Crawl:
    """Every answer of the walk, and what the walk's records held."""

    visits: dict[tuple[str, str, str], Visit]  # (name, role, language) → answer
    user_data: list[str]  # texts stored in the records: user data, not ours to translate
    usernames: dict[str, str]  # role → username

    def visit(self, name: str, role: str, language: str) -> Visit:
        return self.visits[(name, role, language)]

    def of(self, *, role: str | None = None, language: str | None = None) -> list[Visit]:
        return [
            v
            for v in self.visits.values()
            if (role is None or v.role == role) and (language is None or v.language == language)
        ]


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


def crawl_records(world: World) -> dict[str, Any]:
    """The matrix's records, more of what fills the score and report pages, and an
    unshared interaction with secrets in it behind the interaction URLs."""
    from tests.test_access_matrix import site_records  # it imports this module

    objects = site_records(world)
    site = world.site
    ClauseFactory(protocol=objects["signed"], topic="entry_during_hours")
    InteractionFactory(site=site, category=Category.VEHICLE_IN_BUFFER,
                       distance_band=DistanceBand.BUFFER, impact=Impact.CLIENTS_LEFT)  # fmt: skip
    CheckInFactory(site=site, status="held")
    objects["interactions"] = InteractionFactory(
        site=site,
        narrative=SECRET_NARRATIVE,
        resolution=SECRET_RESOLUTION,
        category=SECRET_CATEGORY,
    )
    return objects


def _record(client: Client, name: str, role: str, language: str, url: str) -> Visit:
    response = client.get(url)
    return Visit(
        name=name,
        role=role,
        language=language,
        url=url,
        status=response.status_code,
        headers=CaseInsensitiveMapping(dict(response.items())),
        content=response.getvalue(),  # a file's stream too
    )


def _walk(world: World) -> Crawl:
    from tests.test_access_matrix import MATRIX, ROLES  # it imports this module

    objects = crawl_records(world)
    # Some rows create their record as their URL is made (a calendar feed): once each.
    urls = {name: make_url(objects) for name, (make_url, _) in MATRIX.items()}
    extras = {name: (make_url(objects), roles) for name, (make_url, roles) in EXTRA_PAGES.items()}
    # Before any request: what the requests write (audit entries) is the app's, not data.
    data = user_data()
    visits: dict[tuple[str, str, str], Visit] = {}
    for role in ROLES:
        user = world.users[role]
        for language, code in LANGUAGES.items():
            client = Client()
            client.cookies.load({"django_language": code})
            if user is not None:
                client.force_login(user)
            pages = dict(urls)
            if language == "fr":
                pages |= {n: url for n, (url, roles) in extras.items() if role in roles}
            for name, url in pages.items():
                visits[(name, role, language)] = _record(client, name, role, language, url)
    return Crawl(
        visits=visits,
        user_data=data,
        usernames={role: user.username for role, user in world.users.items() if user},
    )


def crawl_matrix() -> Crawl:
    """Walk the matrix as every role in both languages, leaving the database as it was
    found and the caches empty. Call with database access allowed (the fixture does)."""
    with override_settings(**TEST_SETTINGS), transaction.atomic():
        try:
            return _walk(build_world())
        finally:
            transaction.set_rollback(True)
            for cache in caches.all():
                cache.clear()
