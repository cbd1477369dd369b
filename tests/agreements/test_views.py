"""Manager pages: creating, editing and deleting records, and refusing bad input."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from agreements.choices import Role
from agreements.models import (
    DailyAttendance,
    Interaction,
    Membership,
    OperatingHours,
    Protocol,
    Site,
)
from liaisons.models import CheckIn, LiaisonAssignment, LiaisonOfficer
from tests.conftest import make_user
from tests.factories import (
    AssignmentFactory,
    AttendanceFactory,
    ClauseFactory,
    InteractionFactory,
    OfficerFactory,
    ProtocolFactory,
    SignedProtocolFactory,
    SiteFactory,
)
from tests.page_forms import opened

pytestmark = pytest.mark.django_db
TORONTO = ZoneInfo("America/Toronto")


def url(name: str, site: Site, **kwargs: Any) -> str:
    return reverse(f"agreements:{name}", kwargs={"slug": site.slug, **kwargs})


INTERACTION = {
    "occurred_at": "2026-06-01T14:35",
    "category": "vehicle_in_buffer",
    "distance_band": "buffer",
    "officers_present": "2",
    "vehicle_present": "on",
    "impact": "clients_left",
    "narrative": "Cruiser idled across from the door for forty minutes.",
}


def test_a_manager_logs_an_interaction(manager_client: Any, site: Site, manager: Any) -> None:
    response = manager_client.post(url("interactions_create", site), INTERACTION)
    interaction = Interaction.objects.get(site=site)
    assert response.status_code == 302
    local = interaction.occurred_at.astimezone(TORONTO)
    assert (local.date(), local.hour, local.minute) == (date(2026, 6, 1), 14, 0)
    assert interaction.logged_by == manager
    assert interaction.is_breach


def test_a_bad_interaction_names_the_field_and_saves_nothing(
    manager_client: Any, site: Site
) -> None:
    data = {**INTERACTION, "category": "information_request", "officers_present": "-1"}
    response = manager_client.post(url("interactions_create", site), data)
    assert response.status_code == 422
    form = response.context["form"]
    assert "officers_present" in form.errors
    assert not Interaction.objects.exists()


def test_an_information_request_without_basis_is_refused_on_that_field(
    manager_client: Any, site: Site
) -> None:
    data = {**INTERACTION, "category": "information_request", "distance_band": "inside"}
    response = manager_client.post(url("interactions_create", site), data)
    assert response.status_code == 422
    assert "legal_basis" in response.context["form"].errors
    assert not Interaction.objects.exists()


def test_an_unknown_choice_is_refused(manager_client: Any, site: Site) -> None:
    response = manager_client.post(
        url("interactions_create", site), {**INTERACTION, "category": "raid"}
    )
    assert response.status_code == 422
    assert "category" in response.context["form"].errors


def test_a_record_of_another_site_is_not_found_and_unchanged(
    manager_client: Any, site: Site, other_site: Site
) -> None:
    theirs = InteractionFactory(site=other_site)
    edit = url("interactions_edit", site, pk=theirs.pk)
    assert manager_client.get(edit).status_code == 404
    assert manager_client.post(edit, {**INTERACTION, "category": "other"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.category == "vehicle_in_buffer"


def test_a_liaison_cannot_write_to_the_site(client: Any, site: Site) -> None:
    liaison = make_user(Role.LIAISON)
    AssignmentFactory(site=site, officer=OfficerFactory(user=liaison))
    client.force_login(liaison)
    response = client.post(url("interactions_create", site), INTERACTION)
    assert response.status_code == 403
    assert not Interaction.objects.exists()


def test_deleting_an_interaction_asks_first(manager_client: Any, site: Site) -> None:
    interaction = InteractionFactory(site=site)
    delete = url("interactions_delete", site, pk=interaction.pk)
    assert manager_client.get(delete).status_code == 200
    assert Interaction.objects.exists()
    assert manager_client.post(delete, opened(manager_client, delete)).status_code == 302
    assert not Interaction.objects.exists()


def test_a_duplicate_attendance_day_is_refused_with_a_message(
    manager_client: Any, site: Site
) -> None:
    AttendanceFactory(site=site, date=date(2026, 6, 1), visits=80)
    response = manager_client.post(
        url("attendance_create", site), {"date": "2026-06-01", "visits": "90"}
    )
    assert response.status_code == 422
    assert "already has an attendance count" in " ".join(response.context["form"].errors["date"])
    assert DailyAttendance.objects.get(site=site).visits == 80


def test_a_second_primary_liaison_is_refused_on_the_start_field(
    manager_client: Any, site: Site
) -> None:
    AssignmentFactory(site=site, start=date(2024, 1, 1))
    newcomer = OfficerFactory(registered_for=site)
    response = manager_client.post(
        url("assignments_create", site),
        {"officer": newcomer.pk, "role": "primary", "start": "2025-01-01"},
    )
    assert response.status_code == 422
    assert "at most one primary liaison" in " ".join(response.context["form"].errors["start"])
    assert LiaisonAssignment.objects.count() == 1


def test_an_officer_from_another_site_cannot_be_assigned(
    manager_client: Any, site: Site, other_site: Site
) -> None:
    stranger = OfficerFactory(registered_for=other_site)
    response = manager_client.post(
        url("assignments_create", site),
        {"officer": stranger.pk, "role": "backup", "start": "2025-01-01"},
    )
    assert response.status_code == 422
    assert "officer" in response.context["form"].errors


def test_registering_an_officer_creates_the_police_service(manager_client: Any, site: Site) -> None:
    response = manager_client.post(
        url("officers_create", site),
        {
            "service_name": "Lakeport Police Service",
            "name": "Sgt. Sample",
            "rank": "Sergeant",
            "badge_number": "4411",
            "email": "liaison@police.example",
            "active": "on",
        },
    )
    assert response.status_code == 302
    officer = LiaisonOfficer.objects.get(badge_number="4411")
    assert officer.service.name == "Lakeport Police Service"
    assert officer.registered_for == site
    listing = manager_client.get(url("officers_list", site)).content.decode()
    assert "Sgt. Sample" in listing


def test_an_officer_with_history_cannot_be_deleted(manager_client: Any, site: Site) -> None:
    assignment = AssignmentFactory(site=site)
    response = manager_client.post(url("officers_delete", site, pk=assignment.officer.pk))
    assert response.status_code == 409
    assert LiaisonOfficer.objects.filter(pk=assignment.officer.pk).exists()


def test_a_check_in_is_entered_in_the_sites_local_time(manager_client: Any, site: Site) -> None:
    response = manager_client.post(
        url("checkins_create", site),
        {
            "scheduled_start": "2026-03-10T10:00",
            "duration_minutes": "60",
            "format": "meeting",
            "status": "held",
        },
    )
    assert response.status_code == 302
    checkin = CheckIn.objects.get(site=site)
    assert checkin.scheduled_start == datetime(2026, 3, 10, 10, tzinfo=TORONTO)


def test_a_check_in_with_an_outcome_is_kept(manager_client: Any, site: Site) -> None:
    from tests.factories import CheckInFactory

    held = CheckInFactory(site=site, status="held")
    assert manager_client.post(url("checkins_delete", site, pk=held.pk)).status_code == 409
    assert CheckIn.objects.filter(pk=held.pk).exists()


# --- protocols --------------------------------------------------------------------------

PROTOCOL = {
    "status": "draft",
    "created_on": "2026-01-10",
    "signatories": "",
    "clauses-TOTAL_FORMS": "2",
    "clauses-INITIAL_FORMS": "0",
    "clauses-MIN_NUM_FORMS": "0",
    "clauses-MAX_NUM_FORMS": "1000",
    "clauses-0-topic": "entry_during_hours",
    "clauses-0-text": "No entry during operating hours.",
    "clauses-1-topic": "proximity_buffer",
    "clauses-1-text": "No parking inside the buffer.",
}


def test_a_manager_drafts_a_protocol_with_clauses(manager_client: Any, site: Site) -> None:
    response = manager_client.post(url("protocols_create", site), PROTOCOL)
    assert response.status_code == 302
    protocol = Protocol.objects.get(site=site)
    assert protocol.version == 1
    assert [c.topic for c in protocol.clauses.all()] == ["entry_during_hours", "proximity_buffer"]


def sign(client: Any, site: Site, protocol: Protocol, **fields: str) -> Any:
    """Post the sign page's form as the manager who opened it."""
    page = url("protocols_sign", site, pk=protocol.pk)
    return client.post(page, {**opened(client, page), **fields})


def test_signing_a_new_version_ends_the_one_in_force(manager_client: Any, site: Site) -> None:
    old = SignedProtocolFactory(site=site, version=1, effective_from=date(2023, 3, 1))
    response = manager_client.post(
        url("protocols_create", site), {**PROTOCOL, "review_by": "2028-02-01"}
    )
    assert response.status_code == 302
    new = Protocol.objects.get(site=site, version=2)
    response = sign(manager_client, site, new, signed_on="2026-01-20",
                    effective_from="2026-02-01", missing_acknowledged="on")  # fmt: skip
    assert response.status_code == 302
    new.refresh_from_db()
    old.refresh_from_db()
    assert new.status == "signed"
    assert (old.status, old.ended_on) == ("ended", date(2026, 2, 1))


def test_signing_without_dates_is_refused_and_saves_nothing(
    manager_client: Any, site: Site
) -> None:
    response = manager_client.post(url("protocols_create", site), {**PROTOCOL, "status": "signed"})
    assert response.status_code == 422
    assert not Protocol.objects.exists()


def test_a_signed_version_cannot_be_edited_or_deleted(manager_client: Any, site: Site) -> None:
    signed = SignedProtocolFactory(site=site, version=1)
    ClauseFactory(protocol=signed, text="Original wording")
    edit = manager_client.post(
        url("protocols_edit", site, pk=signed.pk), {**PROTOCOL, "clauses-0-text": "Softer wording"}
    )
    assert edit.status_code == 302
    assert signed.clauses.get().text == "Original wording"
    delete = manager_client.post(url("protocols_delete", site, pk=signed.pk))
    assert delete.status_code == 409
    assert Protocol.objects.filter(pk=signed.pk).exists()


def test_a_draft_can_be_deleted(manager_client: Any, site: Site) -> None:
    draft = ProtocolFactory(site=site)
    delete = url("protocols_delete", site, pk=draft.pk)
    assert manager_client.post(delete, opened(manager_client, delete)).status_code == 302
    assert not Protocol.objects.exists()


def test_a_signed_version_can_be_ended(manager_client: Any, site: Site) -> None:
    signed = SignedProtocolFactory(site=site, version=1)
    page = url("protocols_detail", site, pk=signed.pk)
    data = {"ended_on": "2026-01-01", **opened(manager_client, page)}
    manager_client.post(url("protocols_end", site, pk=signed.pk), data)
    signed.refresh_from_db()
    assert (signed.status, signed.ended_on) == ("ended", date(2026, 1, 1))


def test_ending_with_a_bad_date_changes_nothing(manager_client: Any, site: Site) -> None:
    signed = SignedProtocolFactory(site=site, version=1)
    page = url("protocols_detail", site, pk=signed.pk)
    data = {"ended_on": "someday", **opened(manager_client, page)}
    response = manager_client.post(url("protocols_end", site, pk=signed.pk), data, follow=True)
    assert "Ended on: Enter a valid date." in response.content.decode()
    signed.refresh_from_db()
    assert signed.status == "signed"


# --- the site and its hours -----------------------------------------------------------


def site_data(site: Site, **hours: tuple[str, str]) -> dict[str, str]:
    data = {
        "name": site.name, "organisation": "", "address": "", "city": site.city,
        "region": site.region, "country": "CA", "timezone": "America/Toronto",
        "status": "open", "opened_on": "2020-01-01", "buffer_metres": "100",
        "research_consent": "on", "police_accounts": "on",
        "hours-TOTAL_FORMS": "7", "hours-INITIAL_FORMS": "7",
        "hours-MIN_NUM_FORMS": "7", "hours-MAX_NUM_FORMS": "7",
    }  # fmt: skip
    for day in range(7):
        opens, closes = hours.get(f"d{day}", ("", ""))
        data |= {f"hours-{day}-weekday": str(day), f"hours-{day}-opens": opens,
                 f"hours-{day}-closes": closes}  # fmt: skip
    return data


def test_a_manager_sets_hours_that_run_past_midnight(manager_client: Any, site: Site) -> None:
    data = site_data(site, d0=("09:00", "21:00"), d5=("12:00", "02:00"))
    data |= opened(manager_client, url("site_edit", site))
    response = manager_client.post(url("site_edit", site), data)
    assert response.status_code == 302
    hours = {h.weekday: (h.opens, h.closes) for h in OperatingHours.objects.filter(site=site)}
    assert hours == {0: (time(9), time(21)), 5: (time(12), time(2))}


def test_half_entered_hours_are_refused(manager_client: Any, site: Site) -> None:
    OperatingHours.objects.create(site=site, weekday=0, opens=time(9), closes=time(21))
    data = {**site_data(site, d1=("09:00", "")), **opened(manager_client, url("site_edit", site))}
    response = manager_client.post(url("site_edit", site), data)
    assert response.status_code == 422
    assert "both the opening and the closing time" in response.content.decode()
    assert OperatingHours.objects.filter(site=site).count() == 1


def test_the_slug_cannot_be_changed(manager_client: Any, site: Site) -> None:
    page = opened(manager_client, url("site_edit", site))
    manager_client.post(url("site_edit", site), {**site_data(site), "slug": "renamed", **page})
    assert Site.objects.filter(slug="riverside").exists()


# --- lists: filters, sorting, pages -------------------------------------------------------


def test_lists_filter_and_sort(manager_client: Any, site: Site) -> None:
    InteractionFactory(
        site=site, category="alert_shared", occurred_at=datetime(2026, 5, 1, 9, tzinfo=TORONTO)
    )
    InteractionFactory(
        site=site, category="vehicle_in_buffer", occurred_at=datetime(2026, 6, 1, 9, tzinfo=TORONTO)
    )
    listing = url("interactions_list", site)
    only_alerts = manager_client.get(listing, {"category": "alert_shared"})
    assert [row[1][2].value for row in only_alerts.context["rows"]] == ["Toxic-drug alert shared"]
    oldest_first = manager_client.get(listing, {"sort": "when"})
    assert [row[1][0].value for row in oldest_first.context["rows"]] == [
        "2026-05-01 09h",
        "2026-06-01 09h",
    ]


def test_bad_query_strings_are_reported_not_crashed(manager_client: Any, site: Site) -> None:
    InteractionFactory(site=site)
    response = manager_client.get(
        url("interactions_list", site),
        {"category": "raid", "date_from": "yesterday", "sort": "narrative", "page": "x"},
    )
    assert response.status_code == 200
    errors = response.context["filterset"].form.errors
    assert {"category", "date_from", "sort"} <= set(errors)
    assert "Some filters were not applied" in response.content.decode()


def test_lists_are_paginated(manager_client: Any, site: Site, settings: Any) -> None:
    settings.HR_POLICE_PAGE_SIZE = 2
    for _ in range(5):
        AttendanceFactory(site=site)
    response = manager_client.get(url("attendance_list", site), {"page": "3"})
    assert len(response.context["rows"]) == 1
    assert response.context["page"].number == 3


def test_interactions_can_be_filtered_to_breaches(manager_client: Any, site: Site) -> None:
    InteractionFactory(site=site, category="alert_shared")
    InteractionFactory(site=site, category="vehicle_in_buffer")
    listing = url("interactions_list", site)
    breaches = manager_client.get(listing, {"breach": "true"}).context["rows"]
    others = manager_client.get(listing, {"breach": "false"}).context["rows"]
    assert [row[1][2].value for row in breaches] == ["Police vehicle in the buffer"]
    assert [row[1][2].value for row in others] == ["Toxic-drug alert shared"]


def test_check_ins_show_whether_they_fall_outside_operating_hours(
    manager_client: Any, site: Site
) -> None:
    from tests.factories import CheckInFactory, OperatingHoursFactory

    OperatingHoursFactory(site=site, weekday=1, opens=time(9), closes=time(21))  # Tuesday
    CheckInFactory(site=site, scheduled_start=datetime(2026, 3, 10, 10, tzinfo=TORONTO))
    CheckInFactory(site=site, scheduled_start=datetime(2026, 3, 10, 7, 30, tzinfo=TORONTO))
    rows = manager_client.get(url("checkins_list", site), {"sort": "start"}).context["rows"]
    assert [(row[1][0].value, row[1][-1].value) for row in rows] == [
        ("2026-03-10 07:30", "yes"),
        ("2026-03-10 10:00", "no"),
    ]


def test_every_model_is_in_the_django_admin() -> None:
    from django.apps import apps
    from django.contrib import admin

    for label in ("agreements", "liaisons"):
        for model in apps.get_app_config(label).get_models():
            assert admin.site.is_registered(model), model.__name__


def test_an_information_request_shows_its_disclosure_when_edited(
    manager_client: Any, site: Site
) -> None:
    request = InteractionFactory(
        site=site,
        category="information_request",
        legal_basis="none",
        disclosed=False,
        distance_band="inside",
    )
    page = manager_client.get(url("interactions_edit", site, pk=request.pk)).content.decode()
    assert '<option value="false" selected>' in page


def test_pages_out_of_scope_say_not_found_in_plain_words(
    manager_client: Any, other_site: Site
) -> None:
    response = manager_client.get(url("site_overview", other_site))
    assert response.status_code == 404
    assert "There is nothing here that you can see" in response.content.decode()


@pytest.mark.parametrize("moment", ["9999-12-31T23:30", "0001-01-01T00:30", "1989-12-31T10:00"])
def test_absurd_years_are_refused_not_crashed(manager_client: Any, site: Site, moment: str) -> None:
    response = manager_client.post(
        url("interactions_create", site), {**INTERACTION, "occurred_at": moment}
    )
    assert response.status_code == 422
    assert "between 1990-01-01 and 2100-12-31" in " ".join(
        response.context["form"].errors["occurred_at"]
    )
    assert not Interaction.objects.exists()


def test_the_repeated_hour_at_a_daylight_saving_change_is_accepted(
    manager_client: Any, site: Site
) -> None:
    # 2025-11-02 01:30 happens twice in Toronto; the first reading (EDT) is kept.
    response = manager_client.post(
        url("interactions_create", site), {**INTERACTION, "occurred_at": "2025-11-02T01:30"}
    )
    assert response.status_code == 302
    stored = Interaction.objects.get().occurred_at.astimezone(TORONTO)
    assert (stored.hour, stored.utcoffset().total_seconds()) == (1, -4 * 3600)


def test_records_of_what_happened_cannot_be_dated_tomorrow(manager_client: Any, site: Site) -> None:
    from datetime import timedelta

    tomorrow = (site.today() + timedelta(days=1)).isoformat()
    response = manager_client.post(
        url("engagements_create", site), {"date": tomorrow, "kind": "dialogue"}
    )
    assert response.status_code == 422
    assert "has not happened yet" in " ".join(response.context["form"].errors["date"])


def test_a_draft_is_saved_with_its_clauses_then_signed_on_its_own_page(
    manager_client: Any, site: Site
) -> None:
    draft = ProtocolFactory(site=site, version=1)
    ClauseFactory(protocol=draft, topic="entry_during_hours", text="No entry.")
    clause = draft.clauses.get()
    data = {
        **PROTOCOL,
        "review_by": "2028-02-01",
        "clauses-TOTAL_FORMS": "2", "clauses-INITIAL_FORMS": "1",
        "clauses-0-id": str(clause.pk), "clauses-0-protocol": str(draft.pk),
        "clauses-0-topic": "entry_during_hours", "clauses-0-text": "No entry.",
        "clauses-1-topic": "notification", "clauses-1-text": "Tell the site within a day.",
    }  # fmt: skip
    data |= opened(manager_client, url("protocols_edit", site, pk=draft.pk))
    response = manager_client.post(url("protocols_edit", site, pk=draft.pk), data)
    assert response.status_code == 302, response.context["form"].errors
    response = sign(manager_client, site, draft, signed_on="2026-01-20",
                    effective_from="2026-02-01", missing_acknowledged="on")  # fmt: skip
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "signed"
    assert sorted(c.topic for c in draft.clauses.all()) == ["entry_during_hours", "notification"]


def test_the_draft_form_does_not_offer_signing(manager_client: Any, site: Site) -> None:
    response = manager_client.post(url("protocols_create", site), {**PROTOCOL, "status": "signed"})
    assert response.status_code == 422
    assert "status" in response.context["form"].errors
    assert not Protocol.objects.exists()


def test_a_version_signed_out_of_order_is_refused(manager_client: Any, site: Site) -> None:
    SignedProtocolFactory(site=site, version=1, effective_from=date(2024, 4, 17))
    draft = ProtocolFactory(site=site, version=2, created_on=date(2024, 3, 1))
    response = sign(manager_client, site, draft, signed_on="2024-04-01",
                    effective_from="2024-04-17", missing_acknowledged="on")  # fmt: skip
    assert response.status_code == 422
    assert "must take effect after that day" in " ".join(
        response.context["form"].errors["effective_from"]
    )
    draft.refresh_from_db()
    assert (draft.status, draft.signed_on) == ("draft", None)


def test_a_new_version_starts_from_the_clauses_of_an_old_one(
    manager_client: Any, site: Site
) -> None:
    signed = SignedProtocolFactory(site=site, version=1)
    ClauseFactory(protocol=signed, topic="proximity_buffer", text="No parking in the buffer.")
    page = opened(manager_client, url("protocols_detail", site, pk=signed.pk))
    response = manager_client.post(url("protocols_copy", site, pk=signed.pk), page)
    draft = Protocol.objects.get(site=site, version=2)
    assert response["Location"] == url("protocols_edit", site, pk=draft.pk)
    assert draft.status == "draft"
    assert [(c.topic, c.text) for c in draft.clauses.all()] == [
        ("proximity_buffer", "No parking in the buffer.")
    ]
    assert signed.clauses.count() == 1


def test_the_protocol_page_says_whether_it_is_in_force_and_what_is_missing(
    manager_client: Any, site: Site
) -> None:
    signed = SignedProtocolFactory(
        site=site, version=1, effective_from=date(2023, 3, 1), review_by=date(2024, 3, 1)
    )
    ClauseFactory(protocol=signed, topic="entry_during_hours")
    page = manager_client.get(url("protocols_detail", site, pk=signed.pk)).content.decode()
    assert "in force" in page
    assert "overdue for review" in page
    assert "No stationing or parking inside the buffer" in page  # a missing topic


def test_a_from_date_after_the_to_date_is_reported(manager_client: Any, site: Site) -> None:
    response = manager_client.get(
        url("interactions_list", site), {"date_from": "2026-06-02", "date_to": "2026-06-01"}
    )
    assert "on or after" in " ".join(response.context["filterset"].form.errors["date_to"])


def test_a_reserved_slug_is_refused(client: Any) -> None:
    client.force_login(make_user(Role.ADMIN))
    data = site_data(SiteFactory.build(name="New", slug="new"))
    response = client.post(reverse("agreements:site_create"), {**data, "slug": "new"})
    assert response.status_code == 422
    assert "reserved" in " ".join(response.context["form"].errors["slug"])
    assert not Site.objects.filter(slug="new").exists()


def test_an_admin_adds_a_site(client: Any) -> None:
    client.force_login(make_user(Role.ADMIN))
    data = site_data(
        SiteFactory.build(name="Northend Site", city="Lakeport", region="ON"), d0=("09:00", "17:00")
    )
    response = client.post(reverse("agreements:site_create"), {**data, "slug": "northend"})
    assert response.status_code == 302
    assert Site.objects.get(slug="northend").hours.count() == 1


def test_police_services_match_whatever_the_case(manager_client: Any, site: Site) -> None:
    OfficerFactory(badge_number="4012", registered_for=site)  # Lakeport Police Service
    response = manager_client.post(
        url("officers_create", site),
        {"service_name": "  lakeport   police service ", "name": "Robin", "badge_number": "4012"},
    )
    assert response.status_code == 422
    assert "already registered" in " ".join(response.context["form"].errors["badge_number"])
    assert LiaisonOfficer.objects.count() == 1


def test_the_caption_says_filtered_only_when_a_filter_has_a_value(
    manager_client: Any, site: Site
) -> None:
    InteractionFactory(site=site, category="vehicle_in_buffer")
    listing = url("interactions_list", site)
    for query, filtered in (({}, False), ({"sort": "-when"}, False), ({"breach": ""}, False),
                            ({"breach": "true"}, True)):  # fmt: skip
        caption = manager_client.get(listing, query).content.decode().split("<caption>")[1]
        assert ("filtered" in caption.split("</caption>")[0]) is filtered, query


def _officer_form(officer: LiaisonOfficer, **changes: str) -> dict[str, str]:
    data = {
        "service_name": officer.service.name, "name": officer.name, "rank": officer.rank,
        "badge_number": officer.badge_number, "email": officer.email, "phone": officer.phone,
        "active": "on",
    }  # fmt: skip
    return {k: v for k, v in {**data, **changes}.items() if v is not None}


def test_a_shared_officer_changes_only_by_a_manager_of_every_site_they_serve(
    site: Site, other_site: Site, client: Any
) -> None:
    """Deactivating an officer shared with another site would end that site's liaison
    access; changing the e-mail would redirect its reminders. A manager of one site only
    is refused (403) and the record stays; a manager of both sites, or an admin, may."""
    officer = OfficerFactory(email="liaison@police.example", registered_for=site)
    AssignmentFactory(site=site, officer=officer)
    AssignmentFactory(site=other_site, officer=officer)
    edit = url("officers_edit", site, pk=officer.pk)
    client.force_login(make_user(Role.MANAGER, site=site))
    page = client.get(edit)
    assert page.status_code == 200
    assert "also a liaison for another site" in page.content.decode()
    for change in ({"active": None}, {"email": "someone@elsewhere.example"}):
        response = client.post(edit, {**_officer_form(officer, **change), **opened(client, edit)})
        assert response.status_code == 403
        assert "also a liaison for another site" in response.content.decode()
        assert other_site.name not in response.content.decode()  # no other site's name leaks
    officer.refresh_from_db()
    assert (officer.active, officer.email) == (True, "liaison@police.example")

    both = make_user(Role.MANAGER, site=site, username="manager-of-both")
    Membership.objects.create(user=both, role=Role.MANAGER, site=other_site)
    for user in (both, make_user(Role.ADMIN)):
        client.force_login(user)
        data = {**_officer_form(officer, rank="Inspector"), **opened(client, edit)}
        response = client.post(edit, data)
        assert response.status_code == 302
        officer.refresh_from_db()
        assert officer.rank == "Inspector"
        officer.rank = "Sergeant"
        officer.save()


def test_an_officer_whose_other_assignment_ended_is_the_sites_own_again(
    manager_client: Any, site: Site, other_site: Site
) -> None:
    officer = OfficerFactory(registered_for=site)
    AssignmentFactory(site=site, officer=officer)
    AssignmentFactory(site=other_site, officer=officer, end=date(2024, 6, 30))
    edit = url("officers_edit", site, pk=officer.pk)
    data = {**_officer_form(officer, email="new@police.example"), **opened(manager_client, edit)}
    assert manager_client.post(edit, data).status_code == 302
    officer.refresh_from_db()
    assert officer.email == "new@police.example"


def test_the_officer_service_refuses_a_manager_of_one_of_the_sites(
    site: Site, other_site: Site
) -> None:
    from django.core.exceptions import PermissionDenied

    from liaisons.services import officer_save

    officer = OfficerFactory(registered_for=site)
    AssignmentFactory(site=site, officer=officer)
    AssignmentFactory(site=other_site, officer=officer)
    officer.active = False
    with pytest.raises(PermissionDenied):
        officer_save(officer=officer, service_name=officer.service.name, site=site,
                     actor=make_user(Role.MANAGER, site=site))  # fmt: skip
    assert LiaisonOfficer.objects.get(pk=officer.pk).active
