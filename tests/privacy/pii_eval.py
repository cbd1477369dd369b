"""Load the labelled PII corpus and measure a guard's decisions on it (issue 15, item 4).

The corpus (`pii_corpus/corpus.yaml`) holds sentences written the way site staff type
after an incident, each labelled `identifying` (a client identifier is in it) or
`police_only` (it is about police, however much it looks like an identifier). A guard is
measured through a `decide(text)` function that answers "refuse", "warn" or "pass":

- recall: the share of identifying items the guard did not pass (refused or warned);
- refusal recall: the share of identifying items marked `refuse` that were refused, since
  a warning the person can click through is weaker than a refusal;
- false-refusal rate: the share of police-only items refused;
- false-warning rate: the share of police-only items warned about, counted apart because a
  warning costs a click, not the whole narrative.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, cast

import yaml

CORPUS_PATH = Path(__file__).parent / "pii_corpus" / "corpus.yaml"

Label = Literal["identifying", "police_only"]
Lang = Literal["en", "fr"]
Decision = Literal["refuse", "warn", "pass"]

LABELS: tuple[Label, ...] = ("identifying", "police_only")
LANGS: tuple[Lang, ...] = ("en", "fr")
DECISIONS: tuple[Decision, ...] = ("refuse", "warn", "pass")

# The categories issue 15 names, in the order the report prints them.
IDENTIFYING_CATEGORIES: tuple[str, ...] = (
    "phone_words",
    "phone_grouping",
    "phone_mixed",
    "email",
    "social_handle",
    "date_of_birth",
    "address_no_type",
    "address_unit",
    "plate_client",
    "name",
    "nickname",
    "description",
    "health_card",
    "sin",
)
POLICE_CATEGORIES: tuple[str, ...] = (
    "badge",
    "cruiser",
    "unit",
    "division",
    "station",
    "unmarked_car",
    "police_plate",
    "occurrence_number",
    "time",
    "street_corner",
    "general",
)
CATEGORIES: dict[Label, tuple[str, ...]] = {
    "identifying": IDENTIFYING_CATEGORIES,
    "police_only": POLICE_CATEGORIES,
}
# A description without a name cannot be decided with confidence: the guard should warn
# and let the person confirm. Every other identifying category is a definite identifier.
WARN_CATEGORIES: frozenset[str] = frozenset({"description"})


class CorpusError(ValueError):
    """The corpus file does not have the shape this module expects."""


@dataclass(frozen=True)
class Officer:
    """One officer of the site's police roster: names the guard is allowed to see."""

    service: str
    rank: str
    first: str
    last: str
    badge: str

    @property
    def names(self) -> tuple[str, str]:
        return (self.first, self.last)

    @property
    def as_stored(self) -> str:
        """The officer as a site stores them, rank first: "Cst. Paul Moreau"."""
        return f"{self.rank} {self.first} {self.last}"


def roster_names(roster: Iterable[Officer]) -> list[str]:
    """The roster as the guard's `officers` argument."""
    return [officer.as_stored for officer in roster]


@dataclass(frozen=True)
class Item:
    """One labelled sentence. `decision` is the expected one for identifying items, and
    None for police-only items (which should pass)."""

    text: str
    label: Label
    lang: Lang
    category: str
    decision: Decision | None


_ITEM_KEYS = {"text", "label", "lang", "category", "decision"}
_OFFICER_KEYS = {"service", "rank", "first", "last", "badge"}


def _read(path: Path) -> dict[str, object]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise CorpusError(f"{path}: expected a mapping with 'roster' and 'items'")
    return data


def _item(raw: object, where: str) -> Item:
    if not isinstance(raw, dict):
        raise CorpusError(f"{where}: an item must be a mapping")
    unknown = set(raw) - _ITEM_KEYS
    if unknown:
        raise CorpusError(f"{where}: unknown keys {sorted(unknown)}")
    text, label, lang, category = (raw.get(k) for k in ("text", "label", "lang", "category"))
    decision = raw.get("decision")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{where}: 'text' must be a non-empty string")
    if label not in LABELS:
        raise CorpusError(f"{where}: label {label!r} is not one of {LABELS}")
    label = cast(Label, label)
    if lang not in LANGS:
        raise CorpusError(f"{where}: lang {lang!r} is not one of {LANGS}")
    if category not in CATEGORIES[label]:
        raise CorpusError(f"{where}: category {category!r} is not a {label} category")
    if label == "identifying":
        expected = "warn" if category in WARN_CATEGORIES else "refuse"
        if decision != expected:
            raise CorpusError(f"{where}: a {category} item's decision is {expected!r}")
    elif decision is not None:
        raise CorpusError(f"{where}: police-only items have no decision")
    return Item(
        text=text,
        label=label,
        lang=cast(Lang, lang),
        category=cast(str, category),
        decision=cast(Decision | None, decision),
    )


def load_corpus(path: Path = CORPUS_PATH) -> list[Item]:
    """Every item of the corpus, in file order; raises CorpusError on a malformed item."""
    items = _read(path).get("items")
    if not isinstance(items, list):
        raise CorpusError(f"{path}: 'items' must be a list")
    return [_item(raw, f"{path.name} item {n}") for n, raw in enumerate(items, start=1)]


def load_roster(path: Path = CORPUS_PATH) -> list[Officer]:
    """The site's police roster from the corpus header: the only officers items may name."""
    roster = _read(path).get("roster")
    if not isinstance(roster, list):
        raise CorpusError(f"{path}: 'roster' must be a list")
    officers = []
    for n, raw in enumerate(roster, start=1):
        if not isinstance(raw, dict) or set(raw) != _OFFICER_KEYS:
            raise CorpusError(
                f"{path.name} roster entry {n}: needs exactly {sorted(_OFFICER_KEYS)}"
            )
        officers.append(Officer(**{k: str(v) for k, v in raw.items()}))
    return officers


# --------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------

Key = tuple[Label, str, Lang]  # (label, category, lang)


@dataclass(frozen=True)
class Outcome:
    item: Item
    got: Decision


def _rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass
class Report:
    """The guard's decisions on the corpus, counted per (label, category, lang)."""

    outcomes: list[Outcome]
    counts: dict[Key, Counter[Decision]] = field(init=False)

    def __post_init__(self) -> None:
        self.counts = {}
        for outcome in self.outcomes:
            item = outcome.item
            key: Key = (item.label, item.category, item.lang)
            self.counts.setdefault(key, Counter())[outcome.got] += 1

    def select(
        self, label: Label, category: str | None = None, lang: Lang | None = None
    ) -> list[Outcome]:
        return [
            o
            for o in self.outcomes
            if o.item.label == label
            and (category is None or o.item.category == category)
            and (lang is None or o.item.lang == lang)
        ]

    def recall(self, category: str | None = None, lang: Lang | None = None) -> float | None:
        """Share of identifying items not passed (refused or warned)."""
        chosen = self.select("identifying", category, lang)
        return _rate(sum(o.got != "pass" for o in chosen), len(chosen))

    def refusal_recall(self, category: str | None = None, lang: Lang | None = None) -> float | None:
        """Share of identifying items expected to be refused that were refused."""
        chosen = [
            o for o in self.select("identifying", category, lang) if o.item.decision == "refuse"
        ]
        return _rate(sum(o.got == "refuse" for o in chosen), len(chosen))

    def false_refusal_rate(
        self, category: str | None = None, lang: Lang | None = None
    ) -> float | None:
        """Share of police-only items refused."""
        chosen = self.select("police_only", category, lang)
        return _rate(sum(o.got == "refuse" for o in chosen), len(chosen))

    def false_warning_rate(
        self, category: str | None = None, lang: Lang | None = None
    ) -> float | None:
        """Share of police-only items warned about (not refused)."""
        chosen = self.select("police_only", category, lang)
        return _rate(sum(o.got == "warn" for o in chosen), len(chosen))

    def misses(self) -> list[Outcome]:
        """Identifying items passed and police-only items refused or warned, in corpus order."""
        return [
            o
            for o in self.outcomes
            if (o.item.label == "identifying" and o.got == "pass")
            or (o.item.label == "police_only" and o.got != "pass")
        ]

    def format_table(self) -> str:
        """A plain-text table: one row per category and language, then totals."""
        return "\n".join(_table_lines(self))

    def format_misses(self) -> str:
        lines = []
        for o in self.misses():
            item = o.item
            lines.append(
                f"{o.got:<6} {item.label:<11} {item.category:<17} {item.lang}  {item.text}"
            )
        return "\n".join(lines)


def evaluate(decide: Callable[[str], str], items: Iterable[Item]) -> Report:
    """Run `decide` on every item; it must answer "refuse", "warn" or "pass"."""
    outcomes = []
    for item in items:
        got = decide(item.text)
        if got not in DECISIONS:
            raise ValueError(f"decide() answered {got!r} for {item.text!r}; expected {DECISIONS}")
        outcomes.append(Outcome(item, cast(Decision, got)))
    return Report(outcomes)


# --------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "   -" if value is None else f"{value * 100:3.0f}%"


_HEAD = f"{'category':<18} {'lang':<4} {'n':>3} {'refuse':>6} {'warn':>5} {'pass':>5}  "


def _row(name: str, lang: str, counts: Counter[Decision], rates: Iterable[str]) -> str:
    n = sum(counts.values())
    cells = f"{counts['refuse']:>6} {counts['warn']:>5} {counts['pass']:>5}"
    return f"{name:<18} {lang:<4} {n:>3} {cells}  " + "  ".join(rates)


def _table_lines(report: Report) -> list[str]:
    lines = [
        "Identifying items (should be refused; descriptions warned)",
        _HEAD + "recall  refusal recall",
    ]
    for category in IDENTIFYING_CATEGORIES:
        for lang in LANGS:
            counts = report.counts.get(("identifying", category, lang), Counter())
            if counts:
                rates = (
                    f"{_pct(report.recall(category, lang)):>6}",
                    f"{_pct(report.refusal_recall(category, lang)):>14}",
                )
                lines.append(_row(category, lang, counts, rates))
    lines += [
        "",
        "Police-only items (should pass)",
        _HEAD + "false refusals  false warnings",
    ]
    for category in POLICE_CATEGORIES:
        for lang in LANGS:
            counts = report.counts.get(("police_only", category, lang), Counter())
            if counts:
                rates = (
                    f"{_pct(report.false_refusal_rate(category, lang)):>14}",
                    f"{_pct(report.false_warning_rate(category, lang)):>14}",
                )
                lines.append(_row(category, lang, counts, rates))
    lines += ["", "Totals"]
    for lang_or_all in (*LANGS, None):
        shown = lang_or_all or "all"
        ident = len(report.select("identifying", lang=lang_or_all))
        police = len(report.select("police_only", lang=lang_or_all))
        recall = _pct(report.recall(lang=lang_or_all))
        refusal_recall = _pct(report.refusal_recall(lang=lang_or_all))
        false_refusals = _pct(report.false_refusal_rate(lang=lang_or_all))
        false_warnings = _pct(report.false_warning_rate(lang=lang_or_all))
        lines.append(
            f"{shown:<4} recall {recall} (refusal recall {refusal_recall}) on {ident} identifying;"
            f" false refusals {false_refusals}, false warnings {false_warnings}"
            f" on {police} police-only"
        )
    return lines
