"""Times are shown on the site's clock, and the page says which clock: delete pages,
the Django admin, the network audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements import audit
from agreements.audit import Action, AuditEntry
from agreements.choices import Role
from agreements.models import Site
from tests.conftest import make_user
from tests.factories import InteractionFactory, SiteFactory

pytestmark = pytest.mark.django_db
UTC = ZoneInfo("UTC")
# 02:00 UTC on 2 June is still 1 June in Vancouver (19:00) and in Toronto (22:00).
MOMENT = datetime(2026, 6, 2, 2, tzinfo=UTC)


@pytest.fixture
def vancouver() -> Site:
    return SiteFactory(slug="harbour", name="Harbour Site", timezone="America/Vancouver")


def test_the_delete_page_shows_the_interactions_time_on_the_sites_clock(
    client: Any, vancouver: Site
) -> None:
    interaction = InteractionFactory(site=vancouver, occurred_at=MOMENT)
    client.force_login(make_user(Role.MANAGER, site=vancouver))
    url = reverse("agreements:interactions_delete", kwargs={"slug": vancouver.slug,
                                                           "pk": interaction.pk})  # fmt: skip
    page = client.get(url).content.decode()
    assert "2026-06-01 19h" in page
    assert "2026-06-02 02h" not in page
    assert "(America/Vancouver)" in page


def test_str_of_an_interaction_is_on_its_sites_clock(vancouver: Site) -> None:
    interaction = InteractionFactory(site=vancouver, occurred_at=MOMENT)
    assert "2026-06-01 19h" in str(interaction)


def test_the_network_audit_log_shows_each_entry_on_its_sites_clock(
    client: Any, site: Site, vancouver: Site
) -> None:
    client.force_login(make_user(Role.ADMIN))
    with time_machine.travel(MOMENT, tick=False):
        audit.record(Action.VIEW, site=vancouver, detail="network report PDF")
        audit.record(Action.VIEW, detail="network report PDF")
    page = client.get(reverse("agreements:network_audit")).content.decode()
    assert "When (each site&#x27;s time zone)" in page or "When (each site's time zone)" in page
    assert "(America/Vancouver)" in page  # 19:00 on 1 June
    assert "(UTC)" in page  # an entry about no site
    listed = client.get(reverse("agreements:network_audit")).context["page"].object_list
    entries = {e.site_id: e for e in listed}
    assert entries[vancouver.pk].zone == "America/Vancouver"
    assert entries[None].zone == "UTC"


def test_the_network_audit_log_reads_the_zones_in_one_query(client: Any) -> None:
    client.force_login(make_user(Role.ADMIN))
    url = reverse("agreements:network_audit")

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            client.get(url)
        return len(seen)

    for _ in range(2):
        audit.record(Action.VIEW, site=SiteFactory(), detail="x")
    few = queries()
    for _ in range(5):
        audit.record(Action.VIEW, site=SiteFactory(), detail="x")
    assert queries() == few


def test_the_admin_lists_interaction_and_audit_times_on_the_sites_clock(
    client: Any, vancouver: Site
) -> None:
    client.force_login(make_user(Role.ADMIN))
    interaction = InteractionFactory(site=vancouver, occurred_at=MOMENT)
    listing = client.get("/admin/agreements/interaction/").content.decode()
    assert "(America/Vancouver)" in listing
    assert "2026-06-01" in listing
    detail = client.get(f"/admin/agreements/interaction/{interaction.pk}/change/")
    text = detail.content.decode()
    assert "times in America/Vancouver" in text
    assert "19:00" in text  # the occurred-at field, on the site clock
    with time_machine.travel(MOMENT, tick=False):
        audit.record(Action.VIEW, site=vancouver, detail="x")
    entries = client.get("/admin/agreements/auditentry/").content.decode()
    assert "(America/Vancouver)" in entries


def test_the_admin_says_utc_for_records_of_no_site(client: Any) -> None:
    client.force_login(make_user(Role.ADMIN))
    with time_machine.travel(MOMENT, tick=False):
        audit.record(Action.VIEW, detail="x")
    assert not AuditEntry.objects.filter(site_id__isnull=False).exists()
    assert "(UTC)" in client.get("/admin/agreements/auditentry/").content.decode()
