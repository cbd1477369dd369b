"""The manager edition for the meeting with the chief (issue 17, item 5): its one-page
summary as plain functions, the report's HTML and PDF, and the day chosen on the
scorecard page."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from agreements.choices import Topic
from agreements.models import Site
from reports import chief
from reports.chief import AskFacts, Breach, Version
from reports.editions import build_report, report_html
from scoring import rubric
from tests.conftest import World
from tests.factories import (
    TORONTO,
    AssignmentFactory,
    CheckInFactory,
    ClauseFactory,
    InteractionFactory,
    ProtocolFactory,
    SignedProtocolFactory,
)

NOW = datetime(2026, 11, 20, 17, tzinfo=UTC)  # noon in Toronto
TODAY = date(2026, 11, 20)
BUFFER_CLAUSE = "Police vehicles do not park or idle inside the agreed buffer of the site."


def breach(day: date, topic: str = "") -> Breach:
    return Breach(
        day=day,
        when=f"{day} 14h",
        category="Police vehicle in the buffer",
        where="Inside the agreed buffer",
        impact="None",
        notified=False,
        liaison_contacted=False,
        topic=topic,
    )


V1 = Version(
    1,
    "ended",
    date(2023, 1, 1),
    effective_from=date(2023, 3, 1),
    ended_on=date(2026, 10, 1),
    clauses=(("proximity_buffer", "Version one's buffer."),),
)
V2 = Version(
    2,
    "signed",
    date(2026, 9, 1),
    effective_from=date(2026, 10, 1),
    review_by=date(2027, 3, 1),
    clauses=(("entry_during_hours", "No entry."), ("proximity_buffer", BUFFER_CLAUSE)),
)


# --- the plain rules ------------------------------------------------------------------------


def test_an_excerpt_is_cut_at_a_word_on_one_line() -> None:
    assert chief.excerpt("Short\n text.") == "Short text."
    cut = chief.excerpt("word " * 60, limit=30)
    assert cut == "word word word word word…"
    assert len(cut) <= 30


def test_a_breach_reads_the_clause_of_the_version_in_force_on_its_day() -> None:
    versions = [V1, V2]
    assert (
        chief.clause_text(versions, date(2026, 9, 15), "proximity_buffer")
        == "Version one's buffer."
    )
    assert chief.clause_text(versions, date(2026, 10, 1), "proximity_buffer") == BUFFER_CLAUSE
    assert chief.clause_text(versions, date(2026, 10, 5), "plainclothes") == ""  # no such clause
    assert chief.clause_text(versions, date(2026, 10, 5), "") == ""  # none recorded
    assert chief.clause_text(versions, date(2022, 1, 1), "proximity_buffer") == ""  # none in force


def test_breaches_are_counted_by_clause_with_a_row_for_those_without() -> None:
    rows = chief.breaches_by_clause(
        [
            breach(TODAY, "proximity_buffer"),
            breach(TODAY, "other"),
            breach(TODAY, "proximity_buffer"),
            breach(TODAY, "entry_during_hours"),
        ]
    )
    assert rows == [
        ("No entry during operating hours", 1),
        ("No stationing or parking inside the buffer", 2),
        ("Other", 1),
        ("No clause recorded", 0),
    ]
    assert chief.breaches_by_clause([breach(TODAY)]) == [("No clause recorded", 1)]
    assert chief.breaches_by_clause([]) == []


def test_nothing_is_asked_of_police_who_keep_to_everything() -> None:
    facts = AskFacts(as_of=TODAY, version_in_force=2, review_by=date(2027, 3, 1))
    assert chief.police_asks(facts) == []


def test_what_is_asked_of_police_follows_the_facts() -> None:
    facts = AskFacts(
        as_of=TODAY,
        breach_topics=[("proximity_buffer", 2), ("plainclothes", 0), ("", 1)],
        version_in_force=2,
        review_by=date(2026, 11, 1),
        contact_verified=False,
        acknowledged=False,
        schedule_active=False,
        missed_checkins=2,
    )
    assert chief.police_asks(facts) == [
        "Keep to the clause “No stationing or parking inside the buffer”: 2 breaches in the "
        "last 90 days.",
        "Explain 1 breach in the last 90 days that no clause names.",
        "Confirm the primary liaison's contact details with the site.",
        "Have the primary liaison acknowledge version 2 of the protocol.",
        "Review the protocol with the site: version 2 was due for review on 2026-11-01.",
        "Attend the scheduled check-ins: 2 missed in the last 90 days.",
        "Agree a regular check-in schedule with the site.",
    ]


def test_several_clauses_breached_make_one_ask() -> None:
    facts = AskFacts(
        as_of=TODAY,
        version_in_force=2,
        breach_topics=[("proximity_buffer", 2), ("plainclothes", 1), ("", 0)],
    )
    assert chief.police_asks(facts) == [
        "Keep to the clauses breached in the last 90 days: “No stationing or parking inside the "
        "buffer” (2); “No plain-clothes or undercover presence” (1)."
    ]
    with translation.override("fr-ca"):
        (french,) = chief.police_asks(facts)
    assert french.startswith(
        "Respecter les clauses enfreintes au cours des 90 derniers jours\u00a0: «\u00a0"
    )


def test_without_a_primary_liaison_or_a_protocol_police_are_asked_for_them() -> None:
    asks = chief.police_asks(
        AskFacts(as_of=TODAY, has_primary=False, acknowledged=False, contact_verified=False)
    )
    assert asks == [
        "Name a primary liaison officer for the site.",
        "Sign an entry and presence protocol with the site.",
    ]


def test_upcoming_protocol_changes() -> None:
    v3 = Version(3, "signed", date(2026, 11, 1), effective_from=date(2027, 1, 1))
    v4 = Version(4, "negotiating", date(2026, 11, 10))
    later = Version(5, "draft", date(2026, 12, 1))  # made after the report's day
    assert chief.upcoming_changes([V1, V2, v3, v4, later], TODAY) == [
        "Version 4 is being negotiated.",
        "Version 3, signed, takes effect on 2027-01-01.",
        "Version 2 is to be reviewed by 2027-03-01.",
    ]
    overdue = Version(
        2, "signed", date(2026, 1, 1), effective_from=date(2026, 2, 1), review_by=date(2026, 6, 1)
    )
    assert chief.upcoming_changes([overdue], TODAY) == [
        "The review of version 2 was due on 2026-06-01."
    ]
    far = Version(
        2, "signed", date(2026, 1, 1), effective_from=date(2026, 2, 1), review_by=date(2029, 1, 1)
    )
    assert chief.upcoming_changes([far], TODAY) == []


def test_news_is_what_happened_after_the_last_report_up_to_the_day() -> None:
    events = [
        (date(2026, 10, 31), "on the last report's day"),
        (date(2026, 11, 1), "first"),
        (date(2026, 11, 20), "on the day"),
        (date(2026, 11, 21), "after"),
    ]
    assert chief.dated_news(events, date(2026, 10, 31), TODAY) == ["first", "on the day"]


def test_factor_changes_since_the_last_report() -> None:
    inputs = rubric.SiteInputs(
        slug="s",
        opened_on=date(2020, 1, 1),
        schedules=(rubric.Schedule(1, "m", date(2026, 11, 5), None),),
    )
    before, after = rubric.score(inputs, date(2026, 10, 31)), rubric.score(inputs, TODAY)
    changes = {c.key: c.delta for c in chief.factor_changes(before, after)}
    assert changes["regular_contact"] == 20  # the schedule began in November
    assert changes["early_engagement"] == 0


# --- the report ------------------------------------------------------------------------------


@pytest.fixture
def chief_site(site: Site) -> Site:
    protocol = SignedProtocolFactory(site=site, version=1, review_by=date(2027, 2, 1))
    ClauseFactory(protocol=protocol, topic="proximity_buffer", text=BUFFER_CLAUSE)
    SignedProtocolFactory(
        site=site,
        version=2,
        created_on=date(2026, 11, 1),
        signed_on=date(2026, 11, 2),
        effective_from=date(2027, 1, 1),
        review_by=date(2029, 1, 1),
    )
    AssignmentFactory(site=site)
    CheckInFactory(
        site=site, scheduled_start=datetime(2026, 11, 10, 10, tzinfo=TORONTO), status="missed"
    )
    for day, topic in ((3, "proximity_buffer"), (12, "proximity_buffer"), (15, "")):
        InteractionFactory(
            site=site,
            occurred_at=datetime(2026, 11, day, 14, tzinfo=TORONTO),
            category="vehicle_in_buffer",
            clause_topic=topic,
            narrative="Narrative-marker-9a1f",
        )
    # Too old for the 90-day list.
    InteractionFactory(
        site=site,
        occurred_at=datetime(2026, 6, 1, 14, tzinfo=TORONTO),
        category="surveillance",
        clause_topic="plainclothes",
    )
    return site


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_manager_edition_opens_with_a_one_page_summary(chief_site: Site) -> None:
    pages = pdf_pages(build_report(chief_site, "manager", by="mona"))
    first = " ".join(pages[0].split())
    for expected in (
        "Summary for the meeting with police",
        "of 100",
        "(rubric v1)",
        "Since the last report (the score at the end of the previous month, 2026-10-31)",
        "3 new breaches.",  # Nov 3, 12 and 15
        "Check-ins: 0 held, 1 missed.",
        "Breaches by clause of the protocol, 2026-08-23 to 2026-11-20",
        "No stationing or parking inside the buffer 2",
        "No clause recorded 1",
        "What is asked of police",
        "Keep to the clause “No stationing or parking inside the buffer”: 2 breaches",
        "Attend the scheduled check-ins: 1 missed",
        "Upcoming protocol changes",
        "Version 2, signed, takes effect on 2027-01-01.",
        "Version 1 is to be reviewed by 2027-02-01.",
    ):
        assert expected in first, expected
    # The rest of the report starts on the next page.
    assert "Each criterion, with its evidence" not in first
    assert pages[1].startswith("Relationship score")
    assert all("Narrative-marker-9a1f" not in page for page in pages)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_every_breach_is_listed_with_the_clause_it_broke(chief_site: Site) -> None:
    html = report_html(chief_site, "manager")
    listed = html[html.index("Breaches of the last 90 days") :]
    assert listed.count('<tbody class="breach">') == 3  # not the one of June
    assert listed.count(BUFFER_CLAUSE) == 2
    assert listed.count("<strong>No stationing or parking inside the buffer</strong>") == 2
    assert listed.count("no clause recorded") == 1
    assert "2026-11-03 14h" in listed
    assert "2026-06-01" not in listed
    assert "Narrative-marker-9a1f" not in html


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_clause_topic_missing_from_the_version_in_force_is_said_so(site: Site) -> None:
    SignedProtocolFactory(site=site, version=1, review_by=date(2027, 2, 1))
    InteractionFactory(
        site=site,
        occurred_at=datetime(2026, 11, 3, 14, tzinfo=TORONTO),
        category="plainclothes_presence",
        clause_topic="plainclothes",
    )
    html = report_html(site, "manager")
    assert (
        "<strong>No plain-clothes or undercover presence</strong> (no clause on this topic" in html
    )


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_past_day_reports_the_breaches_up_to_it(chief_site: Site) -> None:
    html = report_html(chief_site, "manager", as_of=date(2026, 11, 10))
    listed = html[html.index("Breaches of the last 90 days") :]
    assert listed.count('<tbody class="breach">') == 1  # only November 3
    assert "the end of the previous month, 2026-10-31" in html


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_summary_speaks_french(chief_site: Site) -> None:
    with translation.override("fr-ca"):
        html = report_html(chief_site, "manager")
    for expected in (
        "Résumé pour la rencontre avec la police",
        "Ce qui est demandé à la police",
        "Changements à venir au protocole",
        "Aucune clause indiquée",
        "Clause enfreinte",
    ):
        assert expected in html, expected


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_manager_edition_costs_the_same_queries_whatever_the_breaches(
    chief_site: Site,
) -> None:
    def queries() -> int:
        cache.clear()  # scores computed afresh each time
        with CaptureQueriesContext(connection) as captured:
            report_html(chief_site, "manager")
        return len(captured)

    few = queries()
    for day in range(1, 19):
        InteractionFactory(
            site=chief_site,
            occurred_at=datetime(2026, 10, day, 9, tzinfo=TORONTO),
            category="stop_or_search",
            clause_topic="proximity_buffer",
        )
    AssignmentFactory(site=chief_site, role="backup", start=date(2026, 11, 2))
    assert queries() == few


# --- the day chosen on the scorecard page ------------------------------------------------------


def report_url(site: Site, edition: str = "manager") -> str:
    return reverse("agreements:site_report", kwargs={"slug": site.slug, "edition": edition})


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_scorecards_report_links_carry_the_day_shown(client: Any, world: World) -> None:
    client.force_login(world.users["manager"])
    page = client.get(
        reverse("agreements:site_score", kwargs={"slug": "riverside"}), {"as_of": "2026-09-15"}
    ).content.decode()
    assert f'href="{report_url(world.site)}?as_of=2026-09-15"' in page
    assert "PDF report as of 2026-09-15:" in page
    client.force_login(world.users["researcher"])
    page = client.get(
        reverse("agreements:site_score", kwargs={"slug": "riverside"}), {"as_of": "2026-09-15"}
    ).content.decode()
    # Researchers read the end of a complete month there, and so in the report.
    assert f'href="{report_url(world.site, "research")}?as_of=2026-09-30"' in page


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_report_is_made_for_the_day_asked(client: Any, chief_site: Site, manager: Any) -> None:
    client.force_login(manager)
    response = client.get(report_url(chief_site), {"as_of": "2026-11-10"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('riverside-manager-2026-11-10.pdf"')
    text = " ".join(pdf_pages(response.content))
    assert "as of 2026-11-10" in text
    assert client.get(report_url(chief_site)).status_code == 200  # today without a day


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_researcher_keeps_the_end_of_a_complete_month(client: Any, world: World) -> None:
    client.force_login(world.users["researcher"])
    response = client.get(report_url(world.site, "research"), {"as_of": "2026-09-15"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('riverside-research-2026-09-30.pdf"')


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-13-45", "Enter a valid date."),
        ("yesterday", "Enter a valid date."),
        ("2026-11-21", "Choose a day up to today (2026-11-20)."),
        ("1900-01-01", "Choose a day from 1990-01-01 on."),
        ("9" * 300, "Enter a valid date."),
    ],
)
def test_a_bad_day_is_refused_with_a_message_naming_the_field(
    client: Any, world: World, value: str, message: str
) -> None:
    from agreements.audit import AuditEntry

    client.force_login(world.users["manager"])
    response = client.get(report_url(world.site), {"as_of": value})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert f"As of: {message}" in page
    assert not AuditEntry.objects.filter(action="download").exists()  # nothing was made


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_bad_day_out_of_scope_is_still_not_found(client: Any, world: World) -> None:
    client.force_login(world.users["other_manager"])
    assert client.get(report_url(world.site), {"as_of": "nonsense"}).status_code == 404
    client.force_login(world.users["researcher"])
    assert client.get(report_url(world.site), {"as_of": "nonsense"}).status_code == 403


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_summary_of_a_busy_month_still_fits_on_the_first_page(site: Site) -> None:
    """Every clause breached, every ask, several protocol changes and liaison changes: the
    summary is still one page, and the score's details start on the second."""
    protocol = SignedProtocolFactory(site=site, version=1, review_by=date(2026, 11, 1))
    topics = [t.value for t in Topic]
    for topic in topics:
        ClauseFactory(protocol=protocol, topic=topic, text=f"{BUFFER_CLAUSE} ({topic})")
    SignedProtocolFactory(
        site=site,
        version=2,
        created_on=date(2026, 11, 1),
        signed_on=date(2026, 11, 2),
        effective_from=date(2027, 1, 1),
    )
    ProtocolFactory(site=site, version=3, status="negotiating", created_on=date(2026, 11, 5))
    for start in (date(2026, 11, 2), date(2026, 11, 9)):
        AssignmentFactory(site=site, role="backup", start=start, end=start + timedelta(days=3))
    for day in range(1, 19):
        CheckInFactory(
            site=site, scheduled_start=datetime(2026, 11, day, 10, tzinfo=TORONTO), status="missed"
        )
    for index, topic in enumerate([*topics, "", ""]):
        InteractionFactory(
            site=site,
            occurred_at=datetime(2026, 11, 1 + index, 9, tzinfo=TORONTO),
            category="stop_or_search",
            clause_topic=topic,
        )
    pages = pdf_pages(build_report(site, "manager"))
    first = " ".join(pages[0].split())
    assert "No clause recorded 2" in first
    assert "Keep to the clauses breached in the last 90 days: “No entry during operating " in first
    assert "Agree a regular check-in schedule with the site." in first
    assert "Version 3 is being negotiated." in first
    assert pages[1].startswith("Relationship score")
    with translation.override("fr-ca"):
        french = pdf_pages(build_report(site, "manager"))
    assert "Ce qui est demandé à la police" in french[0]
    assert "Changements à venir au protocole" in french[0]
    assert french[1].startswith("Pointage de la relation")
