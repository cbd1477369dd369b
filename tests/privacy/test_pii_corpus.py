"""The PII guard measured on the labelled corpus (issue 15): the figures it must hold.

The guard is given the corpus's police roster as `officers`, as a site's guard is given
its own. Descriptions (`description` items) count as caught when warned about
(`privacy.pii_descriptions`); definite identifiers must be refused, not merely warned.
The floors hold overall and per language, descriptions included, and without them too
(so that a strong warning detector cannot hide weak refusals).
"""

from __future__ import annotations

import pytest

from privacy.pii import assess
from tests.privacy.pii_eval import (
    IDENTIFYING_CATEGORIES,
    LANGS,
    Item,
    Lang,
    Report,
    evaluate,
    load_corpus,
    load_roster,
    roster_names,
)

RECALL_FLOOR = 0.90
FALSE_REFUSAL_CEILING = 0.05
CATEGORY_RECALL_FLOOR = 0.80
# Warned about by privacy.pii_descriptions, not refused by the detectors here.
DESCRIPTIONS = "description"


@pytest.fixture(scope="module")
def items() -> list[Item]:
    return load_corpus()


@pytest.fixture(scope="module")
def report(items: list[Item]) -> Report:
    officers = roster_names(load_roster())

    def decide(text: str) -> str:
        found = assess(text, officers=officers)
        return "refuse" if found.refusals else "warn" if found.warnings else "pass"

    return evaluate(decide, items)


def _recall_without_descriptions(report: Report, lang: Lang | None = None) -> float:
    chosen = [o for o in report.select("identifying", lang=lang) if o.item.category != DESCRIPTIONS]
    return sum(o.got != "pass" for o in chosen) / len(chosen)


@pytest.mark.parametrize("lang", [*LANGS, None])
def test_recall_is_at_least_90_percent(report: Report, lang: Lang | None) -> None:
    recall = report.recall(lang=lang)
    without = _recall_without_descriptions(report, lang)
    assert recall is not None
    assert recall >= RECALL_FLOOR, f"recall {recall:.0%}\n" + report.format_misses()
    assert without >= RECALL_FLOOR, (
        f"recall {without:.0%} without descriptions\n" + report.format_misses()
    )


@pytest.mark.parametrize("lang", [*LANGS, None])
def test_false_warnings_are_at_most_5_percent(report: Report, lang: Lang | None) -> None:
    rate = report.false_warning_rate(lang=lang)
    assert rate is not None
    assert rate <= FALSE_REFUSAL_CEILING, f"{rate:.0%}\n" + report.format_misses()


@pytest.mark.parametrize("lang", [*LANGS, None])
def test_false_refusals_are_at_most_5_percent(report: Report, lang: Lang | None) -> None:
    rate = report.false_refusal_rate(lang=lang)
    assert rate is not None
    assert rate <= FALSE_REFUSAL_CEILING, f"{rate:.0%}\n" + report.format_misses()


@pytest.mark.parametrize(
    ("category", "lang"),
    [(c, lang) for c in IDENTIFYING_CATEGORIES for lang in LANGS],
)
def test_each_category_is_caught_in_each_language(
    report: Report, category: str, lang: Lang
) -> None:
    recall = report.recall(category, lang)
    assert recall is not None, f"no {category} items in {lang}"
    assert recall >= CATEGORY_RECALL_FLOOR, f"{category} {lang}: {recall:.0%}"


def test_identifiers_are_refused_not_merely_warned(report: Report) -> None:
    # A warning can be clicked through; a definite identifier must be refused.
    warned = [
        o.item.text
        for o in report.select("identifying")
        if o.item.decision == "refuse" and o.got == "warn"
    ]
    assert warned == []
