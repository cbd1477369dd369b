"""What a new-user trial on a phone found on the peer-report pages, each as a test: a
reload that filed twice, answers pre-filled as facts, bands without their size, the site's
own categories offered to a peer, review inputs the server ignored, a code typed without
spaces, a typo wiped after "Not found", real codes counted as guesses, the site menu
twice."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from agreements.audit import AuditEntry
from agreements.choices import Category, Consent, Impact, Source
from agreements.models import Interaction
from peer_reports import codes
from peer_reports.models import PEER_CATEGORIES, PeerReport
from peer_reports.services import (
    LOOKUP_FOUND,
    LOOKUP_NOT_FOUND,
    FollowUpRefused,
    follow_up_status,
)
from tests.conftest import World
from tests.peer_reports.helpers import FILE_URL, FILED_URL, FORM, file, signed_in

pytestmark = pytest.mark.django_db

ADDRESS = "203.0.113.40"


def review_url(report: PeerReport) -> str:
    return reverse("peer_reports:review", kwargs={"slug": "riverside", "pk": report.pk})


def shown_code(page: Any) -> str | None:
    found = re.search(r'id="follow-up-code">([a-z-]+)<', page.content.decode())
    return found[1] if found else None


# --- 1. Post/Redirect/Get ---------------------------------------------------------------------


def test_reloading_the_page_after_filing_files_nothing_and_shows_the_code_no_more(
    world: World,
) -> None:
    client = signed_in(world.users["community"])
    answer = client.post(FILE_URL, FORM)
    assert answer.status_code == 302
    assert answer["Location"] == FILED_URL
    assert "no-store" in answer["Cache-Control"]
    shown = client.get(FILED_URL)
    code = shown_code(shown)
    assert code is not None
    assert "no-store" in shown["Cache-Control"]
    assert PeerReport.objects.get().code_hash == codes.code_hash(code)
    # A reload (or the back button) files nothing and says the code was shown once.
    again = client.get(FILED_URL)
    assert again.status_code == 200
    assert shown_code(again) is None
    assert code not in again.content.decode()
    assert "The code was shown once" in again.content.decode()
    assert PeerReport.objects.count() == 1
    # The code crossed the redirect in no session, no audit entry: nowhere in the database.
    sessions = [json.dumps(s.get_decoded()) for s in Session.objects.all()]
    assert all(code not in data for data in sessions)
    assert code not in repr(list(AuditEntry.objects.values()))


def test_the_filed_page_shows_only_a_code_the_site_signed_for_the_account(
    world: World,
) -> None:
    union = signed_in(world.users["community"])
    union.post(FILE_URL, FORM)
    cookie = union.cookies["hr_police_peer_code"]
    assert cookie["httponly"]
    assert cookie["path"] == FILED_URL
    assert cookie["samesite"] == "Strict"
    assert shown_code(union.get(FILED_URL)) is not None
    # A cookie made up on the device (not signed by the site, for this account) shows nothing.
    forged = signed_in(world.users["community"])
    forged.cookies["hr_police_peer_code"] = "maple-otter-lantern-brisk-harbor"
    assert shown_code(forged.get(FILED_URL)) is None


# --- 2. Nothing pre-filled as a fact ----------------------------------------------------------


def test_the_form_starts_with_no_answer_the_reporter_did_not_give(world: World) -> None:
    page = signed_in(world.users["community"]).get(FILE_URL).content.decode()
    assert not re.search(r'name="consent"[^>]*checked', page)
    assert re.search(r'<option value="" selected>Choose the hour</option>', page)
    assert not re.search(r'<option value="0" selected', page)
    officers = re.search(r'<input[^>]*name="officers_present"[^>]*>', page)[0]  # type: ignore[index]
    assert "value=" not in officers
    assert re.search(r'name="impact" value=""[^>]*checked', page)  # "Not sure"
    assert not re.search(r'name="impact" value="none"[^>]*checked', page)
    assert "Not sure" in page


def test_a_skipped_consent_or_hour_is_refused_and_the_error_names_the_field(
    world: World,
) -> None:
    client = signed_in(world.users["community"])
    answer = client.post(FILE_URL, {**FORM, "consent": "", "hour": ""})
    assert answer.status_code == 422
    text = answer.content.decode()
    assert "What the reporter agreed to</a>: Ask the reporter what they agree to" in text
    assert "Hour it happened</a>: Choose the hour it happened" in text
    assert not PeerReport.objects.exists()


def test_not_sure_is_recorded_as_not_sure_and_the_log_gets_the_honest_minimum(
    world: World,
) -> None:
    client = signed_in(world.users["community"])
    answer = client.post(FILE_URL, {**FORM, "officers_present": "", "impact": ""})
    assert answer.status_code == 302
    report = PeerReport.objects.get()
    assert (report.officers_present, report.impact) == (None, "")
    manager = signed_in(world.users["manager"])
    page = manager.get(review_url(report)).content.decode()
    assert page.count('<dd class="col-sm-7">Not sure</dd>') == 2
    assert "Where the reporter was not sure" in page
    assert manager.post(review_url(report), {"action": "entered"} | {
        f"enter-{name}": value for name, value in (
            ("occurred_at", "2026-06-01T14:00"), ("category", "stationed_in_buffer"),
            ("distance_band", "entrance"), ("officers_present", "1"), ("impact", "none"))
    }).status_code == 302  # fmt: skip
    interaction = Interaction.objects.get()
    assert (interaction.officers_present, interaction.impact) == (1, Impact.NONE)


# --- 3. The buffer's size ---------------------------------------------------------------------


def test_the_distance_bands_say_how_big_the_sites_buffer_is(world: World) -> None:
    world.site.buffer_metres = 150
    world.site.save()
    page = signed_in(world.users["community"]).get(FILE_URL).content.decode()
    assert "Inside the agreed buffer (within 150 m)" in page
    assert "Beyond the buffer (more than 150 m)" in page
    french = Client(HTTP_ACCEPT_LANGUAGE="fr-CA")
    french.force_login(world.users["community"])
    assert "Dans le périmètre convenu (à moins de 150 m)" in french.get(FILE_URL).content.decode()


# --- 4. Police conduct a peer can report ------------------------------------------------------


SITES_OWN = ("information_request", "called_by_staff", "exception_entry",
             "liaison_mediation", "referral_to_site", "alert_shared")  # fmt: skip


def test_a_peer_is_offered_police_conduct_only_not_the_sites_own_categories(
    world: World,
) -> None:
    assert {value for value, _label in PEER_CATEGORIES}.isdisjoint(SITES_OWN)
    page = signed_in(world.users["community"]).get(FILE_URL).content.decode()
    for category in SITES_OWN:
        assert f'value="{category}"' not in page, category
    for category in ("uninvited_entry", "stop_or_search", "supplies_confiscated", "other"):
        assert f'value="{category}"' in page, category
    client = signed_in(world.users["community"])
    answer = client.post(FILE_URL, {**FORM, "category": Category.LIAISON_MEDIATION})
    assert answer.status_code == 422
    assert not PeerReport.objects.exists()


# --- 5. The review shows what the server sets, as text ----------------------------------------


def test_the_review_shows_source_and_consent_as_text_and_ignores_a_posted_consent(
    world: World,
) -> None:
    report, _code = file(world.site, world.users["community"], consent=Consent.MEDIATION)
    client = signed_in(world.users["manager"])
    page = client.get(review_url(report)).content.decode()
    for name in ("enter-source", "enter-consent"):
        assert f'name="{name}"' not in page, name
    fixed = re.search(r'<dl class="row small mb-3" id="fixed-fields">(.*?)</dl>', page, re.S)[1]  # type: ignore[index]
    assert "Who told the site" in fixed
    assert "Peer report" in fixed
    assert "Raised with police" in fixed
    answer = client.post(review_url(report), {
        "action": "entered", "enter-occurred_at": "2026-06-01T14:00",
        "enter-category": "stop_or_search", "enter-distance_band": "buffer",
        "enter-officers_present": "3", "enter-impact": "none",
        "enter-consent": Consent.SITE_ONLY, "enter-source": Source.STAFF,
    })  # fmt: skip
    assert answer.status_code == 302
    interaction = Interaction.objects.get()
    assert (interaction.source, interaction.consent) == (Source.PEER_REPORTED, Consent.MEDIATION)


# --- 6. The follow-up page --------------------------------------------------------------------


def test_a_code_typed_without_spaces_is_found(world: World, monkeypatch: Any) -> None:
    monkeypatch.setattr(codes, "new_code", lambda: "primary-final-word-wiggle-local")
    file(world.site, world.users["community"])
    page = Client(REMOTE_ADDR=ADDRESS).post("/follow-up/", {"code": "PrimaryFinalWordWiggleLocal"})
    assert 'data-status="received"' in page.content.decode()
    assert codes.normalise("primaryfinal word-wiggle local") == "primary-final-word-wiggle-local"


def test_letters_that_split_more_than_one_way_are_looked_up_as_typed(monkeypatch: Any) -> None:
    vocabulary = ("abc", "def", "abcd", "ef", "xyz", "uvw")
    monkeypatch.setattr(codes, "words", lambda: vocabulary)
    # "abcdef" reads "abc def" or "abcd ef": no guessing which, the letters stay as typed.
    assert codes.normalise("abcdefxyzxyzxyz") == "abcdefxyzxyzxyz"
    assert codes.normalise("abcxyz uvwxyzuvw") == "abc-xyz-uvw-xyz-uvw"
    assert codes.normalise("nothingfits") == "nothingfits"


def test_after_not_found_the_typed_code_stays_in_the_field(world: World) -> None:
    typed = "maple otter lantern brisk harbour"
    page = Client(REMOTE_ADDR=ADDRESS).post("/follow-up/", {"code": typed}).content.decode()
    assert "Not found." in page
    assert f'value="{typed}"' in page


def test_the_status_is_one_french_sentence_with_a_no_break_space(world: World) -> None:
    _report, code = file(world.site, world.users["community"])
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_ACCEPT_LANGUAGE="fr-CA")
    text = client.post("/follow-up/", {"code": code}).content.decode()
    assert "Statut\u00a0: Reçu</h2>" in text
    assert "Statut:" not in text


# --- 7. The limit counts guesses only ---------------------------------------------------------


def test_a_desk_checking_many_real_codes_is_never_stopped(world: World) -> None:
    held = [file(world.site, world.users["community"])[1] for _n in range(4)]
    for _round in range(4):  # sixteen look-ups that find a report, from one address
        for code in held:
            assert follow_up_status(code=code, address=ADDRESS) == "received"
    found = AuditEntry.objects.filter(detail=LOOKUP_FOUND)
    assert found.count() == 16
    assert set(found.values_list("ip", flat=True)) == {None}


def test_guesses_still_meet_the_limit_between_real_codes(world: World) -> None:
    _report, code = file(world.site, world.users["community"])
    guesses = [f"apple river kite moss plum{'s' * n}" for n in range(11)]
    for guess in guesses[:10]:
        assert follow_up_status(code=code, address=ADDRESS) == "received"
        assert follow_up_status(code=guess, address=ADDRESS) is None
    with pytest.raises(FollowUpRefused):
        follow_up_status(code=guesses[10], address=ADDRESS)
    with pytest.raises(FollowUpRefused):
        follow_up_status(code=code, address=ADDRESS)
    assert AuditEntry.objects.filter(detail=LOOKUP_NOT_FOUND, ip=ADDRESS).count() == 10


def test_an_ipv6_subscriber_counts_its_guesses_as_one_address(world: World) -> None:
    for n in range(10):
        assert follow_up_status(code=f"apple river kite moss {n}", address=f"2001:db8::{n}") is None
    with pytest.raises(FollowUpRefused):
        follow_up_status(code="apple river kite moss plum", address="2001:db8::ffff")


# --- 8 and 9. The filed page ------------------------------------------------------------------


def test_the_filed_page_offers_a_copy_button_with_a_live_region(world: World) -> None:
    client = signed_in(world.users["community"])
    client.post(FILE_URL, FORM)
    page = client.get(FILED_URL).content.decode()
    button = re.search(r"<button[^>]*data-copy=\"follow-up-code\"[^>]*>", page)[0]  # type: ignore[index]
    assert " hidden" in button  # without JavaScript, the words stay selectable text
    assert 'data-copied="Copied"' in button
    assert re.search(r'id="copy-status" role="status" aria-live="polite"', page)
    assert "user-select-all" in page


@pytest.mark.parametrize("url", [FILE_URL, FILED_URL])
def test_the_community_menu_appears_once(world: World, url: str) -> None:
    page = signed_in(world.users["community"]).get(url).content.decode()
    assert page.count('aria-label="For community oversight"') == 1
