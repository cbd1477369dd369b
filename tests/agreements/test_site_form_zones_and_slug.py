"""The site form offers the current IANA zones and fills the short name from the name."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from agreements.choices import Role
from agreements.forms import SiteForm
from agreements.models import Site
from agreements.services import slug_from_name
from agreements.timezones import current_zones, grouped_choices, parse_zone_tab
from tests.agreements.test_views import site_data
from tests.conftest import make_user
from tests.factories import SiteFactory

pytestmark = pytest.mark.django_db


def _offered(form: SiteForm) -> dict[str, str]:
    return {value: label for _, group in form.fields["timezone"].choices for value, label in group}


def test_the_zones_offered_are_current_not_legacy_aliases() -> None:
    offered = _offered(SiteForm())
    for current in ("America/Toronto", "America/Vancouver", "America/St_Johns", "Europe/Kyiv",
                    "America/Argentina/Buenos_Aires", "UTC"):  # fmt: skip
        assert current in offered, current
    for legacy in ("US/Eastern", "Canada/Pacific", "EST5EDT", "Etc/GMT+5", "GMT", "Europe/Kiev",
                   "Asia/Calcutta", "America/Montreal", "America/Buenos_Aires"):  # fmt: skip
        assert legacy not in offered, legacy


def test_the_zones_are_grouped_by_region_and_sorted() -> None:
    groups = grouped_choices()
    assert [str(name) for name, _ in groups][:2] == ["Africa", "America"]
    america = {str(name): zones for name, zones in groups}["America"]
    assert [value for value, _ in america] == sorted(value for value, _ in america)
    assert ("America/Toronto", "America/Toronto") in america
    assert list(current_zones()) == [*sorted(current_zones()[:-1]), "UTC"]


def test_zone_tab_is_read_by_its_third_column() -> None:
    text = (
        "# comment\nCA\t+4339-07923\tAmerica/Toronto\tEastern (most areas)\n\n"
        "UA\t+5026+03031\tEurope/Kyiv\n"
    )
    assert parse_zone_tab(text) == {"America/Toronto", "Europe/Kyiv"}


def test_a_site_with_an_older_zone_name_keeps_it_on_its_form(site: Site) -> None:
    Site.objects.filter(pk=site.pk).update(timezone="America/Montreal")
    site.refresh_from_db()
    form = SiteForm(instance=site)
    assert "America/Montreal" in _offered(form)


def test_a_legacy_zone_is_refused_on_a_new_site(client: Any) -> None:
    client.force_login(make_user(Role.ADMIN))
    data = site_data(SiteFactory.build(name="Northend Site", city="Lakeport", region="ON"))
    response = client.post(reverse("agreements:site_create"), {**data, "timezone": "US/Eastern"})
    assert response.status_code == 422
    assert "timezone" in response.context["form"].errors
    assert not Site.objects.filter(name="Northend Site").exists()


def test_slug_from_name_drops_accents_and_avoids_taken_and_reserved() -> None:
    assert slug_from_name("Rivière-Claire Centre", set()) == "riviere-claire-centre"
    assert slug_from_name("Northend", {"northend"}) == "northend-2"
    assert slug_from_name("Northend", {"northend", "northend-2"}) == "northend-3"
    assert slug_from_name("New", set()) == "new-2"  # "new" is reserved
    assert slug_from_name("!!!", set()) == "site"
    assert len(slug_from_name("x" * 200, set())) <= 60


def test_the_server_fills_the_slug_from_the_name_when_left_blank(client: Any, site: Site) -> None:
    client.force_login(make_user(Role.ADMIN))
    SiteFactory(name="Other", slug="riviere-claire-east")
    data = site_data(SiteFactory.build(name="Rivière-Claire East", city="Lakeport", region="QC"))
    response = client.post(reverse("agreements:site_create"), {**data, "slug": ""})
    assert response.status_code == 302
    made = Site.objects.get(name="Rivière-Claire East")
    assert made.slug == "riviere-claire-east-2"  # the plain one was taken
    assert response["Location"] == reverse("agreements:site_overview", kwargs={"slug": made.slug})


def test_a_slug_typed_by_hand_is_kept(client: Any) -> None:
    client.force_login(make_user(Role.ADMIN))
    data = site_data(SiteFactory.build(name="Northend Site", city="Lakeport", region="ON"))
    assert (
        client.post(reverse("agreements:site_create"), {**data, "slug": "north"}).status_code == 302
    )
    assert Site.objects.filter(slug="north", name="Northend Site").exists()


def test_the_new_site_form_asks_the_browser_to_fill_the_slug(client: Any) -> None:
    client.force_login(make_user(Role.ADMIN))
    page = client.get(reverse("agreements:site_create")).content.decode()
    assert 'data-slug-from="id_name"' in page
    assert "js/slug.js" in page
    assert "<optgroup" in page
