"""Every change to an account is audited, whatever the path: the password page, Django's
commands, the admin's user pages, `grant` and `api_token`. Entries name the account and
the fields that changed, never a value (a password hash included)."""

from __future__ import annotations

import os
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client

from agreements.audit import Action, AuditEntry
from agreements.choices import Role
from agreements.models import Site
from tests.conftest import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"
NEW = "a brand new passphrase here"


def account_entries(user: User) -> list[tuple[str, str, list[str]]]:
    rows = AuditEntry.objects.filter(object_type="user", object_id=str(user.pk)).order_by("id")
    return [(e.action, e.actor, e.fields) for e in rows]


def test_changing_ones_password_on_the_page_is_audited(site: Site) -> None:
    mona = make_user(Role.MANAGER, site=site, username="mona")
    before = len(account_entries(mona))
    browser = Client()
    browser.force_login(mona)
    form = {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW}
    changed = browser.post("/accounts/password/", form)
    assert changed.status_code == 302
    assert account_entries(mona)[before:] == [(Action.UPDATE, "mona", ["password"])]
    entry = AuditEntry.objects.filter(object_type="user").order_by("id").last()
    assert entry is not None
    assert entry.ip == "127.0.0.1"
    assert "md5" not in entry.detail  # never the hash


def test_signing_in_is_no_account_change(site: Site) -> None:
    mona = make_user(Role.MANAGER, site=site, username="mona")
    before = len(account_entries(mona))
    browser = Client()
    signed_in = browser.post("/accounts/login/", {"username": "mona", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert account_entries(mona)[before:] == []  # last_login moved; the sign-in has its entry
    assert AuditEntry.objects.filter(action=Action.LOGIN, actor="mona").count() == 1


def test_djangos_changepassword_command_is_audited(site: Site) -> None:
    mona = make_user(Role.MANAGER, site=site, username="mona")
    before = len(account_entries(mona))
    with mock.patch("getpass.getpass", return_value=NEW):
        call_command("changepassword", "mona", stdout=StringIO())
    assert account_entries(mona)[before:] == [(Action.UPDATE, "", ["password"])]


def test_the_admins_user_pages_are_audited(site: Site) -> None:
    root = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    mona = make_user(Role.MANAGER, site=site, username="mona")
    before = len(account_entries(mona))
    browser = Client()
    browser.force_login(root)
    group = Group.objects.create(name="reviewers")
    page = f"/admin/auth/user/{mona.pk}/change/"
    response = browser.post(page, {
        "username": "mona", "first_name": "", "last_name": "", "email": "mona@site.example",
        "is_active": "", "is_staff": "on", "groups": [group.pk],
        "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00",
        "initial-date_joined_0": "2026-01-01", "initial-date_joined_1": "10:00:00",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    logged = account_entries(mona)[before:]
    assert (Action.UPDATE, "root", ["email", "is_active", "is_staff"]) in logged
    assert (Action.UPDATE, "root", ["groups"]) in logged
    browser.post(f"/admin/auth/user/{mona.pk}/delete/", {"post": "yes"})
    assert account_entries(mona)[-1] == (Action.DELETE, "root", [])


def test_grant_and_api_token_are_audited(site: Site, monkeypatch: Any) -> None:
    monkeypatch.setitem(os.environ, "HR_POLICE_PASSWORD", "a-long-enough-passphrase-42")
    call_command("grant", "alice", "admin", stdout=StringIO())
    alice = User.objects.get(username="alice")
    logged = account_entries(alice)
    assert logged[0][:2] == (Action.CREATE, "grant")
    assert "password" in logged[0][2]
    assert (Action.UPDATE, "grant", ["is_staff", "is_superuser"]) in logged
    call_command("api_token", "alice", stdout=StringIO(), stderr=StringIO())
    token = AuditEntry.objects.get(object_type="apitoken")
    assert (token.action, token.actor) == (Action.CREATE, "api_token")
    assert "alice" in token.detail  # the account the token is for


def test_removing_a_second_factor_in_the_admin_is_audited(site: Site) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    root = User.objects.create_superuser("root", "root@example.org", PASSWORD)
    mona = make_user(Role.MANAGER, site=site, username="mona")
    device = TOTPDevice.objects.create(user=mona, name="Authenticator app", confirmed=True)
    browser = Client()
    browser.force_login(root)
    page = f"/admin/otp_totp/totpdevice/{device.pk}/delete/"
    assert browser.post(page, {"post": "yes"}).status_code == 302
    assert account_entries(mona)[-1] == (Action.UPDATE, "root", ["two_factor"])
