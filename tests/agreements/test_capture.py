"""Logging an interaction quickly (issue 17 item 1): one tap from the home page and from
every site page, the time already set to now at the site, the site's most used categories
first, the rarely used fields folded away, and nothing typed lost on a refusal."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from agreements.choices import Role
from agreements.forms import InteractionForm
from agreements.models import Interaction, Membership, Site
from agreements.selectors import category_use
from tests.conftest import World, make_user
from tests.factories import InteractionFactory, SiteFactory

pytestmark = pytest.mark.django_db
TORONTO = ZoneInfo("America/Toronto")
ST_JOHNS = ZoneInfo("America/St_Johns")  # UTC−3:30: a local hour is not a UTC hour
NOW = datetime(2026, 11, 20, 15, 47, tzinfo=TORONTO)
LOG = "Log an interaction"


def url(name: str, site: Site, **kwargs: Any) -> str:
    return reverse(f"agreements:{name}", kwargs={"slug": site.slug, **kwargs})


def create_url(site: Site) -> str:
    return url("interactions_create", site)


def log_links(html: str) -> list[str]:
    """The targets of the links labelled "Log an interaction" on a page."""
    return re.findall(r'<a class="btn[^"]*" href="([^"]+)">' + LOG, html)


# The time: now, to the hour, in the site's zone.


@time_machine.travel(NOW, tick=False)
def test_the_time_starts_at_this_hour_at_the_site(manager_client: Any, site: Site) -> None:
    response = manager_client.get(create_url(site))
    assert response.context["form"].initial["occurred_at"] == datetime(
        2026, 11, 20, 15, tzinfo=TORONTO
    )
    assert 'value="2026-11-20T15:00"' in response.content.decode()


@time_machine.travel(NOW, tick=False)
def test_the_time_is_the_sites_own_hour_in_a_half_hour_zone(client: Any) -> None:
    site = SiteFactory(timezone="America/St_Johns")
    client.force_login(make_user(Role.MANAGER, site=site))
    html = client.get(create_url(site)).content.decode()
    # 15:47 in Toronto is 17:17 in St. John's: the field shows 17:00 there.
    assert NOW.astimezone(ST_JOHNS).strftime("%H:%M") == "17:17"
    assert 'value="2026-11-20T17:00"' in html


@time_machine.travel(NOW, tick=False)
def test_the_default_time_saves_as_is(manager_client: Any, site: Site) -> None:
    data = {
        "occurred_at": "2026-11-20T15:00",
        "category": "called_by_staff",
        "distance_band": "inside",
        "officers_present": "1",
        "impact": "none",
    }
    assert manager_client.post(create_url(site), data).status_code == 302
    assert Interaction.objects.get().occurred_at == datetime(2026, 11, 20, 15, tzinfo=TORONTO)


def test_an_edited_interaction_keeps_its_own_time(manager_client: Any, site: Site) -> None:
    interaction = InteractionFactory(site=site)
    response = manager_client.get(url("interactions_edit", site, pk=interaction.pk))
    assert 'value="2026-06-01T14:00"' in response.content.decode()


# The categories: most used at this site first.


@time_machine.travel(NOW, tick=False)
def test_category_use_counts_this_sites_last_year_only(site: Site, other_site: Site) -> None:
    InteractionFactory.create_batch(3, site=site, category="alert_shared", occurred_at=NOW)
    InteractionFactory(site=site, category="other", occurred_at=NOW - timedelta(days=364))
    InteractionFactory(site=site, category="surveillance", occurred_at=NOW - timedelta(days=366))
    InteractionFactory.create_batch(5, site=other_site, category="dog_deployment", occurred_at=NOW)
    assert category_use(site, NOW) == {"alert_shared": 3, "other": 1}


@time_machine.travel(NOW, tick=False)
def test_the_form_offers_the_sites_most_used_categories_first(
    manager_client: Any, site: Site, other_site: Site
) -> None:
    InteractionFactory.create_batch(3, site=site, category="alert_shared", occurred_at=NOW)
    InteractionFactory(site=site, category="other", occurred_at=NOW)
    InteractionFactory.create_batch(9, site=other_site, category="surveillance", occurred_at=NOW)
    html = manager_client.get(create_url(site)).content.decode()
    select = html[
        html.index('name="category"') : html.index("</select>", html.index('name="category"'))
    ]
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    assert groups == ["Most used here", "Other categories"]
    values = re.findall(r'<option value="([a-z_]*)"', select)
    assert values[:3] == ["", "alert_shared", "other"]
    assert values[3:6] == ["uninvited_entry", "exception_entry", "vehicle_in_buffer"]
    assert len(values) == len(set(values))  # each category once


def test_a_site_with_no_log_offers_plain_spec_order(manager_client: Any, site: Site) -> None:
    html = manager_client.get(create_url(site)).content.decode()
    assert "<optgroup" not in html
    start = html.index('name="category"')
    values = re.findall(r'<option value="([a-z_]*)"', html[start : html.index("</select>", start)])
    assert values[:3] == ["", "uninvited_entry", "exception_entry"]


def test_a_category_from_either_group_is_accepted(manager_client: Any, site: Site) -> None:
    InteractionFactory(site=site, category="alert_shared", occurred_at=datetime.now(TORONTO))
    base = {"occurred_at": "2026-06-01T14:00", "distance_band": "beyond", "impact": "none"}
    for category in ("alert_shared", "referral_to_site"):
        data = {**base, "category": category, "officers_present": "1"}
        assert manager_client.post(create_url(site), data).status_code == 302
    assert Interaction.objects.filter(site=site).count() == 3


def test_the_form_takes_a_fixed_number_of_queries_however_long_the_log(
    manager_client: Any, site: Site
) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(create_url(site)).status_code == 200
        return len(captured)

    InteractionFactory.create_batch(3, site=site, category="other")
    small = queries()
    for category in ("alert_shared", "surveillance", "dog_deployment", "called_by_staff"):
        InteractionFactory.create_batch(30, site=site, category=category)
    assert queries() == small


# A short form: rarely used fields under "More details".


def test_rarely_used_fields_are_folded_under_more_details(manager_client: Any, site: Site) -> None:
    html = manager_client.get(create_url(site)).content.decode()
    details = html[html.index("<details") : html.index("</details>")]
    for name in ("legal_basis", "disclosed", "badge_numbers", "clause_topic", "narrative"):
        assert f'name="{name}"' in details, name
    for name in ("occurred_at", "category", "distance_band", "officers_present", "impact"):
        assert f'name="{name}"' not in details, name
        assert html.index(f'name="{name}"') < html.index("<details"), name
    assert '<details class="more-details mb-3" data-opens-with' in html  # closed


def test_more_details_opens_itself_on_an_error_in_it(manager_client: Any, site: Site) -> None:
    data = {
        "occurred_at": "2026-06-01T14:00",
        "category": "information_request",
        "distance_band": "inside",
        "officers_present": "1",
        "impact": "none",
    }
    response = manager_client.post(create_url(site), data)
    assert response.status_code == 422
    assert response.context["form"].details_open
    assert re.search(r"<details[^>]* open", response.content.decode())


def test_more_details_opens_itself_when_it_holds_a_value(manager_client: Any, site: Site) -> None:
    interaction = InteractionFactory(site=site, narrative="Cruiser parked across the door.")
    response = manager_client.get(url("interactions_edit", site, pk=interaction.pk))
    assert response.context["form"].details_open
    quiet = InteractionFactory(site=site, narrative="")
    response = manager_client.get(url("interactions_edit", site, pk=quiet.pk))
    assert not response.context["form"].details_open


def test_the_form_alone_knows_which_fields_are_essential(site: Site) -> None:
    form = InteractionForm(site=site)
    essential = [f.name for f in form.essential_fields]
    assert essential[:4] == ["occurred_at", "category", "distance_band", "officers_present"]
    assert "narrative" not in essential
    assert "pii_confirmed" not in essential
    assert [f.name for f in form.trailing_fields] == ["pii_confirmed"]
    every = essential + [f.name for f in form.detail_fields] + ["pii_confirmed"]
    assert sorted(every) == sorted(form.fields)


def test_a_refusal_keeps_everything_typed(manager_client: Any, site: Site) -> None:
    data = {
        "occurred_at": "2026-06-01T09:00",
        "category": "stop_or_search",
        "distance_band": "buffer",
        "officers_present": "3",
        "plain_clothes": "on",
        "impact": "clients_left",
        "badge_numbers": "4411",
        "narrative": "Two officers questioned people at the corner; call me at 416-555-0199.",
    }
    response = manager_client.post(create_url(site), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "narrative" in response.context["form"].errors
    assert 'value="2026-06-01T09:00"' in html
    assert '<option value="stop_or_search" selected>' in html
    assert 'value="3"' in html
    assert 'value="4411"' in html
    assert "Two officers questioned people at the corner" in html
    assert re.search(r'name="plain_clothes"[^>]*checked', html)
    assert re.search(r"<details[^>]* open", html)
    assert not Interaction.objects.exists()


# One tap from the home page and every site page, for those who log.


def test_a_manager_of_one_site_goes_straight_to_its_form(manager_client: Any, site: Site) -> None:
    html = manager_client.get(reverse("agreements:home")).content.decode()
    assert log_links(html) == [create_url(site)]
    assert "log-menu" not in html


def test_a_manager_of_several_sites_chooses_the_site(client: Any, world: World) -> None:
    manager = world.users["manager"]
    Membership.objects.create(user=manager, role=Role.MANAGER, site=world.other_site)
    client.force_login(manager)
    html = client.get(reverse("agreements:home")).content.decode()
    menu = html[html.index('id="log-menu"') : html.index("</ul>", html.index('id="log-menu"'))]
    assert 'aria-expanded="false"' in menu
    # Sorted by name: Eastside before Riverside.
    assert re.findall(r'href="([^"]+)"', menu) == [
        create_url(world.other_site),
        create_url(world.site),
    ]


@pytest.mark.parametrize("role", ["liaison", "researcher"])
def test_roles_that_cannot_log_are_never_offered_it(client: Any, world: World, role: str) -> None:
    client.force_login(world.users[role])
    pages = [reverse("agreements:home"), url("site_profile", world.site)]
    if role == "liaison":
        pages += [url("liaison_protocol", world.site), url("shared_interactions", world.site)]
    else:
        pages += [url("site_score", world.site)]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert LOG not in html, page
        assert "/interactions/new/" not in html, page


def test_an_admin_is_offered_every_site(client: Any, world: World) -> None:
    client.force_login(world.users["admin"])
    html = client.get(reverse("agreements:home")).content.decode()
    assert create_url(world.site) in html
    assert create_url(world.other_site) in html


@pytest.mark.parametrize(
    "name",
    [
        "site_overview",
        "site_score",
        "site_profile",
        "site_edit",
        "site_exports",
        "site_audit",
        "checkins_awaiting",
        "assignments_timeline",
        "liaison_protocol",
        "shared_interactions",
        "interactions_list",
        "officers_list",
        "engagements_create",
        "checkins_list",
        "protocols_create",
    ],
)
def test_every_site_page_of_a_manager_has_the_control_at_the_top(
    manager_client: Any, site: Site, name: str
) -> None:
    response = manager_client.get(url(name, site))
    assert response.status_code == 200
    html = response.content.decode()
    assert create_url(site) in log_links(html)
    # Before the page's own content: in the bar under the breadcrumbs.
    assert html.index(LOG) < html.index('<main id="main"')


def test_the_form_itself_does_not_offer_the_control(manager_client: Any, site: Site) -> None:
    html = manager_client.get(create_url(site)).content.decode()
    assert log_links(html) == []


def test_an_interaction_page_still_offers_it(manager_client: Any, site: Site) -> None:
    interaction = InteractionFactory(site=site)
    html = manager_client.get(url("interactions_edit", site, pk=interaction.pk)).content.decode()
    assert log_links(html) == [create_url(site)]


def test_the_site_sections_fold_into_a_labelled_menu(manager_client: Any, site: Site) -> None:
    html = manager_client.get(url("site_overview", site)).content.decode()
    nav = html[
        html.index('aria-label="Site records"') : html.index(
            "</nav>", html.index('aria-label="Site records"')
        )
    ]
    assert re.search(
        r'<button class="[^"]*d-md-none[^"]*" type="button" data-bs-toggle="collapse"\s+'
        r'data-bs-target="#site-sections" aria-controls="site-sections" aria-expanded="false">'
        r"Site sections</button>",
        nav,
    )
    assert '<div class="collapse d-md-block" id="site-sections">' in nav


def test_the_controls_are_in_french(manager_client: Any, site: Site) -> None:
    # The requests activate French in this thread: put the language back afterwards.
    with translation.override(None):
        french = {"HTTP_ACCEPT_LANGUAGE": "fr-CA"}
        home = manager_client.get(reverse("agreements:home"), **french).content.decode()
        assert "Consigner une interaction" in home
        InteractionFactory(site=site, category="other", occurred_at=datetime.now(TORONTO))
        form = manager_client.get(create_url(site), **french).content.decode()
        assert "Les plus utilisées ici" in form
        assert "Autres catégories" in form
        assert "Plus de détails" in form
        overview = manager_client.get(url("site_overview", site), **french).content.decode()
        assert "Sections du site" in overview
