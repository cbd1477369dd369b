"""Side-by-side differences between two protocol versions, clause by clause.

Clauses are matched by topic (in the order of the newer version, then topics only the
older one had); within a clause, words added or removed are marked. Pure and escaped:
the result is safe to show.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class ClauseText:
    topic: str
    label: str | Promise  # the topic's (translatable) name
    text: str


@dataclass(frozen=True)
class DiffRow:
    label: str | Promise
    change: str  # "same", "changed", "added", "removed"
    old: SafeString
    new: SafeString


def _marked(words: Sequence[str], spans: list[tuple[int, int]], tag: str) -> SafeString:
    out: list[str] = []
    marked = {i for start, end in spans for i in range(start, end)}
    for index, word in enumerate(words):
        text = escape(word)
        out.append(f"<{tag}>{text}</{tag}>" if index in marked else text)
    return mark_safe(" ".join(out))


def _word_diff(old: str, new: str) -> tuple[SafeString, SafeString]:
    a, b = old.split(), new.split()
    removed: list[tuple[int, int]] = []
    added: list[tuple[int, int]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op in ("replace", "delete"):
            removed.append((i1, i2))
        if op in ("replace", "insert"):
            added.append((j1, j2))
    return _marked(a, removed, "del"), _marked(b, added, "ins")


def _by_topic(clauses: Sequence[ClauseText]) -> dict[str, list[ClauseText]]:
    grouped: dict[str, list[ClauseText]] = {}
    for clause in clauses:
        grouped.setdefault(clause.topic, []).append(clause)
    return grouped


def diff_versions(old: Sequence[ClauseText], new: Sequence[ClauseText]) -> list[DiffRow]:
    old_by, new_by = _by_topic(old), _by_topic(new)
    topics = list(dict.fromkeys([c.topic for c in new] + [c.topic for c in old]))
    rows: list[DiffRow] = []
    for topic in topics:
        olds, news = old_by.get(topic, []), new_by.get(topic, [])
        for index in range(max(len(olds), len(news))):
            before = olds[index] if index < len(olds) else None
            after = news[index] if index < len(news) else None
            label = (after or before).label  # type: ignore[union-attr]
            if before is None and after is not None:
                rows.append(
                    DiffRow(
                        label,
                        "added",
                        mark_safe(""),
                        _marked(after.text.split(), [(0, len(after.text.split()))], "ins"),
                    )
                )
            elif after is None and before is not None:
                rows.append(
                    DiffRow(
                        label,
                        "removed",
                        _marked(before.text.split(), [(0, len(before.text.split()))], "del"),
                        mark_safe(""),
                    )
                )
            elif before is not None and after is not None:
                if before.text.split() == after.text.split():
                    same = mark_safe(escape(after.text))
                    rows.append(DiffRow(label, "same", same, same))
                else:
                    rows.append(DiffRow(label, "changed", *_word_diff(before.text, after.text)))
    return rows
