"""Private files go through the database storage that every app server shares: the bytes
come back as they went in, nothing lands in a local folder, no file has a URL, a failed
save leaves no file behind, and two servers racing for one name both keep their file."""

from __future__ import annotations

from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse

from agreements.models import Protocol, ReportJob, Site
from privatefiles.models import StoredFile
from privatefiles.storage import DatabaseStorage, NoPublicURL
from reports import network as network_report
from tests.conftest import make_user

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"  # every byte value


@pytest.fixture
def storage(db: Any) -> DatabaseStorage:
    return DatabaseStorage()


@pytest.fixture
def old_folder(settings: Any, tmp_path: Path) -> Path:
    """Where private files went before: nothing may be written there now."""
    settings.HR_POLICE_PRIVATE_FILES = tmp_path
    return tmp_path


def test_the_bytes_come_back_as_they_went_in(storage: DatabaseStorage) -> None:
    name = storage.save("protocols/1/v1.pdf", ContentFile(PDF))
    assert name == "protocols/1/v1.pdf"
    with storage.open(name) as stored:
        assert stored.read() == PDF
    assert storage.exists(name)
    assert storage.size(name) == len(PDF)
    assert storage.get_modified_time(name).tzinfo is not None


def test_a_second_file_of_the_same_name_gets_its_own_name(storage: DatabaseStorage) -> None:
    first = storage.save("reports/network-1.pdf", ContentFile(b"%PDF-first"))
    second = storage.save("reports/network-1.pdf", ContentFile(b"%PDF-second"))
    assert first != second
    assert storage.open(first).read() == b"%PDF-first"
    assert storage.open(second).read() == b"%PDF-second"


def test_two_servers_racing_for_one_name_both_keep_their_file(
    storage: DatabaseStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The other server saved "reports/x.pdf" between this one's check and its write.
    storage.save("reports/x.pdf", ContentFile(b"%PDF-theirs"))
    checked: list[str] = []
    real_exists = DatabaseStorage.exists

    def stale_exists(self: DatabaseStorage, name: str) -> bool:
        checked.append(name)
        return len(checked) > 1 and real_exists(self, name)  # the first check saw no file

    monkeypatch.setattr(DatabaseStorage, "exists", stale_exists)
    mine = storage.save("reports/x.pdf", ContentFile(b"%PDF-mine"))
    assert mine != "reports/x.pdf"
    assert storage.open("reports/x.pdf").read() == b"%PDF-theirs"
    assert storage.open(mine).read() == b"%PDF-mine"


def test_missing_files_and_writes_in_place_are_refused(storage: DatabaseStorage) -> None:
    with pytest.raises(FileNotFoundError):
        storage.open("protocols/nowhere.pdf")
    with pytest.raises(FileNotFoundError):
        storage.size("protocols/nowhere.pdf")
    name = storage.save("protocols/1/v2.pdf", ContentFile(PDF))
    with pytest.raises(ValueError, match="save"):
        storage.open(name, "wb")


def test_delete_and_listdir(storage: DatabaseStorage) -> None:
    for name in ("protocols/1/a.pdf", "protocols/2/b.pdf", "reports/c.pdf", "top.pdf"):
        storage.save(name, ContentFile(b"%PDF-"))
    assert storage.listdir("") == (["protocols", "reports"], ["top.pdf"])
    assert storage.listdir("protocols/") == (["1", "2"], [])
    assert storage.listdir("protocols/1") == ([], ["a.pdf"])
    storage.delete("protocols/1/a.pdf")
    assert not storage.exists("protocols/1/a.pdf")
    assert storage.listdir("protocols") == (["2"], [])


def test_no_private_file_has_a_url(storage: DatabaseStorage) -> None:
    name = storage.save("protocols/1/v1.pdf", ContentFile(PDF))
    with pytest.raises(NoPublicURL):
        storage.url(name)
    # Django's file widgets ask with getattr(): they hear "no URL", not an error.
    protocol = Protocol(document=name)
    assert getattr(protocol.document, "url", None) is None


def test_a_failed_save_leaves_no_file_behind(storage: DatabaseStorage) -> None:
    def save_then_fail() -> None:
        with transaction.atomic():
            storage.save("protocols/1/v3.pdf", ContentFile(PDF))
            raise RuntimeError("the record naming the file was refused")

    with pytest.raises(RuntimeError):
        save_then_fail()
    assert not storage.exists("protocols/1/v3.pdf")


@pytest.mark.django_db
def test_every_file_field_and_the_default_storage_use_the_database() -> None:
    assert isinstance(storages["default"], DatabaseStorage)
    assert isinstance(storages["private"], DatabaseStorage)
    assert isinstance(Protocol._meta.get_field("document").storage, DatabaseStorage)
    assert isinstance(ReportJob._meta.get_field("file").storage, DatabaseStorage)


def test_an_uploaded_protocol_is_stored_in_the_database_not_in_a_folder(
    manager_client: Client, site: Site, old_folder: Path
) -> None:
    data = {
        "status": "draft", "created_on": "2026-01-10", "signatories": "",
        "clauses-TOTAL_FORMS": "0", "clauses-INITIAL_FORMS": "0",
        "clauses-MIN_NUM_FORMS": "0", "clauses-MAX_NUM_FORMS": "1000",
        "document": SimpleUploadedFile("agreement.pdf", PDF, content_type="application/pdf"),
    }  # fmt: skip
    url = reverse("agreements:protocols_create", kwargs={"slug": site.slug})
    assert manager_client.post(url, data).status_code == 302
    protocol = Protocol.objects.get()
    assert bytes(StoredFile.objects.get(name=protocol.document.name).content) == PDF
    assert not any(old_folder.rglob("*"))
    download = reverse(
        "agreements:protocols_document", kwargs={"slug": site.slug, "pk": protocol.pk}
    )
    response = manager_client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    # The edit form still opens with the document in place (it has no URL to link to).
    edit = reverse("agreements:protocols_edit", kwargs={"slug": site.slug, "pk": protocol.pk})
    assert manager_client.get(edit).status_code == 200


def test_a_network_report_is_stored_in_the_database_not_in_a_folder(
    site: Site, old_folder: Path
) -> None:
    admin = make_user("admin")
    job = network_report.network_job_create(user=admin, as_of=date(2026, 1, 31))
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE
    stored = bytes(StoredFile.objects.get(name=job.file.name).content)
    assert stored.startswith(b"%PDF-")
    assert not any(old_folder.rglob("*"))
    client = Client()
    client.force_login(admin)
    response = client.get(reverse("agreements:report_job_download", kwargs={"pk": job.pk}))
    assert b"".join(response.streaming_content) == stored


def test_a_report_missing_from_storage_is_a_404_that_says_so(site: Site) -> None:
    # Before import_private_files has copied an old folder in, a file may be missing.
    admin = make_user("admin")
    job = network_report.network_job_create(user=admin, as_of=date(2026, 1, 31))
    job.refresh_from_db()
    StoredFile.objects.filter(name=job.file.name).delete()
    client = Client()
    client.force_login(admin)
    response = client.get(reverse("agreements:report_job_download", kwargs={"pk": job.pk}))
    assert response.status_code == 404


def test_files_from_the_old_folder_are_imported_once_under_their_names(
    db: Any, old_folder: Path
) -> None:
    (old_folder / "protocols" / "4").mkdir(parents=True)
    (old_folder / "protocols" / "4" / "v1-abc.pdf").write_bytes(PDF)
    (old_folder / "reports").mkdir()
    (old_folder / "reports" / "network-9.pdf").write_bytes(b"%PDF-report")
    call_command("import_private_files", stdout=(out := StringIO()))
    assert "2 files copied, 0 already there" in out.getvalue()
    assert storages["private"].open("protocols/4/v1-abc.pdf").read() == PDF
    call_command("import_private_files", stdout=(again := StringIO()))
    assert "0 files copied, 2 already there" in again.getvalue()
    assert StoredFile.objects.count() == 2
