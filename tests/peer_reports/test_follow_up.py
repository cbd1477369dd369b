"""The follow-up look-up, attacked: someone guessing codes from one address, someone
holding an expired code, someone reading the answer for anything beyond the status.
The page (/follow-up/) and the API (/api/v1/follow-up/{code}) answer alike."""

from __future__ import annotations

import re
import socket
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import caches
from django.test import Client, override_settings

from agreements.audit import Action, AuditEntry
from agreements.choices import Consent
from peer_reports.models import CODE_DAYS, Decision
from peer_reports.services import (
    LOOKUP_FOUND,
    LOOKUP_NOT_FOUND,
    LOOKUP_REFUSED,
    FollowUpRefused,
    follow_up_status,
    peer_report_review,
)
from tests.conftest import World
from tests.peer_reports.conftest import NOW
from tests.peer_reports.helpers import NARRATIVE, file

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
SOMEONE_ELSE = "198.51.100.4"
GUESSES = [f"apple river kite moss plum{'s' * n}" for n in range(12)]


def lookups() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(detail__startswith="follow-up code").order_by("id"))


def _api(code: str, address: str = ATTACKER) -> Any:
    return Client(REMOTE_ADDR=address).get(f"/api/v1/follow-up/{code}")


def _page(code: str, address: str = ATTACKER) -> Any:
    return Client(REMOTE_ADDR=address).post("/follow-up/", {"code": code})


# --- the service -----------------------------------------------------------------------------


def test_a_code_shows_its_status_typed_any_way_and_the_look_up_is_audited(world: World) -> None:
    report, code = file(world.site, world.users["community"])
    typed = "  " + code.upper().replace("-", "  ") + " "
    assert follow_up_status(code=typed, address=SOMEONE_ELSE) == "received"
    [entry] = lookups()
    # No address beside the report: whoever holds the code is, almost always, the reporter.
    assert (entry.action, entry.detail, entry.ip) == (Action.VIEW, LOOKUP_FOUND, None)
    assert (entry.object_type, entry.object_id, entry.site) == ("peerreport", str(report.pk),
                                                                "riverside")  # fmt: skip
    assert entry.actor == ""
    assert entry.actor_id is None
    assert (entry.at.minute, entry.at.second, entry.at.microsecond) == (0, 0, 0)
    assert code not in entry.detail


def test_guessing_from_one_address_hits_the_limit_and_each_guess_is_audited(
    world: World,
) -> None:
    _report, code = file(world.site, world.users["community"])
    for guess in GUESSES[:10]:
        assert follow_up_status(code=guess, address=ATTACKER) is None
    with pytest.raises(FollowUpRefused) as refused:
        follow_up_status(code=GUESSES[10], address=ATTACKER)
    assert 0 < refused.value.retry_after <= 3600
    # Past the limit even the right code is refused from that address…
    with pytest.raises(FollowUpRefused):
        follow_up_status(code=code, address=ATTACKER)
    # …while the reporter, elsewhere, reads their status.
    assert follow_up_status(code=code, address=SOMEONE_ELSE) == "received"
    entries = lookups()
    assert [(e.detail, e.ip) for e in entries] == (
        [(LOOKUP_NOT_FOUND, ATTACKER)] * 10
        + [(LOOKUP_REFUSED, ATTACKER)] * 2
        + [(LOOKUP_FOUND, None)]
    )
    assert all((e.at.minute, e.at.second) == (0, 0) for e in entries)
    # The guesses themselves are not written anywhere.
    assert not any(guess in repr(e.__dict__) for e in entries for guess in GUESSES)


def test_the_limit_starts_again_the_next_hour(world: World) -> None:
    for guess in GUESSES[:10]:
        follow_up_status(code=guess, address=ATTACKER)
    with pytest.raises(FollowUpRefused):
        follow_up_status(code=GUESSES[10], address=ATTACKER)
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        assert follow_up_status(code=GUESSES[11], address=ATTACKER) is None


def test_an_expired_code_answers_like_an_unknown_one(world: World) -> None:
    _report, code = file(world.site, world.users["community"])
    later = NOW + timedelta(days=CODE_DAYS, hours=1)
    with time_machine.travel(later, tick=False):
        expired = (follow_up_status(code=code, address=SOMEONE_ELSE), _api(code, SOMEONE_ELSE),
                   _page(code, SOMEONE_ELSE))  # fmt: skip
        unknown = (follow_up_status(code=GUESSES[0], address=SOMEONE_ELSE),
                   _api(GUESSES[0], SOMEONE_ELSE), _page(GUESSES[0], SOMEONE_ELSE))  # fmt: skip
    assert expired[0] is None
    assert unknown[0] is None
    assert (expired[1].status_code, expired[1].json()) == (unknown[1].status_code,
                                                           unknown[1].json())  # fmt: skip
    assert expired[1].status_code == 404
    # Alike but for what was typed, kept in the field so that a typo can be corrected.
    typed = re.compile(r'value="[^"]*" autocomplete')
    assert typed.sub("", _without_csrf(expired[2])) == typed.sub("", _without_csrf(unknown[2]))
    assert [e.detail for e in lookups()] == [LOOKUP_NOT_FOUND] * 6
    assert all(e.object_id == "" and e.site == "" for e in lookups())


def _without_csrf(response: Any) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


# --- the API and the page ----------------------------------------------------------------------


def test_the_api_answers_the_status_and_nothing_else_without_sign_in(world: World) -> None:
    report, code = file(world.site, world.users["community"], consent=Consent.MEDIATION)
    answer = _api(code)
    assert answer.status_code == 200
    assert answer.json() == {"status": "received"}
    assert "no-store" in answer["Cache-Control"]
    peer_report_review(report=report, decision=Decision.ENTERED, actor=world.users["manager"])
    assert _api(code.replace("-", " ").title()).json() == {"status": "reviewed"}
    assert _api("not a code").json() == {"detail": "Not found."}


def test_the_api_refuses_guessing_past_the_limit(world: World) -> None:
    answers = [_api(guess) for guess in GUESSES[:11]]
    assert [a.status_code for a in answers] == [404] * 10 + [429]
    assert answers[-1].json() == {"detail": "Too many requests: slow down."}
    assert 0 < int(answers[-1]["Retry-After"]) <= 3600
    assert len(lookups()) == 11


def test_the_api_ignores_a_bad_token_on_the_follow_up(world: World) -> None:
    _report, code = file(world.site, world.users["community"])
    answer = Client(HTTP_AUTHORIZATION="Bearer hrp_wrong").get(f"/api/v1/follow-up/{code}")
    assert answer.json() == {"status": "received"}


def test_the_page_shows_the_status_in_both_languages_and_nothing_of_the_report(
    world: World,
) -> None:
    _report, code = file(world.site, world.users["community"])
    page = _page(code)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-status="received"' in text
    assert "Status: Received<" in text
    assert 'lang="fr-ca"' in text
    assert "Reçu" in text
    for secret in (world.site.name, world.site.slug, NARRATIVE, "stationed", "Officers",
                   "2026", "entrance", "community-riverside", code):  # fmt: skip
        assert secret not in text, secret
    assert "no-store" in page["Cache-Control"]


def test_the_page_in_french_says_the_status_in_french_then_english(world: World) -> None:
    _report, code = file(world.site, world.users["community"])
    client = Client(REMOTE_ADDR=ATTACKER, HTTP_ACCEPT_LANGUAGE="fr-CA")
    text = client.post("/follow-up/", {"code": code}).content.decode()
    assert 'data-status="received"' in text
    # One translated sentence, with the no-break space French puts before a colon.
    assert "Statut\u00a0: Reçu<" in text
    assert 'lang="en-ca"' in text
    assert "Received" in text


def test_the_page_says_not_found_and_then_too_many(world: World) -> None:
    answers = [_page(guess) for guess in GUESSES[:11]]
    assert [a.status_code for a in answers] == [200] * 10 + [429]
    assert "Not found." in answers[0].content.decode()
    assert "Too many tries" in answers[-1].content.decode()
    assert answers[-1]["Retry-After"]


def test_anyone_signed_in_reads_the_same_page(world: World) -> None:
    _report, code = file(world.site, world.users["community"])
    client = Client(REMOTE_ADDR=SOMEONE_ELSE)
    client.force_login(world.users["liaison"])
    assert 'data-status="received"' in client.post("/follow-up/", {"code": code}).content.decode()


# --- two app servers ---------------------------------------------------------------------------


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                     "LOCATION": "redis://127.0.0.1:6379/15",
                     "KEY_PREFIX": "peer-reports-test"}}  # fmt: skip


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_guesses_counted_on_one_server_count_on_the_other(world: World) -> None:
    from django.core.cache.backends.redis import RedisCache

    with override_settings(CACHES=REDIS):
        caches["default"].clear()
        try:
            for guess in GUESSES[:10]:
                follow_up_status(code=guess, address=ATTACKER)  # "server A"
            server_b = RedisCache("redis://127.0.0.1:6379/15", {"KEY_PREFIX": "peer-reports-test"})
            window = int(NOW.timestamp() // 3600)
            assert server_b.get(f"follow-up-rate:{ATTACKER}:{window}") == 10
            with pytest.raises(FollowUpRefused):
                follow_up_status(code=GUESSES[10], address=ATTACKER)
        finally:
            caches["default"].clear()
