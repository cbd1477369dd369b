"""Shared fixtures: a site, a second site, one user per role around them, and the one
walk of the URL × role matrix that the access, hardening, privacy and French tests check."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from agreements.choices import Role
from agreements.models import Membership, Site
from tests.factories import AssignmentFactory, OfficerFactory, SiteFactory, UserFactory

if TYPE_CHECKING:
    from tests.crawl import Crawl

TEST_SETTINGS: dict[str, Any] = {
    # Real hashing is deliberately slow; tests create many users.
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    # Most tests sign users in with force_login; the tests of two-factor sign-in and of
    # HTTPS redirects turn these back on for themselves.
    "HR_POLICE_REQUIRE_2FA": False,
    "SECURE_SSL_REDIRECT": False,
    # Tasks run in the request, as under `make run`; tests/agreements/test_report_tasks.py
    # queues them in the database and runs `db_worker` instead.
    "TASKS": {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
}


@pytest.fixture(autouse=True)
def test_settings(settings: Any) -> None:
    for name, value in TEST_SETTINGS.items():
        setattr(settings, name, value)


@pytest.fixture(autouse=True)
def english_unless_asked(settings: Any) -> Iterator[None]:
    """Every test starts in the site's default language (Canadian English): a French request
    in one test must not leave the next test's labels in French (the order pytest picks is
    not ours)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@dataclass
class World:
    site: Site
    other_site: Site
    users: dict[str, User | None]


@pytest.fixture
def site(db: Any) -> Site:
    return SiteFactory(slug="riverside", name="Riverside Health Hub")


@pytest.fixture
def other_site(db: Any) -> Site:
    return SiteFactory(slug="eastside", name="Eastside Site")


def make_user(role: str, *, site: Site | None = None, username: str | None = None) -> User:
    user = UserFactory(username=username or f"{role}-{site.slug if site else 'all'}")
    if role == Role.ADMIN:
        user.is_staff = user.is_superuser = True
        user.save()
    Membership.objects.create(user=user, role=role, site=site)
    return user


@pytest.fixture
def world(site: Site, other_site: Site) -> World:
    """Every role the access matrix checks, around `site` and `other_site`."""
    return build_world(site, other_site)


def build_world(site: Site | None = None, other_site: Site | None = None) -> World:
    """The world's users and sites, made outside a fixture (the matrix walk needs it)."""
    if site is None:
        site = SiteFactory(slug="riverside", name="Riverside Health Hub")
    if other_site is None:
        other_site = SiteFactory(slug="eastside", name="Eastside Site")
    liaison = make_user(Role.LIAISON)
    officer = OfficerFactory(user=liaison, badge_number="4411")
    AssignmentFactory(officer=officer, site=site, start=date(2024, 1, 1))
    # The site opts in to community oversight; its union holds the community role there.
    site.community_oversight = True
    site.save(update_fields=["community_oversight"])
    return World(
        site=site,
        other_site=other_site,
        users={
            "anonymous": None,
            "manager": make_user(Role.MANAGER, site=site),
            "other_manager": make_user(Role.MANAGER, site=other_site),
            "liaison": liaison,
            "researcher": make_user(Role.RESEARCHER),
            "admin": make_user(Role.ADMIN),
            "community": make_user(Role.COMMUNITY, site=site),
        },
    )


@pytest.fixture
def manager(site: Site) -> User:
    return make_user(Role.MANAGER, site=site)


@pytest.fixture
def manager_client(client: Any, manager: User) -> Any:
    client.force_login(manager)
    return client


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # pytest-django creates the test database only if a selected test is marked for it;
    # the walk needs it even when only its checks are selected.
    for item in items:
        if "matrix_crawl" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(scope="session")
def matrix_crawl(django_db_setup: None, django_db_blocker: Any) -> Crawl:
    """Every page of the access matrix as every role, in English and French, requested
    once per run (tests/crawl.py); its records are rolled back before any test runs."""
    from tests.crawl import crawl_matrix  # tests.crawl imports this module

    with django_db_blocker.unblock():
        return crawl_matrix()
