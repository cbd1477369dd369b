"""`manage.py benchmark` on a small seeded database: every figure it reports is there."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_static.models import StaticDevice

from agreements.models import Interaction, Site

pytestmark = pytest.mark.django_db


@pytest.mark.slow  # seeds a large site and runs the benchmark
def test_it_measures_pages_and_an_import_and_writes_the_report(tmp_path: Path) -> None:
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", "--large", "1", stdout=StringIO())
    sites, interactions = Site.objects.count(), Interaction.objects.count()
    markdown, figures = tmp_path / "bench.md", tmp_path / "bench.json"

    call_command(
        "benchmark", "--runs", "2", "--skip", "pdf", "--skip", "load",
        "--markdown", str(markdown), "--json", str(figures), stdout=StringIO(),
    )  # fmt: skip

    run = json.loads(figures.read_text())["runs"][0]
    assert set(run["pages"]) == {
        "scorecard", "dashboard", "score_api", "interactions_list", "csv_export"
    }  # fmt: skip
    for page in run["pages"].values():
        assert page["queries"] > 0
        assert page["p50_ms"] > 0
        assert page["bytes"] > 0
    assert run["import"]["interactions"] == 10_000
    assert run["import"]["seconds"] > 0
    # The import was rolled back: the database is as seeded.
    assert (Site.objects.count(), Interaction.objects.count()) == (sites, interactions)
    # Nothing signed in without a password stays behind.
    assert not Session.objects.exists()
    assert not StaticDevice.objects.filter(name="benchmark").exists()
    text = markdown.read_text()
    assert "## Pages: server time p50 / p95 in ms (queries)" in text
    assert "## Bundle import" in text


def test_it_asks_for_the_large_sites_first() -> None:
    with pytest.raises(CommandError, match="seed_demo --large"):
        call_command("benchmark", stdout=StringIO())
