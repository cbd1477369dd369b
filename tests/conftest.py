"""Shared fixtures: a site, a second site, and one user per role around them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User

from agreements.choices import Role
from agreements.models import Membership, Site
from tests.factories import AssignmentFactory, OfficerFactory, SiteFactory, UserFactory


@pytest.fixture(autouse=True)
def test_settings(settings: Any) -> None:
    # Real hashing is deliberately slow; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Most tests sign users in with force_login; the tests of two-factor sign-in and of
    # HTTPS redirects turn these back on for themselves.
    settings.HR_POLICE_REQUIRE_2FA = False
    settings.SECURE_SSL_REDIRECT = False


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
    liaison = make_user(Role.LIAISON)
    officer = OfficerFactory(user=liaison, badge_number="4411")
    AssignmentFactory(officer=officer, site=site, start=date(2024, 1, 1))
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
        },
    )


@pytest.fixture
def manager(site: Site) -> User:
    return make_user(Role.MANAGER, site=site)


@pytest.fixture
def manager_client(client: Any, manager: User) -> Any:
    client.force_login(manager)
    return client


IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def reports_in_the_request(settings: Any) -> None:
    # Tasks run in the request, as under `make run`; tests/agreements/test_report_tasks.py
    # queues them in the database and runs `db_worker` instead.
    settings.TASKS = IMMEDIATE_TASKS
