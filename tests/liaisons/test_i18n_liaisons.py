"""French (fr-CA) on the police side: schedule rules in words, reminder e-mails, the
calendar feed and the refusals people read. English stays the default."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from agreements.choices import CheckInStatus, Role
from agreements.models import Site
from liaisons.feed_links import feed_create
from liaisons.models import CheckIn, LiaisonAssignment
from liaisons.reminders import send_due_reminders
from liaisons.schedules import describe_rrule
from tests.conftest import make_user
from tests.factories import TORONTO, CheckInFactory, OfficerFactory, ScheduleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def default_language_afterwards() -> Iterator[None]:
    """LocaleMiddleware leaves the language of the last request active in this thread:
    the tests that follow expect English."""
    yield
    translation.deactivate()


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=MONTHLY;BYDAY=2TU", "le deuxième mardi de chaque mois à 10\u00a0h\u00a000"),
        ("FREQ=WEEKLY;BYDAY=MO,WE", "chaque lundi et mercredi à 10\u00a0h\u00a000"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "les jeudis, une semaine sur deux à 10\u00a0h\u00a000"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "le dernier vendredi de chaque mois à 10\u00a0h\u00a000"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "le dernier jour de chaque mois à 10\u00a0h\u00a000"),
        ("FREQ=YEARLY;BYMONTH=1,7", "chaque année, en janvier et juillet à 10\u00a0h\u00a000"),
    ],
)
def test_a_schedule_rule_reads_in_french(rule: str, words: str) -> None:
    with translation.override("fr-ca"):
        assert describe_rrule(rule, time(10)) == words
    assert describe_rrule(rule, time(10)) != words  # English stays the default


@pytest.fixture
def upcoming(site: Site, settings: Any) -> CheckIn:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.HR_POLICE_REMINDER_DAYS = 3
    settings.HR_POLICE_BASE_URL = "https://tracker.example.org/"
    schedule = ScheduleFactory(site=site, location="Salle communautaire")
    schedule.expected_officers.add(OfficerFactory(email="sgt.lee@police.example"))
    return CheckInFactory(  # type: ignore[no-any-return]
        site=site,
        schedule=schedule,
        scheduled_start=datetime(2026, 3, 13, 10, tzinfo=TORONTO),
        status=CheckInStatus.SCHEDULED,
    )


def test_a_reminder_e_mail_carries_english_then_french(upcoming: CheckIn) -> None:
    with time_machine.travel(datetime(2026, 3, 10, 8, tzinfo=TORONTO), tick=False):
        send_due_reminders()
    (message,) = mail.outbox
    english, french = message.subject.split(" / ")
    assert english == "Check-in reminder: Riverside Health Hub, Friday 13 March 2026 at 10:00"
    assert french == (
        "Rappel de rencontre de suivi\u00a0: Riverside Health Hub, vendredi 13 mars 2026 "
        "à 10\u00a0h\u00a000"
    )
    body = str(message.body)
    assert body.startswith("(Le français suit.)")
    assert "When: Friday 13 March 2026, 10:00–11:00 (America/Toronto time)" in body
    assert "Une rencontre de suivi avec Riverside Health Hub approche." in body
    assert "Quand\u00a0: vendredi 13 mars 2026, de 10\u00a0h\u00a000 à 11\u00a0h\u00a000" in body
    assert "Où\u00a0: Salle communautaire" in body
    assert body.index("Where:") < body.index("Où\u00a0:")


def test_the_calendar_feed_speaks_the_language_of_the_request(
    client: Any, site: Site, manager: Any
) -> None:
    CheckInFactory(site=site, scheduled_start=datetime.now(TORONTO), format="meeting")
    _feed, token = feed_create(label="front desk", actor=manager, site=site)
    url = reverse("liaisons:calendar_feed", kwargs={"token": token})
    french = client.get(url, HTTP_ACCEPT_LANGUAGE="fr-CA").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en-CA").content.decode()
    assert "Rencontres de suivi · Riverside Health Hub" in french
    assert "Check-ins · Riverside Health Hub" in english


def test_a_refusal_on_an_assignment_is_in_french(site: Site) -> None:
    assignment = LiaisonAssignment(
        officer=OfficerFactory(), site=site, role="primary",
        start=date(2026, 2, 1), end=date(2026, 1, 1),
    )  # fmt: skip
    with translation.override("fr-ca"), pytest.raises(ValidationError) as refused:
        assignment.full_clean()
    assert "La date de fin ne peut pas précéder la date de début." in refused.value.messages


def test_the_calendar_links_page_revokes_in_french(client: Any, site: Site) -> None:
    user = make_user(Role.MANAGER, site=site)
    feed, _token = feed_create(label="front desk", actor=user, site=site)
    client.force_login(user)
    url = reverse("liaisons:calendar_link_revoke", kwargs={"slug": site.slug, "pk": feed.pk})
    page = client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="fr-CA").content.decode()
    assert "Le lien de calendrier « front desk » n’ouvre plus rien." in page.replace("\u00a0", " ")
