"""The network report: every site the requester may see, compared, made in the
background with visible progress.

A job records the sites in scope when it was requested; a thread (or the
`run_report_jobs` worker) scores them in chunks, updating the progress, then renders
the PDF into private storage.
"""

from __future__ import annotations

import logging
import threading
from datetime import date

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import close_old_connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from agreements import audit, dashboard
from agreements.access import Permission, visible_sites
from agreements.audit import Action
from agreements.models import ReportJob, Site
from agreements.pdf import render_pdf
from agreements.score_cache import score_sites
from agreements.scoring import FACTOR_KEYS

log = logging.getLogger(__name__)
CHUNK = 10  # sites scored between two progress updates


def network_job_create(*, user: User, as_of: date) -> ReportJob:
    """Queue a network report of the sites `user` may see with scores, and start it."""
    ids = list(visible_sites(user, Permission.VIEW_SCORES).values_list("id", flat=True))
    with transaction.atomic():  # the job with its audit entry; the thread starts after
        job = ReportJob.objects.create(requested_by=user, as_of=as_of, site_ids=ids,
                                       message=_sites_to_compare(len(ids)))  # fmt: skip
        audit.record(Action.DOWNLOAD, actor=user, obj=job, detail="network report requested")
    # The report is written in the requester's language: a thread does not inherit the
    # request's active language, so it travels with the job id.
    language = translation.get_language() or settings.LANGUAGE_CODE
    if settings.HR_POLICE_REPORTS_IN_BACKGROUND:
        transaction.on_commit(lambda: _start_thread(job.pk, language))
    else:
        run_job(job.pk, language=language)
    return job


def _sites_to_compare(count: int) -> str:
    return ngettext("%(count)d site to compare", "%(count)d sites to compare", count) % {
        "count": count
    }


def _start_thread(job_id: int, language: str) -> None:
    threading.Thread(target=_run_in_thread, args=(job_id, language), daemon=True).start()


def _run_in_thread(job_id: int, language: str) -> None:
    try:
        run_job(job_id, language=language)
    finally:
        close_old_connections()


def _update(job: ReportJob, progress: int, message: str, status: str = "running") -> None:
    ReportJob.objects.filter(pk=job.pk).update(progress=progress, message=message, status=status)


def run_job(job_id: int, language: str | None = None) -> None:
    """Make the report of a queued job, in `language` (the default language when None)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        _make_report(job_id)


def _make_report(job_id: int) -> None:
    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    try:
        sites = list(Site.objects.filter(id__in=job.site_ids).order_by("name"))
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
        ReportJob.objects.filter(pk=job.pk).update(
            file=job.file.name, progress=100, status=ReportJob.Status.DONE,
            message=_("Ready to download"), finished_at=timezone.now(),
        )  # fmt: skip
    except Exception:  # a failed report must say so, not stay "running" for ever
        log.exception("network report %s failed", job_id)
        _update(job, 100, _("The report could not be made; try again."), ReportJob.Status.FAILED)
