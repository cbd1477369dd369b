"""Signing a protocol version in its own step, withdrawing one that has not taken effect,
and a status that reads where a version stands (issue 17, item 2)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation

from agreements.audit import AuditEntry
from agreements.choices import Role
from agreements.models import Protocol, Site
from agreements.protocol_rules import ShownStatus, shown_status
from agreements.services import protocol_sign, protocol_withdraw, signing_effects
from liaisons.models import Acknowledgement
from liaisons.services import protocol_acknowledge
from tests.api.test_sites_api import URLS, Caller
from tests.conftest import World, make_user
from tests.factories import (
    AcknowledgementFactory,
    AssignmentFactory,
    ClauseFactory,
    OfficerFactory,
    ProtocolFactory,
    SignedProtocolFactory,
)
from tests.page_forms import opened, page_form

ALL_TOPICS = (
    "entry_during_hours", "proximity_buffer", "entry_exceptions", "notification",
    "conflict_resolution", "plainclothes", "information_sharing",
)  # fmt: skip


def url(name: str, site: Site, **kwargs: Any) -> str:
    return reverse(f"agreements:{name}", kwargs={"slug": site.slug, **kwargs})


def days(n: int, site: Site) -> date:
    return site.today() + timedelta(days=n)


@pytest.fixture
def in_force(site: Site) -> Protocol:
    v1 = SignedProtocolFactory(site=site, version=1, effective_from=date(2024, 3, 1))
    ClauseFactory(protocol=v1, topic="entry_during_hours", text="No entry while open.")
    return v1


@pytest.fixture
def draft(site: Site, in_force: Protocol) -> Protocol:
    v2 = ProtocolFactory(site=site, version=2, created_on=date(2026, 1, 10))
    ClauseFactory(protocol=v2, topic="entry_during_hours", text="No entry while open, ever.")
    ClauseFactory(protocol=v2, topic="notification", text="Tell the site within a day.")
    return v2


@pytest.fixture
def upcoming(site: Site, draft: Protocol) -> Protocol:
    """v2 signed to take effect in ten days: v1 stays in force until then."""
    return protocol_sign(protocol=draft, signed_on=site.today(), effective_from=days(10, site),
                         missing_acknowledged=True)  # fmt: skip


@pytest.fixture
def officer_client(site: Site) -> tuple[Client, Any]:
    user = make_user(Role.LIAISON)
    officer = OfficerFactory(user=user)
    AssignmentFactory(site=site, officer=officer)
    browser = Client()
    browser.force_login(user)
    return browser, officer


# --- the status as it reads (a pure rule) -------------------------------------------------


class V:
    def __init__(self, status: str, effective_from: date | None = None,
                 ended_on: date | None = None, version: int = 1) -> None:  # fmt: skip
        self.status, self.version = status, version
        self.effective_from, self.ended_on = effective_from, ended_on


TODAY = date(2026, 12, 5)


@pytest.mark.parametrize(
    ("version", "shown"),
    [
        (V("draft"), ShownStatus("draft")),
        (V("negotiating", date(2027, 1, 1)), ShownStatus("negotiating")),
        (V("signed", date(2026, 1, 1)), ShownStatus("in_force")),
        (V("signed", TODAY), ShownStatus("in_force")),
        (V("signed", date(2027, 1, 1)), ShownStatus("upcoming", date(2027, 1, 1))),
        # Ended by a successor that takes effect later: still the version in force.
        (V("ended", date(2026, 1, 1), date(2027, 1, 1)), ShownStatus("in_force", date(2027, 1, 1))),
        (V("ended", date(2026, 1, 1), TODAY), ShownStatus("ended", TODAY)),
        (V("ended", date(2025, 1, 1), date(2026, 1, 1)), ShownStatus("ended", date(2026, 1, 1))),
        # Signed, then superseded before it ever took effect: still to come, for now.
        (V("ended", date(2027, 1, 1), date(2027, 2, 1)), ShownStatus("upcoming", date(2027, 1, 1))),
    ],
)
def test_the_status_reads_where_the_version_stands(version: V, shown: ShownStatus) -> None:
    assert shown_status(version, TODAY) == shown


@translation.override("en-ca")
def test_the_version_in_force_never_reads_ended() -> None:
    ending = V("ended", date(2026, 1, 1), date(2027, 1, 1))
    assert shown_status(ending, TODAY).label == "In force until 2027-01-01"
    assert shown_status(ending, TODAY).english == "in force until 2027-01-01"
    upcoming = V("signed", date(2027, 1, 1))
    assert shown_status(upcoming, TODAY).label == "Signed — takes effect on 2027-01-01"
    assert shown_status(V("ended", date(2025, 1, 1), TODAY), TODAY).label == "Ended on 2026-12-05"


# --- signing ---------------------------------------------------------------------------------


def test_signing_ends_the_version_in_force_from_the_new_first_day_not_today(
    site: Site, in_force: Protocol, upcoming: Protocol
) -> None:
    in_force.refresh_from_db()
    assert (upcoming.status, in_force.status, in_force.ended_on) == (
        "signed", "ended", days(10, site),
    )  # fmt: skip
    assert shown_status(in_force, site.today()).kind == "in_force"
    assert shown_status(upcoming, site.today()).kind == "upcoming"
    entry = AuditEntry.objects.get(object_id=str(upcoming.pk), action="update")
    assert "signed version 2" in entry.detail
    assert "entry_exceptions" in entry.detail  # signed without it, and the log says so


def test_signing_with_a_missing_topic_needs_the_warning_acknowledged(
    site: Site, draft: Protocol
) -> None:
    with pytest.raises(ValidationError) as refused:
        protocol_sign(protocol=draft, signed_on=site.today(), effective_from=days(3, site))
    assert "missing_acknowledged" in refused.value.message_dict
    draft.refresh_from_db()
    assert (draft.status, draft.signed_on) == ("draft", None)


def test_a_complete_version_signs_without_a_warning(site: Site) -> None:
    complete = ProtocolFactory(site=site, version=1, created_on=date(2026, 1, 1))
    for topic in ALL_TOPICS:
        ClauseFactory(protocol=complete, topic=topic, text="Agreed wording.")
    protocol_sign(protocol=complete, signed_on=site.today(), effective_from=site.today())
    assert complete.status == "signed"
    assert signing_effects(complete, None).missing_topics == []


def test_signing_twice_is_refused(site: Site, upcoming: Protocol) -> None:
    with pytest.raises(ValidationError, match="already signed"):
        protocol_sign(protocol=upcoming, signed_on=site.today(), effective_from=days(20, site),
                      missing_acknowledged=True)  # fmt: skip


def test_the_sign_page_warns_of_missing_topics_and_says_what_it_ends(
    manager_client: Any, site: Site, draft: Protocol, in_force: Protocol
) -> None:
    ProtocolFactory(site=site, version=3, created_on=date(2026, 1, 10))  # another draft
    page = manager_client.get(url("protocols_sign", site, pk=draft.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert "This version leaves out 5 of the seven topics" in html
    assert "When entry is allowed" in html
    assert "Version 1 stays in force until this one takes effect" in html
    assert "What police will see" in html
    assert "Tell the site within a day." in html
    assert "Version 3" not in html  # the other draft is not what police see
    # Without the box ticked, nothing is signed and the page says why.
    form = page_form(html)
    answer = manager_client.post(
        url("protocols_sign", site, pk=draft.pk),
        {**form, "signed_on": str(site.today()), "effective_from": str(days(5, site))},
    )
    assert answer.status_code == 422
    assert "confirm that you sign it without them" in answer.content.decode()
    assert f"stops being in force from {days(5, site)}" in answer.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_draft_page_leads_to_signing_and_comparing(
    manager_client: Any, site: Site, draft: Protocol
) -> None:
    html = manager_client.get(url("protocols_detail", site, pk=draft.pk)).content.decode()
    assert url("protocols_sign", site, pk=draft.pk) in html
    assert url("protocols_compare", site) in html
    listing = manager_client.get(url("protocols_list", site)).content.decode()
    assert url("protocols_compare", site) in listing


def test_managers_compare_drafts_too(manager_client: Any, site: Site, draft: Protocol) -> None:
    page = manager_client.get(url("protocols_compare", site), {"a": 1, "b": 2})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Version 1 beside version 2" in html  # v2 is a draft
    assert "Site told after any entry" in html  # the topic only the draft covers


# --- withdrawing -----------------------------------------------------------------------------


def test_withdrawing_puts_the_old_version_back_in_force_and_drops_acknowledgements(
    site: Site, in_force: Protocol, upcoming: Protocol
) -> None:
    ack = AcknowledgementFactory(protocol=upcoming)
    protocol_withdraw(protocol=upcoming, reason="The police board has not ratified it.")
    upcoming.refresh_from_db()
    in_force.refresh_from_db()
    assert (upcoming.status, upcoming.signed_on) == ("negotiating", None)
    assert upcoming.effective_from == days(10, site)  # the planned day is kept
    assert (in_force.status, in_force.ended_on) == ("signed", None)
    assert not Acknowledgement.objects.filter(pk=ack.pk).exists()
    entry = AuditEntry.objects.filter(object_id=str(upcoming.pk)).latest("id")
    assert "not ratified" in entry.detail
    assert AuditEntry.objects.filter(action="delete", object_type="acknowledgement").exists()
    # It is editable again, and can be signed again later.
    protocol_sign(protocol=upcoming, signed_on=site.today(), effective_from=days(12, site),
                  missing_acknowledged=True)  # fmt: skip
    in_force.refresh_from_db()
    assert in_force.ended_on == days(12, site)


def test_a_version_in_force_cannot_be_withdrawn(site: Site, in_force: Protocol) -> None:
    with pytest.raises(ValidationError, match="can no longer be withdrawn"):
        protocol_withdraw(protocol=in_force, reason="Changed our minds.")
    in_force.refresh_from_db()
    assert in_force.status == "signed"


def test_a_draft_cannot_be_withdrawn(site: Site, draft: Protocol) -> None:
    with pytest.raises(ValidationError, match="Only a signed version"):
        protocol_withdraw(protocol=draft, reason="Changed our minds.")


@pytest.mark.parametrize("reason", ["", "   ", "Call the deputy at 416-555-0199."])
def test_a_withdrawal_needs_a_reason_that_passes_the_pii_guard(
    site: Site, upcoming: Protocol, reason: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        protocol_withdraw(protocol=upcoming, reason=reason)
    assert "reason" in refused.value.message_dict
    upcoming.refresh_from_db()
    assert upcoming.status == "signed"


def test_the_withdraw_form_on_the_page(manager_client: Any, site: Site, upcoming: Protocol) -> None:
    page = url("protocols_detail", site, pk=upcoming.pk)
    html = manager_client.get(page).content.decode()
    assert "Signed — takes effect on" in html
    withdraw = url("protocols_withdraw", site, pk=upcoming.pk)
    form = page_form(html, action=withdraw)
    bad = manager_client.post(withdraw, {**form, "reason": "Phone 416-555-0199"})
    assert bad.status_code == 422
    assert "Remove the phone number" in bad.content.decode()
    upcoming.refresh_from_db()
    assert upcoming.status == "signed"
    good = manager_client.post(withdraw, {**form, "reason": "Not ratified by the board."})
    assert good.status_code == 302
    upcoming.refresh_from_db()
    assert upcoming.status == "negotiating"


def test_the_version_in_force_reads_in_force_on_its_page_and_the_list(
    manager_client: Any, site: Site, in_force: Protocol, upcoming: Protocol
) -> None:
    html = manager_client.get(url("protocols_detail", site, pk=in_force.pk)).content.decode()
    assert f"In force until {days(10, site)}" in html
    assert "Withdraw this version" not in html
    listing = manager_client.get(url("protocols_list", site)).content.decode()
    assert f"In force until {days(10, site)}" in listing
    assert f"Signed — takes effect on {days(10, site)}" in listing


# --- what police see ------------------------------------------------------------------------


def test_a_liaison_is_told_a_version_is_waiting_and_acknowledges_it(
    site: Site, officer_client: tuple[Client, Any], upcoming: Protocol
) -> None:
    browser, officer = officer_client
    html = browser.get(url("liaison_protocol", site)).content.decode()
    assert "A new version is waiting" in html
    assert f"Version 2 is signed and takes effect on {days(10, site)}" in html
    assert "(in force until" in html  # v1, never "ended"
    home = browser.get(reverse("agreements:home")).content.decode()
    assert "Protocol version 2 is signed and takes effect on" in home
    browser.post(url("liaison_protocol_acknowledge", site, version=2))
    assert Acknowledgement.objects.filter(officer=officer, protocol=upcoming).exists()
    home = browser.get(reverse("agreements:home")).content.decode()
    assert "Protocol version 2 is signed" not in home
    assert (
        "You have acknowledged version 2."
        in browser.get(url("liaison_protocol", site)).content.decode()
    )


def test_an_ended_version_cannot_be_acknowledged_by_the_service(site: Site) -> None:
    old = SignedProtocolFactory(
        site=site, version=1, status="ended", effective_from=date(2023, 3, 1),
        ended_on=date(2024, 1, 1),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        protocol_acknowledge(protocol=old, officer=OfficerFactory())
    draft = ProtocolFactory(site=site, version=2)
    with pytest.raises(ValidationError):
        protocol_acknowledge(protocol=draft, officer=OfficerFactory())


def test_what_police_see_shows_managers_no_drafts(
    manager_client: Any, site: Site, draft: Protocol
) -> None:
    """Attack: the manager's preview once listed drafts and opened them by number."""
    html = manager_client.get(url("liaison_protocol", site)).content.decode()
    assert "Version 2" not in html
    assert manager_client.get(url("liaison_protocol_version", site, version=2)).status_code == 404
    diff = manager_client.get(url("liaison_protocol_diff", site), {"a": 1, "b": 2})
    assert "Version 1 beside version 2" not in diff.content.decode()


def test_the_api_says_where_the_version_in_force_stands(
    client: Client, world: World, in_force: Protocol, upcoming: Protocol
) -> None:
    body = Caller(client, world.users["liaison"], "token").get(URLS["protocol"]).json()
    site = world.site
    assert body["version"] == 1
    assert body["status"] == "ended"  # as stored: its successor is signed
    assert body["display_status"] == "in_force"
    assert body["display_text"] == f"in force until {days(10, site)}"
    assert body["ended_on"] == str(days(10, site))


def test_the_pdf_section_says_a_version_is_waiting(site: Site, upcoming: Protocol) -> None:
    from django.template.loader import render_to_string

    from reports.data import protocol_section

    context = protocol_section(site, site.today())
    html = render_to_string("reports/_protocol.html", {**context, "meta": {"site": site}})
    assert f"Status: In force until {days(10, site)}." in html
    assert f"Version 2 is signed and takes effect on {days(10, site)}." in html


def test_signing_through_the_page_is_audited_with_the_signer(
    manager_client: Any, site: Site, draft: Protocol
) -> None:
    sign = url("protocols_sign", site, pk=draft.pk)
    data = {**opened(manager_client, sign), "signed_on": str(site.today()),
            "effective_from": str(days(3, site)), "missing_acknowledged": "on"}  # fmt: skip
    assert manager_client.post(sign, data).status_code == 302
    entry = AuditEntry.objects.get(object_id=str(draft.pk), action="update")
    assert entry.actor is not None
    assert "signed version 2" in entry.detail


def test_the_pages_read_in_french_and_agree_with_une_version(
    manager_client: Any, site: Site, in_force: Protocol, upcoming: Protocol
) -> None:
    french = {"HTTP_ACCEPT_LANGUAGE": "fr-CA"}
    detail = manager_client.get(url("protocols_detail", site, pk=upcoming.pk), **french)
    html = detail.content.decode()
    assert "Signée — entre en vigueur le" in html
    assert "Retirer cette version" in html
    listing = manager_client.get(url("protocols_list", site), **french).content.decode()
    assert "En vigueur jusqu’au" in listing
    draft = ProtocolFactory(site=site, version=3, created_on=date(2026, 1, 10))
    sign = manager_client.get(url("protocols_sign", site, pk=draft.pk), **french)
    assert "Ce que la police verra" in sign.content.decode()
    assert "Entre en vigueur le" in sign.content.decode()
