"""The PII guard's speed and accuracy on the labelled corpus (issue 15), for `make bench`.

    python -m demo.bench.pii [--repetitions N] [--out FILE]

Times `privacy.pii.assess` on every corpus text, given the corpus's police roster as a
site's guard is given its officers: each text is checked N times and every check is one
sample, so p50, p95 and the slowest are per narrative. Then it runs the corpus evaluation
(tests/privacy/pii_eval.py) and prints its table: recall and false refusals per category
and language. With --out the figures are written as JSON for the suite's report.

Runs in its own process with Django settings (the guard's messages are lazy
translations); the suite calls it as a subprocess like `manage.py benchmark`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from demo.bench.stats import summarise_ms

# The guard must stay fast enough to run on every save (issue 15).
P95_LIMIT_MS = 50.0
DEFAULT_REPETITIONS = 30


def measure(repetitions: int = DEFAULT_REPETITIONS) -> dict[str, Any]:
    """Timings per narrative and the corpus figures, as plain data."""
    from privacy.pii import assess
    from tests.privacy.pii_eval import evaluate, load_corpus, load_roster, roster_names

    items = load_corpus()
    officers = roster_names(load_roster())
    for item in items:  # warm-up: compiled patterns, libphonenumber's metadata
        assess(item.text, officers=officers)
    seconds = []
    for _ in range(repetitions):
        for item in items:
            started = time.perf_counter()
            assess(item.text, officers=officers)
            seconds.append(time.perf_counter() - started)

    def decide(text: str) -> str:
        found = assess(text, officers=officers)
        return "refuse" if found.refusals else "warn" if found.warnings else "pass"

    report = evaluate(decide, items)
    without_descriptions = [
        o for o in report.select("identifying") if o.item.category != "description"
    ]
    return {
        "texts": len(items),
        "repetitions": repetitions,
        "timing": summarise_ms(seconds),
        "p95_limit_ms": P95_LIMIT_MS,
        "recall": report.recall(),
        "recall_without_descriptions": (
            sum(o.got != "pass" for o in without_descriptions) / len(without_descriptions)
        ),
        "false_refusal_rate": report.false_refusal_rate(),
        "table": report.format_table(),
    }


def summary(figures: dict[str, Any]) -> str:
    timing = figures["timing"]
    return (
        f"PII guard: p50 {timing['p50_ms']} ms, p95 {timing['p95_ms']} ms, max "
        f"{timing['max_ms']} ms per narrative ({figures['texts']} texts x "
        f"{figures['repetitions']}); recall {figures['recall']:.0%} "
        f"({figures['recall_without_descriptions']:.0%} without descriptions), false "
        f"refusals {figures['false_refusal_rate']:.0%}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m demo.bench.pii", description=__doc__)
    parser.add_argument("--repetitions", type=int, default=DEFAULT_REPETITIONS)
    parser.add_argument("--out", type=Path, help="Write the figures to this JSON file.")
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hr_police.settings")
    import django

    django.setup()
    figures = measure(options.repetitions)
    print(figures["table"])
    print()
    print(summary(figures))
    if options.out:
        options.out.parent.mkdir(parents=True, exist_ok=True)
        options.out.write_text(json.dumps(figures, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
