"""Scores that pin no count, and complete months per site (issue 14 items 2 and 3a).

Written as the attacks of the issue: a researcher who reads compliance points to learn a
suppressed breach count, who polls on the last evening of a month to date an event, and
who compares sites across time zones on the dashboard. Each fails on the code before.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from agreements.access import Permission, site_access
from agreements.choices import Role
from agreements.models import Site
from agreements.research_days import complete, last_complete_month_end, research_day
from reports import editions
from reports.network import _days, network_job_create
from scoring import dashboard
from scoring.charts import Point, score_trend
from scoring.intervals import Span, exact_view, researcher_view, window_breaches
from scoring.readings import site_views
from scoring.scorecards import score_site
from tests.conftest import make_user
from tests.factories import InteractionFactory, SignedProtocolFactory, SiteFactory

pytestmark = pytest.mark.django_db

TORONTO = ZoneInfo("America/Toronto")
VANCOUVER = "America/Vancouver"
# 20:00 on 31 January in Vancouver: already 1 February in UTC and in Paris.
LAST_EVENING = datetime(2026, 1, 31, 20, tzinfo=ZoneInfo(VANCOUVER))
T = 10


def with_breaches(site: Site, count: int, day: date = date(2026, 6, 1)) -> Site:
    """A site with an agreement in force and `count` breaches on `day`."""
    SignedProtocolFactory(site=site)
    for hour in range(count):
        InteractionFactory(site=site, occurred_at=datetime.combine(day, datetime.min.time())
                           .replace(hour=8 + hour % 12, tzinfo=TORONTO))  # fmt: skip
    return site


def as_researcher(site: Site, card: Any, threshold: int = T) -> Any:
    """`card` as a researcher reads it, the release's monthly breach figures read from
    the database (scoring.readings)."""
    return site_views(site, [card], exact=False, threshold=threshold)[0]


def compliance(body: dict[str, Any]) -> Any:
    factor = next(f for f in body["factors"] if f["key"] == "entry_presence_agreement")
    return next(c for c in factor["criteria"] if c["key"] == "compliance")


# --- the pure rule ---------------------------------------------------------------------


@pytest.mark.parametrize("breaches", [1, 2, 9])
def test_compliance_points_of_a_suppressed_count_are_the_interval_of_every_such_count(
    breaches: int,
) -> None:
    site = with_breaches(SiteFactory(), breaches)
    card = score_site(site, date(2026, 6, 30))
    exact, seen = exact_view(card), as_researcher(site, card)
    assert exact.factor("entry_presence_agreement").criteria[2].points == max(0, 25 - 5 * breaches)
    points = seen.factor("entry_presence_agreement").criteria[2].points
    assert points.as_json() == {"min": 0, "max": 20}
    # The factor and total hold the exact figures and are as wide as the criterion.
    factor = seen.factor("entry_presence_agreement").score
    others = exact.factor("entry_presence_agreement").score.lo - max(0, 25 - 5 * breaches)
    assert (factor.lo, factor.hi) == (others + 0, others + 20)
    assert seen.total.lo <= card.total <= seen.total.hi
    assert seen.total.hi - seen.total.lo == Decimal("4.0")  # 20 points over five factors
    evidence = seen.factor("entry_presence_agreement").criteria[2].evidence
    assert evidence == "From 1 to 9 breaches in the months of the last 90 days."


def test_no_breach_and_many_breaches_stay_exact() -> None:
    quiet, busy = with_breaches(SiteFactory(), 0), with_breaches(SiteFactory(), 12)
    none = as_researcher(quiet, score_site(quiet, date(2026, 6, 30)))
    many = as_researcher(busy, score_site(busy, date(2026, 6, 30)))
    assert none.is_exact
    assert compliance(none.as_json())["points"] == 25
    assert many.is_exact
    assert compliance(many.as_json())["points"] == 0
    assert compliance(none.as_json())["evidence"] == "0 breaches in the last 90 days."
    # The sum of the months the release prints (April 0, May 0, June 12), nothing finer.
    assert compliance(many.as_json())["evidence"] == "12 breaches in the last 90 days."


def test_weights_and_rounding_are_the_rubrics_at_both_ends() -> None:
    site = with_breaches(SiteFactory(), 1)
    weights = {"early_engagement": 1, "senior_support": 1, "dedicated_liaison": 1,
               "entry_presence_agreement": 3, "regular_contact": 1}  # fmt: skip
    from scoring import rubric
    from scoring.scorecards import gather_inputs

    inputs = gather_inputs([site], date(2026, 6, 30), date(2026, 6, 30))[site.id]
    card = rubric.score(inputs, date(2026, 6, 30), weights)
    seen = researcher_view(card, breaches=(1, 9))
    f4 = seen.factor("entry_presence_agreement").score
    others = sum(f.score for f in card.factors if f.key != "entry_presence_agreement")
    for end, f4_points in ((seen.total.lo, f4.lo), (seen.total.hi, f4.hi)):
        expected = (Decimal(others + 3 * f4_points) / 7).quantize(Decimal("0.1"), "ROUND_HALF_UP")
        assert end == expected
    weights["entry_presence_agreement"] = 0  # a factor weighed 0 pins nothing in the total
    zero = researcher_view(rubric.score(inputs, date(2026, 6, 30), weights), breaches=(1, 9))
    assert zero.total.is_exact
    assert not zero.factor("entry_presence_agreement").score.is_exact


def test_the_band_becomes_the_range_of_bands_the_total_can_be_in() -> None:
    ends = Span(Decimal("58.0"), Decimal("62.0"))
    from scoring.intervals import BandRange

    band = BandRange("fragile", "developing")
    assert band.as_json() == {"min": "fragile", "max": "developing"}
    assert band.includes("fragile")
    assert band.includes("developing")
    assert not band.includes("strong")
    assert ends.as_json() == {"min": 58.0, "max": 62.0}
    assert ends.midpoint == 60


def test_the_breaches_of_a_window_are_what_the_months_printed_tell() -> None:
    # 90 days ending on 30 April start on 31 January: January touches the window, and
    # only the months wholly inside it count towards the least.
    printed = {(2026, 1): "<10", (2026, 2): "0", (2026, 3): "12", (2026, 4): "x"}
    assert window_breaches(date(2026, 4, 30), printed, T) == (12, None)
    printed[2026, 4] = "0"
    assert window_breaches(date(2026, 4, 30), printed, T) == (12, 21)
    # 90 days ending on 31 March are January to March exactly (2026 is not a leap year).
    assert window_breaches(date(2026, 3, 31), printed, T) == (13, 21)
    # A month the reader has no figure for is unknown, never zero.
    assert window_breaches(date(2026, 5, 31), {}, T) == (0, None)


# --- the attacks -----------------------------------------------------------------------


@time_machine.travel(datetime(2026, 5, 15, 12, tzinfo=TORONTO))
def test_a_window_sliding_past_a_months_first_day_does_not_date_a_breach(client: Any) -> None:
    # One breach on 31 January at one site, on 15 January at the other. The 90 days ending
    # on 30 April start on 31 January: a score counting its own window would read one
    # breach at the first site and none at the second, dating the breach to one day.
    late = with_breaches(SiteFactory(slug="late"), 1, date(2026, 1, 31))
    early = with_breaches(SiteFactory(slug="early"), 1, date(2026, 1, 15))
    client.force_login(make_user(Role.RESEARCHER))
    bodies = [
        client.get(f"/api/v1/sites/{s.slug}/score", {"as_of": "2026-04-30"}).json()
        for s in (late, early)
    ]
    assert compliance(bodies[0]) == compliance(bodies[1])
    assert compliance(bodies[0])["points"] == {"min": 0, "max": 25}


@time_machine.travel(datetime(2026, 4, 15, 12, tzinfo=TORONTO))
def test_a_score_tells_no_more_of_two_small_months_than_their_marks(client: Any) -> None:
    # Six breaches in January and six in February: each month prints "<10". A score read
    # as "10 or more in the 90 days" (no points) would add that they make ten or more,
    # narrowing each month beyond its mark; the score says only what the marks say.
    site = SiteFactory(slug="twice")
    with_breaches(site, 6, date(2026, 1, 20))
    with_breaches(site, 6, date(2026, 2, 20))
    client.force_login(make_user(Role.RESEARCHER))
    body = client.get(f"/api/v1/sites/{site.slug}/score", {"as_of": "2026-03-31"}).json()
    assert compliance(body)["points"] == {"min": 0, "max": 15}  # 2 to 18 breaches
    assert compliance(body)["evidence"] == (
        "From 2 to 18 breaches in the months of the last 90 days."
    )


@time_machine.travel(datetime(2026, 7, 15, 12, tzinfo=TORONTO))
def test_a_researcher_cannot_tell_one_breach_from_three_by_the_score(client: Any) -> None:
    one = with_breaches(SiteFactory(slug="one"), 1)
    three = with_breaches(SiteFactory(slug="three"), 3)
    client.force_login(make_user(Role.RESEARCHER))
    bodies = [
        client.get(f"/api/v1/sites/{s.slug}/score", {"as_of": "2026-06-30"}).json()
        for s in (one, three)
    ]
    assert compliance(bodies[0]) == compliance(bodies[1])
    assert compliance(bodies[0])["points"] == {"min": 0, "max": 20}
    assert bodies[0]["total"] == bodies[1]["total"]
    assert isinstance(bodies[0]["total"], dict)
    pages = [
        client.get(reverse("agreements:site_score", args=[s.slug]), {"as_of": "2026-06-30"})
        for s in (one, three)
    ]
    texts = [p.content.decode() for p in pages]
    assert "0–20 / 25" in texts[0]
    assert "0–20 / 25" in texts[1]
    assert "20 / 25" not in texts[0].replace("0–20 / 25", "")
    assert "<polygon" in texts[0]  # the trend chart draws the range
    assert "the total is a range" in texts[0]
    # The research PDF prints the same range, and no exact points.
    from tests.agreements.test_reports import text_of

    pdf = text_of(editions.build_report(one, "research", date(2026, 6, 30)))
    assert "0–20 / 25" in pdf


@time_machine.travel(datetime(2026, 7, 15, 12, tzinfo=TORONTO))
def test_managers_and_the_score_command_keep_exact_scores(client: Any) -> None:
    site = with_breaches(SiteFactory(slug="one"), 1)
    manager = make_user(Role.MANAGER, site=site)
    client.force_login(manager)
    body = client.get(f"/api/v1/sites/{site.slug}/score", {"as_of": "2026-06-30"}).json()
    assert compliance(body)["points"] == 20
    assert isinstance(body["total"], float)
    assert isinstance(body["band"], str)
    page = client.get(reverse("agreements:site_score", args=[site.slug]), {"as_of": "2026-06-30"})
    assert "20 / 25" in page.content.decode()
    assert "0–20" not in page.content.decode()


@time_machine.travel(LAST_EVENING)
def test_polling_on_the_last_evening_of_a_month_reads_the_month_before(client: Any) -> None:
    site = SiteFactory(slug="west", timezone=VANCOUVER)
    assert site.today() == date(2026, 1, 31)
    researcher = make_user(Role.RESEARCHER)
    client.force_login(researcher)
    # The score API and the scorecard: January is still running at the site.
    body = client.get(f"/api/v1/sites/{site.slug}/score").json()
    assert body["as_of"] == "2025-12-31"
    body = client.get(f"/api/v1/sites/{site.slug}/score", {"as_of": "2026-01-31"}).json()
    assert body["as_of"] == "2025-12-31"
    page = client.get(reverse("agreements:site_score", args=[site.slug]))
    assert page.context["card"].as_of == date(2025, 12, 31)
    assert site_access(researcher, site.slug, Permission.VIEW_SCORES).score_day(
        date(2026, 1, 31)
    ) == date(2025, 12, 31)
    # The research PDF's as-of day.
    from tests.agreements.test_reports import text_of

    assert "as of 2025-12-31" in text_of(editions.build_report(site, "research"))
    # Four hours later, at midnight in Vancouver, January is complete.
    with time_machine.travel(LAST_EVENING + timedelta(hours=4)):
        client.force_login(researcher)  # a new session: the idle one has timed out
        body = client.get(f"/api/v1/sites/{site.slug}/score").json()
        assert body["as_of"] == "2026-01-31"


@time_machine.travel(LAST_EVENING)
def test_the_dashboard_reads_each_sites_own_complete_month(client: Any) -> None:
    west = SiteFactory(name="West", timezone=VANCOUVER)
    east = SiteFactory(name="East", timezone="Europe/Paris")
    client.force_login(make_user(Role.RESEARCHER))
    page = client.get(reverse("agreements:dashboard"))
    days = {r.site.name: r.as_of for r in page.context["rows"]}
    assert days == {"West": date(2025, 12, 31), "East": date(2026, 1, 31)}
    assert {west.slug, east.slug} == {r.site.slug for r in page.context["rows"]}
    assert "the end of the last complete month in each site" in page.content.decode()


@time_machine.travel(LAST_EVENING)
def test_the_network_report_reads_each_sites_own_complete_month() -> None:
    west = SiteFactory(name="West", timezone=VANCOUVER)
    east = SiteFactory(name="East", timezone="Europe/Paris")
    researcher = make_user(Role.RESEARCHER)
    from django.utils import timezone

    job = network_job_create(user=researcher, as_of=timezone.localdate())
    assert job.status == "done"
    assert _days(job, [west, east]) == {west.id: date(2025, 12, 31), east.id: date(2026, 1, 31)}
    # Who manages the site reads the day asked for.
    manager = make_user(Role.MANAGER, site=west)
    job = network_job_create(user=manager, as_of=date(2026, 1, 31))
    assert _days(job, [west]) == {west.id: date(2026, 1, 31)}


def test_the_complete_month_rule() -> None:
    west = SiteFactory.build(timezone=VANCOUVER)
    assert last_complete_month_end(west, LAST_EVENING) == date(2025, 12, 31)
    assert not complete(west, date(2026, 1, 15), LAST_EVENING)
    assert complete(west, date(2026, 1, 15), LAST_EVENING + timedelta(hours=4))
    assert research_day(west, date(2025, 6, 3), LAST_EVENING) == date(2025, 6, 30)
    assert research_day(west, date(2026, 1, 31), LAST_EVENING) == date(2025, 12, 31)


# --- dashboard arithmetic and charts ---------------------------------------------------


def test_dashboard_ranges_sort_by_midpoint_and_count_bands_certain_to_possible() -> None:
    def view(lo: str, hi: str) -> Any:
        from scoring.intervals import BandRange, ScoreView

        low, high = Decimal(lo), Decimal(hi)
        from scoring.rubric import band_for

        return ScoreView("x", date(2026, 1, 31), {}, "v1", Span(low, high),
                         BandRange(band_for(low), band_for(high)), ())  # fmt: skip

    a = dashboard.SiteFacts("a", "A", "ON", "open")
    b = dashboard.SiteFacts("b", "B", "ON", "open")
    c = dashboard.SiteFacts("c", "C", "ON", "open")
    rows = dashboard.build_rows([(a, view("58.0", "62.0")), (b, view("61.0", "61.0")),
                                 (c, view("40.0", "44.0"))])  # fmt: skip
    assert [r.site.name for r in dashboard.sort_rows(rows, "-total")] == ["B", "A", "C"]
    assert rows[0].region_peers == Span(Decimal("50.5"), Decimal("52.5"))
    assert dict(dashboard.band_distribution(rows)) == {
        "strong": Span(0, 0), "developing": Span(1, 2), "fragile": Span(1, 2),
        "at_risk": Span(0, 0),
    }  # fmt: skip


def test_a_trend_of_ranges_is_drawn_and_described() -> None:
    points = [Point(date(2026, 1, 31), 60.0, 58.0, 62.0), Point(date(2026, 2, 28), 70.0)]
    svg = score_trend(points, title="Trend")
    assert "<polygon" in svg
    assert "58.0–62.0" in svg
    assert "the total is a range" in svg
    assert "<polygon" not in score_trend([Point(date(2026, 1, 31), 60.0)], title="Trend")


def test_the_interval_follows_the_deployments_threshold() -> None:
    site = with_breaches(SiteFactory(), 4)
    card = score_site(site, date(2026, 6, 30))
    points = as_researcher(site, card, 5).factor("entry_presence_agreement").criteria[2].points
    assert points.as_json() == {"min": 5, "max": 20}


@time_machine.travel(datetime(2026, 7, 15, 12, tzinfo=TORONTO))
def test_every_researcher_product_reads_the_same_score(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Score API, scorecard, dashboard, network report and research PDF: one figure."""
    site = with_breaches(SiteFactory(slug="one", research_consent=True), 3)
    researcher = make_user(Role.RESEARCHER)
    client.force_login(researcher)
    api = client.get(f"/api/v1/sites/{site.slug}/score", {"as_of": "2026-06-30"}).json()
    page = client.get(reverse("agreements:site_score", args=[site.slug]))
    dashboard_rows = client.get(reverse("agreements:dashboard")).context["rows"]
    seen: dict[str, Any] = {}

    def capture(template: str, context: dict[str, Any]) -> bytes:
        seen[template] = context
        return b"%PDF-1.7"

    monkeypatch.setattr(editions, "render_pdf", capture)
    monkeypatch.setattr("reports.network.render_pdf", capture)
    editions.build_report(site, "research", date(2026, 6, 30))
    network_job_create(user=researcher, as_of=date(2026, 7, 15))
    (network_row,) = seen["reports/network.html"]["rows"]
    (dashboard_row,) = dashboard_rows
    readings = [
        page.context["card"].as_json(),
        dashboard_row.card.as_json(),
        network_row.card.as_json(),
        seen["reports/research.html"]["score"].as_json(),
    ]
    assert api["as_of"] == "2026-06-30"
    assert compliance(api)["points"] == {"min": 0, "max": 20}
    for reading in readings:
        assert reading == api
