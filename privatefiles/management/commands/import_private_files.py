"""Copy the private files an earlier version wrote to HR_POLICE_PRIVATE_FILES into the
database storage, under the same names, so that the records naming them find them.

Run once on one server when upgrading; running it again copies nothing twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from privatefiles.models import StoredFile


class Command(BaseCommand):
    help = "Copy private files from the old folder (HR_POLICE_PRIVATE_FILES) into the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--folder",
            type=Path,
            default=None,
            help="The folder to read (default: HR_POLICE_PRIVATE_FILES).",
        )

    def handle(self, *args: Any, folder: Path | None, **options: Any) -> None:
        root = Path(folder or settings.HR_POLICE_PRIVATE_FILES)
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder.")
        copied = kept = 0
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            name = path.relative_to(root).as_posix()
            if StoredFile.objects.filter(name=name).exists():
                kept += 1
                continue
            data = path.read_bytes()
            with transaction.atomic():
                StoredFile.objects.create(name=name, content=data, size=len(data))
            copied += 1
        self.stdout.write(f"{copied} files copied, {kept} already there, from {root}.")
