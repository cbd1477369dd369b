"""E-mail to the other side of a mediation thread when something new is in it.

E-mail is not a safe channel: it is forwarded, kept in shared mailboxes and read on
phones far from the site. A notice therefore holds the site's name and a link, and
nothing else: never the shared summary, a reply, the outcome, the category or the day.
The reader signs in to read the thread, where the page's own scoping applies.

Notices are sent inside the writing service's transaction, after its write, one message
per recipient (no one sees the others' addresses); a message that cannot be sent is
logged and does not undo the reply. Each notice sent is one audit entry (how many
people, never their addresses), kept to the hour like every entry about the thread.
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from agreements import audit
from agreements.audit import Action
from agreements.models import Site
from agreements.notices import (
    in_both_languages,
    manager_addresses,
    send_each,
    unique_addresses,
)
from agreements.types import Actor
from liaisons.models import LiaisonOfficer
from mediation import rules
from mediation.models import SharedThread


def recipients(site: Site, side: str) -> list[str]:
    """The addresses of `side` at the site: its managers, or the liaison officers with an
    active assignment there and an account (only where the site accepts police
    accounts: elsewhere no officer can sign in to read the thread). Two queries at most."""
    if side == rules.SITE:
        return manager_addresses(site)
    if not site.police_accounts:
        return []
    today = site.today()
    # One filter() call: every condition on the same assignment row.
    officers = LiaisonOfficer.objects.filter(
        Q(assignments__end__isnull=True) | Q(assignments__end__gte=today),
        active=True,
        user__isnull=False,
        user__is_active=True,
        assignments__site=site,
        assignments__start__lte=today,
    )
    # The address of the account that signs in, else the officer's work address.
    return unique_addresses(
        user_email or officer_email
        for user_email, officer_email in officers.values_list("user__email", "email")
    )


def notify_side(*, thread: SharedThread, site: Site, side: str, actor: Actor, event: str) -> int:
    """E-mail `side` of the thread's site that something new is in it; returns how many
    messages left. `event` names what happened for the audit entry ("reply", "status")."""
    own = (getattr(actor, "email", "") or "").strip().casefold()
    addresses = [a for a in recipients(site, side) if a.casefold() != own]
    if not addresses:
        return 0
    subject, body = _message(site, thread)
    sent = send_each(subject=subject, body=body, addresses=addresses, what="Mediation notice")
    if sent:
        audit.record(Action.NOTIFY, actor=actor, site=site, obj=thread,
                     detail=f"{event} notice e-mailed to {sent} ({side} side)")  # fmt: skip
    return sent


def _message(site: Site, thread: SharedThread) -> tuple[str, str]:
    path = reverse("mediation:thread", kwargs={"slug": site.slug, "pk": thread.pk})
    url = settings.HR_POLICE_BASE_URL.rstrip("/") + path

    def compose() -> tuple[str, str]:
        subject = _("Mediation thread updated: %(site)s") % {"site": site.name}
        lines = [
            _("There is something new in a mediation thread of %(site)s.") % {"site": site.name},
            _("Sign in to read it: %(url)s") % {"url": url},
            "",
            _(
                "For privacy this e-mail holds nothing of the thread itself; "
                "please do not reply to it."
            ),
        ]
        return subject, "\n".join(lines) + "\n"

    return in_both_languages(compose)
