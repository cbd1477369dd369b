"""The disclosure audit of issue 14 item 4, the way statistical offices audit tables.

For random networks (tests/privacy/random_network.py) and the demo network, a researcher
downloads everything the role can read over a period, at every month end, in every
site's time zone (tests/privacy/gathering.py); every printed count becomes a figure over
the finest cells, every score reading a bound on the breach cells
(tests/privacy/research_downloads.py). Then, by linear programming
(tests/privacy/lp_audit.py), every hidden figure must keep its protection level
(docs/privacy.md, "Protection level") against the truth counted from the database.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.conf import settings

from demo.demo import DEMO_SITES, DemoBuilder
from tests.privacy.gathering import Gathered, gather, rolled_back
from tests.privacy.lp_audit import Audit, Constraint, Figure, Finding
from tests.privacy.random_network import PERIOD, build_network

# The gathering fixtures make their rows themselves and roll them back; the mark makes
# pytest-django create the test database for them.
pytestmark = pytest.mark.django_db

SEEDS = (1, 2, 3)
# The demo as made on this day: its records run to the day before, several years back.
DEMO_DAY = datetime(2026, 2, 10, 15, tzinfo=UTC)


def _threshold() -> int:
    return int(settings.HR_POLICE_SUPPRESSION_THRESHOLD)


@pytest.fixture(scope="module")
def networks(django_db_setup: None, django_db_blocker: Any) -> dict[int, Gathered]:
    """Each seed's network, downloaded in full; its rows rolled back before any test."""
    found = {}
    with django_db_blocker.unblock():
        for seed in SEEDS:
            with rolled_back():
                network = build_network(seed)
                found[seed] = gather(network.consenting, [network.refusing], PERIOD)
    return found


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any) -> Gathered:
    """The demo network (`seed_demo`'s sites, made in-process), downloaded in full."""
    with django_db_blocker.unblock(), rolled_back():
        with time_machine.travel(DEMO_DAY, tick=False):
            sites = [DemoBuilder(spec, now=DEMO_DAY).build() for spec in DEMO_SITES]
        consenting = [s for s in sites if s.research_consent]
        refusing = [s for s in sites if not s.research_consent]
        assert len(consenting) >= 2 and refusing
        return gather(consenting, refusing, PERIOD)


def audit(gathered: Gathered, *, scores: bool, extra: Iterable[Figure] = ()) -> list[Finding]:
    """The LP audit of everything gathered, one site at a time (no figure spans two)."""
    findings = []
    for slug in gathered.slugs:
        one = Audit(_threshold())
        for f in (*gathered.figures, *extra):
            if _slug(f.cells) == slug:
                one.add(f.cells, f.printed, f.where, f.stage)
        if scores:
            one.constraints = [c for c in gathered.constraints if _slug(c.coefficients) == slug]
        truth = {k: n for k, n in gathered.truth.items() if k[0] == slug}
        findings += one.run(truth)
    return findings


def _slug(cells: Iterable[Hashable]) -> str:
    slugs = {cell[0] for cell in cells}  # type: ignore[index]
    assert len(slugs) == 1, slugs
    return str(slugs.pop())


def explain(findings: list[Finding]) -> str:
    return "\n".join(["hidden figures a researcher can narrow:", *map(str, findings)])


def hidden(gathered: Gathered) -> list[Figure]:
    return [f for f in gathered.figures if not f.printed.isdigit()]


def _assert_gathered_enough(gathered: Gathered) -> None:
    # Not an empty audit: many downloads, hidden figures of both stages, score readings.
    assert gathered.moments >= len(PERIOD) and gathered.downloads > 100
    assert {f.stage for f in hidden(gathered)} == {1, 2}
    assert any(f.printed == f"<{_threshold()}" for f in gathered.figures)
    assert gathered.constraints


@pytest.mark.parametrize("seed", SEEDS)
def test_no_hidden_count_of_a_random_network_can_be_narrowed(
    networks: dict[int, Gathered], seed: int
) -> None:
    gathered = networks[seed]
    _assert_gathered_enough(gathered)
    findings = audit(gathered, scores=False)
    assert findings == [], explain(findings)


@pytest.mark.parametrize("seed", SEEDS)
def test_scores_narrow_no_hidden_count_of_a_random_network(
    networks: dict[int, Gathered], seed: int
) -> None:
    findings = audit(networks[seed], scores=True)
    assert findings == [], explain(findings)


def test_no_hidden_count_of_the_demo_network_can_be_narrowed(demo: Gathered) -> None:
    _assert_gathered_enough(demo)
    findings = audit(demo, scores=False)
    assert findings == [], explain(findings)


def test_scores_narrow_no_hidden_count_of_the_demo_network(demo: Gathered) -> None:
    findings = audit(demo, scores=True)
    assert findings == [], explain(findings)


def test_the_audit_finds_a_leaked_small_count(networks: dict[int, Gathered]) -> None:
    gathered = networks[SEEDS[0]]
    small = next(f for f in gathered.figures if f.printed == f"<{_threshold()}")
    value = sum(gathered.truth.get(k, 0) for k in small.cells)  # type: ignore[call-overload]
    leak = Figure(small.cells, str(value), "a product printing it", small.stage)
    findings = audit(gathered, scores=False, extra=[leak])
    assert small.where in {f.figure.where for f in findings}


def test_the_audit_finds_a_score_that_pins_a_count(networks: dict[int, Gathered]) -> None:
    gathered = networks[SEEDS[0]]
    small = next(f for f in gathered.figures if f.printed == f"<{_threshold()}")
    value = sum(gathered.truth.get(k, 0) for k in small.cells)  # type: ignore[call-overload]
    pin = Constraint(dict.fromkeys(small.cells, 1.0), value, value, "a reading pinning it")
    leaky = Gathered(
        gathered.figures, [*gathered.constraints, pin], gathered.truth, slugs=gathered.slugs
    )
    findings = audit(leaky, scores=False) + _with_constraint_only(leaky, pin)
    assert small.where in {f.figure.where for f in findings}


def _with_constraint_only(gathered: Gathered, pin: Constraint) -> list[Finding]:
    return audit(Gathered(gathered.figures, [pin], gathered.truth, slugs=gathered.slugs), scores=True)
