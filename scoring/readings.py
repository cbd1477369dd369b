"""Scorecards as each reader may read them: exact for those who manage the site, else
with every figure that depends on a count bounded by the research release.

The one place that turns computed scorecards into what a page, a PDF or the API shows
(`scoring.intervals` holds the rules, pure; this module fetches the release's monthly
breach figures they need, in one query for every card of a page).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from agreements.models import Site
from agreements.periods import Month
from agreements.research_release import breaches_printed
from scoring.intervals import ScoreView, exact_view, researcher_view, window_breaches, window_months
from scoring.rubric import Scorecard


@dataclass(frozen=True)
class Reading:
    """A scorecard of `site`, to be read exactly or not."""

    site: Site
    card: Scorecard
    exact: bool


def score_views(readings: Sequence[Reading], threshold: int) -> list[ScoreView]:
    """Each reading's view, in order. Cards read inexactly must be of a day at the end of
    a month complete at their site (`agreements.research_days`), as every researcher path
    scores: the release holds complete months only."""
    wanted: dict[Site, set[Month]] = {}
    for reading in readings:
        if not reading.exact:
            months = {Month(y, m) for y, m in window_months(reading.card.as_of)}
            wanted.setdefault(reading.site, set()).update(months)
    printed = breaches_printed(wanted, threshold)
    views = []
    for reading in readings:
        if reading.exact:
            views.append(exact_view(reading.card))
            continue
        own = {
            (month.year, month.month): printed[reading.site.id, month.key]
            for month in wanted[reading.site]
        }
        breaches = window_breaches(reading.card.as_of, own, threshold)
        views.append(researcher_view(reading.card, breaches=breaches))
    return views


def site_views(
    site: Site, cards: Sequence[Scorecard], *, exact: bool, threshold: int
) -> list[ScoreView]:
    """A site's cards (a trend) as one reader reads them."""
    return score_views([Reading(site, card, exact) for card in cards], threshold)
