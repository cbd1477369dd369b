"""PDF reports: what each edition must and must not say (SPEC §8)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from agreements.audit import AuditEntry
from agreements.choices import Category, Role
from agreements.models import InteractionShare, Site
from reports import data as report_data
from reports.editions import build_report
from reports.research import research_context
from tests.conftest import World, make_user
from tests.factories import (
    AssignmentFactory,
    AttendanceFactory,
    ClauseFactory,
    EngagementFactory,
    InteractionFactory,
    OfficerFactory,
    OperatingHoursFactory,
    SignedProtocolFactory,
)

pytestmark = pytest.mark.django_db
MARKER = "Narrative-marker-5c1d"
SHARED = "Shared-summary-marker-77aa"


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def rich_site(site: Site) -> Site:
    OperatingHoursFactory(site=site, weekday=5)
    EngagementFactory(site=site, date=date(2019, 3, 2))
    protocol = SignedProtocolFactory(site=site, version=1, review_by=date(2030, 1, 1))
    ClauseFactory(protocol=protocol, text="Officers do not park inside the buffer.")
    AssignmentFactory(site=site, officer=OfficerFactory(name="Robin Sample"))
    # Dated before the end of last month: the research edition reads complete months.
    last_month_end = site.today().replace(day=1) - timedelta(days=1)
    now = datetime.combine(last_month_end, time(12), tzinfo=site.tz)
    for days in (3, 10, 40):
        InteractionFactory(site=site, occurred_at=now - timedelta(days=days),
                           category="vehicle_in_buffer", narrative=MARKER)  # fmt: skip
    for days in range(12):
        InteractionFactory(site=site, occurred_at=now - timedelta(days=days + 1),
                           category="called_by_staff", resolution=MARKER)  # fmt: skip
    shared = InteractionFactory(site=site, occurred_at=now - timedelta(days=2),
                                category="surveillance")  # fmt: skip
    InteractionShare.objects.create(interaction=shared, summary=SHARED)
    AttendanceFactory(site=site, date=site.today() - timedelta(days=5), visits=80)
    return site


def test_the_manager_edition_holds_the_score_evidence_and_summaries(rich_site: Site) -> None:
    text = text_of(build_report(rich_site, "manager", by="mona"))
    for expected in ("Manager edition", "Relationship score", "Rubric v1", "by mona",
                     "Officers do not park inside the buffer.", "Robin Sample",
                     "Police vehicle in the buffer", "Breaches of the last 90 days",
                     "First engagement", "Page 1 of"):  # fmt: skip
        assert expected in text, expected
    assert MARKER not in text
    assert SHARED not in text


def test_the_liaison_edition_holds_no_interaction_data(rich_site: Site) -> None:
    text = text_of(build_report(rich_site, "liaison"))
    assert "Officers do not park inside the buffer." in text
    assert "Dedicated liaison" in text
    assert "Rubric v1" in text
    for category in Category:
        if category.value != "other":
            assert str(category.label) not in text, category.label
    for word in (MARKER, SHARED, "breach", "Relationship score", "interactions logged"):
        assert word not in text, word


def test_the_research_edition_holds_no_narrative_and_no_name(rich_site: Site) -> None:
    text = text_of(build_report(rich_site, "research"))
    assert "Research edition" in text
    for word in (MARKER, SHARED, "Robin Sample"):
        assert word not in text, word


@time_machine.travel(datetime(2026, 3, 15, 12, tzinfo=UTC), tick=False)
def test_the_research_edition_prints_the_release_of_the_last_ended_year(site: Site) -> None:
    june = datetime(2025, 6, 10, 14, tzinfo=site.tz)
    InteractionFactory.create_batch(3, site=site, occurred_at=june, category="vehicle_in_buffer")
    InteractionFactory.create_batch(30, site=site, occurred_at=june, category="called_by_staff")
    # After the year: in no figure of the 2025 release, whatever the report's day.
    InteractionFactory.create_batch(25, site=site, occurred_at=datetime(2026, 2, 2, 9, tzinfo=UTC),
                                    category="stop_or_search")  # fmt: skip
    text = text_of(build_report(site, "research"))
    assert "Police interactions, 2025 (suppressed)" in text
    assert "Police vehicle in the buffer <10" in text
    assert f"{Category.STOP_OR_SEARCH.label} 0" in text
    # The legend explains both marks.
    assert "<10: a count from 1 to 9." in text
    assert "x: a count hidden so that" in text


@time_machine.travel(datetime(2026, 3, 15, 12, tzinfo=UTC), tick=False)
def test_the_research_pdf_and_csv_agree_where_they_print_the_same_figure(
    client: Any, world: World
) -> None:
    site = world.site
    # Nothing small to protect: every figure is printed, and they must add up.
    for month, n in ((1, 50), (12, 60)):
        when = datetime(2025, month, 3, 15, tzinfo=site.tz)
        InteractionFactory.create_batch(n, site=site, category="alert_shared", occurred_at=when)
    client.force_login(world.users["researcher"])
    response = client.get("/api/v1/exports/interactions.csv", {"from": "2025-01", "to": "2025-12"})
    lines = [line.split(",") for line in response.content.decode("utf-8-sig").splitlines()]
    header, rows = lines[0], [dict(zip(lines[0], r, strict=True)) for r in lines[1:]]
    assert [r["month"] for r in rows if r["site"] == site.slug] == [
        f"2025-{m:02d}" for m in range(1, 13)
    ]
    as_of = date(2025, 12, 31)
    context = research_context(report_data.meta(site, "research", as_of, "test"), 10)
    pdf = dict(context["categories"])
    checked = []
    for category in header[2:-1]:
        months = [r[category] for r in rows if r["site"] == site.slug]
        total = pdf[str(Category(category).label)]
        if total.isdigit() and all(m.isdigit() for m in months):
            assert sum(map(int, months)) == int(total), category
            checked.append(category)
    assert checked == header[2:-1]
    assert pdf[str(Category.ALERT_SHARED.label)] == context["categories_total"] == "110"
    assert sum(int(r["total"]) for r in rows if r["site"] == site.slug) == 110


def test_reports_are_tagged_pdfs_in_english(rich_site: Site) -> None:
    reader = PdfReader(io.BytesIO(build_report(rich_site, "liaison")))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-CA"  # the active language, Canadian English by default
    assert root["/MarkInfo"]["/Marked"]
    assert "/StructTreeRoot" in root


# --- downloads ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edition", "expected"),
    [
        ("manager", {"manager": 200, "liaison": 403, "researcher": 403, "admin": 200}),
        ("liaison", {"manager": 200, "liaison": 200, "researcher": 403, "admin": 200}),
        ("research", {"manager": 200, "liaison": 403, "researcher": 200, "admin": 200}),
    ],
)
def test_each_role_downloads_only_its_editions(
    client: Any, world: World, edition: str, expected: dict[str, int]
) -> None:
    url = reverse("agreements:site_report", kwargs={"slug": world.site.slug, "edition": edition})
    for role, status in expected.items():
        client.force_login(world.users[role])
        response = client.get(url)
        assert response.status_code == status, role
        if status == 200:
            assert response["Content-Type"] == "application/pdf"
            assert "attachment" in response["Content-Disposition"]
    client.force_login(world.users["other_manager"])
    assert client.get(url).status_code == 404
    downloads = AuditEntry.objects.filter(action="download", detail=f"{edition} edition PDF")
    assert downloads.count() == sum(1 for s in expected.values() if s == 200)


def test_an_unknown_edition_is_not_found(manager_client: Any, site: Site) -> None:
    url = reverse("agreements:site_report", kwargs={"slug": site.slug, "edition": "full"})
    assert manager_client.get(url).status_code == 404


def test_the_site_report_command(rich_site: Site, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    call_command("site_report", rich_site.slug, "--edition", "research", "-o", str(out),
                 stdout=StringIO())  # fmt: skip
    assert out.read_bytes().startswith(b"%PDF-")
    with pytest.raises(CommandError):
        call_command("site_report", rich_site.slug, "--edition", "research", "-o", str(out),
                     "--as-of", "2999-01-01", stdout=StringIO())  # fmt: skip
    with pytest.raises(CommandError):
        call_command("site_report", "nowhere", "--edition", "manager", "-o", str(out),
                     stdout=StringIO())  # fmt: skip


def test_a_past_day_can_be_reported(rich_site: Site) -> None:
    text = text_of(build_report(rich_site, "research", as_of=date(2024, 6, 30)))
    assert "as of 2024-06-30" in text


# --- the network report ---------------------------------------------------------------------


def test_a_researcher_makes_the_network_report_and_downloads_it(
    client: Any, rich_site: Site
) -> None:
    from agreements.models import ReportJob
    from tests.factories import SiteFactory

    SiteFactory(name="Refusing Site", research_consent=False)
    researcher = make_user(Role.RESEARCHER)
    client.force_login(researcher)
    response = client.post(reverse("agreements:network_report"))
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("agreements:report_job", kwargs={"pk": job.pk})
    page = client.get(response["Location"]).content.decode()
    assert "Ready" in page
    assert 'value="100"' in page
    pdf = client.get(reverse("agreements:report_job_download", kwargs={"pk": job.pk}))
    text = text_of(b"".join(pdf.streaming_content))
    assert "Network report" in text
    assert rich_site.name in text
    assert "Refusing Site" not in text
    assert MARKER not in text


def test_someone_elses_report_is_not_found(client: Any, rich_site: Site) -> None:
    from reports.network import network_job_create

    job = network_job_create(user=make_user(Role.ADMIN), as_of=rich_site.today())
    client.force_login(make_user(Role.RESEARCHER))
    assert client.get(reverse("agreements:report_job", kwargs={"pk": job.pk})).status_code == 404
    url = reverse("agreements:report_job_download", kwargs={"pk": job.pk})
    assert client.get(url).status_code == 404


def test_a_running_report_refreshes_and_shows_progress(client: Any, rich_site: Site) -> None:
    from agreements.models import ReportJob

    user = make_user(Role.ADMIN)
    job = ReportJob.objects.create(requested_by=user, as_of=rich_site.today(), progress=40,
                                   status="running", message="Scored 4 of 10 sites")  # fmt: skip
    client.force_login(user)
    page = client.get(reverse("agreements:report_job", kwargs={"pk": job.pk})).content.decode()
    assert 'name="hr-police-poll"' in page  # static/js/app.js updates the page in place
    assert 'value="40"' in page
    assert "Scored 4 of 10 sites" in page
    assert (
        client.get(reverse("agreements:report_job_download", kwargs={"pk": job.pk})).status_code
        == 404
    )


def test_a_failed_report_says_so(rich_site: Site, monkeypatch: Any) -> None:
    from agreements.models import ReportJob
    from reports import network as network_report

    def broken(*args: Any, **kwargs: Any) -> bytes:
        raise RuntimeError("Pango is missing")

    monkeypatch.setattr(network_report, "render_pdf", broken)
    job = network_report.network_job_create(user=make_user(Role.ADMIN), as_of=rich_site.today())
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED
    assert "could not be made" in job.message


def test_requests_for_information_are_reported_by_quarter(site: Site) -> None:
    now = timezone.now()
    for basis in ("none", "none", "warrant"):
        InteractionFactory(site=site, category="information_request", legal_basis=basis,
                           disclosed=basis == "warrant", distance_band="inside",
                           occurred_at=now - timedelta(days=2))  # fmt: skip
    manager = text_of(build_report(site, "manager"))
    assert "Police requests for information, last four quarters" in manager
    research = text_of(build_report(site, "research"))
    assert f"Police requests for information, {site.today().year - 1} (suppressed)" in research


def test_the_research_edition_reads_the_end_of_a_complete_month(site: Site) -> None:
    last_month_end = site.today().replace(day=1) - timedelta(days=1)
    text = text_of(build_report(site, "research"))
    assert f"as of {last_month_end:%Y-%m-%d}" in text
