"""The weights page previews the effect of new weights before saving, and a site's
managers are told afterwards how their score changed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.audit import AuditEntry
from agreements.choices import Role
from agreements.models import RubricWeights, Site
from scoring.reweigh import NOTICE_DAYS, preview, weights_notice
from scoring.rubric import DEFAULT_WEIGHTS, FACTOR_KEYS, Criterion, Factor, Scorecard
from scoring.scorecards import score_site
from tests.agreements.test_score_pages import riverside_like
from tests.conftest import make_user
from tests.factories import SiteFactory
from tests.page_forms import opened

pytestmark = pytest.mark.django_db
TORONTO = ZoneInfo("America/Toronto")
NOW = datetime(2026, 7, 15, 12, tzinfo=TORONTO)
WEIGHTS = "/weights/"


def _card(*scores: int, weights: dict[str, int] | None = None) -> Scorecard:
    factors = tuple(
        Factor(key, (Criterion("c", score, score, "", ""),))
        for key, score in zip(FACTOR_KEYS, scores, strict=True)
    )
    return Scorecard("s", date(2026, 7, 15), dict(weights or DEFAULT_WEIGHTS), factors)


def test_preview_weighs_the_same_factors_again_largest_change_first() -> None:
    flat = _card(50, 50, 50, 50, 50)
    skewed = _card(100, 0, 100, 0, 100)
    rows = preview([("flat", "Flat", flat), ("skewed", "Skewed", skewed)],
                   {**DEFAULT_WEIGHTS, "senior_support": 3})  # fmt: skip
    assert [r.slug for r in rows] == ["skewed", "flat"]
    assert (rows[0].before, rows[0].before_band) == (Decimal("60.0"), "developing")
    assert (rows[0].after, rows[0].after_band) == (Decimal("42.9"), "fragile")
    assert rows[1].changed is False


def test_the_notice_shows_for_a_while_after_a_change_then_not() -> None:
    card = _card(100, 0, 100, 0, 100)
    when = datetime(2026, 7, 1, 12, tzinfo=TORONTO)
    new = {**DEFAULT_WEIGHTS, "senior_support": 3}
    notice = weights_notice(card, (when, new), DEFAULT_WEIGHTS, today=date(2026, 7, 2))
    assert notice is not None
    assert (notice.before, notice.after, notice.changed) == (Decimal("60.0"), Decimal("42.9"), True)
    late = date(2026, 7, 1) + timedelta(days=NOTICE_DAYS)
    assert weights_notice(card, (when, new), DEFAULT_WEIGHTS, today=late) is None
    assert weights_notice(card, None, None, today=date(2026, 7, 2)) is None
    assert weights_notice(card, (when, new), new, today=date(2026, 7, 2)) is None


@time_machine.travel(NOW)
def test_preview_shows_every_site_now_and_with_new_weights_and_writes_nothing(
    client: Any, site: Site
) -> None:
    riverside_like(site)
    SiteFactory(name="Bravo Site")
    client.force_login(make_user(Role.ADMIN))
    before = score_site(site).total
    audit_before = AuditEntry.objects.count()
    data = {**DEFAULT_WEIGHTS, "early_engagement": 0, "preview": "1", **opened(client, WEIGHTS)}
    response = client.post(WEIGHTS, data)
    assert response.status_code == 200
    rows = {r.slug: r for r in response.context["preview"]}
    assert set(rows) == {site.slug, "bravo-site"} or len(rows) == 2
    assert rows[site.slug].before == before
    assert rows[site.slug].after != before
    page = response.content.decode()
    assert "Preview: nothing is saved yet" in page
    assert site.name in page
    assert not RubricWeights.objects.exists()
    assert AuditEntry.objects.count() == audit_before
    assert response.context["form"]["early_engagement"].value() == "0"  # kept for saving


def test_a_preview_of_bad_weights_says_why_and_writes_nothing(client: Any) -> None:
    client.force_login(make_user(Role.ADMIN))
    data = {**DEFAULT_WEIGHTS, "senior_support": 11, "preview": "1", **opened(client, WEIGHTS)}
    response = client.post(WEIGHTS, data)
    assert response.status_code == 422
    assert response.context["preview"] is None
    assert "senior_support" in response.context["form"].errors


@time_machine.travel(NOW)
def test_the_preview_costs_the_same_queries_for_more_sites(client: Any) -> None:
    client.force_login(make_user(Role.ADMIN))
    data = {**DEFAULT_WEIGHTS, "senior_support": 2, "preview": "1"}

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.post(WEIGHTS, {**data, **opened(client, WEIGHTS)}).status_code == 200
        return len(seen)

    for _ in range(2):
        riverside_like(SiteFactory())
    few = queries()
    for _ in range(4):
        riverside_like(SiteFactory())
    assert queries() == few


@time_machine.travel(NOW)
def test_after_a_change_the_sites_managers_read_how_their_score_changed(
    client: Any, site: Site
) -> None:
    riverside_like(site)
    old = score_site(site).total
    client.force_login(make_user(Role.ADMIN))
    data = {**DEFAULT_WEIGHTS, "early_engagement": 0, **opened(client, WEIGHTS)}
    assert client.post(WEIGHTS, data).status_code == 302
    new = score_site(site).total
    assert new != old
    manager = make_user(Role.MANAGER, site=site)
    client.force_login(manager)
    url = reverse("agreements:site_score", kwargs={"slug": site.slug})
    page = client.get(url)
    notice = page.context["weights_notice"]
    assert (notice.before, notice.after) == (old, new)
    text = page.content.decode()
    assert f"this site's score went from {old} to {new}" in text
    assert "rubric weights changed on 15 Jul 2026" in text
    # A researcher reads no exact score, so no notice either.
    researcher = make_user(Role.RESEARCHER)
    client.force_login(researcher)
    Site.objects.filter(pk=site.pk).update(research_consent=True)
    assert client.get(url).context.get("weights_notice") is None
    with time_machine.travel(NOW + timedelta(days=NOTICE_DAYS + 1)):
        client.force_login(manager)
        assert client.get(url).context["weights_notice"] is None
