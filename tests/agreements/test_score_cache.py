"""The score cache: a second read computes nothing, and no write leaves a stale score."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from agreements.choices import ProtocolStatus, Role
from agreements.models import (
    EngagementEvent,
    Interaction,
    ProtocolClause,
    RubricWeights,
    Site,
    SupportStatement,
)
from agreements.services import (
    interaction_log,
    protocol_end,
    protocol_new_version,
    protocol_save,
    record_delete,
    record_save,
    site_save,
    weights_set,
)
from bundles.bundle import export_bundle, import_bundle
from liaisons.models import CheckIn, LiaisonAssignment, LiaisonOfficer
from liaisons.services import (
    checkin_record,
    officer_save,
    protocol_acknowledge,
    schedule_save,
)
from scoring import cache as score_cache
from scoring import rubric as scoring
from scoring import scorecards, signals
from scoring.intervals import ScoreView, exact_view
from tests.conftest import make_user
from tests.factories import (
    AcknowledgementFactory,
    AssignmentFactory,
    CheckInFactory,
    ClauseFactory,
    EngagementFactory,
    InteractionFactory,
    OfficerFactory,
    OperatingHoursFactory,
    ProtocolFactory,
    ScheduleFactory,
    SignedProtocolFactory,
    SiteFactory,
    SupportStatementFactory,
)
from tests.page_forms import page_form
from workspace import records

pytestmark = pytest.mark.django_db
TORONTO = ZoneInfo("America/Toronto")
NOW = datetime(2026, 7, 15, 12, tzinfo=TORONTO)
DAY = date(2026, 7, 15)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def scored(site: Site) -> Site:
    """A site with records that earn points in every factor."""
    EngagementFactory(site=site, date=date(2019, 3, 2))
    SupportStatementFactory(site=site, date=date(2025, 5, 1))
    officer = OfficerFactory(contact_verified_on=date(2026, 3, 1))
    AssignmentFactory(site=site, officer=officer)
    protocol = SignedProtocolFactory(site=site, version=1, review_by=date(2027, 9, 15))
    ClauseFactory(protocol=protocol, topic="entry_during_hours")
    AcknowledgementFactory(officer=officer, protocol=protocol)
    CheckInFactory(site=site, scheduled_start=datetime(2026, 5, 12, 10, tzinfo=TORONTO))
    InteractionFactory(site=site, occurred_at=datetime(2026, 6, 1, 14, tzinfo=TORONTO))
    return site


def exact_trend(site: Site, day: date) -> list[ScoreView]:
    """The trend a manager's scorecard shows: every month exact."""
    return [exact_view(card) for card in scorecards.trend(site, day)]


def fresh(site: Site) -> Site:
    return Site.objects.get(pk=site.pk)  # as a view loads it, revision included


def cached_and_uncached(site: Site) -> tuple[Any, Any]:
    site = fresh(site)
    return score_cache.score_site(site, DAY), scorecards.score_site(site, DAY)


@pytest.fixture
def spy() -> Iterator[mock.MagicMock]:
    with mock.patch.object(scoring, "score", wraps=scoring.score) as wrapped:
        yield wrapped


# --- a second read computes nothing ---------------------------------------------------


def test_a_second_dashboard_scores_nothing_and_queries_no_more(
    client: Any, spy: mock.MagicMock
) -> None:
    for n in range(3):
        scored(SiteFactory(slug=f"site-{n}", name=f"Site {n}"))
    client.force_login(make_user(Role.ADMIN))
    url = reverse("agreements:dashboard")
    with CaptureQueriesContext(connection) as first:
        first_page = client.get(url)
    assert spy.call_count == 3
    spy.reset_mock()
    with CaptureQueriesContext(connection) as second:
        second_page = client.get(url)
    assert spy.call_count == 0
    assert len(second) < len(first)  # gather_inputs' ten queries are not made
    assert [r.card for r in second_page.context["rows"]] == [
        r.card for r in first_page.context["rows"]
    ]


def test_a_second_scorecard_and_its_trend_score_nothing(
    manager_client: Any, site: Site, spy: mock.MagicMock
) -> None:
    scored(site)
    url = reverse("agreements:site_score", kwargs={"slug": site.slug})
    with CaptureQueriesContext(connection) as first:
        first_page = manager_client.get(url)
    assert spy.call_count == 24  # one per month end of the trend
    spy.reset_mock()
    with CaptureQueriesContext(connection) as second:
        second_page = manager_client.get(url)
    assert spy.call_count == 0
    assert len(second) <= len(first)
    assert second_page.context["trend"] == exact_trend(fresh(site), DAY)
    assert second_page.context["card"] == first_page.context["card"]


def test_the_score_api_reads_the_cache_too(
    manager_client: Any, site: Site, spy: mock.MagicMock
) -> None:
    scored(site)
    url = f"/api/v1/sites/{site.slug}/score?as_of=2026-07-01"
    first = manager_client.get(url).json()
    spy.reset_mock()
    assert manager_client.get(url).json() == first
    assert spy.call_count == 0


def test_each_language_has_its_own_cached_evidence(site: Site) -> None:
    scored(site)
    english = score_cache.score_site(fresh(site), DAY)
    with translation.override("fr-ca"):
        french = score_cache.score_site(fresh(site), DAY)
        assert french == scorecards.score_site(fresh(site), DAY)
    assert score_cache.score_site(fresh(site), DAY) == english


def test_a_weights_change_reaches_every_site_without_a_bump(site: Site) -> None:
    scored(site)
    before = score_cache.score_site(fresh(site), DAY)
    revision = fresh(site).scores_revision
    weights_set(weights={**scoring.DEFAULT_WEIGHTS, "senior_support": 3})
    after, uncached = cached_and_uncached(site)
    assert fresh(site).scores_revision == revision
    assert after == uncached != before
    assert after.rubric == "v1-custom"


# --- every model a score reads invalidates it -----------------------------------------


def _tables_read_by_gather_inputs(site: Site) -> set[str]:
    with CaptureQueriesContext(connection) as queries:
        scorecards.gather_inputs([site], date(2020, 1, 1), DAY)
        scorecards.current_weights()
    found: set[str] = set()
    for query in queries:
        found |= set(re.findall(r'(?:FROM|JOIN) "([a-z_]+)"', query["sql"]))
    return found


def test_every_model_gather_inputs_reads_bumps_its_sites_on_save_and_delete(site: Site) -> None:
    """A model read by scoring but not watched would serve stale scores after its writes:
    this lists the tables gather_inputs actually queries, so a new one cannot be missed."""
    by_table = {m._meta.db_table: m for m in apps.get_models()}
    read = {by_table[t] for t in _tables_read_by_gather_inputs(site)}
    watched = {model for model, _ in signals.SCORED_MODELS}
    # The weights are part of every key; the site itself bumps in its own save.
    assert read - watched == {RubricWeights, Site}
    assert LiaisonOfficer in watched  # read through the assignments' join
    for model in watched:
        for signal, uid in [
            (pre_save, "score-cache-pre-save"), (post_save, "score-cache-save"),
            (pre_delete, "score-cache-pre-delete"), (post_delete, "score-cache-delete"),
        ]:  # fmt: skip
            assert any(r[0][0] == f"{uid}-{model.__name__}" for r in signal.receivers), model


def test_record_kinds_the_registry_lists_are_watched_unless_scoring_ignores_them() -> None:
    watched = {model for model, _ in signals.SCORED_MODELS}
    ignored = {kind.model for kind in records.KINDS.values()} - watched
    assert {m.__name__ for m in ignored} == {"DailyAttendance"}


# --- every write path shows the new score next time ----------------------------------


def _signed_v2(site: Site) -> None:
    draft = protocol_new_version(source=site.protocols.get(version=1))
    draft.status = ProtocolStatus.SIGNED
    draft.signed_on = DAY
    draft.effective_from = DAY
    draft.review_by = date(2028, 7, 1)
    protocol_save(protocol=draft, clauses=list(draft.clauses.all()))


def _edit(obj: Any, **values: Any) -> None:
    for name, value in values.items():
        setattr(obj, name, value)
    record_save(instance=obj)


def _site_edit(site: Site, **values: Any) -> None:
    site = fresh(site)
    hours = [{"weekday": h.weekday, "opens": h.opens, "closes": h.closes} for h in site.hours.all()]
    for name, value in values.items():
        setattr(site, name, value)
    site_save(site=site, hours=hours)


def _evening_visit(site: Site) -> None:
    # Held on a Wednesday evening: outside hours while the site has none that day.
    CheckInFactory(
        site=site, format="visit", scheduled_start=datetime(2026, 6, 10, 20, tzinfo=TORONTO)
    )


def _hours(site: Site) -> None:
    site_save(site=fresh(site), hours=[{"weekday": 2, "opens": time(9), "closes": time(23)}])


def _new_schedule(site: Site) -> None:
    schedule = ScheduleFactory.build(site=site, start=date(2025, 1, 1))
    schedule_save(schedule=schedule, expected_officers=[])


def _reimport(site: Site) -> None:
    bundle = export_bundle(site)
    bundle["engagements"] = []
    import_bundle(copy.deepcopy(bundle), replace=True)


WRITES: dict[str, Callable[[Site], Any]] = {
    "engagement created": lambda s: record_save(
        instance=EngagementEvent(
            site=s, date=date(2019, 5, 1), kind="exemption_briefing", summary="x"
        )
    ),
    "engagement edited": lambda s: _edit(s.engagements.get(), kind="training"),
    "engagement deleted": lambda s: record_delete(instance=s.engagements.get()),
    "support statement created": lambda s: record_save(
        instance=SupportStatement(
            site=s,
            date=date(2026, 1, 1),
            rank="deputy_chief",
            stance="opposition",
            kind="public_statement",
        )
    ),
    "support statement edited": lambda s: _edit(s.support_statements.get(), stance="opposition"),
    "support statement deleted": lambda s: record_delete(instance=s.support_statements.get()),
    "assignment created": lambda s: record_save(
        instance=LiaisonAssignment(
            site=s, officer=OfficerFactory(), role="backup", start=date(2025, 1, 1)
        )
    ),
    "assignment ended": lambda s: _edit(s.assignments.get(), end=date(2026, 7, 1)),
    "assignment deleted": lambda s: record_delete(instance=s.assignments.get()),
    "officer edited": lambda s: officer_save(
        officer=_with(s.assignments.get().officer, contact_verified_on=None),
        service_name="Riverside Police",
        site=s,
    ),
    "protocol draft created": lambda s: protocol_new_version(source=s.protocols.get()),
    "protocol signed, superseding the first": _signed_v2,
    "protocol ended": lambda s: protocol_end(protocol=s.protocols.get(), ended_on=date(2026, 7, 1)),
    "protocol draft deleted": lambda s: record_delete(instance=s.protocols.get(version=9)),
    "clause added": lambda s: ClauseFactory(protocol=s.protocols.get(), topic="notification"),
    "clause deleted": lambda s: ProtocolClause.objects.filter(protocol__site=s).delete(),
    "acknowledgement recorded": lambda s: protocol_acknowledge(
        protocol=s.protocols.get(version=2), officer=s.assignments.get().officer
    ),
    "acknowledgement deleted": lambda s: s.protocols.get().acknowledgements.all().delete(),
    "schedule created (with its check-ins)": _new_schedule,
    "schedule deleted": lambda s: record_delete(instance=s.schedules.get()),
    "check-in outcome recorded": lambda s: checkin_record(
        checkin=s.checkins.get(), status="missed", notes=""
    ),
    "check-in created": lambda s: record_save(
        instance=CheckIn(
            site=s,
            scheduled_start=datetime(2026, 6, 9, 10, tzinfo=TORONTO),
            status="held",
            format="tour",
            duration_minutes=60,
        )
    ),
    # A check-in with an outcome stays on record: it is set back to scheduled first.
    "check-in deleted": lambda s: (
        _edit(s.checkins.get(), status="scheduled"),
        record_delete(instance=s.checkins.get()),
    ),
    "interaction logged": lambda s: interaction_log(
        interaction=Interaction(
            site=s,
            occurred_at=datetime(2026, 7, 2, 15, tzinfo=TORONTO),
            category="uninvited_entry",
            distance_band="inside",
            narrative="Came in.",
        )
    ),
    "interaction edited": lambda s: _edit(s.interactions.get(), category="called_by_staff"),
    "interaction deleted": lambda s: record_delete(instance=s.interactions.get()),
    "site opened earlier": lambda s: _site_edit(s, opened_on=date(2018, 1, 1)),
    "site timezone changed": lambda s: _site_edit(s, timezone="Pacific/Kiritimati"),
    "site hours changed": _hours,
    "site saved in place": lambda s: _with(fresh(s), opened_on=date(2018, 1, 1)).save(),
    "bundle re-imported over the site": _reimport,
}


def _with(obj: Any, **values: Any) -> Any:
    for name, value in values.items():
        setattr(obj, name, value)
    return obj


# What a write needs to exist first, made before the scores are cached.
SETUPS: dict[str, Callable[[Site], Any]] = {
    "acknowledgement recorded": _signed_v2,
    "schedule deleted": lambda s: ScheduleFactory(site=s),
    "protocol draft deleted": lambda s: ProtocolFactory(
        site=s, version=9, created_on=date(2026, 7, 1)
    ),
    "site hours changed": _evening_visit,
}
# Drafts do not count while a signed version is in force: these writes must bump the
# revision (a draft could be the only version) but leave this site's score as it was.
NO_SCORE_CHANGE = {"protocol draft created", "protocol draft deleted"}


@pytest.mark.parametrize("write", list(WRITES))
def test_after_each_write_the_cached_score_is_the_uncached_one(site: Site, write: str) -> None:
    scored(site)
    OperatingHoursFactory(site=site)
    if write in SETUPS:
        SETUPS[write](site)
    revision = fresh(site).scores_revision
    before = score_cache.score_site(fresh(site), DAY)
    trend_before = score_cache.trend(fresh(site), DAY)
    WRITES[write](site)
    site = Site.objects.get(slug=site.slug)  # a re-import makes a new row
    after, uncached = cached_and_uncached(site)
    assert after == uncached
    assert score_cache.trend(site, DAY) == scorecards.trend(site, DAY)
    if write in NO_SCORE_CHANGE:
        assert site.scores_revision != revision
        return
    # The write changed what a score says (points, evidence or the records behind it);
    # otherwise this test could not fail.
    assert (after, score_cache.trend(site, DAY)) != (before, trend_before)


def test_a_rolled_back_write_leaves_the_cached_score_in_use(site: Site) -> None:
    scored(site)
    before = score_cache.score_site(fresh(site), DAY)
    revision = fresh(site).scores_revision
    with pytest.raises(Exception, match="signed"):
        record_delete(instance=site.protocols.get())  # refused: signed versions stay
    assert fresh(site).scores_revision == revision
    assert score_cache.score_site(fresh(site), DAY) == before


def test_a_stale_site_instance_saved_later_still_gets_a_new_revision(site: Site) -> None:
    """A form holding the site since before another write must not write its old
    revision back (the key it would reuse may hold a score of the data in between)."""
    scored(site)
    held = fresh(site)
    record_save(instance=EngagementEvent(site=site, date=date(2019, 5, 1), kind="training"))
    between = fresh(site).scores_revision
    held.city = "Elsewhere"
    held.save()
    assert held.scores_revision == fresh(site).scores_revision > between


# --- through the pages: each record kind's edit and delete ----------------------------

# (a record of the kind that counts in the score, a field edit that changes the score)
PAGE_EDITS: dict[str, tuple[Callable[[Site], Any], dict[str, str]]] = {
    "officers": (lambda s: s.assignments.get().officer, {"contact_verified_on": ""}),
    "assignments": (lambda s: s.assignments.get(), {"end": "2026-07-01"}),
    "engagements": (lambda s: s.engagements.get(), {"kind": "training"}),
    "support-statements": (lambda s: s.support_statements.get(), {"stance": "opposition"}),
    "schedules": (lambda s: ScheduleFactory(site=s), {"end": "2026-01-31"}),
    "checkins": (lambda s: s.checkins.get(), {"status": "missed"}),
    "interactions": (lambda s: s.interactions.get(), {"category": "called_by_staff"}),
}


@pytest.mark.parametrize("kind", list(PAGE_EDITS))
def test_an_edit_on_a_manager_page_shows_on_the_next_scorecard(
    manager_client: Any, site: Site, kind: str
) -> None:
    scored(site)
    record, change = PAGE_EDITS[kind]
    obj = record(site)
    spec = records.KINDS[kind]
    score_url = reverse("agreements:site_score", kwargs={"slug": site.slug})
    before = manager_client.get(score_url).context["trend"]
    edit_url = spec.url("edit", site, obj.pk)
    data = {**page_form(manager_client.get(edit_url).content), **change}
    response = manager_client.post(edit_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    after = manager_client.get(score_url).context["trend"]
    assert after == exact_trend(fresh(site), DAY) != before


@pytest.mark.parametrize(
    # Held check-ins are kept (not deletable); their deletion is tested through the service.
    "kind",
    ["assignments", "engagements", "support-statements", "interactions"],
)
def test_a_delete_on_a_manager_page_shows_on_the_next_dashboard(
    client: Any, site: Site, kind: str
) -> None:
    scored(site)
    admin = make_user(Role.ADMIN)
    client.force_login(admin)
    obj = PAGE_EDITS[kind][0](site)
    dashboard = reverse("agreements:dashboard")
    before = client.get(dashboard).context["rows"][0].card
    delete_url = records.KINDS[kind].url("delete", site, obj.pk)
    response = client.post(delete_url, page_form(client.get(delete_url).content, action=""))
    assert response.status_code == 302
    after = client.get(dashboard).context["rows"][0].card
    assert after == exact_view(scorecards.score_site(fresh(site))) != before


def test_a_weights_change_on_the_page_shows_on_the_next_dashboard(client: Any, site: Site) -> None:
    scored(site)
    client.force_login(make_user(Role.ADMIN))
    dashboard = reverse("agreements:dashboard")
    before = client.get(dashboard).context["rows"][0].card
    url = reverse("agreements:weights")
    data = {**page_form(client.get(url).content), "senior_support": "4"}
    assert client.post(url, data).status_code == 302
    after = client.get(dashboard).context["rows"][0].card
    assert after == exact_view(scorecards.score_site(fresh(site))) != before


def test_deleting_a_site_does_not_bump_it_once_per_record(site: Site) -> None:
    scored(site)
    InteractionFactory.create_batch(30, site=site)
    with CaptureQueriesContext(connection) as queries:
        Site.objects.get(pk=site.pk).delete()
    bumps = [q for q in queries if "scores_revision" in q["sql"] and "UPDATE" in q["sql"]]
    assert len(bumps) < 5  # the protocol's clause and acknowledgement, not 31 interactions


def test_an_unreachable_cache_costs_speed_not_the_page(manager_client: Any, site: Site) -> None:
    scored(site)
    url = reverse("agreements:site_score", kwargs={"slug": site.slug})
    down = ConnectionError("the cache server does not answer")
    with (
        mock.patch.object(score_cache.cache, "get_many", side_effect=down),
        mock.patch.object(score_cache.cache, "set_many", side_effect=down),
    ):
        page = manager_client.get(url)
    assert page.status_code == 200
    assert page.context["trend"] == exact_trend(fresh(site), DAY)


def test_a_record_moved_to_another_site_bumps_both(site: Site, other_site: Site) -> None:
    scored(site)
    scored(other_site)
    before = score_cache.score_site(fresh(site), DAY)
    score_cache.score_site(fresh(other_site), DAY)
    support = site.support_statements.get()
    support.site = other_site
    support.save()  # as an admin could
    for moved in (site, other_site):
        after, uncached = cached_and_uncached(moved)
        assert after == uncached
    assert score_cache.score_site(fresh(site), DAY) != before


@pytest.mark.django_db(transaction=True)
def test_writes_outside_a_transaction_bump_after_the_write(site: Site, other_site: Site) -> None:
    """Without a transaction each statement commits alone: the bump must come after."""
    scored(site)
    scored(other_site)
    assert not connection.in_atomic_block
    before = score_cache.score_site(fresh(site), DAY)
    support = site.support_statements.get()
    support.site = other_site
    support.save()
    EngagementEvent.objects.create(site=site, date=date(2019, 5, 1), kind="exemption_briefing")
    for moved in (site, other_site):
        after, uncached = cached_and_uncached(moved)
        assert after == uncached
    assert score_cache.score_site(fresh(site), DAY) != before
