"""The network report as a django-tasks task: in production a request only queues it in
the database, and `manage.py db_worker` makes it, in the requester's language, with
progress the page can show, leaving out sites the requester can no longer see; a failure
is shown to the requester as a message."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from agreements.audit import AuditEntry
from agreements.choices import Role
from agreements.models import ReportJob, Site
from reports import network as network_report
from tests.conftest import make_user
from tests.factories import SiteFactory
from tests.hr_police.test_settings import GOOD_KEY, PROJECT_ROOT, SETTINGS_VARIABLES, manage_check

Status = ReportJob.Status
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The worker commits as it goes, as in production: these tests need real transactions
# (on PostgreSQL, db_worker's close_old_connections would drop a test's open transaction).
in_the_database = pytest.mark.django_db(transaction=True)


@pytest.fixture
def database_tasks(settings: Any) -> None:
    settings.TASKS = DATABASE_TASKS


@pytest.fixture
def site(db: Any) -> Site:
    return SiteFactory(slug="riverside", name="Riverside Health Hub")


@pytest.fixture
def admin(db: Any) -> User:
    return make_user(Role.ADMIN)


@pytest.fixture
def run_worker() -> Iterator[Any]:
    """`manage.py db_worker --batch`: makes every queued task, then stops. The worker
    installs its own SIGINT/SIGTERM handlers; pytest's are put back afterwards."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}

    def run() -> None:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay",
                     "--interval", "0", verbosity=0, stdout=StringIO())  # fmt: skip

    yield run
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def request_report(user: User, site: Site, language: str = "en-ca") -> ReportJob:
    with translation.override(language):
        return network_report.network_job_create(user=user, as_of=site.today())


def pdf_text(job: ReportJob) -> str:
    with job.file.open("rb") as pdf:
        return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


@in_the_database
def test_a_request_queues_the_report_and_the_worker_makes_it_in_each_requesters_language(
    database_tasks: None, site: Site, admin: User, run_worker: Any
) -> None:
    client = Client()
    client.force_login(admin)
    with translation.override("fr-ca"):
        response = client.post(reverse("agreements:network_report"), HTTP_ACCEPT_LANGUAGE="fr-CA")
    french = ReportJob.objects.get()
    english = request_report(admin, site, "en-ca")

    # Nothing is made in the request: the job waits, and its page polls.
    assert response["Location"] == reverse("agreements:report_job", kwargs={"pk": french.pk})
    assert (french.status, english.status) == (Status.QUEUED, Status.QUEUED)
    assert not french.file
    page = client.get(response["Location"]).content.decode()
    assert 'name="hr-police-poll"' in page
    queued = DBTaskResult.objects.order_by("enqueued_at")
    assert [t.status for t in queued] == [TaskResultStatus.READY] * 2
    assert [t.args_kwargs["args"] for t in queued] == [[french.pk], [english.pk]]
    assert AuditEntry.objects.filter(detail="network report requested").count() == 2

    with translation.override("en-ca"):  # the worker's own language does not matter
        run_worker()

    french.refresh_from_db()
    english.refresh_from_db()
    assert (french.status, english.status) == (Status.DONE, Status.DONE)
    assert (french.progress, french.finished_at is not None) == (100, True)
    assert french.message == "Prêt à télécharger"
    assert english.message == "Ready to download"
    assert "Rapport du réseau" in pdf_text(french)
    assert "Network report" in pdf_text(english)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}

    page = client.get(reverse("agreements:report_job", kwargs={"pk": english.pk}))
    assert 'name="hr-police-poll"' not in page.content.decode()
    download = client.get(reverse("agreements:report_job_download", kwargs={"pk": english.pk}))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"


@in_the_database
def test_the_job_shows_its_progress_while_the_worker_makes_it(
    database_tasks: None, site: Site, admin: User, run_worker: Any, monkeypatch: Any
) -> None:
    SiteFactory(slug="eastside", name="Eastside Harm Reduction")
    monkeypatch.setattr(network_report, "CHUNK", 1)  # two sites: two progress steps
    job = request_report(admin, site)
    assert job.message == "2 sites to compare"
    seen: list[tuple[str, int, str]] = []

    def watch() -> None:  # what the progress page would read at this moment
        row = ReportJob.objects.get(pk=job.pk)
        seen.append((row.status, row.progress, row.message))

    score_sites, render_pdf = network_report.score_sites, network_report.render_pdf
    monkeypatch.setattr(
        network_report, "score_sites", lambda *a, **k: (watch(), score_sites(*a, **k))[1]
    )
    monkeypatch.setattr(network_report, "render_pdf", lambda *a: (watch(), render_pdf(*a))[1])
    run_worker()

    assert seen == [
        (Status.RUNNING, 0, "2 sites to compare"),
        (Status.RUNNING, 40, "Scored 1 of 2 sites"),
        (Status.RUNNING, 85, "Drawing the PDF"),
    ]
    job.refresh_from_db()
    assert (job.status, job.progress) == (Status.DONE, 100)


@in_the_database
def test_a_report_that_fails_says_so_in_the_requesters_language(
    database_tasks: None, site: Site, admin: User, run_worker: Any, monkeypatch: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("Pango is missing")

    monkeypatch.setattr(network_report, "render_pdf", broken)
    job = request_report(admin, site, "fr-ca")
    run_worker()

    job.refresh_from_db()
    assert (job.status, job.progress, job.file.name) == (Status.FAILED, 100, "")
    assert job.message.startswith("Le rapport n’a pas pu être produit")
    # The operators find the cause in the task's result (Django admin, Task Results).
    result = DBTaskResult.objects.get()
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "builtins.RuntimeError"
    assert "Pango is missing" in result.traceback

    client = Client()
    client.force_login(admin)
    page = client.get(reverse("agreements:report_job", kwargs={"pk": job.pk})).content.decode()
    assert "Le rapport n’a pas pu être produit" in page
    assert 'name="hr-police-poll"' not in page  # the page stops waiting
    download = client.get(reverse("agreements:report_job_download", kwargs={"pk": job.pk}))
    assert download.status_code == 404


@in_the_database
def test_a_report_made_later_leaves_out_a_site_that_withdrew_its_consent(
    database_tasks: None, site: Site, run_worker: Any
) -> None:
    other = SiteFactory(slug="eastside", name="Eastside Harm Reduction")
    Site.objects.filter(pk__in=[site.pk, other.pk]).update(research_consent=True)
    job = request_report(make_user(Role.RESEARCHER), site)
    assert set(job.site_ids) == {site.pk, other.pk}
    Site.objects.filter(pk=other.pk).update(research_consent=False)  # before it is made
    run_worker()
    job.refresh_from_db()
    text = pdf_text(job)
    assert site.name in text
    assert other.name not in text


def test_a_task_queued_twice_makes_one_report(site: Site, admin: User) -> None:
    job = request_report(admin, site)  # the immediate backend of the tests made it
    assert job.status == Status.DONE
    made = job.file.name
    assert network_report.make_network_report.enqueue(job.pk).return_value == "not queued"
    job.refresh_from_db()
    assert (job.status, job.file.name) == (Status.DONE, made)


def test_the_worker_refuses_to_run_without_the_database_backend(db: Any) -> None:
    # The tests' immediate backend stands for `make run`: there is nothing to work on.
    with pytest.raises(Exception, match="is not a database backend"):
        call_command("db_worker", "--batch", "--no-reload", stderr=StringIO())


def test_the_settings_refuse_a_task_backend_they_do_not_know(tmp_path: Path) -> None:
    result = manage_check(
        tmp_path, DJANGO_DEBUG="false", DJANGO_SECRET_KEY=GOOD_KEY, HR_POLICE_TASK_BACKEND="cron"
    )
    assert result.returncode != 0
    assert "HR_POLICE_TASK_BACKEND must be database or immediate (got 'cron')" in result.stderr


def test_production_queues_tasks_in_the_database_and_debug_runs_them_at_once(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}", "DJANGO_SECRET_KEY": GOOD_KEY}
    env.pop("HR_POLICE_TASK_BACKEND", None)
    code = "from django.conf import settings; print(settings.TASKS['default']['BACKEND'])"
    backends = [
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-v0", "-c", code],
            cwd=PROJECT_ROOT, env=env | {"DJANGO_DEBUG": debug},
            capture_output=True, text=True, timeout=120, check=True,
        ).stdout.strip()
        for debug in ("false", "true")
    ]  # fmt: skip
    assert backends == [
        "django_tasks_db.DatabaseBackend",
        "django_tasks.backends.immediate.ImmediateBackend",
    ]
