"""The order the interaction form offers categories in: the ones a site logs most, first.

A pure rule over counts (the query that gathers them is `selectors.category_use`), so that
it is tested with hand-made counts. Categories never used at the site keep the order of
SPEC §4, and so do ties, so the list does not shuffle from one day to the next.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from agreements.choices import Category

# How many categories "Most used here" holds: enough for a site's usual events, few
# enough to read at a glance on a phone.
MOST_USED_LIMIT = 5

# SPEC §4 order, the fallback for ties and for categories never used at the site.
SPEC_ORDER: tuple[str, ...] = tuple(Category.values)


@dataclass(frozen=True)
class CategoryOrder:
    most_used: tuple[str, ...]  # used at the site, most used first; empty for a new site
    others: tuple[str, ...]  # every other category, in SPEC §4 order

    @property
    def all(self) -> tuple[str, ...]:
        return self.most_used + self.others


def order_categories(
    counts: Mapping[str, int],
    *,
    limit: int = MOST_USED_LIMIT,
    spec_order: Sequence[str] = SPEC_ORDER,
) -> CategoryOrder:
    """Split the categories into the `limit` most used (count > 0, by count then SPEC
    order) and the rest (SPEC order). Counts for unknown categories are ignored."""
    rank = {category: index for index, category in enumerate(spec_order)}
    used = sorted(
        (c for c in spec_order if counts.get(c, 0) > 0),
        key=lambda c: (-counts[c], rank[c]),
    )
    most_used = tuple(used[: max(limit, 0)])
    return CategoryOrder(
        most_used=most_used, others=tuple(c for c in spec_order if c not in most_used)
    )
