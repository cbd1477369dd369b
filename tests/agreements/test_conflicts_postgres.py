"""Two saves racing for real, on PostgreSQL: the second waits on the first's lock, then
sees its change and is refused. SQLite serialises whole-database writes and has no row
locks, so this runs where CI runs, on PostgreSQL."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, connections
from django.test import RequestFactory

from agreements.conflicts import EditGuard, Refused, form_watch
from agreements.forms import EngagementForm
from agreements.models import EngagementEvent
from tests.factories import EngagementFactory, SiteFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]
WATCH = form_watch(EngagementForm)


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return bool(cursor.fetchone()[0])


def test_the_second_of_two_simultaneous_saves_waits_and_is_refused() -> None:
    event = EngagementFactory(site=SiteFactory())
    opened = EditGuard.token_for(event, WATCH, shown=WATCH.names)  # both opened the same page
    results: dict[str, str] = {}
    first_saved, release_first = threading.Event(), threading.Event()

    def save(summary: str, hold: bool) -> None:
        try:
            request = RequestFactory().post(
                "/", {"loaded_as": opened.token, "loaded_shown": opened.shown}
            )
            obj = EngagementEvent.objects.get(pk=event.pk)
            guard = EditGuard.for_record(request, obj, WATCH)

            def write() -> Any:
                obj.summary = summary
                obj.save()
                if hold:  # keep the transaction, and its locks, open
                    first_saved.set()
                    release_first.wait(10)

            guard.run(write)
            results[summary] = "saved"
        except Refused:
            results[summary] = "refused"
        finally:
            connections.close_all()

    first = threading.Thread(target=save, args=("Alice's", True))
    first.start()
    assert first_saved.wait(10)
    second = threading.Thread(target=save, args=("Bruno's", False))
    second.start()
    deadline = time.monotonic() + 10
    while not _waiting_on_a_lock():  # Bruno's save is blocked on Alice's lock
        assert time.monotonic() < deadline, "the second save never waited"
        time.sleep(0.02)
    release_first.set()
    first.join(10)
    second.join(10)

    assert results == {"Alice's": "saved", "Bruno's": "refused"}
    event.refresh_from_db()
    assert event.summary == "Alice's"
