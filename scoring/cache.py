"""Scores kept in Django's cache so that re-reading unchanged data computes nothing.

A cached scorecard is keyed by everything it depends on:

- the site and its `scores_revision`, a counter raised (`bump`) by every write to a record
  that scoring reads (the receivers in `agreements.signals`, and explicit calls where
  writes bypass signals: `bulk_create`, `QuerySet.update`);
- the day(s) scored, the rubric version and the weights' values (weights are global: a
  change makes a new key for every site without touching any site);
- the active language, since evidence sentences are translated when scored.

A change therefore never shows a stale score: the next read carries a new revision and
misses. Old entries are never read again and expire after `TTL`, which only bounds
memory. The revisions come with the Site rows the views load already, so a page whose
scores are all cached makes one query (the weights) and one cache round trip.

The functions mirror those of `scoring.scorecards`, which stay uncached and pure.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.cache import cache
from django.utils import translation

from agreements.models import Site
from scoring import rubric as scoring
from scoring import scorecards
from scoring.scorecards import current_weights

TTL = 24 * 60 * 60  # seconds; a bound on memory, not on staleness
PREFIX = "score"
log = logging.getLogger(__name__)


def _read(keys: list[str]) -> dict[str, Any]:
    # An unreachable shared cache (Redis) costs speed, not the page: score without it.
    try:
        return cache.get_many(keys)
    except Exception:
        log.warning("score cache unreadable; scoring without it", exc_info=True)
        return {}


def _write(entries: dict[str, Any]) -> None:
    try:
        cache.set_many(entries, TTL)
    except Exception:
        log.warning("score cache unwritable; scores not kept", exc_info=True)


def _weights_tag(weights: dict[str, int]) -> str:
    values = ",".join(f"{k}={weights[k]}" for k in sorted(weights))
    return hashlib.sha1(values.encode(), usedforsecurity=False).hexdigest()[:12]


def _key(site: Site, days: Sequence[date], weights_tag: str) -> str:
    language = translation.get_language() or "-"
    span = days[0].isoformat() if len(days) == 1 else f"{days[0]}:{days[-1]}:{len(days)}"
    return (
        f"{PREFIX}:{scoring.RUBRIC}:{site.pk}:{site.scores_revision}:{span}:"
        f"{weights_tag}:{language}"
    )


def score_sites(
    sites: Iterable[Site], as_of: date | None = None, days: Mapping[int, date] | None = None
) -> dict[int, scoring.Scorecard]:
    """As `scorecards.score_sites`, computing only the scorecards not cached. `days`:
    each site's own day (site id → day), for researchers' per-site complete months."""
    sites = list(sites)
    if not sites:
        return {}
    weights = current_weights()
    tag = _weights_tag(weights)
    days = {s.id: (days or {}).get(s.id) or as_of or s.today() for s in sites}
    keys = {s.id: _key(s, [days[s.id]], tag) for s in sites}
    found = _read(list(keys.values()))
    cards = {s.id: found[keys[s.id]] for s in sites if keys[s.id] in found}
    missing = [s for s in sites if s.id not in cards]
    if missing:
        # Scored with the weights the keys name, so a key never holds other weights' score.
        fresh = scorecards.score_sites(missing, as_of, weights, days)
        _write({keys[i]: card for i, card in fresh.items()})
        cards.update(fresh)
    return {s.id: cards[s.id] for s in sites}


def score_site(site: Site, as_of: date | None = None) -> scoring.Scorecard:
    return score_sites([site], as_of)[site.id]


def trend(site: Site, as_of: date, months: int = 24) -> list[scoring.Scorecard]:
    """As `scorecards.trend`: monthly scorecards up to `as_of`, one cache entry for all."""
    days = scoring.month_ends(as_of, months)
    weights = current_weights()
    key = _key(site, days, _weights_tag(weights))
    cards: list[scoring.Scorecard] | None = _read([key]).get(key)
    if cards is None:
        cards = scorecards.trend(site, as_of, months, weights)
        _write({key: cards})
    return cards
