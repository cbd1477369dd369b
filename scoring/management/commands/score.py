"""score SLUG [--as-of YYYY-MM-DD]: print the score JSON of SPEC §7."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agreements.dates import EARLIEST
from agreements.models import Site
from scoring.cache import score_site


class Command(BaseCommand):
    help = (
        "Print a site's five-factor score (rubric v1) as JSON, as of a day "
        "(default: today in the site's timezone), with the evidence for every criterion."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug")
        parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="Score as of this day.")

    def handle(self, *args: Any, **options: Any) -> None:
        site = Site.objects.filter(slug=options["slug"]).first()
        if site is None:
            raise CommandError(f"No site with slug {options['slug']!r}.")
        as_of = _parse_day(options["as_of"], site.today()) if options["as_of"] else None
        card = score_site(site, as_of)
        self.stdout.write(json.dumps(card.as_json(), indent=1, ensure_ascii=False))


def _parse_day(text: str, today: date) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--as-of: {text!r} is not a date like 2026-06-30.") from None
    if day < EARLIEST or day > today:
        raise CommandError(f"--as-of: choose a day from {EARLIEST} to today ({today}).")
    return day
