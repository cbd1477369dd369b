"""Django's database sessions, except that an outage while saving stays an outage.

Django's database backend turns any database error while updating a session into
`UpdateError`, which the session middleware reports as "the session was deleted before
the request completed" (a 400, with a traceback in the log). When the database is
merely unreachable that is wrong on both counts: the session still exists, and the
person should get the friendly 503 (hr_police/db_unavailable.py) and try again.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError

from hr_police.db_unavailable import is_database_outage


class SessionStore(db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        try:
            super().save(must_create=must_create)
        except UpdateError as exc:
            cause = exc.__context__
            if cause is not None and is_database_outage(cause):
                raise cause from None
            raise
