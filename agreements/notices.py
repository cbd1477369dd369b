"""E-mail notices: who at a site is told, in which languages, and how it is sent.

One message per address, so that no recipient learns who else was told (a liaison's
address is not shown to the site's managers, nor the reverse); a failed send is logged and
skipped, since the same news also waits on the recipient's home page. Notices go out with
no stored language for the people they reach: each holds the English text and then the
French, as is usual in Canada."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import translation

from agreements.choices import Role
from agreements.models import Membership, Site

logger = logging.getLogger(__name__)

LANGUAGES = ("en-ca", "fr-ca")


def in_both_languages(compose: Callable[[], tuple[str, str]]) -> tuple[str, str]:
    """The subject and body `compose` writes in each language, one after the other."""
    texts = []
    for language in LANGUAGES:
        with translation.override(language):
            texts.append(compose())
    subjects, bodies = zip(*texts, strict=True)
    return " / ".join(subjects), "(Le français suit.)\n\n" + "\n* * *\n\n".join(bodies)


def manager_addresses(site: Site) -> list[str]:
    """The e-mail addresses of the site's active managers, each once (one query)."""
    rows = Membership.objects.filter(
        role=Role.MANAGER, site=site, user__is_active=True
    ).values_list("user__email", flat=True)
    return unique_addresses(rows)


def unique_addresses(emails: Iterable[str | None]) -> list[str]:
    """Blank addresses dropped, and each address once whatever its case, in order."""
    seen: dict[str, str] = {}
    for email in emails:
        email = (email or "").strip()
        if email:
            seen.setdefault(email.casefold(), email)
    return list(seen.values())


def send_each(*, subject: str, body: str, addresses: Iterable[str], what: str) -> int:
    """Send the notice to each address; return how many left. `what` names the notice in
    the log line of a failure (never the address)."""
    sent = 0
    with get_connection() as connection:
        for address in addresses:
            message = EmailMessage(
                subject, body, settings.DEFAULT_FROM_EMAIL, [address], connection=connection
            )
            try:
                message.send()
            except OSError as error:  # smtplib's errors are OSErrors too
                logger.warning("%s not sent: %s", what, error)
                continue
            sent += 1
    return sent
