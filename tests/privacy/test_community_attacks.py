"""Attacks on the community role and the reporter's consent (issue 19), as the accounts
that would make them: the union of riverside (world fixture) and a researcher, probing
for what they must never learn — a `site_only` report, a perception round, a draft's
clauses, anything of another site.

Each attack that once succeeded is marked so; the others guard what a future change
could break."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.urls import reverse

from agreements.choices import Category, Consent, LegalBasis
from agreements.models import Interaction, Protocol, ReportJob, Site
from reports.editions import report_html
from tests.conftest import World
from tests.factories import ClauseFactory, ProtocolFactory, SignedProtocolFactory
from tests.perception.test_research import closed_round

pytestmark = pytest.mark.django_db

TORONTO = ZoneInfo("America/Toronto")
# A day in February 2026: 2025 has ended, January 2026 is complete, February is not.
NOW = datetime(2026, 2, 15, 12, tzinfo=TORONTO)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _log(site: Site, n: int, consent: str, when: datetime, **fields: Any) -> None:
    fields.setdefault("category", Category.VEHICLE_IN_BUFFER)
    fields.setdefault("distance_band", "buffer")
    Interaction.objects.bulk_create(
        Interaction(site=site, occurred_at=when, consent=consent, **fields) for _ in range(n)
    )


def _as(client: Any, user: Any) -> Any:
    client.logout()
    client.force_login(user)
    return client


def _url(name: str, site: Site, **kwargs: Any) -> str:
    return reverse(f"agreements:{name}", kwargs={"slug": site.slug, **kwargs})


# --- site_only reports leave no trace in any research product ----------------------------

PRODUCTS = (
    "/dashboard/",
    "/dashboard/?as_of=2025-12-31",
    "/sites/riverside/score/",
    "/sites/riverside/score/?as_of=2025-12-31",
    "/sites/riverside/transparency/?year=2025",
    "/api/v1/sites/riverside/score",
    "/api/v1/sites/riverside/score?as_of=2025-12-31",
    "/api/v1/exports/interactions.csv?from=2025-01&to=2026-02",
    "/api/v1/exports/transparency.csv?year=2025",
)


def _products(client: Any, world: World, monkeypatch: Any, role: str) -> dict[str, str]:
    """Everything `role` reads of riverside's figures, as text (the PDFs as the HTML they
    are drawn from)."""
    import reports.network as network
    from reports.pdf import report_markup

    monkeypatch.setattr(network, "render_pdf", lambda t, c: report_markup(t, c).encode())
    client = _as(client, world.users[role])
    read = {}
    for url in PRODUCTS:
        caches["default"].clear()  # scores are cached: read them afresh
        response = client.get(url)
        assert response.status_code == 200, url
        read[url] = CSRF.sub("", response.content.decode())
    caches["default"].clear()
    client.post(reverse("agreements:network_report"))
    job = ReportJob.objects.filter(requested_by=world.users[role]).latest("pk")
    read["network report"] = job.file.read().decode()
    read["research PDF"] = report_html(world.site, "research", by=role)
    return read


@pytest.mark.parametrize("role", ["community", "researcher"])
def test_no_product_changes_when_only_site_only_reports_are_added(
    client: Any, world: World, monkeypatch: Any, role: str
) -> None:
    """LEAKED before the fix: the scorecard's compliance criterion said "To meet it: each
    breach costs 5 points" exactly when the site had logged a breach in the 90 days, site-
    only reports included, while every figure beside it held none. Now every product reads
    the same with or without reports the reporter kept to the site."""
    site = world.site
    protocol = SignedProtocolFactory(site=site, effective_from=date(2024, 1, 1),
                                     signed_on=date(2023, 12, 1))  # fmt: skip
    ClauseFactory(protocol=protocol)
    # Released reports: one referral in March 2025, nothing in the last 90 days.
    _log(site, 1, Consent.AGGREGATE, datetime(2025, 3, 3, 12, tzinfo=TORONTO),
         category=Category.REFERRAL_TO_SITE)  # fmt: skip
    with time_machine.travel(NOW, tick=False):
        before = _products(client, world, monkeypatch, role)
        # Reports kept to the site: breaches in the score's window, in the year the
        # transparency figures cover, in the month still running, and requests for
        # information without a legal basis.
        for month, day in ((11, 20), (12, 20), (1, 10), (2, 10)):
            year = 2026 if month < 3 else 2025
            _log(site, 2, Consent.SITE_ONLY, datetime(year, month, day, 12, tzinfo=TORONTO))
        _log(site, 4, Consent.SITE_ONLY, datetime(2025, 8, 3, 12, tzinfo=TORONTO),
             category=Category.INFORMATION_REQUEST, legal_basis=LegalBasis.NONE,
             disclosed=False)  # fmt: skip
        after = _products(client, world, monkeypatch, role)
        # The same reports released do show: the comparison can see a change.
        Interaction.objects.filter(consent=Consent.SITE_ONLY).update(consent=Consent.AGGREGATE)
        released = _products(client, world, monkeypatch, role)
    for product, text in before.items():
        assert after[product] == text, product
    assert released["/sites/riverside/score/"] != before["/sites/riverside/score/"]
    assert (
        released["/api/v1/exports/transparency.csv?year=2025"]
        != (before["/api/v1/exports/transparency.csv?year=2025"])
    )


def test_the_compliance_hint_follows_the_published_breaches(client: Any, world: World) -> None:
    """The hint is still given where the release itself shows breaches may have cost
    points, and never where it shows none."""
    site = world.site
    SignedProtocolFactory(site=site, effective_from=date(2024, 1, 1), signed_on=date(2023, 12, 1))
    hint = "Each breach costs 5 points for 90 days."
    url = _url("site_score", site)
    with time_machine.travel(NOW, tick=False):
        assert hint not in _as(client, world.users["community"]).get(url).content.decode()
        _log(site, 2, Consent.AGGREGATE, datetime(2026, 1, 10, 12, tzinfo=TORONTO))
        caches["default"].clear()
        assert hint in _as(client, world.users["community"]).get(url).content.decode()
        assert hint in _as(client, world.users["manager"]).get(url).content.decode()


# --- perception rounds stay between the site and police ----------------------------------


@time_machine.travel(datetime(2026, 5, 10, 12, tzinfo=TORONTO))
def test_the_union_reads_no_perception_round_nor_the_networks(client: Any, world: World) -> None:
    """LEAKED before the fix: the union's scorecard printed the research form of the
    perception rounds (this site's gap per round, and the mean gap of other consenting
    sites per quarter), and `/api/v1/sites/<slug>/perception` answered it the same."""
    closed_round(world.site, managers=6, liaisons=6, manager_rating=5)  # gap 50, published
    closed_round(world.other_site, managers=6, liaisons=6, manager_rating=4)
    union = _as(client, world.users["community"])
    page = union.get(_url("site_score", world.site)).content.decode()
    assert 'data-testid="research-gaps"' not in page
    assert 'data-testid="network-gaps"' not in page
    assert "50.0" not in page
    assert "Perception: how each side rates the relationship" not in page
    assert union.get(f"/api/v1/sites/{world.site.slug}/perception").status_code == 403
    assert union.get(f"/api/v1/sites/{world.other_site.slug}/perception").status_code == 404
    # Researchers keep the research form.
    researcher = _as(client, world.users["researcher"])
    page = researcher.get(_url("site_score", world.site)).content.decode()
    assert 'data-testid="research-gaps"' in page
    assert researcher.get(f"/api/v1/sites/{world.site.slug}/perception").status_code == 200


# --- drafts are not read through the police pages ----------------------------------------


@pytest.fixture
def private_files(tmp_path: Any) -> Any:
    field = Protocol._meta.get_field("document")
    original = field.storage
    field.storage = FileSystemStorage(location=tmp_path)
    yield tmp_path
    field.storage = original


@pytest.mark.parametrize("role", ["community", "liaison"])
def test_a_draft_is_read_through_no_version_diff_or_document(
    client: Any, world: World, role: str, private_files: Any
) -> None:
    site = world.site
    signed = SignedProtocolFactory(site=site, version=1)
    ClauseFactory(protocol=signed, text="No entry during operating hours.")
    draft = ProtocolFactory(site=site, version=2)
    ClauseFactory(protocol=draft, text="Draft wording under negotiation.")
    draft.document.save("draft.pdf", ContentFile(b"%PDF-1.7 draft"), save=True)
    reader = _as(client, world.users[role])
    assert reader.get(_url("liaison_protocol_version", site, version=2)).status_code == 404
    for query in ({"a": 1, "b": 2}, {"a": 2, "b": 1}, {"a": 2, "b": 2}):
        page = reader.get(_url("liaison_protocol_diff", site), query)
        assert "Draft wording under negotiation." not in page.content.decode(), query
    assert reader.get(_url("protocols_document", site, pk=draft.pk)).status_code == 404
    assert reader.get(_url("protocols_detail", site, pk=draft.pk)).status_code == 403
    assert reader.get(_url("protocols_compare", site), {"a": 1, "b": 2}).status_code == 403
    assert "Draft wording" not in reader.get(f"/api/v1/sites/{site.slug}/protocol").content.decode()


# --- another site does not exist for the union -------------------------------------------


def test_the_union_reaches_nothing_of_another_site_by_its_ids(
    client: Any, world: World, private_files: Any
) -> None:
    other = world.other_site
    other.community_oversight = True
    other.save()
    theirs = SignedProtocolFactory(site=other, version=1)
    theirs.document.save("theirs.pdf", ContentFile(b"%PDF-1.7 theirs"), save=True)
    _log(other, 30, Consent.AGGREGATE, datetime(2025, 5, 3, 12, tzinfo=TORONTO))
    union = _as(client, world.users["community"])
    # Their protocol's id under this site's address, and their own addresses.
    assert union.get(_url("protocols_document", world.site, pk=theirs.pk)).status_code == 404
    assert union.get(_url("protocols_document", other, pk=theirs.pk)).status_code == 404
    for edition in ("research", "liaison", "manager"):
        assert union.get(_url("site_report", other, edition=edition)).status_code == 404
        api = union.get(f"/api/v1/sites/{other.slug}/report.pdf", {"edition": edition})
        assert api.status_code == 404, edition
    # This site's police and manager editions, by path or by parameter, are refused.
    for edition in ("liaison", "manager"):
        assert union.get(_url("site_report", world.site, edition=edition)).status_code == 403
        api = union.get(f"/api/v1/sites/{world.site.slug}/report.pdf", {"edition": edition})
        assert api.status_code == 403, edition
    # The network's products hold this site alone.
    with time_machine.travel(NOW, tick=False):
        csv = union.get("/api/v1/exports/interactions.csv", {"from": "2025-01", "to": "2025-12"})
        assert other.slug not in csv.content.decode()
        dashboard = union.get(reverse("agreements:dashboard")).content.decode()
        assert other.name not in dashboard
        union.post(reverse("agreements:network_report"))
    job = ReportJob.objects.get(requested_by=world.users["community"])
    assert job.site_ids == [world.site.id]
    # Someone else's report job is not there.
    admins = ReportJob.objects.create(requested_by=world.users["admin"], as_of=date(2026, 1, 31))
    union = _as(client, world.users["community"])  # the session saved in 2026 has expired
    assert union.get(reverse("agreements:report_job", kwargs={"pk": admins.pk})).status_code == 404
