"""Which interactions are breaches (SPEC §4): the pure rule and its database twin agree."""

import itertools

import pytest

from agreements.breaches import breach_q, is_breach
from agreements.choices import Category, DistanceBand, LegalBasis
from agreements.models import Interaction
from tests.factories import InteractionFactory, SiteFactory

ALWAYS = [
    "uninvited_entry",
    "vehicle_in_buffer",
    "stationed_in_buffer",
    "stop_or_search",
    "arrest_near_site",
    "supplies_confiscated",
    "plainclothes_presence",
    "dog_deployment",
    "unrequested_overdose_attendance",
    "surveillance",
]
NEVER = [
    "called_by_staff",
    "supply_enforcement",
    "liaison_mediation",
    "referral_to_site",
    "alert_shared",
    "other",
]


def breach(category: str, *, notified: bool = False, band: str = "buffer", basis: str = "") -> bool:
    return is_breach(category=category, notified=notified, distance_band=band, legal_basis=basis)


@pytest.mark.parametrize("category", ALWAYS)
def test_it_counts_these_categories_as_breaches_whatever_the_facts(category: str) -> None:
    assert breach(category, notified=True, band="beyond")


@pytest.mark.parametrize("category", NEVER)
def test_it_never_counts_these_categories(category: str) -> None:
    assert not breach(category, notified=False, band="inside", basis="none")


def test_it_counts_an_exception_entry_only_when_the_site_was_not_notified() -> None:
    assert breach("exception_entry", notified=False)
    assert not breach("exception_entry", notified=True)


@pytest.mark.parametrize(
    ("band", "expected"),
    [("inside", True), ("entrance", True), ("buffer", True), ("beyond", False)],
)
def test_it_counts_a_dispersal_order_in_the_buffer_or_closer(band: str, expected: bool) -> None:
    assert breach("dispersal_order", band=band) is expected


@pytest.mark.parametrize(
    ("basis", "expected"),
    [("none", True), ("warrant", False), ("production_order", False), ("other", False)],
)
def test_it_counts_an_information_request_without_legal_basis(basis: str, expected: bool) -> None:
    assert breach("information_request", basis=basis) is expected


def test_every_category_is_classified() -> None:
    special = {"exception_entry", "dispersal_order", "information_request"}
    assert set(ALWAYS) | set(NEVER) | special == set(Category.values)


@pytest.mark.django_db
def test_it_filters_in_the_database_exactly_as_the_pure_rule() -> None:
    site = SiteFactory()
    combos = itertools.product(
        Category.values, [True, False], DistanceBand.values, ["", *LegalBasis.values]
    )
    for category, notified, band, basis in combos:
        if (category == "information_request") != bool(basis):
            continue
        InteractionFactory(
            site=site,
            category=category,
            site_notified=notified,
            distance_band=band,
            legal_basis=basis,
            disclosed=False if basis else None,
        )
    rows = Interaction.objects.filter(site=site)
    in_db = set(rows.filter(breach_q()).values_list("id", flat=True))
    in_python = {row.id for row in rows if row.is_breach}
    assert in_db == in_python
    assert in_db  # the fixture holds breaches and non-breaches
    assert len(in_db) < rows.count()
