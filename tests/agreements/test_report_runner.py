"""Who makes network reports: a thread, the `run_report_jobs` worker, or the request; a
report cut off half-way is taken up again, and none is made twice."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from agreements.choices import Role
from agreements.models import ReportJob, Site
from reports import network as network_report
from tests.conftest import make_user
from tests.factories import SiteFactory
from tests.hr_police.test_settings import GOOD_KEY, manage_check

Status = ReportJob.Status


@pytest.fixture
def site(db: Any) -> Site:
    return SiteFactory(slug="riverside", name="Riverside Health Hub")


@pytest.fixture
def worker_mode(settings: Any) -> None:
    settings.HR_POLICE_REPORT_RUNNER = "worker"


@pytest.fixture
def admin(db: Any) -> User:
    return make_user(Role.ADMIN)


def queued_job(site: Site, user: User, language: str = "en-ca") -> ReportJob:
    with translation.override(language):
        return network_report.network_job_create(user=user, as_of=site.today())


def run_worker_once() -> str:
    out = StringIO()
    call_command("run_report_jobs", "--once", "--poll", "0.01", stdout=out)
    return out.getvalue()


def test_in_worker_mode_a_request_only_queues_the_report(
    worker_mode: None, site: Site, admin: User
) -> None:
    job = queued_job(site, admin)
    job.refresh_from_db()
    assert job.status == Status.QUEUED
    assert not job.file


def test_the_worker_makes_queued_reports_in_their_requesters_language(
    worker_mode: None, site: Site, admin: User
) -> None:
    french, english = queued_job(site, admin, "fr-ca"), queued_job(site, admin, "en-ca")
    with translation.override("en-ca"):  # the worker's own language does not matter
        out = run_worker_once()
    assert "2 report(s) made" in out
    french.refresh_from_db()
    english.refresh_from_db()
    assert (french.status, english.status) == (Status.DONE, Status.DONE)
    assert french.message == "Prêt à télécharger"
    assert english.message == "Ready to download"
    assert french.file
    assert english.file


def test_a_job_is_claimed_by_one_runner_only(worker_mode: None, site: Site, admin: User) -> None:
    job = queued_job(site, admin)
    assert network_report.claim(job.pk) is not None
    assert network_report.claim(job.pk) is None  # the second runner finds it taken
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.RUNNING, 1)


def test_a_report_cut_off_half_way_is_taken_up_again(
    worker_mode: None, site: Site, admin: User, settings: Any
) -> None:
    job = queued_job(site, admin)
    assert network_report.claim(job.pk) is not None  # a runner starts, then dies
    assert run_worker_once().endswith("0 report(s) made\n")  # still fresh: left alone
    stale = timezone.now() - timedelta(seconds=settings.HR_POLICE_REPORT_STALE_SECONDS + 1)
    ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=stale)
    assert "1 report(s) made" in run_worker_once()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.DONE, 2)


def test_a_report_that_keeps_killing_its_runner_is_given_up_with_a_message(
    worker_mode: None, site: Site, admin: User
) -> None:
    job = queued_job(site, admin)
    ReportJob.objects.filter(pk=job.pk).update(
        status=Status.RUNNING, attempts=network_report.MAX_ATTEMPTS, heartbeat_at=None
    )
    assert network_report.run_job(job.pk) is False
    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert "could not be made" in job.message


def test_a_finished_report_is_never_made_again(site: Site, admin: User) -> None:
    job = queued_job(site, admin)  # inline in the tests
    job.refresh_from_db()
    assert job.status == Status.DONE
    assert network_report.run_job(job.pk) is False
    assert ReportJob.objects.get(pk=job.pk).attempts == 1


def test_in_thread_mode_the_progress_page_restarts_a_report_whose_thread_died(
    site: Site, settings: Any, monkeypatch: pytest.MonkeyPatch, client: Client
) -> None:
    started: list[int] = []
    monkeypatch.setattr(network_report, "_start_thread", started.append)
    settings.HR_POLICE_REPORT_RUNNER = "thread"
    user = make_user(Role.ADMIN)
    long_ago = timezone.now() - timedelta(hours=1)
    dead = ReportJob.objects.create(requested_by=user, as_of=site.today(), status=Status.RUNNING,
                                    heartbeat_at=long_ago, attempts=1)  # fmt: skip
    alive = ReportJob.objects.create(requested_by=user, as_of=site.today(),
                                     status=Status.RUNNING,
                                     heartbeat_at=timezone.now())  # fmt: skip
    client.force_login(user)
    for job in (dead, alive):
        assert (
            client.get(reverse("agreements:report_job", kwargs={"pk": job.pk})).status_code == 200
        )
    assert started == [dead.pk]


def test_the_worker_refuses_a_poll_interval_that_is_not_positive(db: Any) -> None:
    with pytest.raises(SystemExit) as exit_:
        call_command("run_report_jobs", "--once", "--poll", "0", stderr=StringIO())
    assert exit_.value.code == 2


def test_the_settings_refuse_a_runner_they_do_not_know(tmp_path: Path) -> None:
    result = manage_check(
        tmp_path, DJANGO_DEBUG="false", DJANGO_SECRET_KEY=GOOD_KEY, HR_POLICE_REPORT_RUNNER="cron"
    )
    assert result.returncode != 0
    assert "HR_POLICE_REPORT_RUNNER must be thread, worker or inline" in result.stderr


def test_a_runner_that_was_taken_over_writes_nothing_more(
    worker_mode: None, site: Site, admin: User, settings: Any
) -> None:
    job = queued_job(site, admin)
    first = network_report.claim(job.pk)  # runner A, which then falls silent
    assert first is not None
    stale = timezone.now() - timedelta(seconds=settings.HR_POLICE_REPORT_STALE_SECONDS + 1)
    ReportJob.objects.filter(pk=job.pk).update(heartbeat_at=stale)
    assert network_report.run_job(job.pk)  # runner B takes it over and finishes
    done = ReportJob.objects.get(pk=job.pk)
    assert done.status == Status.DONE
    with pytest.raises(network_report._Superseded):
        network_report._update(first, 40, "Scored 4 of 10 sites")
    network_report._make_report(first)  # A wakes up and carries on to the end
    after = ReportJob.objects.get(pk=job.pk)
    assert (after.status, after.progress, after.file.name) == (Status.DONE, 100, done.file.name)
    assert after.file.storage.exists(after.file.name)


def test_a_queued_report_whose_thread_never_started_is_started_by_its_page(
    site: Site, admin: User, settings: Any, monkeypatch: pytest.MonkeyPatch, client: Client
) -> None:
    started: list[int] = []
    monkeypatch.setattr(network_report, "_start_thread", started.append)
    settings.HR_POLICE_REPORT_RUNNER = "thread"
    orphan = ReportJob.objects.create(requested_by=admin, as_of=site.today())
    just_queued = ReportJob.objects.create(requested_by=admin, as_of=site.today())
    long_ago = timezone.now() - timedelta(hours=1)
    ReportJob.objects.filter(pk=orphan.pk).update(created_at=long_ago)
    client.force_login(admin)
    for job in (orphan, just_queued):
        assert (
            client.get(reverse("agreements:report_job", kwargs={"pk": job.pk})).status_code == 200
        )
    assert started == [orphan.pk]


def test_a_report_made_later_leaves_out_a_site_that_withdrew_its_consent(
    worker_mode: None, site: Site
) -> None:
    other = SiteFactory(slug="eastside", name="Eastside Harm Reduction")
    Site.objects.filter(pk__in=[site.pk, other.pk]).update(research_consent=True)
    researcher = make_user(Role.RESEARCHER)
    job = queued_job(site, researcher)
    assert set(job.site_ids) == {site.pk, other.pk}
    Site.objects.filter(pk=other.pk).update(research_consent=False)  # before it is made
    run_worker_once()
    job.refresh_from_db()
    with job.file.open("rb") as pdf:
        text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert site.name in text
    assert other.name not in text
