"""Production hardening (ASVS level 2) and retention of free text."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.datastructures import CaseInsensitiveMapping

from agreements.audit import AuditEntry
from agreements.models import Interaction, InteractionShare
from liaisons.models import CheckIn
from tests.conftest import World
from tests.crawl import Crawl, Visit
from tests.factories import CheckInFactory, InteractionFactory

ROOT = Path(__file__).resolve().parents[1]


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "Zq7-" + "x9Lm2pQ8rT4vW6yB1nC3dF5gH7jK0aS" * 2,
        "DJANGO_ALLOWED_HOSTS": "tracker.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def hardening_problems(visit: Visit) -> list[str]:
    """What an answer lacks of the policy (CSP, no caching) or shows inline."""
    where = f"{visit.name} as {visit.role} ({visit.language})"
    problems = []
    if "script-src 'self'" not in visit.header("Content-Security-Policy"):
        problems.append(f"{where}: no script-src 'self' policy")
    if "no-store" not in visit.header("Cache-Control"):
        problems.append(f"{where}: may be cached")
    if "camera=()" not in visit.header("Permissions-Policy"):
        problems.append(f"{where}: no Permissions-Policy denying the camera")
    if visit.header("Cross-Origin-Resource-Policy") != "same-origin":
        problems.append(f"{where}: no Cross-Origin-Resource-Policy")
    if visit.status == 200 and visit.is_html:
        page = visit.text()
        for what, pattern in (("script", INLINE_SCRIPT), ("event handler", INLINE_HANDLER),
                              ("style", INLINE_STYLE)):  # fmt: skip
            if pattern.search(page):
                problems.append(f"{where}: inline {what}")
    return problems


def test_every_page_has_the_policy_no_caching_and_nothing_inline(matrix_crawl: Crawl) -> None:
    problems = [p for visit in matrix_crawl.visits.values() for p in hardening_problems(visit)]
    assert not problems, "\n".join(problems)
    admin_pages = [v for v in matrix_crawl.of(role="admin", language="en") if v.is_html]
    assert len([v for v in admin_pages if v.status == 200]) > 30


ICON = re.compile(r'<link rel="icon" href="/static/([^"]+)" type="image/svg\+xml">')


def test_every_page_shows_the_app_icon_shipped_with_it(matrix_crawl: Crawl) -> None:
    """Browsers ask for an icon on every page: each names the app's own, from /static/
    (never a CDN, never the missing /favicon.ico)."""
    from django.contrib.staticfiles import finders

    pages = [v for v in matrix_crawl.visits.values() if v.is_html and v.status == 200]
    missing = [f"{v.name} as {v.role}" for v in pages if not ICON.search(v.text())]
    assert not missing, "\n".join(missing[:20])
    icons = {m.group(1) for v in pages for m in ICON.finditer(v.text())}
    assert icons == {"favicon.svg"}
    assert finders.find("favicon.svg")


def test_the_hardening_check_finds_a_page_without_the_policy_or_with_inline_code() -> None:
    page = b'<p style="color: red" onclick="go()">x</p><script>go()</script>'
    html = CaseInsensitiveMapping({"Content-Type": "text/html; charset=utf-8"})
    visit = Visit("agreements:home", "manager", "fr", "/", 200, html, page)
    assert hardening_problems(visit) == [
        "agreements:home as manager (fr): no script-src 'self' policy",
        "agreements:home as manager (fr): may be cached",
        "agreements:home as manager (fr): no Permissions-Policy denying the camera",
        "agreements:home as manager (fr): no Cross-Origin-Resource-Policy",
        "agreements:home as manager (fr): inline script",
        "agreements:home as manager (fr): inline event handler",
        "agreements:home as manager (fr): inline style",
    ]
    safe = CaseInsensitiveMapping(
        {
            **html,
            "Content-Security-Policy": "script-src 'self'",
            "Cache-Control": "no-store",
            "Permissions-Policy": "camera=(), microphone=()",
            "Cross-Origin-Resource-Policy": "same-origin",
        }
    )
    clean = b'<p class="warn">x</p><script src="/static/app.js"></script>'
    assert (
        hardening_problems(Visit("agreements:home", "manager", "fr", "/", 200, safe, clean)) == []
    )


@pytest.mark.django_db
def test_signing_out_tells_the_browser_to_forget_the_site(client: Any, world: World) -> None:
    """Clear-Site-Data on the answer that ends a session, and on no other: a shared
    phone keeps no page, stored data or cookie of the session once it is over."""
    client.force_login(world.users["manager"])
    page = client.get("/sites/riverside/")
    assert page.status_code == 200
    assert "Clear-Site-Data" not in page
    signed_out = client.post("/accounts/logout/")
    assert signed_out.status_code in (200, 302)
    assert signed_out["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert "Clear-Site-Data" not in client.get("/accounts/login/")


@pytest.mark.django_db
def test_a_session_ended_at_its_absolute_limit_also_clears_site_data(
    client: Any, world: World, settings: Any
) -> None:
    from accounts.security import LOGIN_AT

    client.force_login(world.users["manager"])
    session = client.session
    hours = settings.HR_POLICE_SESSION_MAX_HOURS + 1
    session[LOGIN_AT] = (timezone.now() - timedelta(hours=hours)).isoformat()
    session.save()
    ended = client.get("/sites/riverside/")
    assert ended.status_code == 302
    assert "/accounts/login/" in ended["Location"]
    assert ended["Clear-Site-Data"] == '"cache", "cookies", "storage"'


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https(client: Any, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


@pytest.mark.django_db
def test_error_pages_reveal_nothing(client: Any, world: World) -> None:
    client.force_login(world.users["other_manager"])
    page = client.get("/sites/riverside/").content.decode()
    assert "riverside" not in page.lower()
    assert "Traceback" not in page


# --- retention ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_purge_blanks_old_free_text_and_keeps_structured_fields() -> None:
    now = timezone.now()
    old = InteractionFactory(occurred_at=now - timedelta(days=400), narrative="old words",
                             resolution="old resolution", category="surveillance")  # fmt: skip
    recent = InteractionFactory(occurred_at=now - timedelta(days=10), narrative="recent words")
    InteractionShare.objects.create(interaction=old, summary="old summary for police")
    old_note = CheckInFactory(scheduled_start=now - timedelta(days=400), notes="old note")
    new_note = CheckInFactory(scheduled_start=now - timedelta(days=3), notes="new note")

    dry = StringIO()
    call_command("purge_narratives", "--dry-run", stdout=dry)
    assert "Would blank the free text of 1 interactions, 1 shared summaries and 1" in dry.getvalue()
    assert Interaction.objects.get(pk=old.pk).narrative == "old words"

    call_command("purge_narratives", stdout=StringIO())
    old.refresh_from_db()
    assert (old.narrative, old.resolution, old.category) == ("", "", "surveillance")
    assert old.share.summary == ""
    assert Interaction.objects.get(pk=recent.pk).narrative == "recent words"
    assert CheckIn.objects.get(pk=old_note.pk).notes == ""
    assert CheckIn.objects.get(pk=new_note.pk).notes == "new note"
    entry = AuditEntry.objects.get(actor="purge_narratives")
    assert "old words" not in f"{entry.detail}{entry.fields}"


@pytest.mark.django_db
def test_purge_honours_a_shorter_period_and_refuses_nonsense() -> None:
    from django.core.management import CommandError

    InteractionFactory(occurred_at=timezone.now() - timedelta(days=40), narrative="words")
    call_command("purge_narratives", "--older-than", "30", stdout=StringIO())
    assert Interaction.objects.get().narrative == ""
    with pytest.raises(CommandError):
        call_command("purge_narratives", "--older-than", "0", stdout=StringIO())


@pytest.mark.django_db
def test_expire_audit_ips_command(settings: Any) -> None:
    from agreements import audit

    audit.record("login", ip="10.1.1.1")
    settings.HR_POLICE_AUDIT_IP_DAYS = 0
    out = StringIO()
    call_command("expire_audit_ips", stdout=out)
    assert "1 audit entries" in out.getvalue()
    assert AuditEntry.objects.get().ip is None
