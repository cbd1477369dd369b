"""Random networks of sites for the disclosure audit (tests/privacy/test_disclosure_audit.py).

A network is 2 to 4 sites that consent to research, each in its own time zone, and one
that does not, with interactions over `PERIOD`: December 2024 to January 2026. That is
one whole calendar year (2025, whose year totals are published once it has ended at the
site) with a month either side: December 2024 makes 2024's year totals those of one month,
and January 2026 starts a year of which only one month is out.

Counts are mostly small (0 to 12 a month per category, many zeros), so that most of what
a researcher reads is suppressed; breaches of every kind the rule knows (entries without
notice, dispersals at the buffer or closer, requests for information without a legal
basis) and requests for information on every legal basis, disclosed or not. Some
interactions fall in the last and first hours of a month at the site, where a month
complete in one time zone still runs in another. Deterministic for a seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from agreements.choices import Category, DistanceBand, LegalBasis
from agreements.models import Interaction, Site
from agreements.periods import Month
from agreements.research_days import month_end
from tests.factories import SignedProtocolFactory, SiteFactory

# Sites well apart in time: 3½ hours between Vancouver and St. John's.
ZONES = ("America/Vancouver", "America/Toronto", "America/Halifax", "America/St_Johns")
FIRST, LAST = Month(2024, 12), Month(2026, 1)
PERIOD: tuple[Month, ...] = tuple(FIRST.shift(i) for i in range(LAST.key - FIRST.key + 1))
BUSY = Category.CALLED_BY_STAFF  # the one category with counts well above the threshold


@dataclass(frozen=True)
class Network:
    seed: int
    consenting: tuple[Site, ...]
    refusing: Site  # no research consent: none of its data may reach a researcher
    interactions: int


def build_network(seed: int) -> Network:
    rng = random.Random(seed)
    zones = rng.sample(ZONES, rng.randint(2, 4))
    consenting = tuple(
        _site(f"net{seed}-{i}-{zone.split('/')[1].lower()}", zone, consent=True)
        for i, zone in enumerate(zones)
    )
    refusing = _site(f"net{seed}-private", rng.choice(ZONES), consent=False)
    rows: list[Interaction] = []
    for site in consenting:
        # A quiet site has a few categories a month, so that breaches over 90 days are
        # often from 1 to T−1, where scores are ranges; a busy one, many.
        share = rng.choice((0.04, 0.12, 0.35))
        for month in PERIOD:
            rows += _month(rng, site, month, share)
    # Enough to show if it leaked, in a year with its totals and in the months after.
    for month in (PERIOD[0], PERIOD[6], PERIOD[-1]):
        rows += _month(rng, refusing, month, 0.35)
    Interaction.objects.bulk_create(rows)
    return Network(seed, consenting, refusing, len(rows))


def _site(slug: str, zone: str, *, consent: bool) -> Site:
    site = SiteFactory(slug=slug, name=f"Site {slug}", timezone=zone, research_consent=consent)
    # An agreement in force over the whole period, so that compliance is scored from the
    # breaches (without one it is 0 points whatever happened).
    SignedProtocolFactory(site=site, review_by=date(2030, 1, 1))
    return site


def _month(rng: random.Random, site: Site, month: Month, share: float) -> list[Interaction]:
    """`share`: how likely each category but the busy one is to occur in the month."""
    rows = []
    for category in Category.values:
        if category == BUSY:
            n = rng.randint(8, 20)
        elif rng.random() > share:
            continue
        else:
            n = rng.randint(1, 12)
        rows += [_interaction(rng, site, month, category) for _ in range(n)]
    return rows


def _interaction(rng: random.Random, site: Site, month: Month, category: str) -> Interaction:
    first, last = month.first_day(), month_end(month.first_day())
    edge = rng.random()
    if edge < 0.1:  # the last evening of the month at the site
        local = datetime.combine(last, datetime.min.time()).replace(hour=23)
    elif edge < 0.15:  # the first hour of the month at the site
        local = datetime.combine(first, datetime.min.time())
    else:
        day = first + timedelta(days=rng.randrange((last - first).days + 1))
        local = datetime.combine(day, datetime.min.time()).replace(hour=rng.randrange(24))
    fields: dict[str, object] = {
        "distance_band": rng.choice(DistanceBand.values),
        "site_notified": rng.random() < 0.5,
    }
    if category == Category.INFORMATION_REQUEST:
        fields["legal_basis"] = rng.choice(LegalBasis.values)
        fields["disclosed"] = rng.random() < 0.4
    return Interaction(
        site=site,
        occurred_at=local.replace(tzinfo=ZoneInfo(site.timezone)),
        category=category,
        **fields,
    )
