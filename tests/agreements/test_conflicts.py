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
from agreements.services import record_save
from agreements.versioning import EditConflict
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


def urls(site: Site, kind: str, pk: int, *actions: str) -> list[str]:
    return [url(f"{kind}_{action}", site, pk=pk) for action in actions]


def race(
    clients: tuple[Client, Client],
    page: str,
    mine: dict[str, Any],
    theirs: dict[str, Any],
    action: str | None = None,
) -> Any:
    """Alice and Bruno open `page`; Alice saves `mine`, then Bruno `theirs`: his answer."""
    form_a, form_b = (page_form(c.get(page).content, action=action) for c in clients)
    assert clients[0].post(action or page, {**form_a, **mine}).status_code == 302
    return clients[1].post(action or page, {**form_b, **theirs})


def _views_of(interaction: Any) -> int:
    return AuditEntry.objects.filter(
        action=Action.VIEW, object_type="interaction", object_id=str(interaction.pk)
    ).count()


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
    bruno = two_managers[1]
    refused = race(two_managers, edit, {name: value_a}, {name: value_b})

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
    assert (str(getattr(record, name)), record.edit_version) == (value_b, 3)


def test_a_field_both_changed_keeps_the_users_value_and_saving_again_applies_it(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    record = InteractionFactory(site=site)
    edit = url("interactions_edit", site, pk=record.pk)
    bruno = two_managers[1]
    refused = race(
        two_managers, edit, {"narrative": "First wording."}, {"narrative": "Second wording."}
    )
    assert refused.status_code == 409
    assert "You changed this too: the form holds your value." in refused.content.decode()
    assert _views_of(record) == 3  # opened twice, then shown again with the narrative now
    # Having seen Alice's change, Bruno keeps his own wording by saving again.
    assert bruno.post(edit, page_form(refused.content)).status_code == 302
    record.refresh_from_db()
    assert record.narrative == "Second wording."


# kind: (make the record, field Alice changes and its value, shown as, field Bruno changes
# and its value)
DIFFERENT_FIELDS: dict[str, tuple[Any, tuple[str, Any, str], tuple[str, str]]] = {
    "engagements": (lambda site: EngagementFactory(site=site),
                    ("summary", "Second dialogue.", "Summary"), ("date", "2019-03-09")),
    "checkins": (lambda site: CheckInFactory(site=site),
                 ("scheduled_start", "2026-03-11T15:00", "2026-03-11 15:00"),
                 ("notes", "Went well.")),
    "interactions": (lambda site: InteractionFactory(site=site),
                     ("plain_clothes", "on", "yes"), ("narrative", "Two cruisers.")),
    "assignments": (
        lambda site: AssignmentFactory(site=site, officer=OfficerFactory(registered_for=site)),
        ("end", "2026-12-31", "2026-12-31"), ("role", "backup"),
    ),
    "officers": (lambda site: OfficerFactory(registered_for=site),
                 ("service_name", "Port Aldous Police", "Port Aldous Police"),
                 ("rank", "Inspector")),
    "schedules": (lambda site: ScheduleFactory(site=site),
                  ("expected_officers", "officer", "Dana Roy"), ("location", "Front office")),
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(DIFFERENT_FIELDS))
def test_the_refused_form_takes_in_the_changes_of_fields_left_alone(
    site: Site, two_managers: tuple[Client, Client], kind: str
) -> None:
    make, (name_a, value_a, shown_a), (name_b, value_b) = DIFFERENT_FIELDS[kind]
    record = make(site)
    if value_a == "officer":
        value_a = str(OfficerFactory(registered_for=site, name="Dana Roy").pk)
    edit = url(f"{kind}_edit", site, pk=record.pk)
    bruno = two_managers[1]
    refused = race(two_managers, edit, {name_a: value_a}, {name_b: value_b})
    assert refused.status_code == 409
    row = refused.content.decode().split("What changed since you opened this page")[1]
    assert all(text in row for text in (shown_a, "alice on "))
    assert "You changed this too" not in row

    # Saving the form as shown keeps Alice's change and applies Bruno's.
    assert bruno.post(edit, page_form(refused.content)).status_code == 302
    now = page_form(bruno.get(edit).content)
    assert (now[name_a], now[name_b]) == (value_a, value_b)


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
    assert _views_of(record) == 2  # opened, and shown again (with the narrative now)
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
    edit, delete = urls(site, "attendance", record.pk, "edit", "delete")
    alice, bruno = two_managers
    form_b = page_form(bruno.get(edit).content)
    assert alice.post(delete, page_form(alice.get(delete).content)).status_code == 302
    assert bruno.post(edit, {**form_b, "visits": "99"}).status_code == 404
    assert not DailyAttendance.objects.exists()


def test_hours_changed_meanwhile_refuse_the_site_form_and_are_taken_in(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    OperatingHours.objects.create(site=site, weekday=0, opens=time(9), closes=time(17))
    edit = url("site_edit", site)
    bruno = two_managers[1]
    hours = {"hours-0-closes": "21:00", "hours-2-opens": "10:00", "hours-2-closes": "14:00"}
    refused = race(two_managers, edit, hours, {"city": "Port Aldous"})
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


@pytest.mark.parametrize("change", [{"clauses-0-text": "No entry, ever."},
                                    {"clauses-0-DELETE": "on"}])  # fmt: skip
def test_clauses_changed_meanwhile_are_not_overwritten_nor_taken_in(
    site: Site, two_managers: tuple[Client, Client], change: dict[str, str]
) -> None:
    draft = ProtocolFactory(site=site)
    ClauseFactory(protocol=draft, text="No entry during operating hours.")
    edit = url("protocols_edit", site, pk=draft.pk)
    refused = race(two_managers, edit, change, {"signatories": "Chief Ada Moss"})
    assert refused.status_code == 409
    page = refused.content.decode()
    shown = "No entry, ever." if "clauses-0-text" in change else "(empty)"
    assert all(text in page for text in ("Clauses", shown, "alice on ", "Not taken into the form"))
    assert [c.text for c in draft.clauses.all()] == ([shown] if "clauses-0-text" in change else [])
    draft.refresh_from_db()
    assert draft.signatories == ""


SIGN = {"signed_on": "2026-01-20", "effective_from": "2026-02-01", "missing_acknowledged": "on"}


def test_signing_a_draft_someone_signed_meanwhile_is_refused(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    draft = ProtocolFactory(site=site)
    sign = url("protocols_sign", site, pk=draft.pk)
    refused = race(two_managers, sign, SIGN, {**SIGN, "effective_from": "2026-03-01"})
    assert refused.status_code == 302  # to the signed version, which says so
    draft.refresh_from_db()
    assert (draft.status, draft.effective_from) == ("signed", date(2026, 2, 1))


def test_signing_a_draft_changed_since_the_sign_page_opened_is_refused(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    draft = ProtocolFactory(site=site)
    ClauseFactory(protocol=draft, text="No entry during operating hours.")
    alice, bruno = two_managers
    sign = url("protocols_sign", site, pk=draft.pk)
    form_b = page_form(bruno.get(sign).content)
    edit = url("protocols_edit", site, pk=draft.pk)
    alice.post(edit, {**page_form(alice.get(edit).content), "clauses-0-text": "No entry, ever."})
    refused = bruno.post(sign, {**form_b, **SIGN})
    assert refused.status_code == 409
    draft.refresh_from_db()
    assert draft.status == "draft"


@pytest.mark.parametrize("action", ["end", "copy"])
def test_ending_or_copying_a_version_changed_meanwhile_is_refused(
    site: Site, two_managers: tuple[Client, Client], action: str
) -> None:
    signed = SignedProtocolFactory(site=site)
    ClauseFactory(protocol=signed, text="First wording.")
    detail, end, post = urls(site, "protocols", signed.pk, "detail", "end", action)
    alice, bruno = two_managers
    form_b = page_form(bruno.get(detail).content, action=end)  # end and copy: one version
    alice.post(end, {**page_form(alice.get(detail).content, action=end), "ended_on": "2026-01-01"})
    refused = bruno.post(post, {**form_b, "ended_on": "2026-02-01"})
    assert refused.status_code == 409
    assert all(text in refused.content.decode() for text in ("Ended on", "2026-01-01", "alice"))
    signed.refresh_from_db()
    assert signed.ended_on == date(2026, 1, 1)
    assert Protocol.objects.filter(site=site).count() == 1  # no copy either


# --- check-in outcomes, weights, sharing --------------------------------------------------


def test_an_outcome_recorded_meanwhile_is_not_overwritten_and_the_input_is_kept(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    checkin = CheckInFactory(site=site, status="scheduled", notes="Asked for the new hours.",
                             scheduled_start=timezone.now() - timedelta(days=2))  # fmt: skip
    page, action = url("checkins_awaiting", site), url("checkins_outcome", site, pk=checkin.pk)
    alice, bruno = two_managers
    opened = page_form(alice.get(page).content, action=action)
    assert opened["notes"] == "Asked for the new hours."  # recording keeps notes so far
    held = {"status": "held", "notes": "Good talk."}
    refused = race(two_managers, page, held, {"status": "missed"}, action=action)
    assert refused.status_code == 409
    assert all(text in refused.content.decode() for text in ("Held", "Good talk.", "alice on "))
    checkin.refresh_from_db()
    assert (checkin.status, checkin.notes) == ("held", "Good talk.")
    # Bruno's outcome is kept; the notes he left alone take Alice's. Saving records them.
    again = page_form(refused.content, action=action)
    assert (again["status"], again["notes"]) == ("missed", "Good talk.")
    assert bruno.post(action, again).status_code == 302
    checkin.refresh_from_db()
    assert (checkin.status, checkin.notes) == ("missed", "Good talk.")


def test_weights_changed_meanwhile_are_not_overwritten() -> None:
    alice, bruno = Client(), Client()
    alice.force_login(make_user(Role.ADMIN, username="alice"))
    bruno.force_login(make_user(Role.ADMIN, username="bruno"))
    weights = reverse("agreements:weights")
    refused = race((alice, bruno), weights, {"senior_support": "3"}, {"regular_contact": "2"})
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
    summaries = {"summary": "Cruiser by the door."}, {"summary": "Police parked nearby."}
    refused = race(two_managers, share, *summaries)
    assert refused.status_code == 409
    page = refused.content.decode()
    assert all(text in page for text in ("Cruiser by the door.", "(empty)", "alice on "))
    assert InteractionShare.objects.get().summary == "Cruiser by the door."


# --- deleting, and what the delete page carries --------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr-CA"])
def test_deleting_a_record_changed_meanwhile_is_refused(
    site: Site, two_managers: tuple[Client, Client], language: str
) -> None:
    record = AttendanceFactory(site=site)
    edit, delete = urls(site, "attendance", record.pk, "edit", "delete")
    alice, bruno = two_managers
    confirm = page_form(bruno.get(delete).content)
    alice.post(edit, {**page_form(alice.get(edit).content), "visits": "120"})
    refused = bruno.post(delete, confirm, HTTP_ACCEPT_LANGUAGE=language)
    assert refused.status_code == 409
    # The delete page did not display the visits: what they were is not known, only that
    # they changed, to what, and by whom (from the audit log).
    not_shown = "(not shown on this page)" if language == "en" else "(non affiché sur cette page)"
    assert all(text in refused.content.decode() for text in (not_shown, "120", "alice "))
    assert DailyAttendance.objects.get().visits == 120
    # Having seen the change, Bruno confirms again: deleted.
    assert bruno.post(delete, page_form(refused.content)).status_code == 302
    assert not DailyAttendance.objects.exists()


def test_the_delete_page_carries_no_narrative_and_a_refusal_shows_it_audited(
    site: Site, two_managers: tuple[Client, Client]
) -> None:
    interaction = InteractionFactory(site=site)
    edit, delete = urls(site, "interactions", interaction.pk, "edit", "delete")
    alice, bruno = two_managers
    opened = bruno.get(delete)
    assert set(page_form(opened.content)) == {"edit_version"}
    assert "Cruiser" not in opened.content.decode()
    assert _views_of(interaction) == 1  # opening the record is audited
    alice.post(edit, {**page_form(alice.get(edit).content), "narrative": "Two cruisers."})
    views = _views_of(interaction)
    refused = bruno.post(delete, page_form(opened.content))
    assert refused.status_code == 409
    assert "Two cruisers." in refused.content.decode()  # the narrative now, shown...
    assert _views_of(interaction) == views + 1  # ...and audited


# --- the services: the version check is theirs, whoever calls them --------------------------


def test_a_service_refuses_a_stale_record_and_a_no_op_save_moves_nothing(site: Site) -> None:
    first = EngagementFactory(site=site)
    record_save(instance=first)  # nothing changed: no new version, no entry
    second = type(first).objects.get(pk=first.pk)  # loaded at the same version
    first.summary, second.summary = "First save.", "Second save."
    record_save(instance=first)
    with pytest.raises(EditConflict):
        record_save(instance=second)
    first.refresh_from_db()
    assert (first.summary, first.edit_version) == ("First save.", 2)
    assert AuditEntry.objects.filter(action=Action.UPDATE).count() == 1
