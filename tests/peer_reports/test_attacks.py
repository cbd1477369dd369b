"""Peer reports, attacked (issue 19, adversarial pass): police without an account guessing
follow-up codes, a police liaison of the site looking for who reported what, a community
account reading back what it filed, another site's manager, and the hour rule.

Each test is one attempt; those that once succeeded are marked "was a leak"."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.tokens import token_create
from agreements.audit import AuditEntry
from agreements.choices import Consent
from agreements.conflicts import VERSION_FIELD
from agreements.models import Interaction, TokenScope
from agreements.services import interaction_log
from agreements.sharing import interaction_share
from peer_reports.models import Decision, FollowUpStatus, PeerReport
from peer_reports.services import (
    LOOKUP_FOUND,
    FollowUpRefused,
    follow_up_status,
    peer_report_review,
    peer_report_set_status,
)
from tests.conftest import World
from tests.peer_reports.helpers import NARRATIVE, file

pytestmark = pytest.mark.django_db

GUESSES = [f"apple river kite moss plum{'s' * n}" for n in range(12)]
SUMMARY = "Summary-9c2: officers stood at the door for an hour."


def _api(code: str, **headers: Any) -> Any:
    return Client(**headers).get(f"/api/v1/follow-up/{code}")


def _page(code: str, **headers: Any) -> Any:
    return Client(**headers).post("/follow-up/", {"code": code})


def _without_nonce(response: Any) -> str:
    return re.sub(r'(nonce|value)="[^"]+"', "", response.content.decode())


def _token_client(user: Any) -> Client:
    raw = token_create(user=user, name="api", scope=TokenScope.WRITE)[1]
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


# --- police with no account, guessing codes --------------------------------------------------


def test_was_a_leak_rotating_addresses_inside_one_ipv6_network_does_not_reset_the_limit(
    world: World,
) -> None:
    """One IPv6 subscriber holds a whole /64 (2^64 addresses): counting each address on
    its own gave a guesser unlimited tries."""
    statuses = [
        _api(guess, REMOTE_ADDR=f"2001:db8:7:9::{n + 1:x}").status_code
        for n, guess in enumerate(GUESSES[:11])
    ]
    assert statuses == [404] * 10 + [429]
    # Another subscriber (another /64) is not held back by the guesser.
    assert _api(GUESSES[0], REMOTE_ADDR="2001:db8:7:a::1").status_code == 404


def test_a_forged_forwarded_for_header_does_not_reset_the_limit(world: World) -> None:
    statuses = [
        _api(guess, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
             HTTP_X_REAL_IP=f"10.1.0.{n}", HTTP_FORWARDED=f"for=10.2.0.{n}").status_code
        for n, guess in enumerate(GUESSES[:11])
    ]  # fmt: skip
    assert statuses == [404] * 10 + [429]


def test_the_page_and_the_api_share_one_count(world: World) -> None:
    address = {"REMOTE_ADDR": "203.0.113.10"}
    for guess in GUESSES[:5]:
        assert _page(guess, **address).status_code == 200
    for guess in GUESSES[5:10]:
        assert _api(guess, **address).status_code == 404
    assert _page(GUESSES[10], **address).status_code == 429
    assert _api(GUESSES[11], **address).status_code == 429


def test_case_and_spacing_variants_of_one_guess_each_count(world: World) -> None:
    variants = ["apple river kite moss plum", "APPLE-RIVER-KITE-MOSS-PLUM",
                "apple  river kite moss plum ", "Apple_River.Kite,Moss;Plum"]  # fmt: skip
    for variant in variants * 3:
        try:
            follow_up_status(code=variant, address="203.0.113.11")
        except FollowUpRefused:
            break
    else:
        pytest.fail("twelve variants of one guess were never refused")


def test_a_refused_look_up_of_a_real_code_says_nothing_of_it(world: World) -> None:
    _report, code = file(world.site, world.users["community"])
    for guess in GUESSES[:10]:
        _api(guess, REMOTE_ADDR="203.0.113.12")
    refused_known = _api(code, REMOTE_ADDR="203.0.113.12")
    refused_unknown = _api(GUESSES[10], REMOTE_ADDR="203.0.113.12")
    assert refused_known.status_code == refused_unknown.status_code == 429
    assert refused_known.content == refused_unknown.content


def test_unknown_and_expired_codes_answer_byte_for_byte_alike(world: World) -> None:
    report, code = file(world.site, world.users["community"])
    PeerReport.objects.filter(pk=report.pk).update(code_expires_at=report.filed_at)
    expired, unknown = _api(code, REMOTE_ADDR="203.0.113.13"), _api(GUESSES[0])
    assert (expired.status_code, expired.content) == (unknown.status_code, unknown.content)
    assert sorted(expired.headers) == sorted(unknown.headers)
    pages = [_page(c, REMOTE_ADDR="203.0.113.14") for c in (code, GUESSES[0])]
    bodies = [re.sub(r'value="[^"]+"', "", p.content.decode()) for p in pages]
    assert bodies[0] == bodies[1]


def test_no_answer_echoes_the_code_and_none_can_be_cached(world: World) -> None:
    _report, code = file(world.site, world.users["community"])
    for answer in (_api(code), _api(code + "-extra"), _page(code), _page(code + " extra")):
        body = answer.content.decode()
        if answer["Content-Type"].startswith("text/html") and "Not found." in body:
            # A look-up that found nothing keeps what was typed in the field (and there
            # only), so that a typo can be corrected; the page is never stored.
            assert body.count(code) == 1
            assert f'value="{code} extra"' in body
        else:
            assert code not in body
        assert "no-store" in answer["Cache-Control"]
        assert answer["Referrer-Policy"] in ("no-referrer", "same-origin")
        for header, value in answer.items():
            assert code not in value, header


def test_the_code_is_nowhere_in_the_audit_log(world: World) -> None:
    _report, code = file(world.site, world.users["community"])
    _api(code)
    _page(code.upper())
    _api("guess-" + code)
    for entry in AuditEntry.objects.all():
        words = json.dumps([entry.detail, entry.fields, entry.object_id, entry.actor])
        for word in code.split("-"):
            assert f"{word}-" not in words
            assert f"-{word}" not in words


def test_was_a_leak_a_found_look_up_does_not_tie_the_readers_address_to_the_report(
    world: World,
) -> None:
    """The one who looks a code up is, almost always, the reporter: the site's managers
    read their site's audit log, so an address beside the report's id would tell the site
    (and whoever seizes its log) where the reporter connects from."""
    report, code = file(world.site, world.users["community"])
    _api(code, REMOTE_ADDR="198.51.100.77")
    _page(code, REMOTE_ADDR="198.51.100.78")
    found = AuditEntry.objects.filter(detail=LOOKUP_FOUND)
    assert found.count() == 2
    assert all(e.object_id == str(report.pk) and e.ip is None for e in found)
    assert not AuditEntry.objects.filter(object_type="peerreport", ip__isnull=False).exists()
    # Guesses keep their address: that is who to block.
    _api(GUESSES[0], REMOTE_ADDR="203.0.113.15")
    assert AuditEntry.objects.filter(ip="203.0.113.15", object_id="").exists()


# --- a police liaison of the site ---------------------------------------------------------------


def _entered_and_shared(world: World) -> tuple[PeerReport, Interaction]:
    report, _code = file(world.site, world.users["community"], consent=Consent.MEDIATION)
    report = peer_report_review(report=report, decision=Decision.ENTERED,
                                actor=world.users["manager"])  # fmt: skip
    assert report.interaction is not None
    interaction_share(interaction=report.interaction, summary=SUMMARY,
                      actor=world.users["manager"])  # fmt: skip
    return report, report.interaction


def test_the_liaison_reads_a_shared_peer_report_without_its_provenance(world: World) -> None:
    _report, _interaction = _entered_and_shared(world)
    liaison = _token_client(world.users["liaison"])
    listed = liaison.get("/api/v1/sites/riverside/shared")
    assert listed.status_code == 200
    [item] = listed.json()["items"]
    assert item["summary"] == SUMMARY
    session = Client()
    session.force_login(world.users["liaison"])
    page = session.get(f"/sites/riverside/shared/{item['id']}/")
    assert page.status_code == 200
    for text in (listed.content.decode(), page.content.decode()):
        for secret in ("peer", "Peer", "consent", "mediation consent", NARRATIVE,
                       "community-riverside", "source"):  # fmt: skip
            assert secret not in text.replace("peer-reports", ""), secret


def test_the_liaison_cannot_tell_a_report_exists_from_its_review_page(world: World) -> None:
    report, _code = file(world.site, world.users["community"])
    session = Client()
    session.force_login(world.users["liaison"])
    there = session.get(f"/sites/riverside/peer-reports/{report.pk}/")
    missing = session.get(f"/sites/riverside/peer-reports/{report.pk + 999}/")
    assert there.status_code == missing.status_code == 403
    assert _without_nonce(there) == _without_nonce(missing)
    posted = session.post(f"/sites/riverside/peer-reports/{report.pk}/status/",
                          {"status-status": "resolved"})  # fmt: skip
    assert posted.status_code == 403
    assert session.get("/sites/riverside/interactions/").status_code in (403, 404)


@pytest.mark.parametrize("status", [FollowUpStatus.REVIEWED, FollowUpStatus.RESOLVED])
def test_was_a_leak_raising_the_consent_on_the_interaction_does_not_let_it_reach_police(
    world: World, status: str
) -> None:
    """The reporter agreed to "counted" only, through the community body; the site never
    met them, so it cannot have asked for more. Editing the interaction's consent up to
    mediation and sharing it must not put the report before police. Was a leak once the
    report was marked resolved: the sharing hook then skipped its consent check."""
    report, _code = file(world.site, world.users["community"], consent=Consent.AGGREGATE)
    report = peer_report_review(report=report, decision=Decision.ENTERED,
                                actor=world.users["manager"])  # fmt: skip
    if status == FollowUpStatus.RESOLVED:
        report = peer_report_set_status(report=report, status=status,
                                        actor=world.users["manager"])  # fmt: skip
    interaction = Interaction.objects.get(pk=report.interaction_id)
    interaction.consent = Consent.MEDIATION
    # First defence: the interaction keeps its peer reporter's consent (agreements.models).
    with pytest.raises(ValidationError, match="keeps the consent its reporter gave"):
        interaction_log(interaction=interaction, actor=world.users["manager"])
    # Second defence, should the consent be raised anyway (a write that skips clean()):
    # the peer report's own consent still stops the share.
    Interaction.objects.filter(pk=interaction.pk).update(consent=Consent.MEDIATION)
    interaction.refresh_from_db()
    with pytest.raises(ValidationError):
        interaction_share(interaction=interaction, summary=SUMMARY, actor=world.users["manager"])
    session = Client()
    session.force_login(world.users["manager"])
    page = session.post(f"/sites/riverside/interactions/{interaction.pk}/share/",
                        {"summary": SUMMARY, VERSION_FIELD: "0"})  # fmt: skip
    assert page.status_code == 422
    assert "did not agree to raise this report with police" in page.content.decode()
    liaison = _token_client(world.users["liaison"])
    assert liaison.get("/api/v1/sites/riverside/shared").json()["items"] == []
    report.refresh_from_db()
    assert report.status == status


# --- the community body that filed ---------------------------------------------------------------


def test_the_community_body_never_reads_back_what_it_filed(world: World) -> None:
    report, _code = _entered_and_shared(world)
    session = Client()
    session.force_login(world.users["community"])
    for url in (f"/sites/riverside/peer-reports/{report.pk}/",
                f"/sites/riverside/interactions/{report.interaction_id}/",
                "/sites/riverside/interactions/"):  # fmt: skip
        answer = session.get(url)
        assert answer.status_code in (403, 404), url
        assert NARRATIVE not in answer.content.decode()
    api = _token_client(world.users["community"])
    for url in ("/api/v1/sites/riverside/interactions",
                f"/api/v1/sites/riverside/interactions/{report.interaction_id}",
                "/api/v1/sites/riverside/shared"):  # fmt: skip
        assert api.get(url).status_code in (403, 404), url


# --- a manager of another site -------------------------------------------------------------------


def test_another_sites_manager_can_neither_review_nor_move_a_report(world: World) -> None:
    report, _code = file(world.site, world.users["community"])
    session = Client()
    session.force_login(world.users["other_manager"])
    assert session.get(f"/sites/riverside/peer-reports/{report.pk}/").status_code == 404
    assert session.post(f"/sites/riverside/peer-reports/{report.pk}/",
                        {"action": "declined", "decline-decline_reason": "A duplicate."}
                        ).status_code == 404  # fmt: skip
    assert session.post(f"/sites/riverside/peer-reports/{report.pk}/status/",
                        {"status-status": "resolved"}).status_code == 404  # fmt: skip
    # Through their own site's address: the report is not theirs either.
    assert session.get(f"/sites/eastside/peer-reports/{report.pk}/").status_code == 404
    assert session.post(f"/sites/eastside/peer-reports/{report.pk}/status/",
                        {"status-status": "resolved"}).status_code == 404  # fmt: skip
    report.refresh_from_db()
    assert report.status == FollowUpStatus.RECEIVED


# --- the hour, everywhere ------------------------------------------------------------------------


def test_no_time_about_a_report_keeps_its_minutes(world: World) -> None:
    manager = world.users["manager"]
    manager.email = "manager@site.example"
    manager.save()
    report, code = file(world.site, world.users["community"], consent=Consent.MEDIATION)
    follow_up_status(code=code, address="198.51.100.5")
    report = peer_report_review(report=report, decision=Decision.ENTERED, actor=manager)
    peer_report_set_status(report=report, status=FollowUpStatus.RAISED_WITH_POLICE,
                           actor=manager)  # fmt: skip
    report.refresh_from_db()
    for moment in (report.occurred_at, report.filed_at, report.reviewed_at):
        assert moment is not None
        assert (moment.minute, moment.second, moment.microsecond) == (0, 0, 0)
    about = AuditEntry.objects.filter(object_type__in=["peerreport", "interaction"])
    assert about.count() >= 5
    for entry in about:
        assert (entry.at.minute, entry.at.second, entry.at.microsecond) == (0, 0, 0), entry.detail
    [notice] = mail.outbox
    assert NARRATIVE not in notice.body
    assert "stationed" not in notice.body.lower()
    assert ":37" not in notice.body


# --- the proxy's access log ----------------------------------------------------------------------


def test_was_a_leak_the_sample_proxy_does_not_log_the_api_look_up_path() -> None:
    """`GET /api/v1/follow-up/{code}`: the sample nginx wrote every path to its access
    log, so the code, with its answer's status, sat in the log (run against nginx in
    tests/hr_police/test_deploy_samples.py where nginx is installed)."""
    root = Path(__file__).resolve().parents[2] / "deploy"
    nginx = (root / "nginx.conf").read_text()
    loggable = re.search(r"map \$uri \$(\w+) \{([^}]*)\}", nginx)
    assert loggable is not None
    assert re.search(r'"~\^/api/v1/follow-up/"\s+0;', loggable.group(2))
    logs = re.findall(r"^\s*access_log (.*);$", nginx, re.M)
    assert logs
    assert all(f"if=${loggable.group(1)}" in line for line in logs if line != "off")
    # The other samples keep no access log at all.
    assert not re.search(r"^\s*log\b", (root / "Caddyfile").read_text(), re.M)


# --- the PII guard on what a tired union worker types, and a researcher -------------------------

STRESSED = [
    "Reach him at four one six five five five zero one nine nine, cops took his phone.",
    "Police keep going to where she stays, 212 Sherbourne, at night.",
    "His insta is jay.runs.toronto and officers filmed it.",
    "Cops took down the number: six four seven, five five five, one two three four.",
]


@pytest.mark.parametrize("text", STRESSED)
def test_the_guard_refuses_identifiers_in_a_report_and_a_decline_reason(
    world: World, text: str
) -> None:
    with pytest.raises(ValidationError):
        file(world.site, world.users["community"], narrative=text)
    report, _code = file(world.site, world.users["community"])
    with pytest.raises(ValidationError):
        peer_report_review(report=report, decision=Decision.DECLINED, reason=text,
                           actor=world.users["manager"], pii_confirmed=True)  # fmt: skip
    assert PeerReport.objects.count() == 1


def test_a_description_of_the_reporter_waits_for_confirmation(world: World) -> None:
    described = ("The woman in the wheelchair with the pink hair, the only one like her "
                 "around, got ticketed by the door.")  # fmt: skip
    with pytest.raises(ValidationError):
        file(world.site, world.users["community"], narrative=described)


def test_a_researcher_reaches_no_report(world: World) -> None:
    report, _code = file(world.site, world.users["community"])
    session = Client()
    session.force_login(world.users["researcher"])
    urls = (f"/sites/riverside/peer-reports/{report.pk}/", "/sites/riverside/peer-reports/new/")
    for url in urls:
        answer = session.get(url)
        assert answer.status_code in (403, 404), url
        assert NARRATIVE not in answer.content.decode()
