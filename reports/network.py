"""The network report: every site the requester may see, compared, made in the
background with visible progress.

A `ReportJob` is the user-facing record (who asked, the day, the sites in scope, the
requester's language, progress, message, file, status); the work is the django-tasks task
`make_network_report`. With the database backend (production) the task waits in the
database for `manage.py db_worker`; with the immediate backend (`make run`, tests) it runs
at once, in the request. See docs/operations.md and docs/decisions.md.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from agreements import audit
from agreements.access import GRANTS, Permission, roles_by_site, visible_sites
from agreements.audit import Action
from agreements.choices import FACTOR_KEYS
from agreements.models import ReportJob, Site
from agreements.research_days import research_day
from reports.pdf import render_pdf
from scoring import dashboard
from scoring.cache import score_sites
from scoring.readings import Reading, score_views

CHUNK = 10  # sites scored between two progress updates
Status = ReportJob.Status


def network_job_create(*, user: User, as_of: date) -> ReportJob:
    """Record a network report of the sites `user` may see with scores, and queue it."""
    ids = list(visible_sites(user, Permission.VIEW_SCORES).values_list("id", flat=True))
    # The report is written in the requester's language, wherever and whenever it is made.
    language = translation.get_language() or settings.LANGUAGE_CODE
    # The job, its audit entry and (with the database backend) its queued task commit
    # together: no job is left waiting for a task that was never queued.
    with transaction.atomic():
        job = ReportJob.objects.create(requested_by=user, as_of=as_of, site_ids=ids,
                                       language=language,
                                       message=_sites_to_compare(len(ids)))  # fmt: skip
        audit.record(Action.DOWNLOAD, actor=user, obj=job, detail="network report requested")
        make_network_report.enqueue(job.pk)
    job.refresh_from_db()  # the immediate backend has made it already
    return job


def _sites_to_compare(count: int) -> str:
    return ngettext("%(count)d site to compare", "%(count)d sites to compare", count) % {
        "count": count
    }


@task()
def make_network_report(job_id: int) -> str:
    """Make the report of a queued job; returns the job's status when done.

    Only a queued job is started (a task enqueued twice makes one report). Any failure
    leaves the job failed with a message the requester can read, and is raised again so
    that the task result records it with its traceback for the operators.
    """
    queued = ReportJob.objects.filter(pk=job_id, status=Status.QUEUED)
    if not queued.update(status=Status.RUNNING):
        return "not queued"
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            _make_report(job)
        except BaseException:  # a stopped worker (SystemExit) too: never "being made" for ever
            _update(job, progress=100, status=Status.FAILED, finished_at=timezone.now(),
                    message=_("The report could not be made; try again."))  # fmt: skip
            raise
    return Status.DONE.value


def _update(job: ReportJob, **fields: object) -> None:
    # An UPDATE rather than save(): the page polling the job reads each step at once.
    ReportJob.objects.filter(pk=job.pk).update(**fields)


def _sites_in_scope(job: ReportJob) -> list[Site]:
    """The sites asked for that the requester may still see: a report made later leaves
    out a site whose consent or whose access was withdrawn since it was asked for."""
    visible = visible_sites(job.requested_by, Permission.VIEW_SCORES).values("id")
    return list(Site.objects.filter(id__in=job.site_ids).filter(id__in=visible).order_by("name"))


def _days(job: ReportJob, sites: list[Site]) -> dict[int, date]:
    """Each site's day: the day asked for at the sites the requester manages; elsewhere
    (researchers) the end of the newest month complete in the site's own time zone when
    the report was asked for, never a month still running there (SPEC §2)."""
    roles = roles_by_site(job.requested_by)
    manage = GRANTS[Permission.MANAGE]
    return {
        s.id: job.as_of if roles.get(s.id, frozenset()) & manage
        else research_day(s, job.as_of, job.created_at)
        for s in sites
    }  # fmt: skip


def _make_report(job: ReportJob) -> None:
    sites = _sites_in_scope(job)
    days = _days(job, sites)
    roles = roles_by_site(job.requested_by)
    managed = {s.id for s in sites if roles.get(s.id, frozenset()) & GRANTS[Permission.MANAGE]}
    threshold = settings.HR_POLICE_SUPPRESSION_THRESHOLD
    cards = {}
    for start in range(0, len(sites), CHUNK):
        chunk = sites[start : start + CHUNK]
        cards.update(score_sites(chunk, days={s.id: days[s.id] for s in chunk}))
        done = start + len(chunk)
        _update(
            job,
            progress=int(80 * done / max(len(sites), 1)),
            message=ngettext("Scored %(done)d of %(count)d site",
                             "Scored %(done)d of %(count)d sites",
                             len(sites)) % {"done": done, "count": len(sites)},
        )  # fmt: skip
    # Researchers' rows hold no figure that pins a suppressed count (scoring.intervals).
    views = score_views([Reading(s, cards[s.id], s.id in managed) for s in sites], threshold)
    entries = [
        (dashboard.SiteFacts(s.slug, s.name, s.region, s.status), view)
        for s, view in zip(sites, views, strict=True)
    ]
    rows = dashboard.sort_rows(dashboard.build_rows(entries), "-total")
    shown = sorted(set(days.values())) or [job.as_of]
    _update(job, progress=85, message=_("Drawing the PDF"))
    weights = next(iter(cards.values())).weights if cards else {}
    pdf = render_pdf("reports/network.html", {
        "rows": rows,
        "distribution": dashboard.band_distribution(rows),
        "as_of": shown[-1],
        "as_of_days": shown,
        "has_ranges": any(not r.card.is_exact for r in rows),
        "factor_keys": FACTOR_KEYS,
        "weights": [(k, weights.get(k, 1)) for k in FACTOR_KEYS],
        "rubric": next(iter(cards.values())).rubric if cards else "v1",
        "generated_at": timezone.now(),
        "generated_by": job.requested_by.get_username(),
    })  # fmt: skip
    job.file.save(f"network-{job.pk}.pdf", ContentFile(pdf), save=False)
    _update(job, file=job.file.name, progress=100, status=Status.DONE,
            message=_("Ready to download"), finished_at=timezone.now())  # fmt: skip
