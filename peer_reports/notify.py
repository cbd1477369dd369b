"""E-mail to the site's managers when a peer report is filed: a link to the review page,
nothing else (no category, no day, no text), as every notice (agreements/notices.py)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from agreements import audit
from agreements.audit import Action
from agreements.notices import in_both_languages, manager_addresses, send_each
from agreements.types import Actor
from peer_reports.models import PeerReport


def notify_managers(*, report: PeerReport, actor: Actor) -> int:
    """Tell the site's managers a report waits for review; returns how many messages left."""
    site = report.site
    addresses = manager_addresses(site)
    if not addresses:
        return 0
    path = reverse("peer_reports:review", kwargs={"slug": site.slug, "pk": report.pk})
    url = settings.HR_POLICE_BASE_URL.rstrip("/") + path

    def compose() -> tuple[str, str]:
        subject = _("Peer report to review: %(site)s") % {"site": site.name}
        lines = [
            _("A community body filed a peer report for %(site)s.") % {"site": site.name},
            _("Sign in to review it: %(url)s") % {"url": url},
            "",
            _(
                "For privacy this e-mail holds nothing of the report itself; "
                "please do not reply to it."
            ),
        ]
        return subject, "\n".join(lines) + "\n"

    subject, body = in_both_languages(compose)
    sent = send_each(subject=subject, body=body, addresses=addresses, what="Peer report notice")
    if sent:
        audit.record(Action.NOTIFY, actor=actor, site=site, obj=report,
                     detail=f"peer report notice e-mailed to {sent} (managers)")  # fmt: skip
    return sent
