"""`export_bundle --all --output-dir DIR` is a backup that `import_bundle` restores: every
site comes back into an empty database with the same records and the same scores."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Model

from agreements.audit import AuditEntry
from agreements.models import Site
from liaisons.models import LiaisonOfficer, PoliceService

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


# Who may see a site, and its secret links, are not part of its record (docs/bundle.md).
NOT_IN_BUNDLES = {"agreements.Membership"}


def site_records(site: Site) -> dict[str, int]:
    """How many rows of each site-owned model the site has."""
    counts = {}
    for app in ("agreements", "liaisons"):
        for model in apps.get_app_config(app).get_models():
            field = _site_field(model)
            if field and model._meta.label not in NOT_IN_BUNDLES:
                counts[model._meta.label] = model._default_manager.filter(**{field: site}).count()
    return counts


def _site_field(model: type[Model]) -> str | None:
    names = {f.name for f in model._meta.get_fields()}
    if "site" in names and model._meta.get_field("site").is_relation:
        return "site"
    if "protocol" in names:  # clauses and acknowledgements belong to a site's protocol
        return "protocol__site"
    if "checkin" in names:  # attendance confirmations belong to a site's check-in
        return "checkin__site"
    return None


def state() -> dict[str, Any]:
    """Per site: its record counts and its score on its own today and on a past day (as JSON)."""
    result = {}
    for site in Site.objects.order_by("slug"):
        scores = [
            run("score", site.slug, "--as-of", day)
            for day in ("2024-06-30", site.today().isoformat())
        ]
        result[site.slug] = {"records": site_records(site), "scores": scores}
    return result


@pytest.mark.slow  # seeds the demo and restores it: about 8 s
def test_every_site_is_exported_and_restored_into_an_empty_database(tmp_path: Path) -> None:
    run("seed_demo")
    before = state()
    assert len(before) >= 3
    assert sum(sum(s["records"].values()) for s in before.values()) > 1000

    message = run("export_bundle", "--all", "--output-dir", str(tmp_path / "backup"))

    files = sorted((tmp_path / "backup").iterdir())
    assert [f.name for f in files] == [f"{slug}.json" for slug in before]
    assert f"Exported {len(before)} sites" in message
    assert all(json.loads(f.read_text())["format"] == "hr-police-bundle/1" for f in files)
    assert AuditEntry.objects.filter(action="export", actor="export_bundle").count() == len(files)

    # An empty database: no site, no officer, no police service.
    Site.objects.all().delete()
    LiaisonOfficer.objects.all().delete()
    PoliceService.objects.all().delete()
    assert state() == {}

    for path in files:
        run("import_bundle", str(path))

    assert state() == before


def test_all_needs_a_folder_and_no_slug(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="--output-dir"):
        run("export_bundle", "--all")
    with pytest.raises(CommandError, match="no SLUG"):
        run("export_bundle", "--all", "harbourview", "--output-dir", str(tmp_path))
    with pytest.raises(CommandError, match="SLUG"):
        run("export_bundle")


def test_a_failed_write_leaves_no_half_file(tmp_path: Path) -> None:
    run("seed_demo")
    blocked = tmp_path / "backup"
    blocked.mkdir()
    (blocked / "harbourview.json").mkdir()  # a folder where the file should go
    with pytest.raises(CommandError, match="Cannot write"):
        run("export_bundle", "--all", "--output-dir", str(blocked))
    assert not [p for p in blocked.iterdir() if p.name.startswith(".")]
