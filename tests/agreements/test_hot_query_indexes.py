"""The partial index of possible breaches holds every row a score may count."""

from __future__ import annotations

from itertools import product

from agreements.breaches import is_breach
from agreements.choices import Category, DistanceBand, LegalBasis
from agreements.models import BREACH_CATEGORIES, Interaction


def test_the_index_lists_exactly_the_categories_that_can_be_a_breach() -> None:
    can_be_breach = {
        category
        for category, notified, band, basis in product(
            Category.values, (True, False), DistanceBand.values, [*LegalBasis.values, ""]
        )
        if is_breach(category=category, notified=notified, distance_band=band, legal_basis=basis)
    }
    assert set(BREACH_CATEGORIES) == can_be_breach


def test_the_index_condition_is_in_a_stable_order() -> None:
    index = next(i for i in Interaction._meta.indexes if i.name == "interaction_breach_time")
    assert index.condition is not None
    ((_lookup, values),) = index.condition.children  # type: ignore[misc]
    assert values == sorted(values)
