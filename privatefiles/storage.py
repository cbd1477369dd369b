"""A Django storage backend over the `StoredFile` table.

Every app server talks to the same PostgreSQL, so a file saved through one is read
through any other, and it is backed up, restored and rolled back with the rows that name
it. There is deliberately no URL: `url()` refuses, and downloads go through the views
that check who may read each file (docs/decisions.md, "Private files in the database").
Files here are small (signed PDFs of at most 10 MB, reports of a few hundred kB), so a
file is read and written whole.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.db import IntegrityError, transaction
from django.utils.deconstruct import deconstructible

# Bounded, so that a broken `exists()` can never loop for ever.
_NAME_ATTEMPTS = 20


class NoPublicURL(AttributeError):
    """Private files have no URL. An AttributeError, so that code asking whether a file
    has one (`getattr(file, "url", None)`, as Django's file widgets do) hears "no"."""


@deconstructible(path="privatefiles.storage.DatabaseStorage")
class DatabaseStorage(Storage):
    def _rows(self) -> Any:
        from privatefiles.models import StoredFile  # the app registry is ready by now

        return StoredFile.objects

    def _open(self, name: str, mode: str = "rb") -> File:
        if any(flag in mode for flag in "wa+x"):
            raise ValueError(f"private files are written with save(), not opened {mode!r}")
        content = self._rows().filter(name=name).values_list("content", flat=True).first()
        if content is None:
            raise FileNotFoundError(name)
        return ContentFile(bytes(content), name=name)

    def _save(self, name: str, content: File) -> str:
        data = b"".join(content.chunks()) if hasattr(content, "chunks") else content.read()
        if isinstance(data, str):
            data = data.encode()
        # get_available_name picked a free name, but another server may take it first:
        # the unique name decides, and the loser tries the next free name.
        for _ in range(_NAME_ATTEMPTS):
            try:
                with transaction.atomic():
                    self._rows().create(name=name, content=data, size=len(data))
                return name
            except IntegrityError:
                name = self.get_available_name(name)
        raise FileExistsError(f"no free name near {name!r}")

    def exists(self, name: str) -> bool:
        return bool(self._rows().filter(name=name).exists())

    def delete(self, name: str) -> None:
        if not name:
            raise ValueError("The name must be given to delete().")
        self._rows().filter(name=name).delete()

    def size(self, name: str) -> int:
        size = self._rows().filter(name=name).values_list("size", flat=True).first()
        if size is None:
            raise FileNotFoundError(name)
        return int(size)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        prefix = path.strip("/") + "/" if path.strip("/") else ""
        names = self._rows().filter(name__startswith=prefix).values_list("name", flat=True)
        directories, files = set(), []
        for name in names:
            head, slash, _tail = name[len(prefix) :].partition("/")
            if slash:
                directories.add(head)
            else:
                files.append(head)
        return sorted(directories), sorted(files)

    def get_modified_time(self, name: str) -> datetime:
        when = self._rows().filter(name=name).values_list("modified_at", flat=True).first()
        if when is None:
            raise FileNotFoundError(name)
        return when  # type: ignore[no-any-return]

    get_created_time = get_modified_time
    get_accessed_time = get_modified_time  # no read is recorded here (the audit log is)

    def url(self, name: str | None) -> str:
        raise NoPublicURL(
            "Private files have no URL: they are downloaded through the views that check "
            "who may read them."
        )
