"""import_bundle PATH [--replace] [--accept-warnings]: load one site's whole record from a
bundle (SPEC §7)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from agreements import audit
from agreements.audit import Action
from bundles.bundle import BundleError, bundle_counts, import_bundle, load_bundle


class Command(BaseCommand):
    help = (
        "Import one site's whole record from a bundle file (JSON, format "
        "hr-police-bundle/1; see docs/bundle.md). All or nothing: a bundle with any invalid "
        "record changes nothing, and every error found is printed with the record and key "
        "it concerns. PATH - reads standard input. A site whose slug exists is refused "
        "unless --replace is given. Text the PII guard warns about (a passage that seems to "
        "describe a client) is refused unless --accept-warnings is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", metavar="PATH", help="The bundle file, or - for stdin.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the site with the same slug, and its records, before importing.",
        )
        parser.add_argument(
            "--accept-warnings",
            action="store_true",
            help="Import text the PII guard warns about (a passage that seems to describe "
            "a client), confirming that it describes police; the audit entry lists where. "
            "Refusals (an e-mail address, a phone number…) are never accepted.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw = _read(options["path"])
        try:
            data = load_bundle(raw)
            confirmed: list[str] = []
            with transaction.atomic():  # the site with its audit entry, or neither
                site = import_bundle(
                    data,
                    replace=options["replace"],
                    accept_warnings=options["accept_warnings"],
                    confirmed=confirmed,
                )
                detail = "bundle, replacing the site" if options["replace"] else "bundle"
                if confirmed:
                    detail += f"; PII warnings confirmed in {len(confirmed)} field(s)"
                audit.record(
                    Action.IMPORT,
                    actor="import_bundle",
                    site=site,
                    # Where warnings were confirmed: bundle keys, never the text.
                    fields=[entry.split(" ")[0] for entry in confirmed],
                    detail=detail,
                )
        except BundleError as exc:
            for message in exc.messages:
                self.stderr.write(message)
            count = len(exc.messages)
            raise CommandError(
                f"Import refused ({count} error{'s' if count != 1 else ''}); nothing was changed."
            ) from None
        counts = ", ".join(
            f"{name.replace('_', ' ')}: {n}" for name, n in bundle_counts(data).items()
        )
        self.stdout.write(f"Imported site {site.slug} — {counts}.")
        if confirmed:
            self.stdout.write(
                "PII warnings accepted (--accept-warnings) at: " + ", ".join(confirmed) + "."
            )


def _read(path: str) -> bytes:
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror or exc}.") from None
