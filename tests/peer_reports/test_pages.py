"""The pages of peer reports: the community body files and is shown the code once; the
site's managers see the reports awaiting review on the interaction log and on their home
page, review each and move its status; police never learn that an interaction came from
a peer, nor what the reporter agreed to."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from accounts.tokens import token_create
from agreements.audit import AuditEntry
from agreements.choices import Consent, Role, Source
from agreements.models import Interaction, Membership, TokenScope
from agreements.sharing import interaction_share
from mediation.models import SharedThread
from peer_reports import codes
from peer_reports.models import Decision, FollowUpStatus, PeerReport
from peer_reports.services import peer_report_review
from tests.conftest import World
from tests.factories import SiteFactory
from tests.peer_reports.helpers import (
    FILE_URL,
    FILED_URL,
    FORM,
    NARRATIVE,
    REFUSED,
    file,
    signed_in,
)

pytestmark = pytest.mark.django_db


def review_url(report: PeerReport) -> str:
    return reverse("peer_reports:review", kwargs={"slug": "riverside", "pk": report.pk})


# --- filing ----------------------------------------------------------------------------------


def test_the_community_files_on_a_phone_sized_form_and_is_shown_the_code_once(
    world: World,
) -> None:
    client = signed_in(world.users["community"])
    form = client.get(FILE_URL)
    assert form.status_code == 200
    text = form.content.decode()
    assert re.search(r'type="radio"[^>]*name="distance_band"', text)
    assert re.search(r'type="radio"[^>]*name="consent"', text)
    assert "never counted in any figure outside the site" in text  # consent in plain words
    for asked in ('name="email"', 'name="phone"', 'name="reporter'):
        assert asked not in text
    filed = client.post(FILE_URL, FORM, follow=True)
    assert filed.redirect_chain == [(FILED_URL, 302)]
    answer = filed
    assert "no-store" in answer["Cache-Control"]
    code = re.search(r'id="follow-up-code">([a-z-]+)<', answer.content.decode())[1]  # type: ignore[index]
    assert len(code.split("-")) == 5
    report = PeerReport.objects.get()
    assert report.code_hash == codes.code_hash(code)
    local = report.occurred_at.astimezone(world.site.tz)
    assert (local.day, local.hour, local.minute) == (1, 14, 0)
    assert (report.consent, report.impact) == (Consent.MEDIATION, "clients_left")
    # No later page shows the code again.
    assert code not in client.get(FILE_URL).content.decode()
    assert code not in client.get(FILED_URL).content.decode()


def test_the_form_refuses_an_identifier_and_names_the_field(world: World) -> None:
    client = signed_in(world.users["community"])
    answer = client.post(FILE_URL, {**FORM, "narrative": REFUSED})
    assert answer.status_code == 422
    assert 'href="#id_narrative"' in answer.content.decode()
    assert not PeerReport.objects.exists()


def test_the_form_refuses_a_day_in_the_future(world: World) -> None:
    client = signed_in(world.users["community"])
    answer = client.post(FILE_URL, {**FORM, "day": "2026-06-05"})
    assert answer.status_code == 422
    assert 'href="#id_day"' in answer.content.decode()


def test_the_community_nav_offers_the_form(world: World) -> None:
    page = signed_in(world.users["community"]).get("/sites/riverside/protocol/")
    assert FILE_URL in page.content.decode()


def test_the_community_never_reads_a_report_back(world: World) -> None:
    report, _code = file(world.site, world.users["community"])
    client = signed_in(world.users["community"])
    assert client.get(review_url(report)).status_code == 403
    assert client.get("/sites/riverside/interactions/").status_code == 403


# --- the managers ----------------------------------------------------------------------------


def test_the_log_shows_the_reports_awaiting_review_in_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(world.users["manager"])
    url = "/sites/riverside/interactions/"
    assert "Peer reports awaiting review" not in client.get(url).content.decode()
    report, _code = file(world.site, world.users["community"])
    page = client.get(url).content.decode()
    assert "Peer reports awaiting review (1)" in page
    assert review_url(report) in page
    with django_assert_max_num_queries(100) as few:
        client.get(url)
    for _n in range(12):
        file(world.site, world.users["community"])
    with django_assert_max_num_queries(len(few) + 1):  # the count, past the first ten
        page = client.get(url).content.decode()
    assert "Peer reports awaiting review (13)" in page
    assert "and 3 more" in page
    # Unreviewed reports are not interactions: the log itself lists none of them.
    assert "Nothing recorded." in page


def test_the_manager_reviews_a_report_into_the_log(world: World) -> None:
    report, code = file(world.site, world.users["community"], consent=Consent.MEDIATION)
    client = signed_in(world.users["manager"])
    page = client.get(review_url(report)).content.decode()
    assert "community-riverside" in page  # who filed: the site's managers see it
    assert NARRATIVE in page
    answer = client.post(review_url(report), {
        "action": "entered", "enter-occurred_at": "2026-06-01T14:00",
        "enter-category": "stop_or_search", "enter-distance_band": "buffer",
        "enter-officers_present": "3", "enter-impact": "none", "enter-narrative": NARRATIVE,
    })  # fmt: skip
    assert answer.status_code == 302
    interaction = Interaction.objects.get()
    assert (interaction.category, interaction.officers_present) == ("stop_or_search", 3)
    assert (interaction.source, interaction.consent) == (Source.PEER_REPORTED, Consent.MEDIATION)
    report.refresh_from_db()
    assert report.status == FollowUpStatus.REVIEWED
    assert (
        "Peer reports awaiting review"
        not in client.get("/sites/riverside/interactions/").content.decode()
    )
    # Then the manager marks it resolved with a button.
    status_url = reverse("peer_reports:status", kwargs={"slug": "riverside", "pk": report.pk})
    page = client.get(review_url(report)).content.decode()
    assert 'value="raised_with_police"' in page
    assert 'value="resolved"' in page
    assert client.post(status_url, {"status-status": "resolved"}).status_code == 302
    report.refresh_from_db()
    assert report.status == FollowUpStatus.RESOLVED
    assert 'name="status-status"' not in client.get(review_url(report)).content.decode()
    assert client.post(status_url, {"status-status": "reviewed"}).status_code == 422
    assert code not in repr(list(AuditEntry.objects.values()))


def test_the_managers_narrative_meets_the_guard_on_review(world: World) -> None:
    report, _code = file(world.site, world.users["community"])
    client = signed_in(world.users["manager"])
    answer = client.post(review_url(report), {
        "action": "entered", "enter-occurred_at": "2026-06-01T14:00",
        "enter-category": "stop_or_search", "enter-distance_band": "buffer",
        "enter-officers_present": "3", "enter-impact": "none", "enter-narrative": REFUSED,
    })  # fmt: skip
    assert answer.status_code == 422
    assert not Interaction.objects.exists()


def test_the_manager_declines_with_a_reason(world: World) -> None:
    report, _code = file(world.site, world.users["community"])
    client = signed_in(world.users["manager"])
    assert client.post(review_url(report), {"action": "declined"}).status_code == 422
    declined = {"action": "declined", "decline-decline_reason": "A duplicate."}
    answer = client.post(review_url(report), declined)
    assert answer.status_code == 302
    report.refresh_from_db()
    assert (report.decision, report.status) == (Decision.DECLINED, FollowUpStatus.REVIEWED)
    assert "A duplicate." in client.get(review_url(report)).content.decode()


def test_another_sites_manager_finds_nothing(world: World) -> None:
    report, _code = file(world.site, world.users["community"])
    client = signed_in(world.users["other_manager"])
    assert client.get(review_url(report)).status_code == 404
    url = reverse("peer_reports:review", kwargs={"slug": "eastside", "pk": report.pk})
    other = signed_in(world.users["admin"])
    assert other.get(url).status_code == 404  # the report is not the other site's


def test_the_home_page_tells_managers_in_a_constant_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    manager = world.users["manager"]
    file(world.site, world.users["community"])
    file(world.site, world.users["community"])
    client = signed_in(manager)
    url = reverse("agreements:home")
    page = client.get(url).content.decode()
    assert "waiting-peer_report_review" in page
    assert "2 peer reports await your review." in page
    assert (
        "waiting-peer_report_review"
        not in signed_in(world.users["admin"]).get(url).content.decode()
    )
    # The community body is offered the form, never the reports awaiting review.
    community_home = signed_in(world.users["community"]).get(url).content.decode()
    assert "await your review" not in community_home
    assert "waiting-peer_report_review" not in community_home
    with django_assert_max_num_queries(100) as few:
        client.get(url)
    for n in range(4):
        site = SiteFactory(slug=f"more-{n}", name=f"More Site {n}", community_oversight=True)
        Membership.objects.create(user=manager, role=Role.MANAGER, site=site)
        file(site, world.users["community"])
    with django_assert_max_num_queries(len(few)):
        page = client.get(url).content.decode()
    assert page.count("waiting-peer_report_review") == 5


# --- police ----------------------------------------------------------------------------------


def test_police_never_learn_the_source_nor_the_consent(world: World) -> None:
    report, _code = file(world.site, world.users["community"], consent=Consent.MEDIATION)
    report = peer_report_review(report=report, decision=Decision.ENTERED,
                                actor=world.users["manager"])  # fmt: skip
    interaction_share(interaction=report.interaction, summary="A cruiser idled by the door.",
                      actor=world.users["manager"])  # fmt: skip
    thread = SharedThread.objects.get()
    liaison = world.users["liaison"]
    pages = [signed_in(liaison).get(url).content.decode() for url in (
        "/sites/riverside/shared/", f"/sites/riverside/shared/{thread.pk}/")]  # fmt: skip
    raw = token_create(user=liaison, name="t", scope=TokenScope.READ)[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    answers = [api.get(url).json() for url in (
        "/api/v1/sites/riverside/shared",
        f"/api/v1/sites/riverside/shared/{thread.pk}/replies")]  # fmt: skip
    for text in pages + [json.dumps(a) for a in answers]:
        for word in ("Peer report", "peer_reported", "Raised with police for mediation",
                     "mediation\"", "consent", "community-riverside", "source"):  # fmt: skip
            assert word not in text, word
    assert "A cruiser idled by the door." in pages[0]
