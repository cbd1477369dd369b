"""Print how the current PII guard does on the labelled corpus.

    DJANGO_DEBUG=true python -m tests.privacy.pii_report            # the table
    DJANGO_DEBUG=true python -m tests.privacy.pii_report --misses   # and every miss

The guard today only refuses or passes: a text with any finding is refused. When it
learns to warn, `decide` here is the one place to change.
"""

from __future__ import annotations

import argparse
import os
import sys

import django


def decide(text: str) -> str:
    from privacy.pii import find_pii

    return "refuse" if find_pii(text) else "pass"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every item the guard got wrong")
    args = parser.parse_args(argv)

    # The guard's messages are lazy translations, which need settings.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hr_police.settings")
    django.setup()
    from tests.privacy.pii_eval import evaluate, load_corpus

    report = evaluate(decide, load_corpus())
    print(report.format_table())
    if args.misses:
        print("\nMisses (got, label, category, lang, text)")
        print(report.format_misses())
    return 0


if __name__ == "__main__":
    sys.exit(main())
