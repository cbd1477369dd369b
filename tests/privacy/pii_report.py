"""Print how the current PII guard does on the labelled corpus.

    DJANGO_DEBUG=true python -m tests.privacy.pii_report            # the table
    DJANGO_DEBUG=true python -m tests.privacy.pii_report --misses   # and every miss

The guard is given the corpus's police roster, as a site's guard is given its officers.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Collection

import django


def decide(text: str, officers: Collection[str] = ()) -> str:
    """The guard's answer on one text: refuse (any refusal), warn, or pass."""
    from privacy.pii import assess

    found = assess(text, officers=officers)
    return "refuse" if found.refusals else "warn" if found.warnings else "pass"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list every item the guard got wrong")
    args = parser.parse_args(argv)

    # The guard's messages are lazy translations, which need settings.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hr_police.settings")
    django.setup()
    from tests.privacy.pii_eval import evaluate, load_corpus, load_roster, roster_names

    officers = roster_names(load_roster())
    report = evaluate(lambda text: decide(text, officers), load_corpus())
    print(report.format_table())
    if args.misses:
        print("\nMisses (got, label, category, lang, text)")
        print(report.format_misses())
    return 0


if __name__ == "__main__":
    sys.exit(main())
