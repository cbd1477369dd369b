"""The PII evaluation corpus itself: big enough, bilingual in every category, no repeats,
officers named only from its roster, and a loader and evaluator that count correctly.

The guard's recall and false-refusal thresholds are not tested here; the guard's own tests
hold them.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tests.privacy.pii_eval import (
    CATEGORIES,
    LABELS,
    LANGS,
    CorpusError,
    Item,
    evaluate,
    load_corpus,
    load_roster,
)

MINIMUM_PER_LABEL = 150

# A rank or title followed by one or two capitalised words: an officer's names.
_RANKED_NAME = re.compile(
    r"\b(?:Cst\.?|Const\.?|Constable|PC|Sgt\.?|S/Sgt\.?|Sergeant|Det\.?|Detective|Insp\.?|"
    r"Inspector|Supt\.?|Officer|agente?|sergente?(?:-détective)?|commandante?|"
    r"lieutenante?|inspectrice|inspecteur|enquêteur|enquêtrice)\s+"
    r"(?:([A-ZÀ-Ý][\w'-]+)\s+)?([A-ZÀ-Ý][\w'-]+)"
)


@pytest.fixture(scope="module")
def items() -> list[Item]:
    return load_corpus()


def test_each_label_has_enough_items(items: list[Item]) -> None:
    counts = Counter(item.label for item in items)
    for label in LABELS:
        assert counts[label] >= MINIMUM_PER_LABEL, f"{label}: {counts[label]} items"


def test_every_category_is_written_in_both_languages(items: list[Item]) -> None:
    present = {(item.label, item.category, item.lang) for item in items}
    missing = [
        f"{label}/{category}/{lang}"
        for label in LABELS
        for category in CATEGORIES[label]
        for lang in LANGS
        if (label, category, lang) not in present
    ]
    assert not missing


def test_languages_are_about_even(items: list[Item]) -> None:
    for label in LABELS:
        counts = Counter(item.lang for item in items if item.label == label)
        assert abs(counts["en"] - counts["fr"]) <= 0.2 * sum(counts.values()), counts


def test_no_text_is_repeated(items: list[Item]) -> None:
    # Case and spacing do not make a new sentence.
    normalised = Counter(" ".join(item.text.casefold().split()) for item in items)
    assert [text for text, n in normalised.items() if n > 1] == []


def test_every_category_is_known(items: list[Item]) -> None:
    for item in items:
        assert item.category in CATEGORIES[item.label], item


def test_officers_are_named_only_from_the_roster(items: list[Item]) -> None:
    roster_names = {name for officer in load_roster() for name in officer.names}
    strangers = [
        (name, item.text)
        for item in items
        for match in _RANKED_NAME.finditer(item.text)
        for name in match.groups()
        if name is not None and name not in roster_names
    ]
    assert strangers == []


def test_no_client_shares_a_name_with_the_roster(items: list[Item]) -> None:
    # A client called like an officer would make the roster a loophole in the corpus.
    roster_names = {name for officer in load_roster() for name in officer.names}
    names = [item for item in items if item.category in {"name", "nickname"}]
    clashes = [
        (word, item.text)
        for item in names
        for word in re.findall(r"[A-ZÀ-Ý][\w'-]+", _RANKED_NAME.sub("", item.text))
        if word in roster_names
    ]
    assert clashes == []


def _write(path: Path, body: str) -> Path:
    path.write_text(body, encoding="utf-8")
    return path


def test_an_unknown_category_is_rejected(tmp_path: Path) -> None:
    corpus = _write(
        tmp_path / "corpus.yaml",
        "roster: []\nitems:\n"
        '  - {label: identifying, lang: en, category: shoe_size, decision: refuse, text: "x"}\n',
    )
    with pytest.raises(CorpusError, match="shoe_size"):
        load_corpus(corpus)


def test_a_description_must_be_a_warning(tmp_path: Path) -> None:
    corpus = _write(
        tmp_path / "corpus.yaml",
        "roster: []\nitems:\n"
        '  - {label: identifying, lang: fr, category: description, decision: refuse, text: "x"}\n',
    )
    with pytest.raises(CorpusError, match="'warn'"):
        load_corpus(corpus)


def test_the_report_counts_recall_and_false_refusals_apart_from_warnings() -> None:
    corpus = [
        Item("a phone", "identifying", "en", "phone_words", "refuse"),
        Item("a tattoo", "identifying", "en", "description", "warn"),
        Item("a name", "identifying", "fr", "name", "refuse"),
        Item("a badge", "police_only", "en", "badge", None),
        Item("a plate", "police_only", "fr", "police_plate", None),
        Item("a corner", "police_only", "fr", "street_corner", None),
    ]
    answers = {"a phone": "refuse", "a tattoo": "warn", "a badge": "warn", "a plate": "refuse"}
    report = evaluate(lambda text: answers.get(text, "pass"), corpus)

    assert report.recall() == pytest.approx(2 / 3)
    assert report.refusal_recall() == pytest.approx(1 / 2)  # the name was passed
    assert report.recall(lang="en") == 1.0
    assert report.false_refusal_rate() == pytest.approx(1 / 3)
    assert report.false_warning_rate() == pytest.approx(1 / 3)
    assert report.false_refusal_rate("police_plate", "fr") == 1.0
    assert [o.item.text for o in report.misses()] == ["a name", "a badge", "a plate"]
    table = report.format_table()
    assert "police_plate" in table
    assert "recall  67%" in table


def test_an_answer_other_than_the_three_decisions_is_an_error() -> None:
    corpus = [Item("x", "police_only", "en", "general", None)]
    with pytest.raises(ValueError, match="expected"):
        evaluate(lambda text: "block", corpus)
