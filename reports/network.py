"""The network report: every site the requester may see, compared, made in the
background with visible progress.

A job records the sites in scope and the requester's language when it was requested; a
runner scores them in chunks, updating the progress and a heartbeat, then renders the PDF
into private storage. The runner is a thread of the web worker (the default), the
`run_report_jobs` worker process, or the request itself (tests), after
`HR_POLICE_REPORT_RUNNER`. A job cut off half-way is taken up again.
"""

from __future__ import annotations

import logging
import threading
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import close_old_connections, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agreements import audit
from agreements.access import Permission, visible_sites
from agreements.audit import Action
from agreements.choices import FACTOR_KEYS
from agreements.models import ReportJob, Site
from reports.pdf import render_pdf
from scoring import dashboard
from scoring.cache import score_sites

log = logging.getLogger(__name__)
CHUNK = 10  # sites scored between two progress updates
MAX_ATTEMPTS = 3  # a report that kills its runner three times is given up, with a message


def network_job_create(*, user: User, as_of: date) -> ReportJob:
    """Queue a network report of the sites `user` may see with scores, and start it."""
    ids = list(visible_sites(user, Permission.VIEW_SCORES).values_list("id", flat=True))
    # The report is written in the requester's language, wherever and whenever it is made.
    language = translation.get_language() or settings.LANGUAGE_CODE
    with transaction.atomic():  # the job with its audit entry; the runner starts after
        job = ReportJob.objects.create(requested_by=user, as_of=as_of, site_ids=ids,
                                       language=language,
                                       message=_sites_to_compare(len(ids)))  # fmt: skip
        audit.record(Action.DOWNLOAD, actor=user, obj=job, detail="network report requested")
    runner = settings.HR_POLICE_REPORT_RUNNER
    if runner == "thread":
        transaction.on_commit(lambda: _start_thread(job.pk))
    elif runner == "inline":
        run_job(job.pk)
    # "worker": the job waits, queued, for `manage.py run_report_jobs`.
    return job


def _sites_to_compare(count: int) -> str:
    return ngettext("%(count)d site to compare", "%(count)d sites to compare", count) % {
        "count": count
    }


def _start_thread(job_id: int) -> None:
    threading.Thread(target=_run_in_thread, args=(job_id,), daemon=True).start()


def _run_in_thread(job_id: int) -> None:
    try:
        run_job(job_id)
    finally:
        close_old_connections()


def is_stale(job: ReportJob, now: datetime | None = None) -> bool:
    """A running job whose runner has not reported for a while was cut off; a queued one
    that long unclaimed lost its thread before it started (the process died first)."""
    limit = (now or timezone.now()) - timedelta(seconds=settings.HR_POLICE_REPORT_STALE_SECONDS)
    if job.status == ReportJob.Status.QUEUED:
        return job.created_at < limit
    return job.status == ReportJob.Status.RUNNING and (
        job.heartbeat_at is None or job.heartbeat_at < limit
    )


def resume_if_stale(job: ReportJob) -> None:
    """Take up a job whose thread died with its worker process (a restart, a crash): the
    page that watches it starts it again, so nobody waits for ever on "being made"."""
    if settings.HR_POLICE_REPORT_RUNNER == "thread" and is_stale(job):
        _start_thread(job.pk)


def claimable() -> QuerySet[ReportJob]:
    """Jobs a runner may take: queued ones, and running ones whose runner was cut off."""
    limit = timezone.now() - timedelta(seconds=settings.HR_POLICE_REPORT_STALE_SECONDS)
    running_stale = Q(status=ReportJob.Status.RUNNING) & (
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=limit)
    )
    return ReportJob.objects.filter(Q(status=ReportJob.Status.QUEUED) | running_stale)


def claim(job_id: int) -> ReportJob | None:
    """Take the job for this runner, or None when another runner has it or it is finished.

    A compare-and-set on (status, heartbeat): of two runners reading the same row, only
    one update matches, on PostgreSQL and SQLite alike, with no lock held while working.
    """
    job = claimable().filter(pk=job_id).first()
    if job is None:
        return None
    if job.attempts >= MAX_ATTEMPTS:
        ReportJob.objects.filter(pk=job.pk, status=job.status).update(
            status=ReportJob.Status.FAILED, progress=100, finished_at=timezone.now(),
            message=_gave_up(job),
        )  # fmt: skip
        return None
    taken = ReportJob.objects.filter(
        pk=job.pk, status=job.status, heartbeat_at=job.heartbeat_at, attempts=job.attempts
    ).update(status=ReportJob.Status.RUNNING, heartbeat_at=timezone.now(),
             attempts=job.attempts + 1)  # fmt: skip
    if not taken:
        return None
    job.refresh_from_db()
    return job


def _gave_up(job: ReportJob) -> str:
    with translation.override(job.language):
        return _("The report could not be made; try again.")


def next_job_id() -> int | None:
    """The oldest job a worker may take (`run_report_jobs`)."""
    return claimable().order_by("created_at").values_list("pk", flat=True).first()


class _Superseded(Exception):
    """Another runner took the job over (this one was silent too long): stop, write nothing."""


def _ours(job: ReportJob) -> QuerySet[ReportJob]:
    """The job's row while this runner's claim holds: a later claim raised `attempts`."""
    return ReportJob.objects.filter(pk=job.pk, attempts=job.attempts)


def _update(job: ReportJob, progress: int, message: str, status: str = "running") -> None:
    updated = _ours(job).update(
        progress=progress, message=message, status=status, heartbeat_at=timezone.now()
    )
    if not updated:
        raise _Superseded


def run_job(job_id: int) -> bool:
    """Make the report of a job if this runner can claim it; False when it could not."""
    job = claim(job_id)
    if job is None:
        return False
    with translation.override(job.language or settings.LANGUAGE_CODE):
        _make_report(job)
    return True


def _sites_in_scope(job: ReportJob) -> list[Site]:
    """The sites asked for that the requester may still see: a report made (or taken up
    again) later leaves out a site whose consent or whose access was withdrawn since."""
    visible = visible_sites(job.requested_by, Permission.VIEW_SCORES).values("id")
    return list(Site.objects.filter(id__in=job.site_ids).filter(id__in=visible).order_by("name"))


def _make_report(job: ReportJob) -> None:
    job_id = job.pk
    try:
        sites = _sites_in_scope(job)
        cards = {}
        for start in range(0, len(sites), CHUNK):
            chunk = sites[start : start + CHUNK]
            cards.update(score_sites(chunk, job.as_of))
            done = start + len(chunk)
            _update(
                job,
                int(80 * done / max(len(sites), 1)),
                ngettext("Scored %(done)d of %(count)d site", "Scored %(done)d of %(count)d sites",
                         len(sites)) % {"done": done, "count": len(sites)},
            )  # fmt: skip
        entries = [
            (dashboard.SiteFacts(s.slug, s.name, s.region, s.status), cards[s.id]) for s in sites
        ]
        rows = dashboard.sort_rows(dashboard.build_rows(entries), "-total")
        _update(job, 85, _("Drawing the PDF"))
        weights = next(iter(cards.values())).weights if cards else {}
        pdf = render_pdf("reports/network.html", {
            "rows": rows,
            "distribution": dashboard.band_distribution(rows),
            "as_of": job.as_of,
            "factor_keys": FACTOR_KEYS,
            "weights": [(k, weights.get(k, 1)) for k in FACTOR_KEYS],
            "rubric": next(iter(cards.values())).rubric if cards else "v1",
            "generated_at": timezone.now(),
            "generated_by": job.requested_by.get_username(),
        })  # fmt: skip
        job.file.save(f"network-{job.pk}.pdf", ContentFile(pdf), save=False)
        finished = _ours(job).update(
            file=job.file.name, progress=100, status=ReportJob.Status.DONE,
            message=_("Ready to download"), finished_at=timezone.now(),
        )  # fmt: skip
        if not finished:
            job.file.delete(save=False)  # the runner that took over writes its own
            raise _Superseded
    except _Superseded:
        log.warning("network report %s was taken over by another runner", job_id)
    except Exception:  # a failed report must say so, not stay "running" for ever
        log.exception("network report %s failed", job_id)
        _ours(job).update(
            progress=100, status=ReportJob.Status.FAILED, heartbeat_at=timezone.now(),
            message=_("The report could not be made; try again."),
        )  # fmt: skip
