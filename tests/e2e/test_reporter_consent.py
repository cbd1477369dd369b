"""The reporter's consent on a phone (issue 19): the quick capture asks who told the site
and what they agreed to, and an interaction kept at the site cannot be shared."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from agreements.choices import Consent, Source
from agreements.models import Interaction, InteractionShare
from tests.conftest import World
from tests.e2e.conftest import fits_width, sign_in


def test_a_clients_report_kept_at_the_site_is_logged_and_never_shared(
    phone: Any, live_server: Any, world: World
) -> None:
    sign_in(phone.context, live_server, world.users["manager"])
    phone.goto(live_server.url + "/sites/riverside/interactions/new/")
    # Asked with the essential fields, with the defaults already chosen.
    expect(phone.get_by_label("Staff observation")).to_be_checked()
    expect(phone.get_by_label("Counted in anonymous totals")).to_be_checked()
    phone.get_by_label("Category").select_option("stop_or_search")
    phone.get_by_label("Distance band").select_option(label="Inside the agreed buffer")
    phone.get_by_label("Reported by a client").check()
    phone.get_by_label("The site only").check()
    phone.get_by_role("button", name="Save").tap()
    expect(phone.get_by_role("status")).to_contain_text("was saved")
    saved = Interaction.objects.get()
    assert (saved.source, saved.consent) == (Source.CLIENT_REPORTED, Consent.SITE_ONLY)
    assert fits_width(phone)

    phone.goto(live_server.url + f"/sites/riverside/interactions/{saved.pk}/edit/")
    expect(phone.get_by_text(re.compile("Reporter’s consent: The site only"))).to_be_visible()
    expect(phone.get_by_role("link", name=re.compile("Share with the liaison"))).to_have_count(0)
    phone.goto(live_server.url + f"/sites/riverside/interactions/{saved.pk}/share/")
    expect(phone.get_by_text("This interaction cannot be shared with police.")).to_be_visible()
    expect(phone.get_by_role("button", name="Share")).to_have_count(0)
    assert not InteractionShare.objects.exists()
