"""Two saves racing for real, on PostgreSQL: the second waits on the first's row lock,
then sees the version it moved to and is refused. SQLite serialises whole-database writes
and has no row locks, so this runs where CI runs, on PostgreSQL."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from agreements.models import EngagementEvent
from agreements.services import record_save
from agreements.versioning import EditConflict
from tests.factories import EngagementFactory, SiteFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return bool(cursor.fetchone()[0])


def test_the_second_of_two_simultaneous_saves_waits_and_is_refused() -> None:
    event = EngagementFactory(site=SiteFactory())  # both pages loaded version 1
    results: dict[str, str] = {}
    first_saved, release_first = threading.Event(), threading.Event()

    def save(summary: str, hold: bool) -> None:
        try:
            obj = EngagementEvent.objects.get(pk=event.pk)
            obj.summary = summary
            with transaction.atomic():
                record_save(instance=obj)
                if hold:  # keep the transaction, and its lock, open
                    first_saved.set()
                    release_first.wait(10)
            results[summary] = "saved"
        except EditConflict:
            results[summary] = "refused"
        finally:
            connections.close_all()

    first = threading.Thread(target=save, args=("First summary.", True))
    first.start()
    assert first_saved.wait(10)
    second = threading.Thread(target=save, args=("Second summary.", False))
    second.start()
    deadline = time.monotonic() + 10
    while not _waiting_on_a_lock():  # Bruno's save is blocked on Alice's lock
        assert time.monotonic() < deadline, "the second save never waited"
        time.sleep(0.02)
    release_first.set()
    first.join(10)
    second.join(10)

    assert results == {"First summary.": "saved", "Second summary.": "refused"}
    event.refresh_from_db()
    assert (event.summary, event.edit_version) == ("First summary.", 2)
