"""Text a database column cannot hold (a NUL character, a lone surrogate sent as JSON),
refused as a message on the field instead of a database error (PostgreSQL refuses NUL in
text; SQLite and psycopg refuse lone surrogates)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

UNSTORABLE = _("This text holds characters that cannot be stored (null or invalid Unicode).")


def storable_text(text: str) -> None:
    """A model field validator: NUL characters and lone surrogates are refused."""
    if "\x00" in text:
        raise ValidationError(UNSTORABLE, code="unstorable")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(UNSTORABLE, code="unstorable") from None
