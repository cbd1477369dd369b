"""While the database cannot be reached, people get a friendly 503 and programs a JSON 503;
when it is back, the next request works without restarting anything."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from typing import Any
from unittest import mock

import psycopg
import psycopg.errors
import pytest
from django.contrib.auth.models import User
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

from hr_police import db_unavailable
from hr_police.db_unavailable import RETRY_AFTER_SECONDS, is_database_outage, unavailable_response

FRIENDLY = "hr_police is briefly unavailable"


@pytest.fixture
def outage() -> Iterator[None]:
    """Every query fails as it does while PostgreSQL restarts."""
    error = OperationalError("terminating connection due to administrator command")
    with (
        mock.patch.object(CursorWrapper, "execute", side_effect=error),
        mock.patch.object(CursorWrapper, "executemany", side_effect=error),
    ):
        yield


@pytest.fixture
def signed_in(manager: User) -> Client:
    # The error of a middleware reaches Django's handler first; the test client would
    # re-raise it instead of returning the response the user gets.
    client = Client(raise_request_exception=False)
    client.force_login(manager)
    return client


def assert_friendly_503(response: Any) -> str:
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert FRIENDLY in body
    assert "Traceback" not in body
    assert "OperationalError" not in body
    assert "administrator command" not in body  # the error's own words stay in the log
    return body


def test_a_page_answers_503_when_the_session_lookup_fails(
    signed_in: Client, site: Any, outage: None, caplog: pytest.LogCaptureFixture
) -> None:
    # The session and the user are read by middleware, before any view runs.
    with caplog.at_level(logging.ERROR):
        response = signed_in.get(f"/sites/{site.slug}/")
    body = assert_friendly_503(response)
    assert len([r for r in caplog.records if r.levelno >= logging.ERROR]) == 1
    assert "no-store" in response["Cache-Control"]
    assert "Sign out" not in body  # nothing of the signed-in page, which needs the database


def test_the_next_request_works_when_the_database_is_back(signed_in: Client, site: Any) -> None:
    with mock.patch.object(CursorWrapper, "execute", side_effect=OperationalError("down")):
        assert signed_in.get(f"/sites/{site.slug}/").status_code == 503
    response = signed_in.get(f"/sites/{site.slug}/")
    assert response.status_code == 200
    assert site.name in response.content.decode()


def test_an_api_call_gets_json(signed_in: Client, site: Any, outage: None) -> None:
    response = signed_in.get(f"/api/v1/sites/{site.slug}")
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {"detail": "The database is unavailable; try again in a minute."}


def test_an_anonymous_sign_in_attempt_gets_the_page(db: Any, outage: None) -> None:
    client = Client(raise_request_exception=False)
    response = client.post(
        "/accounts/login/", {"username": "someone", "password": "not-the-password"}
    )
    assert_friendly_503(response)


@pytest.mark.urls("tests.hr_police.outage_urls")
@pytest.mark.parametrize("path", ["/outage/lost/", "/outage/closed/"])
def test_a_view_that_loses_its_connection_answers_503(
    client: Client, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR):
        response = client.get(path)
    assert_friendly_503(response)
    # Logged once, by this app, with the request it concerned.
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(logged) == 1
    assert "Database unavailable" in logged[0].getMessage()
    assert path in logged[0].getMessage()


@pytest.mark.urls("tests.hr_police.outage_urls")
def test_an_api_view_that_loses_its_connection_answers_json(client: Client) -> None:
    response = client.get("/api/v1/outage/")
    assert response.status_code == 503
    assert "detail" in response.json()


@pytest.mark.urls("tests.hr_police.outage_urls")
def test_other_errors_stay_500(db: Any) -> None:
    response = Client(raise_request_exception=False).get("/outage/bug/")
    assert response.status_code == 500
    assert FRIENDLY not in response.content.decode()


def test_the_page_is_drawn_without_the_database(
    rf: Any, django_assert_num_queries: Any, db: Any
) -> None:
    with django_assert_num_queries(0):
        response = unavailable_response(rf.get("/sites/"))
    body = assert_friendly_503(response)
    assert "Skip to content" in body  # the site's own layout, not the bare fallback


def test_the_page_goes_out_even_if_its_template_breaks(rf: Any) -> None:
    with mock.patch.object(db_unavailable, "render_to_string", side_effect=RuntimeError):
        response = unavailable_response(rf.get("/"))
    assert_friendly_503(response)


def test_broken_connections_are_closed_outside_transactions() -> None:
    idle = mock.Mock(in_atomic_block=False)
    in_transaction = mock.Mock(in_atomic_block=True)
    with mock.patch.object(db_unavailable, "connections") as connections:
        connections.all.return_value = [idle, in_transaction]
        db_unavailable.discard_broken_connections()
    idle.close.assert_called_once_with()
    # `atomic` closes its own connection when the rollback fails.
    in_transaction.close.assert_not_called()


def _driver_error(cause: BaseException) -> OperationalError:
    """An OperationalError as Django raises it: wrapping the driver's own error."""
    try:
        raise OperationalError(str(cause)) from cause
    except OperationalError as wrapped:
        return wrapped


@pytest.mark.parametrize(
    "cause",
    [
        psycopg.OperationalError("connection refused"),  # no SQLSTATE: never connected
        psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
        psycopg.errors.CannotConnectNow("the database system is starting up"),
        sqlite3.OperationalError("database is locked"),
    ],
)
def test_an_unreachable_database_is_an_outage(cause: BaseException) -> None:
    assert is_database_outage(_driver_error(cause))


@pytest.mark.parametrize(
    "cause",
    [
        psycopg.errors.DeadlockDetected("deadlock detected"),
        psycopg.errors.QueryCanceled("canceling statement due to statement timeout"),
        sqlite3.OperationalError("no such table: agreements_site"),  # a forgotten migration
    ],
)
def test_other_operational_errors_stay_errors_with_their_traceback(cause: BaseException) -> None:
    assert not is_database_outage(_driver_error(cause))


def test_a_deadlock_is_a_500_not_a_friendly_503(signed_in: Client, site: Any) -> None:
    error = _driver_error(psycopg.errors.DeadlockDetected("deadlock detected"))
    with mock.patch.object(CursorWrapper, "execute", side_effect=error):
        signed_in.raise_request_exception = False
        response = signed_in.get(f"/sites/{site.slug}/")
    assert response.status_code == 500


def test_an_outage_while_saving_the_session_is_a_503_not_a_lost_session(
    signed_in: Client, site: Any, caplog: pytest.LogCaptureFixture
) -> None:
    # The page is drawn, then the session (saved on every request) cannot be written:
    # Django's own backend would call that a session deleted meanwhile, a 400.
    lost = _driver_error(psycopg.OperationalError("server closed the connection unexpectedly"))
    with mock.patch("django.contrib.sessions.models.Session.save", side_effect=lost):
        signed_in.raise_request_exception = False
        with caplog.at_level(logging.ERROR):
            response = signed_in.get(f"/sites/{site.slug}/")
    assert_friendly_503(response)
    assert not [r for r in caplog.records if r.name.startswith("django.security")]
