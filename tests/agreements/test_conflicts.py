"""Two managers editing the same record: the second save is refused, says what changed,
who changed it and when, keeps the user's input, and nothing is overwritten."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.audit import Action, AuditEntry
from agreements.choices import Role
from agreements.models import DailyAttendance, InteractionShare, OperatingHours, Protocol, Site
from agreements.scorecards import current_weights
from agreements.services import record_save
from agreements.versioning import EditConflict
from tests.conftest import make_user
from tests.factories import (
    AssignmentFactory,
    AttendanceFactory,
    CheckInFactory,
    ClauseFactory,
    EngagementFactory,
    InteractionFactory,
    OfficerFactory,
    ProtocolFactory,
    ScheduleFactory,
    SignedProtocolFactory,
    SupportStatementFactory,
)
from tests.page_forms import page_form

pytestmark = pytest.mark.django_db


def url(name: str, site: Site, **kwargs: Any) -> str:
    return reverse(f"agreements:{name}", kwargs={"slug": site.slug, **kwargs})


@pytest.fixture
def two_managers(site: Site) -> tuple[Client, Client]:
    a, b = Client(), Client()
    a.force_login(make_user(Role.MANAGER, site=site, username="alice"))
    b.force_login(make_user(Role.MANAGER, site=site, username="bruno"))
    return a, b


def _both_open(clients: tuple[Client, Client], page: str, action: str | None = None) -> Any:
    return [page_form(c.get(page).content, action=action) for c in clients]


# kind: (make the record, field, value A saves, value B tries, label, shown before, shown after A)
RECORDS: dict[str, tuple[Any, str, str, str, str, str, str]] = {
    "officers": (lambda site: OfficerFactory(registered_for=site, rank="Sergeant"),
                 "rank", "Inspector", "Staff Sergeant", "Rank", "Sergeant", "Inspector"),
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
    form_a, form_b = _both_open(two_managers, edit)

    assert alice.post(edit, {**form_a, name: value_a}).status_code == 302
    refused = bruno.post(edit, {**form_b, name: value_b})

    assert refused.status_code == 409
    record.refresh_from_db()
    assert str(getattr(record, name)) == value_a  # Alice's value stands
    page = refused.content.decode()
    assert "Someone else saved this" in page
    row = page[page.index("What changed since you opened this page") :]
    assert all(text in row for text in (label, before, after, "alice on "))
    assert page_form(refused.content)[name] == value_b  # Bruno's input is kept

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
    assert (record.summary, record.edit_version) == ("Third dialogue.", 3)


def test_a_field_both_changed_keeps_the_users_value_and_saving_again_applies_it(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    record = EngagementFactory(site=site)
    edit = url("engagements_edit", site, pk=record.pk)
    alice, bruno = two_managers
    form_a, form_b = _both_open(two_managers, edit)
    alice.post(edit, {**form_a, "summary": "Alice's wording."})
    refused = bruno.post(edit, {**form_b, "summary": "Bruno's wording."})
    assert refused.status_code == 409
    assert "You changed this too: the form holds your value." in refused.content.decode()
    # Having seen Alice's change, Bruno keeps his own wording by saving again.
    assert bruno.post(edit, page_form(refused.content)).status_code == 302
    record.refresh_from_db()
    assert record.summary == "Bruno's wording."


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
    form_a, form_b = _both_open(two_managers, edit)
    assert alice.post(edit, {**form_a, name_a: value_a}).status_code == 302
    saved_by_alice = getattr(type(record).objects.get(pk=record.pk), name_a)
    refused = bruno.post(edit, {**form_b, name_b: value_b})
    assert refused.status_code == 409
    assert "You changed this too" not in refused.content.decode()

    # Saving the form as shown keeps Alice's change and applies Bruno's.
    assert bruno.post(edit, page_form(refused.content)).status_code == 302
    record.refresh_from_db()
    assert getattr(record, name_a) == saved_by_alice
    assert str(getattr(record, name_b)) == value_b


@pytest.mark.parametrize("version", ["", "not-a-number", "-1", "99"])
def test_a_missing_or_altered_version_saves_nothing(
    site: Site, manager_client: Client, version: str
) -> None:
    record = InteractionFactory(site=site)
    edit = url("interactions_edit", site, pk=record.pk)
    form = page_form(manager_client.get(edit).content)
    response = manager_client.post(edit, {**form, "narrative": "Rewritten.",
                                          "edit_version": version})  # fmt: skip
    assert response.status_code == 400
    assert "could not be checked against changes" in response.content.decode()
    assert page_form(response.content)["narrative"] == "Rewritten."  # the input is kept
    record.refresh_from_db()
    assert record.narrative == "Cruiser parked across from the door."
    # The page shown again carries the version now: saving it works.
    assert manager_client.post(edit, page_form(response.content)).status_code == 302


def test_a_record_deleted_meanwhile_is_not_recreated(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    record = AttendanceFactory(site=site)
    edit, delete = url("attendance_edit", site, pk=record.pk), url("attendance_delete", site,
                                                                   pk=record.pk)  # fmt: skip
    alice, bruno = two_managers
    form_b = page_form(bruno.get(edit).content)
    assert alice.post(delete, page_form(alice.get(delete).content)).status_code == 302
    assert bruno.post(edit, {**form_b, "visits": "99"}).status_code == 404
    assert not DailyAttendance.objects.exists()


def test_an_officer_moved_to_another_service_is_named(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    officer = OfficerFactory(registered_for=site)
    edit = url("officers_edit", site, pk=officer.pk)
    alice, bruno = two_managers
    form_a, form_b = _both_open(two_managers, edit)
    alice.post(edit, {**form_a, "service_name": "Port Aldous Police"})
    refused = bruno.post(edit, {**form_b, "rank": "Inspector"})
    assert refused.status_code == 409
    row = refused.content.decode().split("What changed since you opened this page")[1]
    assert all(text in row for text in ("Police service", "Port Aldous Police", "alice on "))
    officer.refresh_from_db()
    assert (officer.service.name, officer.rank) == ("Port Aldous Police", "Sergeant")


def test_expected_officers_of_a_schedule_are_compared(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    schedule = ScheduleFactory(site=site)
    officer = OfficerFactory(registered_for=site, name="Dana Roy")
    edit = url("schedules_edit", site, pk=schedule.pk)
    alice, bruno = two_managers
    form_a, form_b = _both_open(two_managers, edit)
    alice.post(edit, {**form_a, "expected_officers": [str(officer.pk)]})
    refused = bruno.post(edit, {**form_b, "location": "Front office"})
    assert refused.status_code == 409
    assert "Dana Roy" in refused.content.decode()
    assert list(schedule.expected_officers.all()) == [officer]
    # Bruno left the expected officers alone: the form shown again holds Alice's choice.
    assert page_form(refused.content)["expected_officers"] == str(officer.pk)


def test_hours_changed_meanwhile_refuse_the_site_form_and_are_taken_in(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    OperatingHours.objects.create(site=site, weekday=0, opens=time(9), closes=time(17))
    edit = url("site_edit", site)
    alice, bruno = two_managers
    form_a, form_b = _both_open(two_managers, edit)
    alice.post(edit, {**form_a, "hours-0-closes": "21:00", "hours-2-opens": "10:00",
                      "hours-2-closes": "14:00"})  # fmt: skip
    refused = bruno.post(edit, {**form_b, "city": "Port Aldous"})
    assert refused.status_code == 409
    row = refused.content.decode().split("What changed since you opened this page")[1]
    assert all(text in row for text in ("Monday: Closes", "17:00", "21:00", "alice on "))
    site.refresh_from_db()
    assert site.city != "Port Aldous"
    # Saving the form as shown applies Bruno's city and keeps Alice's hours.
    assert bruno.post(edit, page_form(refused.content)).status_code == 302
    site.refresh_from_db()
    assert site.city == "Port Aldous"
    hours = {h.weekday: (h.opens, h.closes) for h in site.hours.all()}
    assert hours == {0: (time(9), time(21)), 2: (time(10), time(14))}


# --- protocols ----------------------------------------------------------------------------


def test_clauses_edited_meanwhile_are_not_overwritten_nor_taken_in(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    draft = ProtocolFactory(site=site)
    ClauseFactory(protocol=draft, text="No entry during operating hours.")
    edit = url("protocols_edit", site, pk=draft.pk)
    alice, bruno = two_managers
    form_a, form_b = _both_open(two_managers, edit)
    assert alice.post(edit, {**form_a, "clauses-0-text": "No entry, ever."}).status_code == 302
    refused = bruno.post(edit, {**form_b, "signatories": "Chief Ada Moss"})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert all(text in page for text in ("Clauses", "No entry, ever.", "alice on ",
                                         "Not taken into the form"))  # fmt: skip
    assert draft.clauses.get().text == "No entry, ever."
    draft.refresh_from_db()
    assert draft.signatories == ""


def test_a_clause_removed_meanwhile_refuses_the_edit(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    draft = ProtocolFactory(site=site)
    ClauseFactory(protocol=draft, text="No entry during operating hours.")
    edit = url("protocols_edit", site, pk=draft.pk)
    alice, bruno = two_managers
    form_a, form_b = _both_open(two_managers, edit)
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
    form_a, form_b = _both_open(two_managers, edit)
    assert alice.post(edit, {**form_a, **SIGN}).status_code == 302
    refused = bruno.post(edit, {**form_b, **SIGN, "effective_from": "2026-03-01"})
    assert refused.status_code == 409
    assert "Signed" in refused.content.decode()
    draft.refresh_from_db()
    assert draft.effective_from == date(2026, 2, 1)


def test_ending_a_version_ended_meanwhile_is_refused(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    signed = SignedProtocolFactory(site=site)
    detail, end = url("protocols_detail", site, pk=signed.pk), url("protocols_end", site,
                                                                  pk=signed.pk)  # fmt: skip
    alice, bruno = two_managers
    form_a, form_b = _both_open(two_managers, detail, action=end)
    alice.post(end, {**form_a, "ended_on": "2026-01-01"})
    refused = bruno.post(end, {**form_b, "ended_on": "2026-02-01"})
    assert refused.status_code == 409
    assert all(text in refused.content.decode() for text in ("Ended on", "2026-01-01"))
    signed.refresh_from_db()
    assert signed.ended_on == date(2026, 1, 1)


def test_copying_a_version_changed_meanwhile_is_refused(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    draft = ProtocolFactory(site=site)
    ClauseFactory(protocol=draft, text="First wording.")
    detail, copy = url("protocols_detail", site, pk=draft.pk), url("protocols_copy", site,
                                                                   pk=draft.pk)  # fmt: skip
    alice, bruno = two_managers
    form_b = page_form(bruno.get(detail).content, action=copy)
    edit = url("protocols_edit", site, pk=draft.pk)
    alice.post(edit, {**page_form(alice.get(edit).content), "clauses-0-text": "Second wording."})
    refused = bruno.post(copy, form_b)
    assert refused.status_code == 409
    assert "Second wording." in refused.content.decode()
    assert Protocol.objects.filter(site=site).count() == 1


# --- check-in outcomes, weights, sharing --------------------------------------------------


def _awaiting(site: Site, notes: str = "") -> Any:
    return CheckInFactory(site=site, status="scheduled", notes=notes,
                          scheduled_start=timezone.now() - timedelta(days=2))  # fmt: skip


def test_an_outcome_recorded_meanwhile_is_not_overwritten_and_the_input_is_kept(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    checkin = _awaiting(site)
    page, action = url("checkins_awaiting", site), url("checkins_outcome", site, pk=checkin.pk)
    alice, bruno = two_managers
    form_a, form_b = _both_open(two_managers, page, action=action)
    alice.post(action, {**form_a, "status": "held", "notes": "Good talk."})
    refused = bruno.post(action, {**form_b, "status": "missed", "notes": "Nobody came."})
    assert refused.status_code == 409
    assert all(text in refused.content.decode() for text in ("Held", "Good talk.", "alice on "))
    checkin.refresh_from_db()
    assert (checkin.status, checkin.notes) == ("held", "Good talk.")
    again = page_form(refused.content, action=action)
    assert (again["status"], again["notes"]) == ("missed", "Nobody came.")
    # Having seen Alice's outcome, Bruno keeps his: saving the form as shown records it.
    assert bruno.post(action, again).status_code == 302
    checkin.refresh_from_db()
    assert (checkin.status, checkin.notes) == ("missed", "Nobody came.")


def test_a_refused_outcome_takes_in_notes_written_meanwhile_if_left_alone(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    checkin = _awaiting(site, notes="Sergeant asked for the new hours.")
    page, action = url("checkins_awaiting", site), url("checkins_outcome", site, pk=checkin.pk)
    alice, bruno = two_managers
    form_b = page_form(bruno.get(page).content, action=action)
    assert form_b["notes"] == "Sergeant asked for the new hours."
    edit = url("checkins_edit", site, pk=checkin.pk)
    alice.post(edit, {**page_form(alice.get(edit).content), "notes": "Moved to Thursday."})
    refused = bruno.post(action, {**form_b, "status": "held"})
    assert refused.status_code == 409
    again = page_form(refused.content, action=action)
    assert (again["status"], again["notes"]) == ("held", "Moved to Thursday.")


def test_weights_changed_meanwhile_are_not_overwritten() -> None:
    alice, bruno = Client(), Client()
    alice.force_login(make_user(Role.ADMIN, username="alice"))
    bruno.force_login(make_user(Role.ADMIN, username="bruno"))
    weights = reverse("agreements:weights")
    form_a, form_b = _both_open((alice, bruno), weights)
    assert alice.post(weights, {**form_a, "senior_support": "3"}).status_code == 302
    refused = bruno.post(weights, {**form_b, "regular_contact": "2"})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert all(text in page for text in ("F2 Support from police leadership", "alice on "))
    assert (current_weights()["senior_support"], current_weights()["regular_contact"]) == (3, 1)
    # Bruno left F2 alone: the form shown again holds Alice's 3 and his 2.
    assert bruno.post(weights, page_form(refused.content)).status_code == 302
    assert (current_weights()["senior_support"], current_weights()["regular_contact"]) == (3, 2)


def test_a_summary_shared_meanwhile_is_not_overwritten(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    interaction = InteractionFactory(site=site)
    share = url("interactions_share", site, pk=interaction.pk)
    alice, bruno = two_managers
    form_a, form_b = _both_open(two_managers, share)
    assert alice.post(share, {**form_a, "summary": "Cruiser by the door."}).status_code == 302
    refused = bruno.post(share, {**form_b, "summary": "Police parked nearby."})
    assert refused.status_code == 409
    page = refused.content.decode()
    assert all(text in page for text in ("Cruiser by the door.", "(empty)", "alice on "))
    assert InteractionShare.objects.get().summary == "Cruiser by the door."


# --- deleting, and what the delete page carries --------------------------------------------


def test_deleting_a_record_changed_meanwhile_is_refused(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    record = AttendanceFactory(site=site)
    edit, delete = url("attendance_edit", site, pk=record.pk), url("attendance_delete", site,
                                                                   pk=record.pk)  # fmt: skip
    alice, bruno = two_managers
    confirm = page_form(bruno.get(delete).content)
    alice.post(edit, {**page_form(alice.get(edit).content), "visits": "120"})
    refused = bruno.post(delete, confirm)
    assert refused.status_code == 409
    # The delete page did not display the visits: what they were is not known, only that
    # they changed, to what, and by whom (from the audit log).
    page = refused.content.decode()
    assert all(text in page for text in ("Visits", "(not shown on this page)", "120", "alice on "))
    assert DailyAttendance.objects.get().visits == 120
    # Having seen the change, Bruno confirms again: deleted.
    assert bruno.post(delete, page_form(refused.content)).status_code == 302
    assert not DailyAttendance.objects.exists()


def test_a_value_the_page_did_not_show_is_named_so_in_french(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    record = AttendanceFactory(site=site)
    edit, delete = url("attendance_edit", site, pk=record.pk), url("attendance_delete", site,
                                                                   pk=record.pk)  # fmt: skip
    alice, bruno = two_managers
    confirm = page_form(bruno.get(delete).content)
    alice.post(edit, {**page_form(alice.get(edit).content), "visits": "120"})
    refused = bruno.post(delete, confirm, HTTP_ACCEPT_LANGUAGE="fr-CA")
    assert refused.status_code == 409
    assert "(non affiché sur cette page)" in refused.content.decode()


def _views_of(interaction: Any) -> int:
    return AuditEntry.objects.filter(
        action=Action.VIEW, object_type="interaction", object_id=str(interaction.pk)
    ).count()


def test_the_delete_page_carries_no_narrative_and_is_audited(
    site: Site, manager_client: Client
) -> None:
    interaction = InteractionFactory(site=site)
    response = manager_client.get(url("interactions_delete", site, pk=interaction.pk))
    assert response.status_code == 200
    assert set(page_form(response.content)) == {"edit_version"}
    assert "Cruiser" not in response.content.decode()
    assert _views_of(interaction) == 1


def test_a_refused_delete_of_an_interaction_shows_the_narrative_now_and_is_audited(
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


@pytest.mark.parametrize("stale", ["someone saved meanwhile", "altered version"])
def test_a_refused_interaction_edit_is_audited(
    site: Site, two_managers: tuple[Client, Client], stale: str
) -> None:
    interaction = InteractionFactory(site=site)
    edit = url("interactions_edit", site, pk=interaction.pk)
    alice, bruno = two_managers
    form_b = page_form(bruno.get(edit).content)
    if stale == "altered version":
        form_b["edit_version"] = "altered"
    else:
        alice.post(edit, {**page_form(alice.get(edit).content), "narrative": "Two cruisers."})
    views = _views_of(interaction)
    refused = bruno.post(edit, {**form_b, "category": "other"})
    assert refused.status_code == (409 if stale == "someone saved meanwhile" else 400)
    assert _views_of(interaction) == views + 1
    assert AuditEntry.objects.filter(action=Action.VIEW, actor="bruno").count() == 2


# --- the services: the version check is theirs, whoever calls them --------------------------


def test_a_service_refuses_a_stale_record_and_writes_nothing(site: Site) -> None:
    first, second = EngagementFactory(site=site), None
    second = type(first).objects.get(pk=first.pk)  # loaded at the same version
    first.summary = "First save."
    record_save(instance=first)
    second.summary = "Second save."
    with pytest.raises(EditConflict):
        record_save(instance=second)
    first.refresh_from_db()
    assert (first.summary, first.edit_version) == ("First save.", 2)
    assert AuditEntry.objects.filter(action=Action.UPDATE).count() == 1


def test_a_save_that_changes_nothing_does_not_move_the_version(site: Site) -> None:
    record = EngagementFactory(site=site)
    record_save(instance=record)
    record.refresh_from_db()
    assert record.edit_version == 1
    assert not AuditEntry.objects.filter(action=Action.UPDATE).exists()
