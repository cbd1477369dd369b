"""Sending one short notice to several addresses, each its own message.

One message per address, so that no recipient learns who else was told (a liaison's
address is not shown to the site's managers, nor the reverse); a failed send is logged and
skipped, since the same news also waits on the recipient's home page."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection

logger = logging.getLogger(__name__)


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
