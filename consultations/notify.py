"""E-mail notices of a consultation: a link, never the version's text, a comment or an
answer (agreements.notices). The community body is told when a version opens for its
comments, the site's managers when a comment arrives, the comment's author when it is
answered. Each notice sent is one audit entry naming how many were told, never who."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from agreements import audit
from agreements.audit import Action
from agreements.choices import Role
from agreements.models import Membership, Site
from agreements.notices import in_both_languages, manager_addresses, send_each, unique_addresses
from agreements.types import Actor
from consultations.models import Comment, Consultation

OPENED = "opened"
COMMENTED = "commented"
ANSWERED = "answered"


def community_addresses(site: Site) -> list[str]:
    """The site's active community accounts, while the site opts in (one query)."""
    if not site.community_oversight:
        return []
    rows = Membership.objects.filter(
        role=Role.COMMUNITY, site=site, user__is_active=True
    ).values_list("user__email", flat=True)
    return unique_addresses(rows)


def author_addresses(comment: Comment) -> list[str]:
    author = comment.author
    if author is None or not author.is_active:
        return []
    return unique_addresses([author.email])


def notify(
    *, consultation: Consultation, event: str, actor: Actor, comment: Comment | None = None
) -> int:
    """E-mail those `event` concerns; returns how many messages left."""
    site = consultation.site
    if event == OPENED:
        addresses = community_addresses(site)
    elif event == COMMENTED:
        addresses = manager_addresses(site)
    else:
        addresses = author_addresses(comment) if comment is not None else []
    own = (getattr(actor, "email", "") or "").strip().casefold()
    addresses = [a for a in addresses if a.casefold() != own]
    if not addresses:
        return 0
    subject, body = _message(site, consultation, event)
    sent = send_each(subject=subject, body=body, addresses=addresses, what="Consultation notice")
    if sent:
        audit.record(
            Action.NOTIFY,
            actor=actor,
            site=site,
            obj=consultation,
            detail=f"consultation {event}: notice e-mailed to {sent}",
            # A comment's or an answer's notice would date it to the minute.
            hourly=event != OPENED,
        )
    return sent


def _message(site: Site, consultation: Consultation, event: str) -> tuple[str, str]:
    path = reverse("consultations:detail", kwargs={"slug": site.slug, "pk": consultation.pk})
    url = settings.HR_POLICE_BASE_URL.rstrip("/") + path

    def compose() -> tuple[str, str]:
        names = {"site": site.name}
        if event == OPENED:
            subject = _("Protocol open for your comments: %(site)s") % names
            first = _("%(site)s opened a version of its police protocol for your comments.") % names
        elif event == COMMENTED:
            subject = _("New community comment: %(site)s") % names
            first = (
                _("The community body commented on a protocol consultation of %(site)s.") % names
            )
        else:
            subject = _("Your comment was answered: %(site)s") % names
            first = _("The managers of %(site)s answered your comment on their protocol.") % names
        lines = [
            first,
            _("Sign in to read it: %(url)s") % {"url": url},
            "",
            _(
                "For privacy this e-mail holds nothing of the consultation itself; "
                "please do not reply to it."
            ),
        ]
        return subject, "\n".join(lines) + "\n"

    return in_both_languages(compose)
