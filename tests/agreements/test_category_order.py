"""The interaction form's category order: a site's most used categories first (pure rule)."""

from __future__ import annotations

from agreements.category_order import SPEC_ORDER, order_categories
from agreements.choices import Category


def test_it_follows_spec_order_at_a_site_with_no_log() -> None:
    order = order_categories({})
    assert order.most_used == ()
    assert order.others == SPEC_ORDER
    assert SPEC_ORDER[:3] == ("uninvited_entry", "exception_entry", "vehicle_in_buffer")
    assert SPEC_ORDER[-1] == "other"


def test_it_puts_the_most_used_first_by_count() -> None:
    order = order_categories({"other": 2, "vehicle_in_buffer": 9, "alert_shared": 4})
    assert order.most_used == ("vehicle_in_buffer", "alert_shared", "other")


def test_it_breaks_ties_by_spec_order_so_the_list_does_not_shuffle() -> None:
    counts = {"surveillance": 3, "uninvited_entry": 3, "dog_deployment": 3}
    assert order_categories(counts).most_used == (
        "uninvited_entry",
        "dog_deployment",
        "surveillance",
    )


def test_it_keeps_only_the_limit_and_leaves_the_rest_in_spec_order() -> None:
    counts = {category: 10 + index for index, category in enumerate(SPEC_ORDER)}
    order = order_categories(counts, limit=5)
    assert order.most_used == tuple(reversed(SPEC_ORDER))[:5]
    assert order.others == tuple(c for c in SPEC_ORDER if c not in order.most_used)


def test_every_category_is_offered_exactly_once() -> None:
    order = order_categories({"other": 1, "stop_or_search": 7})
    assert sorted(order.all) == sorted(Category.values)
    assert len(order.all) == len(set(order.all))


def test_it_ignores_unused_and_unknown_categories() -> None:
    order = order_categories({"raid": 50, "surveillance": 0, "other": 1})
    assert order.most_used == ("other",)
    assert "raid" not in order.all


def test_a_limit_of_zero_gives_plain_spec_order() -> None:
    order = order_categories({"other": 4}, limit=0)
    assert order.most_used == ()
    assert order.all == SPEC_ORDER
