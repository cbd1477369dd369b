"""Import time of a whole-site bundle (the `import_bundle` command on a file)."""

from __future__ import annotations

import tempfile
import time
from io import StringIO
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import transaction

from agreements.models import Site
from bundles.bundle import dump_bundle, export_bundle

IMPORTED_SLUG = "bench-imported"


class _Undo(Exception):
    """Raised to roll the import back: the database stays as seeded for the next figure."""


def measure_import(source: Site) -> dict[str, Any]:
    """Export `source` to a bundle file under a new slug, then time importing that file."""
    bundle = export_bundle(source)
    bundle["site"]["slug"] = IMPORTED_SLUG
    bundle["site"]["name"] = "Imported bench site (fictional)"
    # Officers are matched by service and badge: the source site's officers would be
    # reused (and their assignments would overlap), so the copy brings its own service.
    for officer in bundle["officers"]:
        officer["service"] = f"{officer['service']} (imported copy)"
    with tempfile.TemporaryDirectory(prefix="hr-police-bench-") as folder:
        path = Path(folder) / "bundle.json"
        path.write_text(dump_bundle(bundle))
        size = path.stat().st_size
        started = time.perf_counter()
        try:
            with transaction.atomic():
                call_command("import_bundle", str(path), stdout=StringIO())
                seconds = time.perf_counter() - started
                raise _Undo
        except _Undo:
            pass
    return {
        "seconds": round(seconds, 3),
        "interactions": len(bundle["interactions"]),
        "checkins": len(bundle["checkins"]),
        "bytes": size,
    }
