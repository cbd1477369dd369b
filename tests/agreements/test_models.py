"""Validation rules of the site-side models (SPEC §2–§5)."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models

from agreements import choices
from agreements.models import SIGNED_IS_IMMUTABLE, Interaction, ProtocolClause
from tests.factories import (
    AttendanceFactory,
    ClauseFactory,
    InteractionFactory,
    ProtocolFactory,
    SignedProtocolFactory,
    SiteFactory,
)

pytestmark = pytest.mark.django_db
TORONTO = ZoneInfo("America/Toronto")
ST_JOHNS = ZoneInfo("America/St_Johns")  # UTC−3:30: the hour rule must hold in local time


def errors_of(instance: models.Model) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


# --- choices are exactly those of the spec --------------------------------------------


def test_it_uses_exactly_the_spec_categories() -> None:
    assert choices.Category.values == [
        "uninvited_entry", "exception_entry", "vehicle_in_buffer", "stationed_in_buffer",
        "stop_or_search", "arrest_near_site", "supplies_confiscated", "plainclothes_presence",
        "dog_deployment", "dispersal_order", "unrequested_overdose_attendance",
        "information_request", "surveillance", "called_by_staff", "supply_enforcement",
        "liaison_mediation", "referral_to_site", "alert_shared", "other",
    ]  # fmt: skip


def test_it_uses_exactly_the_spec_topics_and_vocabularies() -> None:
    assert choices.REQUIRED_TOPICS == (
        "entry_during_hours", "proximity_buffer", "entry_exceptions", "notification",
        "conflict_resolution", "plainclothes", "information_sharing",
    )  # fmt: skip
    assert choices.Topic.values[-1] == "other"
    assert choices.DistanceBand.values == ["inside", "entrance", "buffer", "beyond"]
    assert choices.Impact.values == ["none", "clients_left", "service_paused", "site_closed"]
    assert choices.LegalBasis.values == ["none", "warrant", "production_order", "other"]
    assert choices.EngagementKind.values == [
        "community_planning", "dialogue", "exemption_briefing", "training",
    ]  # fmt: skip
    assert choices.SpeakerRank.values == ["chief", "deputy_chief", "senior_administrator", "other"]
    assert choices.Stance.values == ["support", "neutral", "opposition"]
    assert choices.StatementKind.values == ["public_statement", "letter", "directive", "meeting"]
    assert choices.ProtocolStatus.values == ["draft", "negotiating", "signed", "ended"]
    assert choices.CheckInStatus.values == ["scheduled", "held", "missed", "cancelled"]
    assert choices.CheckInFormat.values == ["meeting", "tour", "visit"]
    assert choices.SiteStatus.values == ["planned", "open", "closed"]


# --- no field can hold a client identifier (SPEC §2) ------------------------------------

PERSONAL = re.compile(r"client|patient|visitor|birth|dob|health|sin\b|photo|image|plate|gender")
# Fields that hold personal-looking data about the site itself or about police, never clients.
ALLOWED = {
    ("site", "address"),
    ("site", "name"),
    ("liaisonofficer", "name"),
    ("liaisonofficer", "email"),
    ("liaisonofficer", "phone"),
    ("policeservice", "name"),
    ("apitoken", "name"),  # what a token is for
}


def test_no_model_of_ours_has_a_field_for_a_client_identifier() -> None:
    ours = [*apps.get_app_config("agreements").get_models(),
            *apps.get_app_config("liaisons").get_models()]  # fmt: skip
    for model in ours:
        for field in model._meta.get_fields():
            key = (model._meta.model_name, field.name)
            assert not PERSONAL.search(field.name), key
            # The one file is the signed agreement with police, a PDF, never a photo.
            # and the network report PDFs made for users; neither can hold a photo.
            if key not in {("protocol", "document"), ("reportjob", "file")}:
                assert not isinstance(field, models.FileField | models.ImageField), key
            if isinstance(field, models.Field) and key not in ALLOWED:
                assert field.name not in {"name", "email", "phone", "address"}, key


# --- site ---------------------------------------------------------------------------


def test_it_refuses_an_opening_date_on_a_planned_site() -> None:
    site = SiteFactory.build(status="planned", opened_on=date(2024, 1, 1))
    assert "opened_on" in errors_of(site)


def test_it_needs_an_opening_date_once_open() -> None:
    site = SiteFactory.build(status="open", opened_on=None)
    assert errors_of(site)["opened_on"] == ["Enter the day the site opened."]


def test_it_refuses_an_unknown_timezone_and_country() -> None:
    site = SiteFactory.build(timezone="Mars/Olympus", country="Canada")
    errors = errors_of(site)
    assert "timezone" in errors
    assert "country" in errors


# --- protocols ----------------------------------------------------------------------


def test_it_needs_signing_and_effective_dates_on_a_signed_version() -> None:
    protocol = ProtocolFactory.build(site=SiteFactory(), status="signed", version=1)
    errors = errors_of(protocol)
    assert {"signed_on", "effective_from"} <= set(errors)


def test_it_keeps_protocol_dates_in_order() -> None:
    protocol = SignedProtocolFactory.build(
        site=SiteFactory(),
        version=1,
        created_on=date(2023, 3, 1),
        signed_on=date(2023, 2, 1),
        effective_from=date(2023, 3, 1),
        review_by=date(2023, 3, 1),
    )
    errors = errors_of(protocol)
    assert "signed_on" in errors
    assert "review_by" in errors


def test_it_refuses_an_end_before_the_version_takes_effect() -> None:
    protocol = SignedProtocolFactory.build(
        site=SiteFactory(), version=1, status="ended", ended_on=date(2023, 2, 1)
    )
    assert "ended_on" in errors_of(protocol)


def test_a_signed_version_cannot_be_changed() -> None:
    protocol = SignedProtocolFactory()
    protocol.review_by = date(2030, 1, 1)
    with pytest.raises(ValidationError) as caught:
        protocol.full_clean()
    assert caught.value.messages == [SIGNED_IS_IMMUTABLE]


def test_a_signed_version_may_only_be_ended() -> None:
    protocol = SignedProtocolFactory()
    protocol.status = "ended"
    protocol.ended_on = date(2025, 1, 1)
    protocol.full_clean()  # allowed
    protocol.save()
    protocol.ended_on = date(2025, 2, 1)
    with pytest.raises(ValidationError):
        protocol.full_clean()


def test_clauses_of_a_signed_version_cannot_change() -> None:
    clause = ClauseFactory(protocol=SignedProtocolFactory())
    clause.text = "Softer wording"
    with pytest.raises(ValidationError):
        clause.full_clean()
    new = ProtocolClause(protocol=clause.protocol, topic="notification", text="Tell the site.")
    with pytest.raises(ValidationError):
        new.full_clean()


def test_a_draft_version_can_change_freely() -> None:
    protocol = ProtocolFactory()
    protocol.status = "negotiating"
    protocol.full_clean()
    ClauseFactory(protocol=protocol).full_clean()


def test_version_numbers_are_unique_per_site() -> None:
    first = ProtocolFactory(version=1)
    ProtocolFactory(version=1)  # another site
    with pytest.raises(IntegrityError):
        ProtocolFactory(site=first.site, version=1)


# --- interactions ---------------------------------------------------------------------


def test_it_stores_interaction_times_to_the_hour() -> None:
    interaction = InteractionFactory(occurred_at=datetime(2026, 6, 1, 14, 47, 13, tzinfo=TORONTO))
    interaction.refresh_from_db()
    local = interaction.occurred_at.astimezone(TORONTO)
    assert (local.hour, local.minute, local.second) == (14, 0, 0)


def test_it_keeps_the_hour_in_local_time_in_half_hour_timezones() -> None:
    site = SiteFactory(timezone="America/St_Johns")
    interaction = InteractionFactory(
        site=site, occurred_at=datetime(2026, 6, 1, 14, 47, tzinfo=ST_JOHNS)
    )
    interaction.refresh_from_db()
    local = interaction.occurred_at.astimezone(ST_JOHNS)
    assert (local.hour, local.minute) == (14, 0)


@time_machine.travel(datetime(2026, 6, 1, 12, tzinfo=TORONTO))
def test_it_refuses_an_interaction_in_the_future() -> None:
    interaction = InteractionFactory.build(
        site=SiteFactory(), occurred_at=datetime(2026, 6, 2, 12, tzinfo=TORONTO)
    )
    assert "occurred_at" in errors_of(interaction)


def test_an_information_request_needs_its_legal_basis_and_disclosure() -> None:
    interaction = InteractionFactory.build(site=SiteFactory(), category="information_request")
    errors = errors_of(interaction)
    assert {"legal_basis", "disclosed"} <= set(errors)


def test_only_an_information_request_has_a_legal_basis() -> None:
    interaction = InteractionFactory.build(site=SiteFactory(), legal_basis="warrant")
    assert "legal_basis" in errors_of(interaction)


def test_badge_numbers_are_a_comma_separated_list() -> None:
    good = InteractionFactory.build(site=SiteFactory(), badge_numbers="4411, 52-A")
    good.full_clean()
    assert good.badges == ["4411", "52-A"]
    bad = InteractionFactory.build(site=SiteFactory(), badge_numbers="John Smith; 4411")
    assert "badge_numbers" in errors_of(bad)


def test_an_interaction_outside_the_choices_is_refused() -> None:
    interaction = InteractionFactory.build(site=SiteFactory(), category="raid")
    assert "category" in errors_of(interaction)


def test_it_keeps_one_attendance_row_per_day() -> None:
    row = AttendanceFactory(date=date(2026, 6, 1))
    duplicate = AttendanceFactory.build(site=row.site, date=date(2026, 6, 1))
    assert errors_of(duplicate)["date"] == ["This day already has an attendance count: edit it."]


def test_interactions_have_no_minutes_even_when_saved_without_validation() -> None:
    site = SiteFactory()
    Interaction(
        site=site,
        occurred_at=datetime(2026, 6, 1, 9, 59, tzinfo=TORONTO),
        category="other",
        distance_band="beyond",
    ).save()
    assert Interaction.objects.get(site=site).occurred_at.minute == 0
