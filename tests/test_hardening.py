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

from agreements.audit import AuditEntry
from agreements.models import Interaction, InteractionShare
from liaisons.models import CheckIn
from tests.conftest import World
from tests.factories import CheckInFactory, InteractionFactory
from tests.test_access_matrix import MATRIX, site_records

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


@pytest.mark.django_db
def test_every_page_has_the_policy_no_caching_and_nothing_inline(client: Any, world: World) -> None:
    objects = site_records(world)
    client.force_login(world.users["admin"])
    checked = 0
    for name, (make_url, _) in MATRIX.items():
        response = client.get(make_url(objects))
        assert "script-src 'self'" in response["Content-Security-Policy"], name
        assert "no-store" in response["Cache-Control"], name
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            page = response.content.decode()
            assert not INLINE_SCRIPT.search(page), name
            assert not INLINE_HANDLER.search(page), name
            assert not INLINE_STYLE.search(page), name
            checked += 1
    assert checked > 30


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
