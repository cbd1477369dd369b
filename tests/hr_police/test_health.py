"""/healthz: a liveness check that answers without the database, for anyone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import make_user


@pytest.mark.django_db
def test_it_answers_ok_in_plain_text_without_a_query(
    client: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_manager_without_the_second_factor_is_not_sent_to_set_it_up(
    client: Any, settings: Any
) -> None:
    settings.HR_POLICE_REQUIRE_2FA = True
    client.force_login(make_user("manager"))
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 302  # pages still ask for the second factor


def test_it_refuses_writes(client: Any) -> None:
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_a_load_balancer_may_probe_it_over_plain_http(client: Any, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True  # as in production
    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301  # everything else goes to HTTPS
