"""Two managers editing the same record: the second save is refused, names what changed,
and nothing is overwritten; after reloading, saving works."""

from __future__ import annotations

import json
import zlib
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from django.core import signing
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.audit import Action, AuditEntry
from agreements.choices import Role
from agreements.conflicts import (
    SALT,
    EditGuard,
    changed_names,
    digests,
    fingerprint,
    plain,
    read_fingerprint,
    shown_values,
)
from agreements.models import DailyAttendance, InteractionShare, OperatingHours, Protocol, Site
from scoring.scorecards import current_weights
from tests.conftest import make_user
from tests.factories import (
    AssignmentFactory,
    AttendanceFactory,
    CheckInFactory,
    ClauseFactory,
    EngagementFactory,
    InteractionFactory,
    OfficerFactory,
    PoliceServiceFactory,
    ProtocolFactory,
    ScheduleFactory,
    SignedProtocolFactory,
    SupportStatementFactory,
)
from tests.page_forms import page_form
from workspace.records import KINDS
from workspace.views.records import record_watch

pytestmark = pytest.mark.django_db


def url(name: str, site: Site, **kwargs: Any) -> str:
    return reverse(f"agreements:{name}", kwargs={"slug": site.slug, **kwargs})


@pytest.fixture
def two_managers(site: Site) -> tuple[Client, Client]:
    a, b = Client(), Client()
    a.force_login(make_user(Role.MANAGER, site=site, username="alice"))
    b.force_login(make_user(Role.MANAGER, site=site, username="bruno"))
    return a, b


def _officer(site: Site) -> Any:
    return OfficerFactory(registered_for=site, rank="Sergeant")


# kind: (make the record, field, value A saves, value B tries, label, shown before, shown after A)
RECORDS: dict[str, tuple[Any, str, str, str, str, str, str]] = {
    "officers": (_officer, "rank", "Inspector", "Staff Sergeant", "Rank", "Sergeant", "Inspector"),
    "assignments": (
        lambda site: AssignmentFactory(site=site, officer=OfficerFactory(registered_for=site)),
        "end", "2026-12-31", "2027-01-31", "End", "(empty)", "2026-12-31",
    ),
    "engagements": (
        lambda site: EngagementFactory(site=site),
        "summary", "Second dialogue.", "Third dialogue.", "Summary",
        "First dialogue with the division.", "Second dialogue.",
    ),
    "support-statements": (
        lambda site: SupportStatementFactory(site=site),
        "stance", "opposition", "neutral", "Stance", "Support", "Opposition",
    ),
    "schedules": (
        lambda site: ScheduleFactory(site=site),
        "location", "Community room", "Front office", "Location", "(empty)", "Community room",
    ),
    "checkins": (
        lambda site: CheckInFactory(site=site),
        "notes", "Went well.", "Cut short.", "Notes", "(empty)", "Went well.",
    ),
    "interactions": (
        lambda site: InteractionFactory(site=site),
        "narrative", "Cruiser left after ten minutes.", "Cruiser stayed an hour.",
        "Narrative", "Cruiser parked across from the door.", "Cruiser left after ten minutes.",
    ),
    "attendance": (
        lambda site: AttendanceFactory(site=site),
        "visits", "120", "130", "Visits", "80", "120",
    ),
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_the_second_of_two_overlapping_edits_is_refused(
    site: Site, two_managers: tuple[Client, Client], kind: str
) -> None:
    make, name, value_a, value_b, label, before, after = RECORDS[kind]
    record = make(site)
    edit = url(f"{kind}_edit", site, pk=record.pk)
    alice, bruno = two_managers
    form_a = page_form(alice.get(edit).content)
    form_b = page_form(bruno.get(edit).content)

    assert alice.post(edit, {**form_a, name: value_a}).status_code == 302
    refused = bruno.post(edit, {**form_b, name: value_b})

    assert refused.status_code == 409
    record.refresh_from_db()
    assert str(getattr(record, name)) == value_a  # Alice's value stands
    page = refused.content.decode()
    assert "Someone else saved this" in page
    row = page[page.index("What changed since you opened this page") :]
    assert all(text in row for text in (label, before, after, "alice on "))
    assert value_b in page  # Bruno's input is kept in the form

    # Having seen the change, Bruno saves from the refreshed page: accepted.
    again = page_form(bruno.get(edit).content)
    assert bruno.post(edit, {**again, name: value_b}).status_code == 302
    record.refresh_from_db()
    assert str(getattr(record, name)) == value_b


def test_one_manager_saves_twice_after_reloading(site: Site, manager_client: Client) -> None:
    record = EngagementFactory(site=site)
    edit = url("engagements_edit", site, pk=record.pk)
    for summary in ("Second dialogue.", "Third dialogue."):
        form = page_form(manager_client.get(edit).content)
        assert manager_client.post(edit, {**form, "summary": summary}).status_code == 302
    record.refresh_from_db()
    assert record.summary == "Third dialogue."


def test_saving_the_refused_form_again_keeps_what_it_holds(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    # The refused page carries the record as it is now: having seen Alice's change,
    # Bruno may choose to keep his own wording by saving again.
    record = EngagementFactory(site=site)
    edit = url("engagements_edit", site, pk=record.pk)
    alice, bruno = two_managers
    form_a = page_form(alice.get(edit).content)
    form_b = page_form(bruno.get(edit).content)
    alice.post(edit, {**form_a, "summary": "Alice's wording."})
    refused = bruno.post(edit, {**form_b, "summary": "Bruno's wording."})
    assert refused.status_code == 409
    assert bruno.post(edit, page_form(refused.content)).status_code == 302
    record.refresh_from_db()
    assert record.summary == "Bruno's wording."


@pytest.mark.parametrize("token", ["", "not-a-token", "tampered"])
def test_a_missing_or_altered_fingerprint_saves_nothing(
    site: Site, manager_client: Client, token: str
) -> None:
    record = InteractionFactory(site=site)
    edit = url("interactions_edit", site, pk=record.pk)
    form = page_form(manager_client.get(edit).content)
    if token == "tampered":
        # A fingerprint of another record, or one edited by hand, fails its signature.
        other = InteractionFactory(site=site)
        token = page_form(manager_client.get(url("interactions_edit", site, pk=other.pk)).content)[
            "loaded_as"
        ]
    response = manager_client.post(edit, {**form, "narrative": "Rewritten.", "loaded_as": token})
    assert response.status_code == 400
    assert "could not be checked against changes" in response.content.decode()
    assert "Rewritten." in response.content.decode()  # the input is kept
    record.refresh_from_db()
    assert record.narrative == "Cruiser parked across from the door."


def test_a_record_deleted_meanwhile_is_not_recreated(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    record = AttendanceFactory(site=site)
    edit = url("attendance_edit", site, pk=record.pk)
    alice, bruno = two_managers
    form_b = page_form(bruno.get(edit).content)
    delete = url("attendance_delete", site, pk=record.pk)
    assert alice.post(delete, page_form(alice.get(delete).content)).status_code == 302
    assert bruno.post(edit, {**form_b, "visits": "99"}).status_code == 404
    assert not DailyAttendance.objects.exists()


def test_an_officer_moved_to_another_service_is_named(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    officer = OfficerFactory(registered_for=site)
    edit = url("officers_edit", site, pk=officer.pk)
    alice, bruno = two_managers
    form_a = page_form(alice.get(edit).content)
    form_b = page_form(bruno.get(edit).content)
    alice.post(edit, {**form_a, "service_name": "Port Aldous Police"})
    refused = bruno.post(edit, {**form_b, "rank": "Inspector"})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert all(text in page for text in ("Police service", "Port Aldous Police"))
    officer.refresh_from_db()
    assert (officer.service.name, officer.rank) == ("Port Aldous Police", "Sergeant")


def test_expected_officers_of_a_schedule_are_compared(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    schedule = ScheduleFactory(site=site)
    officer = OfficerFactory(registered_for=site, name="Dana Roy")
    edit = url("schedules_edit", site, pk=schedule.pk)
    alice, bruno = two_managers
    form_a = page_form(alice.get(edit).content)
    form_b = page_form(bruno.get(edit).content)
    alice.post(edit, {**form_a, "expected_officers": [str(officer.pk)]})
    refused = bruno.post(edit, {**form_b, "location": "Front office"})
    assert refused.status_code == 409
    assert "Dana Roy" in refused.content.decode()
    assert list(schedule.expected_officers.all()) == [officer]


# --- the site and its hours ---------------------------------------------------------------


def test_hours_changed_meanwhile_refuse_the_site_form(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    OperatingHours.objects.create(site=site, weekday=0, opens=time(9), closes=time(17))
    edit = url("site_edit", site)
    alice, bruno = two_managers
    form_a = page_form(alice.get(edit).content)
    form_b = page_form(bruno.get(edit).content)
    assert alice.post(edit, {**form_a, "hours-0-closes": "21:00"}).status_code == 302
    refused = bruno.post(edit, {**form_b, "city": "Port Aldous"})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Weekly operating hours" in page
    assert all(text in page for text in ("Monday 09:00–17:00", "Monday 09:00–21:00", "alice on "))
    site.refresh_from_db()
    assert site.city != "Port Aldous"
    assert site.hours.get().closes == time(21)


# --- protocols ----------------------------------------------------------------------------


def test_a_draft_edited_meanwhile_is_not_overwritten(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    draft = ProtocolFactory(site=site)
    ClauseFactory(protocol=draft, text="No entry during operating hours.")
    edit = url("protocols_edit", site, pk=draft.pk)
    alice, bruno = two_managers
    form_a = page_form(alice.get(edit).content)
    form_b = page_form(bruno.get(edit).content)
    assert alice.post(edit, {**form_a, "clauses-0-text": "No entry, ever."}).status_code == 302
    refused = bruno.post(edit, {**form_b, "signatories": "Chief Ada Moss"})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert all(text in page for text in ("Clauses", "No entry, ever.", "alice on "))
    assert draft.clauses.get().text == "No entry, ever."
    draft.refresh_from_db()
    assert draft.signatories == ""


def test_a_clause_removed_meanwhile_is_reported_as_a_change(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    draft = ProtocolFactory(site=site)
    ClauseFactory(protocol=draft, text="No entry during operating hours.")
    edit = url("protocols_edit", site, pk=draft.pk)
    alice, bruno = two_managers
    form_a = page_form(alice.get(edit).content)
    form_b = page_form(bruno.get(edit).content)
    alice.post(edit, {**form_a, "clauses-0-DELETE": "on"})
    refused = bruno.post(edit, {**form_b, "clauses-0-text": "Softer wording."})
    assert refused.status_code == 409
    assert "Someone else saved this" in refused.content.decode()
    assert not draft.clauses.exists()


SIGN = {"status": "signed", "signed_on": "2026-01-20", "effective_from": "2026-02-01",
        "review_by": "2028-02-01"}  # fmt: skip


def test_signing_a_draft_someone_signed_meanwhile_is_refused(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    draft = ProtocolFactory(site=site)
    edit = url("protocols_edit", site, pk=draft.pk)
    alice, bruno = two_managers
    form_a = page_form(alice.get(edit).content)
    form_b = page_form(bruno.get(edit).content)
    assert alice.post(edit, {**form_a, **SIGN}).status_code == 302
    refused = bruno.post(edit, {**form_b, **SIGN, "effective_from": "2026-03-01"})
    assert refused.status_code == 409
    assert "Signed" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.effective_from == date(2026, 2, 1)


def test_signing_refuses_when_another_version_was_signed_meanwhile(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    # Bruno's signing would end the version Alice signed without his knowing it.
    mine, theirs = ProtocolFactory(site=site), ProtocolFactory(site=site)
    alice, bruno = two_managers
    form_b = page_form(bruno.get(url("protocols_edit", site, pk=mine.pk)).content)
    theirs_edit = url("protocols_edit", site, pk=theirs.pk)
    alice.post(theirs_edit, {**page_form(alice.get(theirs_edit).content), **SIGN})
    refused = bruno.post(
        url("protocols_edit", site, pk=mine.pk), {**form_b, **SIGN, "effective_from": "2026-03-01"}
    )
    assert refused.status_code == 409
    assert "Signed versions of this site" in refused.content.decode()
    theirs.refresh_from_db()
    assert (theirs.status, theirs.ended_on) == ("signed", None)
    # Saving the draft without signing it does not depend on other versions.
    plain = {**form_b, "signatories": "Chief Ada Moss"}
    assert bruno.post(url("protocols_edit", site, pk=mine.pk), plain).status_code == 302


def test_ending_a_version_ended_meanwhile_is_refused(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    signed = SignedProtocolFactory(site=site)
    detail = url("protocols_detail", site, pk=signed.pk)
    end = url("protocols_end", site, pk=signed.pk)
    alice, bruno = two_managers
    form_a = page_form(alice.get(detail).content, action=end)
    form_b = page_form(bruno.get(detail).content, action=end)
    alice.post(end, {**form_a, "ended_on": "2026-01-01"})
    refused = bruno.post(end, {**form_b, "ended_on": "2026-02-01"})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert all(text in page for text in ("Ended on", "2026-01-01"))
    signed.refresh_from_db()
    assert signed.ended_on == date(2026, 1, 1)


def test_copying_a_version_changed_meanwhile_is_refused(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    draft = ProtocolFactory(site=site)
    ClauseFactory(protocol=draft, text="First wording.")
    detail = url("protocols_detail", site, pk=draft.pk)
    copy = url("protocols_copy", site, pk=draft.pk)
    alice, bruno = two_managers
    form_b = page_form(bruno.get(detail).content, action=copy)
    edit = url("protocols_edit", site, pk=draft.pk)
    alice.post(edit, {**page_form(alice.get(edit).content), "clauses-0-text": "Second wording."})
    refused = bruno.post(copy, form_b)
    assert refused.status_code == 409
    assert "Second wording." in refused.content.decode()
    assert Protocol.objects.filter(site=site).count() == 1


# --- check-in outcomes and weights ----------------------------------------------------------


def test_an_outcome_recorded_meanwhile_is_not_overwritten(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    checkin = CheckInFactory(site=site, status="scheduled",
                             scheduled_start=timezone.now() - timedelta(days=2))  # fmt: skip
    page, action = url("checkins_awaiting", site), url("checkins_outcome", site, pk=checkin.pk)
    alice, bruno = two_managers
    form_a = page_form(alice.get(page).content, action=action)
    form_b = page_form(bruno.get(page).content, action=action)
    alice.post(action, {**form_a, "status": "held", "notes": "Good talk."})
    refused = bruno.post(action, {**form_b, "status": "missed"})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert all(text in page for text in ("Held", "Scheduled", "Good talk."))
    checkin.refresh_from_db()
    assert (checkin.status, checkin.notes) == ("held", "Good talk.")


def test_weights_changed_meanwhile_are_not_overwritten(client: Client) -> None:
    alice, bruno = Client(), Client()
    alice.force_login(make_user(Role.ADMIN, username="alice"))
    bruno.force_login(make_user(Role.ADMIN, username="bruno"))
    weights = reverse("agreements:weights")
    form_a = page_form(alice.get(weights).content)
    form_b = page_form(bruno.get(weights).content)
    assert alice.post(weights, {**form_a, "senior_support": "3"}).status_code == 302
    refused = bruno.post(weights, {**form_b, "regular_contact": "2"})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert all(text in page for text in ("F2 Support from police leadership", "alice on "))
    assert current_weights()["senior_support"] == 3
    assert current_weights()["regular_contact"] == 1
    again = page_form(bruno.get(weights).content)
    assert bruno.post(weights, {**again, "regular_contact": "2"}).status_code == 302
    assert (current_weights()["senior_support"], current_weights()["regular_contact"]) == (3, 2)


def test_a_summary_shared_meanwhile_is_not_overwritten(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    interaction = InteractionFactory(site=site)
    share = url("interactions_share", site, pk=interaction.pk)
    alice, bruno = two_managers
    form_a = page_form(alice.get(share).content)
    form_b = page_form(bruno.get(share).content)
    assert alice.post(share, {**form_a, "summary": "Cruiser by the door."}).status_code == 302
    refused = bruno.post(share, {**form_b, "summary": "Police parked nearby."})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert all(text in page for text in ("Cruiser by the door.", "(empty)", "alice on "))
    assert InteractionShare.objects.get().summary == "Cruiser by the door."


# --- the pure logic ----------------------------------------------------------------------------


def test_a_fingerprint_reads_back_only_for_its_own_record() -> None:
    values = {"date": date(2026, 1, 2), "visits": 80, "officers": [3, 1]}
    token = fingerprint(values, scope="agreements.dailyattendance:7")
    loaded = read_fingerprint(token, scope="agreements.dailyattendance:7")
    assert loaded is not None
    assert loaded.digests == digests(values, scope="agreements.dailyattendance:7")
    assert loaded.had("visits", 80)
    assert not loaded.had("visits", 81)
    assert read_fingerprint(token, scope="agreements.dailyattendance:8") is None
    assert read_fingerprint(token[:-2] + "xx", scope="agreements.dailyattendance:7") is None
    assert read_fingerprint("", scope="agreements.dailyattendance:7") is None


def test_changed_names_lists_what_differs_and_skips_what_is_ignored() -> None:
    before = {"a": 1, "b": "x", "c": [1, 2], "gone": 1}
    after = {"a": 1, "b": "y", "c": [1, 2, 3], "new": None}
    assert changed_names(before, after) == ["b", "c", "gone"]
    assert changed_names(before, after, ignore=["c"]) == ["b", "gone"]
    assert changed_names(before, before) == []


def test_stored_values_are_normalised_to_compare_equal_after_signing() -> None:
    moment = datetime(2026, 6, 1, 14, tzinfo=UTC)
    raw = {"at": moment, "day": date(2026, 6, 1), "t": time(9, 30), "ids": {2, 1}, "n": None}
    assert plain(raw) == {"at": "2026-06-01T14:00:00+00:00", "day": "2026-06-01",
                          "t": "09:30:00", "ids": [1, 2], "n": None}  # fmt: skip
    token = fingerprint(raw, scope="s")
    loaded = read_fingerprint(token, scope="s", shown=shown_values(raw, ["day", "ids"]))
    assert loaded is not None
    assert changed_names(loaded.digests, digests(plain(raw), scope="s")) == []
    assert loaded.values == {"day": "2026-06-01", "ids": [1, 2]}


# --- the Django admin -------------------------------------------------------------------------


def _two_admins() -> tuple[Client, Client]:
    alice, bruno = Client(), Client()
    alice.force_login(make_user(Role.ADMIN, username="alice"))
    bruno.force_login(make_user(Role.ADMIN, username="bruno"))
    return alice, bruno


def test_a_police_service_changed_meanwhile_in_the_admin_is_not_overwritten() -> None:
    service = PoliceServiceFactory(name="Lakeport Police Service")
    change = reverse("admin:liaisons_policeservice_change", args=[service.pk])
    alice, bruno = _two_admins()
    form_a = page_form(alice.get(change).content)
    form_b = page_form(bruno.get(change).content)
    assert alice.post(change, {**form_a, "name": "Lakeport Police"}).status_code == 302
    refused = bruno.post(change, {**form_b, "jurisdiction": "Lakeport and district"})
    assert refused.status_code == 200  # the admin shows the form again, with the reason
    page = refused.content.decode()
    assert all(text in page for text in ("Someone else saved", "Lakeport Police", "alice on "))
    service.refresh_from_db()
    assert (service.name, service.jurisdiction) == ("Lakeport Police", "")
    # The form shown again keeps Bruno's input and carries the values now: having taken
    # Alice's change into it, he saves it.
    merged = {**page_form(refused.content), "name": "Lakeport Police"}
    assert bruno.post(change, merged).status_code == 302
    service.refresh_from_db()
    assert (service.name, service.jurisdiction) == ("Lakeport Police", "Lakeport and district")


def test_admin_change_forms_with_inlines_still_save(site: Site) -> None:
    change = reverse("admin:agreements_site_change", args=[site.pk])
    alice, _bruno = _two_admins()
    form = page_form(alice.get(change).content)
    assert alice.post(change, {**form, "city": "Port Aldous"}).status_code == 302
    site.refresh_from_db()
    assert site.city == "Port Aldous"
    assert alice.get(reverse("admin:agreements_site_add")).status_code == 200


# kind: (make the record, field Alice changes and its value, field Bruno changes and its value)
DIFFERENT_FIELDS: dict[str, tuple[Any, tuple[str, str], tuple[str, str]]] = {
    "engagements": (lambda site: EngagementFactory(site=site),
                    ("summary", "Second dialogue."), ("date", "2019-03-09")),
    "checkins": (lambda site: CheckInFactory(site=site),
                 ("scheduled_start", "2026-03-11T15:00"), ("notes", "Went well.")),
    "interactions": (lambda site: InteractionFactory(site=site),
                     ("plain_clothes", "on"), ("narrative", "Two cruisers.")),
    "assignments": (
        lambda site: AssignmentFactory(site=site, officer=OfficerFactory(registered_for=site)),
        ("end", "2026-12-31"), ("role", "backup"),
    ),
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(DIFFERENT_FIELDS))
def test_the_refused_form_takes_in_the_changes_of_fields_left_alone(
    site: Site, two_managers: tuple[Client, Client], kind: str
) -> None:
    make, (name_a, value_a), (name_b, value_b) = DIFFERENT_FIELDS[kind]
    record = make(site)
    edit = url(f"{kind}_edit", site, pk=record.pk)
    alice, bruno = two_managers
    form_a = page_form(alice.get(edit).content)
    form_b = page_form(bruno.get(edit).content)
    assert alice.post(edit, {**form_a, name_a: value_a}).status_code == 302
    saved_by_alice = {name_a: getattr(type(record).objects.get(pk=record.pk), name_a)}
    refused = bruno.post(edit, {**form_b, name_b: value_b})
    assert refused.status_code == 409
    assert "You changed this too" not in refused.content.decode()

    # Saving the form as shown keeps Alice's change and applies Bruno's.
    assert bruno.post(edit, page_form(refused.content)).status_code == 302
    record.refresh_from_db()
    assert getattr(record, name_a) == saved_by_alice[name_a]
    assert str(getattr(record, name_b)) == value_b


def test_a_field_both_changed_keeps_the_users_value_and_says_so(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    record = EngagementFactory(site=site)
    edit = url("engagements_edit", site, pk=record.pk)
    alice, bruno = two_managers
    form_a = page_form(alice.get(edit).content)
    form_b = page_form(bruno.get(edit).content)
    alice.post(edit, {**form_a, "summary": "Alice's wording."})
    refused = bruno.post(edit, {**form_b, "summary": "Bruno's wording."})
    assert "You changed this too: the form holds your value." in refused.content.decode()
    assert page_form(refused.content)["summary"] == "Bruno's wording."


def test_the_refused_site_form_takes_in_hours_changed_meanwhile(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    OperatingHours.objects.create(site=site, weekday=0, opens=time(9), closes=time(17))
    edit = url("site_edit", site)
    alice, bruno = two_managers
    form_a = page_form(alice.get(edit).content)
    form_b = page_form(bruno.get(edit).content)
    alice.post(edit, {**form_a, "hours-0-closes": "21:00", "hours-2-opens": "10:00",
                      "hours-2-closes": "14:00"})  # fmt: skip
    refused = bruno.post(edit, {**form_b, "city": "Port Aldous"})
    assert refused.status_code == 409
    assert bruno.post(edit, page_form(refused.content)).status_code == 302
    site.refresh_from_db()
    assert site.city == "Port Aldous"
    hours = {h.weekday: (h.opens, h.closes) for h in site.hours.all()}
    assert hours == {0: (time(9), time(21)), 2: (time(10), time(14))}


def test_clauses_changed_meanwhile_are_flagged_as_not_taken_in(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    draft = ProtocolFactory(site=site)
    ClauseFactory(protocol=draft, text="First wording.")
    edit = url("protocols_edit", site, pk=draft.pk)
    alice, bruno = two_managers
    form_a = page_form(alice.get(edit).content)
    form_b = page_form(bruno.get(edit).content)
    alice.post(edit, {**form_a, "clauses-0-text": "Second wording."})
    refused = bruno.post(edit, {**form_b, "signatories": "Chief Ada Moss"})
    assert "Not taken into the form" in refused.content.decode()


def test_deleting_a_record_changed_meanwhile_is_refused(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    record = AttendanceFactory(site=site)
    edit, delete = (
        url("attendance_edit", site, pk=record.pk),
        url("attendance_delete", site, pk=record.pk),
    )
    alice, bruno = two_managers
    confirm = page_form(bruno.get(delete).content)
    alice.post(edit, {**page_form(alice.get(edit).content), "visits": "120"})
    refused = bruno.post(delete, confirm)
    assert refused.status_code == 409
    page = refused.content.decode()
    # The delete page did not display the visits: what they were is not known, only that
    # they changed, to what, and by whom.
    assert all(text in page for text in ("Visits", "(not shown on this page)", "120", "alice on "))
    assert DailyAttendance.objects.get().visits == 120
    # Having seen the change, Bruno confirms again: deleted.
    assert bruno.post(delete, page_form(refused.content)).status_code == 302
    assert not DailyAttendance.objects.exists()


# --- what the token carries, and the audit of pages showing a narrative ----------------------


def _readable(token: str) -> str:
    """What anyone can read of a signed token without the secret key."""
    payload = token.split(":")[0]
    compressed = payload.startswith(".")
    raw = signing.b64_decode(payload.lstrip(".").encode())
    return (zlib.decompress(raw) if compressed else raw).decode()


def test_a_fingerprint_carries_digests_not_values() -> None:
    values = {"narrative": "Cruiser parked across from the door.", "visits": 80}
    readable = _readable(fingerprint(values, scope="agreements.interaction:7"))
    assert "Cruiser" not in readable
    payload = json.loads(readable)  # the time, and one digest per field
    assert set(payload) == {"at", "d"}
    assert set(payload["d"]) == {"narrative", "visits"}
    assert all(len(d) == 32 and int(d, 16) >= 0 for d in payload["d"].values())


def _views_of(interaction: Any) -> int:
    return AuditEntry.objects.filter(
        action=Action.VIEW, object_type="interaction", object_id=str(interaction.pk)
    ).count()


def test_the_delete_page_carries_no_narrative_and_is_audited(
    site: Site, manager_client: Client
) -> None:
    interaction = InteractionFactory(site=site)
    delete = url("interactions_delete", site, pk=interaction.pk)
    response = manager_client.get(delete)
    assert response.status_code == 200
    form = page_form(response.content)
    assert "Cruiser" not in _readable(form["loaded_as"])
    assert form["loaded_shown"] == "{}"
    assert "Cruiser" not in response.content.decode()
    assert _views_of(interaction) == 1


def test_a_refused_delete_of_an_interaction_is_audited(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    interaction = InteractionFactory(site=site)
    edit, delete = (url("interactions_edit", site, pk=interaction.pk),
                    url("interactions_delete", site, pk=interaction.pk))  # fmt: skip
    alice, bruno = two_managers
    confirm = page_form(bruno.get(delete).content)
    alice.post(edit, {**page_form(alice.get(edit).content), "narrative": "Two cruisers."})
    views = _views_of(interaction)
    refused = bruno.post(delete, confirm)
    assert refused.status_code == 409
    assert "Two cruisers." in refused.content.decode()  # the narrative now, shown...
    assert _views_of(interaction) == views + 1  # ...and audited


@pytest.mark.parametrize("stale", ["someone saved meanwhile", "altered token"])
def test_a_refused_interaction_edit_is_audited(
    site: Site, two_managers: tuple[Client, Client], stale: str
) -> None:
    interaction = InteractionFactory(site=site)
    edit = url("interactions_edit", site, pk=interaction.pk)
    alice, bruno = two_managers
    form_b = page_form(bruno.get(edit).content)
    if stale == "altered token":
        form_b["loaded_as"] = "altered"
    else:
        alice.post(edit, {**page_form(alice.get(edit).content), "narrative": "Two cruisers."})
    views = _views_of(interaction)
    refused = bruno.post(edit, {**form_b, "category": "other"})
    assert refused.status_code == (409 if stale == "someone saved meanwhile" else 400)
    assert _views_of(interaction) == views + 1
    assert AuditEntry.objects.filter(action=Action.VIEW, actor="bruno").count() == 2


def test_a_narrative_typed_over_is_shown_as_it_was_only_from_the_page_itself(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    # The value then comes back from the page, and counts only if it matches its digest.
    interaction = InteractionFactory(site=site)
    edit = url("interactions_edit", site, pk=interaction.pk)
    alice, bruno = two_managers
    form_b = page_form(bruno.get(edit).content)
    alice.post(edit, {**page_form(alice.get(edit).content), "narrative": "Two cruisers."})
    forged = json.dumps({"narrative": "A forged past."})
    refused = bruno.post(edit, {**form_b, "narrative": "Mine.", "loaded_shown": forged})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert "A forged past." not in page
    assert "(not shown on this page)" in page


# --- a token from before a deploy that changed what a page watches ---------------------------


@pytest.mark.parametrize("difference", ["a field no longer watched", "a field newly watched"])
def test_a_token_watching_other_fields_is_refused_as_out_of_date(
    site: Site, manager_client: Client, difference: str
) -> None:
    record = EngagementFactory(site=site)
    edit = url("engagements_edit", site, pk=record.pk)
    form = page_form(manager_client.get(edit).content)
    watch = record_watch(KINDS["engagements"])
    values = watch.values(record)
    if difference == "a field no longer watched":
        values["retired_field"] = "x"
    else:
        values.pop("summary")
    form["loaded_as"] = fingerprint(values, scope=f"agreements.engagementevent:{record.pk}")
    response = manager_client.post(edit, {**form, "summary": "Rewritten."})
    assert response.status_code == 400
    assert "could not be checked against changes" in response.content.decode()
    record.refresh_from_db()
    assert record.summary == "First dialogue with the division."
    # The page shown again carries a current token: saving it works.
    assert manager_client.post(edit, page_form(response.content)).status_code == 302


def test_a_token_for_other_fields_is_unreadable() -> None:
    token = signing.dumps({"at": "2026-01-01T00:00:00+00:00", "d": {"a": "x"}},
                          salt=f"{SALT}:s", compress=True)  # fmt: skip
    assert read_fingerprint(token, scope="s", names=("a", "b")) is None
    assert read_fingerprint(token, scope="s", names=("a",)) is not None


# --- check-in outcomes keep notes ---------------------------------------------------------------


def _awaiting(site: Site, notes: str = "") -> Any:
    return CheckInFactory(site=site, status="scheduled", notes=notes,
                          scheduled_start=timezone.now() - timedelta(days=2))  # fmt: skip


def test_recording_an_outcome_keeps_the_notes_written_before(
    site: Site, manager_client: Client
) -> None:
    checkin = _awaiting(site, notes="Sergeant asked for the new hours.")
    page, action = url("checkins_awaiting", site), url("checkins_outcome", site, pk=checkin.pk)
    form = page_form(manager_client.get(page).content, action=action)
    assert form["notes"] == "Sergeant asked for the new hours."
    assert manager_client.post(action, {**form, "status": "held"}).status_code == 302
    checkin.refresh_from_db()
    assert (checkin.status, checkin.notes) == ("held", "Sergeant asked for the new hours.")


def test_a_refused_outcome_keeps_what_the_user_entered(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    checkin = _awaiting(site)
    page, action = url("checkins_awaiting", site), url("checkins_outcome", site, pk=checkin.pk)
    alice, bruno = two_managers
    form_a = page_form(alice.get(page).content, action=action)
    form_b = page_form(bruno.get(page).content, action=action)
    alice.post(action, {**form_a, "status": "held", "notes": "Good talk."})
    refused = bruno.post(action, {**form_b, "status": "missed", "notes": "Nobody came."})
    assert refused.status_code == 409
    again = page_form(refused.content, action=action)
    assert (again["status"], again["notes"]) == ("missed", "Nobody came.")
    # Having seen Alice's outcome, Bruno keeps his: saving the form as shown records it.
    assert bruno.post(action, again).status_code == 302
    checkin.refresh_from_db()
    assert (checkin.status, checkin.notes) == ("missed", "Nobody came.")


def test_a_refused_outcome_takes_in_notes_written_meanwhile_if_left_alone(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    checkin = _awaiting(site)
    page, action = url("checkins_awaiting", site), url("checkins_outcome", site, pk=checkin.pk)
    alice, bruno = two_managers
    form_b = page_form(bruno.get(page).content, action=action)
    edit = url("checkins_edit", site, pk=checkin.pk)
    alice.post(edit, {**page_form(alice.get(edit).content), "notes": "Moved to Thursday."})
    refused = bruno.post(action, {**form_b, "status": "held"})
    assert refused.status_code == 409
    again = page_form(refused.content, action=action)
    assert (again["status"], again["notes"]) == ("held", "Moved to Thursday.")


# --- columns the page does not watch, and the order of locks ----------------------------------


def _officer_account(site: Site) -> tuple[Any, Any]:
    officer = OfficerFactory(registered_for=site)
    return officer, make_user(Role.LIAISON, site=site, username="officer-account")


@pytest.mark.parametrize("kind", ["officers", "interactions"])
def test_a_column_the_page_does_not_watch_changed_meanwhile_is_kept(
    site: Site, manager_client: Client, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    if kind == "officers":
        record, account = _officer_account(site)
        column, edit_field, value = "user", "rank", "Inspector"
    else:
        record = InteractionFactory(site=site)
        account = make_user(Role.MANAGER, site=site, username="first-author")
        column, edit_field, value = "logged_by", "narrative", "Two cruisers."
    edit = url(f"{kind}_edit", site, pk=record.pk)
    form = page_form(manager_client.get(edit).content)
    run = EditGuard.run

    def after_a_commit_meanwhile(self: EditGuard, save: Any, **kwargs: Any) -> Any:
        # Another transaction commits between the page loading the record and the lock.
        type(record).objects.filter(pk=record.pk).update(**{column: account})
        return run(self, save, **kwargs)

    monkeypatch.setattr(EditGuard, "run", after_a_commit_meanwhile)
    assert manager_client.post(edit, {**form, edit_field: value}).status_code == 302
    record.refresh_from_db()
    assert (getattr(record, column), str(getattr(record, edit_field))) == (account, value)


def test_an_officers_page_locks_the_site_before_the_officer(
    site: Site, manager_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer = OfficerFactory(registered_for=site)
    edit = url("officers_edit", site, pk=officer.pk)
    form = page_form(manager_client.get(edit).content)
    locked: list[str] = []
    select_for_update = QuerySet.select_for_update

    def recording(self: QuerySet[Any], *args: Any, **kwargs: Any) -> QuerySet[Any]:
        locked.append(self.model._meta.label_lower)
        return select_for_update(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", recording)
    assert manager_client.post(edit, {**form, "rank": "Inspector"}).status_code == 302
    assert locked[:2] == ["agreements.site", "liaisons.liaisonofficer"]


def test_a_value_the_page_did_not_show_is_named_so_in_french(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    record = AttendanceFactory(site=site)
    edit, delete = (url("attendance_edit", site, pk=record.pk),
                    url("attendance_delete", site, pk=record.pk))  # fmt: skip
    alice, bruno = two_managers
    confirm = page_form(bruno.get(delete).content)
    alice.post(edit, {**page_form(alice.get(edit).content), "visits": "120"})
    refused = bruno.post(delete, confirm, HTTP_ACCEPT_LANGUAGE="fr-CA")
    assert refused.status_code == 409
    assert "(non affiché sur cette page)" in refused.content.decode()
