"""`make bench`'s PII part (demo/bench/pii.py): it times the guard on every corpus text and
reports the corpus figures beside the time target."""

from __future__ import annotations

from demo.bench import pii, report


def test_it_times_every_corpus_text_and_reports_the_corpus_figures() -> None:
    figures = pii.measure(repetitions=1)
    assert figures["timing"]["runs"] == figures["texts"] >= 300
    assert figures["timing"]["p95_ms"] <= figures["timing"]["max_ms"]
    assert 0 < figures["recall"] <= 1
    assert 0 < figures["recall_without_descriptions"] <= 1
    assert "phone_words" in figures["table"]
    assert "PII guard: p50" in pii.summary(figures)


def test_the_report_states_the_guards_time_target_met_or_missed() -> None:
    figures = {
        "texts": 10,
        "repetitions": 2,
        "timing": {"p50_ms": 1.0, "p95_ms": 60.0, "max_ms": 80.0, "runs": 20},
        "p95_limit_ms": 50.0,
        "recall": 0.8,
        "recall_without_descriptions": 0.95,
        "false_refusal_rate": 0.01,
        "table": "the table",
    }
    markdown = report.render_markdown([], pii=figures)
    assert "## PII guard on the labelled corpus" in markdown
    assert "**missed**" in markdown
    assert "the table" in markdown
    figures["timing"]["p95_ms"] = 50.0
    assert "**met**" in report.render_markdown([], pii=figures)
