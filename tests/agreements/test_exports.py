"""CSV exports: the research file (suppressed monthly counts), a site's interaction log,
transparency counts of requests for information, and who may download what."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from agreements.audit import Action, AuditEntry
from agreements.choices import Category, LegalBasis
from agreements.models import Interaction, InteractionShare, Site
from agreements.periods import Month, Quarter
from reports import data as report_data
from reports.csv_files import FORMULA_STARTS, safe_cell
from reports.exports import CATEGORIES, RESEARCH_HEADER
from reports.research import research_context
from reports.transparency import (
    COLUMN_NAMES,
    COLUMNS,
    MANAGER_HEADER,
    tabulate,
    transparency_rows,
)
from tests.conftest import World
from tests.factories import InteractionFactory, SiteFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 7, 15, 12, tzinfo=UTC)
TORONTO = ZoneInfo("America/Toronto")
ROLES = ("anonymous", "manager", "other_manager", "liaison", "researcher", "admin")
S = "<10"
X = "x"  # hidden so that a "<10" cannot be worked out; any size


def month_row(rows: list[dict[str, str]], slug: str, month: str) -> dict[str, str]:
    [row] = [r for r in rows if (r["site"], r["month"]) == (slug, month)]
    return row


def with_counts(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows of months with any interaction (the file has a row for every month)."""
    return [r for r in rows if r["total"] != "0"]


@pytest.fixture(autouse=True)
def _frozen_time() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def log(
    site: Site, n: int, when: datetime, category: str = Category.VEHICLE_IN_BUFFER, **fields: Any
) -> None:
    """`n` interactions at `when` (on the hour), in one query: tests need thousands."""
    fields.setdefault("distance_band", "buffer")
    Interaction.objects.bulk_create(
        Interaction(site=site, occurred_at=when, category=category, **fields) for _ in range(n)
    )


def as_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def as_dicts(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def get(client: Any, user: Any, url: str, **params: str) -> Any:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url, params)


RESEARCH_URL = "/api/v1/exports/interactions.csv"
TRANSPARENCY_URL = "/api/v1/exports/transparency.csv"


# --- the research file -------------------------------------------------------------------


def test_the_urls_are_the_stable_interface() -> None:
    assert reverse("api:interactions_csv") == RESEARCH_URL
    assert reverse("api:transparency_csv") == TRANSPARENCY_URL


def test_it_suppresses_a_small_cell_and_a_second_one_end_to_end(client: Any, world: World) -> None:
    june = datetime(2026, 6, 10, 14, tzinfo=TORONTO)
    log(world.site, 3, june, Category.VEHICLE_IN_BUFFER)
    log(world.site, 25, june, Category.STOP_OR_SEARCH)
    log(world.site, 15, june, Category.SURVEILLANCE)
    response = get(client, world.users["researcher"], RESEARCH_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="interactions-monthly.csv"'
    rows = as_rows(response)
    assert tuple(rows[0]) == RESEARCH_HEADER
    assert rows[0] == ["site", "month", *Category.values, "total"]
    row = month_row(as_dicts(response), "riverside", "2026-06")
    assert row["vehicle_in_buffer"] == S
    # Another figure of the row goes with it, so 43 − 25 − 15 cannot give 3 back; it is
    # marked "x", never "<10", which would be false of 15, 25 or 43.
    hidden = [name for name in (*CATEGORIES, "total") if row[name] == X]
    assert hidden
    assert set(hidden) <= {"surveillance", "stop_or_search", "total"}
    assert [name for name in CATEGORIES if row[name] == S] == ["vehicle_in_buffer"]
    others = set(CATEGORIES) - {"vehicle_in_buffer", "surveillance", "stop_or_search"}
    assert all(row[c] == "0" for c in others)


def test_it_writes_one_row_per_site_month_with_interactions_and_no_narrative(
    client: Any, world: World
) -> None:
    InteractionFactory(
        site=world.site,
        occurred_at=datetime(2026, 5, 2, 9, tzinfo=TORONTO),
        narrative="Cruiser idling by the door",
        resolution="Moved on request",
    )
    log(world.site, 12, datetime(2026, 2, 1, 10, tzinfo=TORONTO), Category.ALERT_SHARED)
    log(world.other_site, 10, datetime(2026, 2, 1, 10, tzinfo=TORONTO), Category.OTHER)
    response = get(client, world.users["admin"], RESEARCH_URL)
    body = response.content.decode()
    assert "Cruiser" not in body
    assert "Moved on" not in body
    rows = as_dicts(response)
    # A row for every complete month of the last 24 at every site, zero or not, so that
    # which rows a file holds says nothing; sorted by site slug, then month.
    assert len(rows) == 2 * 24
    assert [(r["site"], r["month"]) for r in rows][:2] == [
        ("eastside", "2024-07"),
        ("eastside", "2024-08"),
    ]
    keys = [(r["site"], r["month"], r["total"]) for r in with_counts(rows)]
    assert keys == [
        ("eastside", "2026-02", "10"),
        ("riverside", "2026-02", "12"),
        ("riverside", "2026-05", S),
    ]


def test_it_counts_each_interaction_in_its_local_month_at_its_own_site(
    client: Any, world: World
) -> None:
    berlin = SiteFactory(slug="berlin", timezone="Europe/Berlin")
    moment = datetime(2026, 3, 1, 3, tzinfo=UTC)  # 22:00 on 28 Feb in Toronto, 04:00 in Berlin
    log(world.site, 10, moment)
    log(berlin, 11, moment)
    rows = with_counts(as_dicts(get(client, world.users["admin"], RESEARCH_URL)))
    assert {(r["site"], r["month"], r["total"]) for r in rows} == {
        ("riverside", "2026-02", "10"),
        ("berlin", "2026-03", "11"),
    }


def test_it_defaults_to_the_last_24_complete_months(client: Any, world: World) -> None:
    log(world.site, 10, datetime(2024, 6, 30, 12, tzinfo=TORONTO))  # 25 months back: out
    log(world.site, 11, datetime(2024, 7, 1, 0, tzinfo=TORONTO))  # first month in
    log(world.site, 12, datetime(2026, 6, 30, 23, tzinfo=TORONTO))  # last complete month
    log(world.site, 13, datetime(2026, 7, 1, 0, tzinfo=TORONTO))  # July is not over: out
    rows = [r for r in as_dicts(get(client, world.users["researcher"], RESEARCH_URL))
            if r["site"] == "riverside"]  # fmt: skip
    assert (rows[0]["month"], rows[-1]["month"], len(rows)) == ("2024-07", "2026-06", 24)
    assert [(r["month"], r["total"]) for r in with_counts(rows)] == [
        ("2024-07", "11"),
        ("2026-06", "12"),
    ]


def test_it_honours_from_and_to(client: Any, world: World) -> None:
    for month in (1, 2, 3, 4):
        log(world.site, 10 + month, datetime(2026, month, 15, 12, tzinfo=TORONTO))
    researcher = world.users["researcher"]
    rows = as_dicts(get(client, researcher, RESEARCH_URL, **{"from": "2026-02", "to": "2026-03"}))
    assert [(r["site"], r["month"]) for r in rows] == [
        (site, month) for site in ("eastside", "riverside") for month in ("2026-02", "2026-03")
    ]
    rows = with_counts(as_dicts(get(client, researcher, RESEARCH_URL, to="2026-02")))
    assert [r["month"] for r in rows] == ["2026-01", "2026-02"]
    rows = as_dicts(get(client, researcher, RESEARCH_URL, **{"from": "2026-04"}))
    assert [r["month"] for r in rows if r["site"] == "riverside"] == [
        "2026-04",
        "2026-05",
        "2026-06",
    ]
    # A month that has not ended is never written, even when asked for.
    log(world.site, 10, datetime(2026, 7, 2, 12, tzinfo=TORONTO))
    rows = as_dicts(get(client, researcher, RESEARCH_URL, to="2026-12"))
    assert "2026-07" not in [r["month"] for r in rows]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-13"}, "from"),
        ({"from": "2026-1"}, "from"),
        ({"from": "1989-12"}, "from"),
        ({"to": "June"}, "to"),
        ({"to": "２０２６-01"}, "to"),  # full-width digits are digits to Python, not to us
        ({"to": "2026-06-01"}, "to"),
        ({"from": "2026-05", "to": "2026-01"}, "from"),
        ({"from": "2026-01", "to": "nope"}, "to"),
    ],
)
def test_a_bad_query_string_is_422_naming_the_parameter(
    client: Any, world: World, params: dict[str, str], field: str
) -> None:
    response = get(client, world.users["researcher"], RESEARCH_URL, **params)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")
    # The API's one shape of a refusal: each refused value, with where it was and why.
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", field]
    assert error["msg"]
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()


def test_researchers_read_consenting_sites_managers_their_own_admins_all(
    client: Any, world: World
) -> None:
    Site.objects.filter(pk=world.other_site.pk).update(research_consent=False)
    for site in (world.site, world.other_site):
        log(site, 10, datetime(2026, 5, 5, 5, tzinfo=TORONTO))

    def sites_for(role: str) -> set[str]:
        response = get(client, world.users[role], RESEARCH_URL)
        assert response.status_code == 200, role
        return {r["site"] for r in as_dicts(response)}

    assert sites_for("researcher") == {"riverside"}
    assert sites_for("manager") == {"riverside"}
    assert sites_for("other_manager") == {"eastside"}
    assert sites_for("admin") == {"riverside", "eastside"}


def test_api_refusals_are_json_not_redirects(client: Any, world: World) -> None:
    for url in (RESEARCH_URL, TRANSPARENCY_URL):
        anonymous = get(client, None, url)
        assert anonymous.status_code == 401
        assert anonymous["WWW-Authenticate"] == 'Bearer realm="hr_police"'
        assert "detail" in anonymous.json()
        liaison = get(client, world.users["liaison"], url)
        assert liaison.status_code == 403
        assert "detail" in liaison.json()
        assert get(client, world.users["researcher"], url, **{"x": "1"}).status_code == 200
        client.force_login(world.users["researcher"])
        assert client.post(url).status_code == 405


def test_a_researcher_without_consenting_sites_gets_an_empty_file(
    client: Any, world: World
) -> None:
    Site.objects.update(research_consent=False)
    response = get(client, world.users["researcher"], RESEARCH_URL)
    assert response.status_code == 200
    assert as_rows(response) == [list(RESEARCH_HEADER)]


def test_the_research_export_is_audited(client: Any, world: World) -> None:
    researcher = world.users["researcher"]
    get(client, researcher, RESEARCH_URL, **{"from": "2025-01", "to": "2025-12"})
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.actor == researcher.username
    assert "monthly interaction counts" in entry.detail
    assert "2025-01 to 2025-12" in entry.detail
    assert "2 sites" in entry.detail


def test_the_threshold_setting_is_honoured(client: Any, world: World, settings: Any) -> None:
    settings.HR_POLICE_SUPPRESSION_THRESHOLD = 5
    log(world.site, 6, datetime(2026, 6, 1, 12, tzinfo=TORONTO), Category.SURVEILLANCE)
    log(world.site, 3, datetime(2026, 6, 1, 12, tzinfo=TORONTO), Category.DOG_DEPLOYMENT)
    row = month_row(
        as_dicts(get(client, world.users["researcher"], RESEARCH_URL)), "riverside", "2026-06"
    )
    assert row["dog_deployment"] == "<5"
    # 6 is not small: hidden beside the 3, it is "x", not "<5".
    assert row["surveillance"] == X or row["total"] == X
    assert "<5" not in (row["surveillance"], row["total"])


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# Session, user, memberships, sites (roles), sites (scope), the counts, the audit entry,
# the session's update in its savepoint — with room to spare, as in test_query_counts.
MAX_QUERIES = 12
ZONES = ("America/Toronto", "America/Vancouver", "America/St_Johns", "Europe/Berlin")


def _sites(n: int) -> None:
    for i in range(n):
        site = SiteFactory(timezone=ZONES[i % len(ZONES)])
        log(site, 2, datetime(2026, 1 + i % 6, 3, 12, tzinfo=UTC), Category.CALLED_BY_STAFF)


@pytest.mark.parametrize("url", [RESEARCH_URL, TRANSPARENCY_URL])
def test_research_exports_take_the_same_queries_for_3_or_30_sites(
    client: Any, world: World, url: str, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.users["researcher"])
    _sites(1)  # with the world's two: 3
    small = _count(client, url)
    _sites(27)
    with django_assert_max_num_queries(MAX_QUERIES):
        large = _count(client, url)
    assert large == small


def test_the_research_file_takes_the_same_queries_for_10_or_1000_interactions(
    client: Any, world: World, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.users["researcher"])
    log(world.site, 10, datetime(2025, 3, 3, 12, tzinfo=TORONTO))
    small = _count(client, RESEARCH_URL)
    for month in range(1, 11):
        log(world.site, 99, datetime(2025, month, 3, 12, tzinfo=TORONTO), Category.OTHER)
    with django_assert_max_num_queries(MAX_QUERIES):
        large = _count(client, RESEARCH_URL)
    assert large == small
    assert Interaction.objects.count() == 1000


# --- a site's interaction log ------------------------------------------------------------


def log_url(slug: str = "riverside") -> str:
    return reverse("agreements:site_export_interactions", kwargs={"slug": slug})


def test_the_log_holds_every_field_local_to_the_hour(client: Any, world: World) -> None:
    older = InteractionFactory(
        site=world.site,
        occurred_at=datetime(2026, 1, 10, 3, 45, tzinfo=UTC),  # 22:45 on 9 Jan in Toronto
        category=Category.INFORMATION_REQUEST,
        distance_band="inside",
        legal_basis=LegalBasis.NONE,
        disclosed=False,
        officers_present=2,
        narrative="Asked for the sign-in book, line 1\nthen left.",
        resolution="Refused; manager called the liaison",
        badge_numbers="4411",
        source="client_reported",
        consent="site_only",
    )
    newer = InteractionFactory(
        site=world.site,
        occurred_at=datetime(2026, 6, 1, 14, tzinfo=TORONTO),
        category=Category.REFERRAL_TO_SITE,
        site_notified=True,
    )
    InteractionShare.objects.create(interaction=newer, summary="Thanks for the referral.")
    InteractionFactory(site=world.other_site)
    response = get(client, world.users["manager"], log_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="riverside-interactions.csv"'
    first, second = as_dicts(response)
    assert first == {
        "id": str(older.pk),
        "occurred_at_local": "2026-01-09 22:00",
        "category": "information_request",
        "breach": "yes",
        "distance_band": "inside",
        "officers_present": "2",
        "plain_clothes": "no",
        "vehicle_present": "no",
        "staff_requested": "no",
        "site_notified": "no",
        "impact": "none",
        "liaison_contacted": "no",
        "legal_basis": "none",
        "disclosed": "no",
        "badge_numbers": "4411",
        "clause_topic": "",
        "shared_for_mediation": "no",
        "resolution": "Refused; manager called the liaison",
        "narrative": "Asked for the sign-in book, line 1\nthen left.",
        "source": "client_reported",
        "consent": "site_only",
    }
    assert list(first)[-2:] == ["source", "consent"]  # new columns come last
    assert (second["id"], second["breach"], second["disclosed"]) == (str(newer.pk), "no", "")
    assert second["occurred_at_local"] == "2026-06-01 14:00"
    assert second["shared_for_mediation"] == "yes"


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1 called", "'+1 called"),
        ("-2 officers", "'-2 officers"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Plain text = fine", "Plain text = fine"),
        ("", ""),
    ],
)
def test_the_log_cannot_smuggle_a_formula_into_a_spreadsheet(
    client: Any, world: World, typed: str, written: str
) -> None:
    InteractionFactory(site=world.site, narrative=typed, resolution=typed)
    [row] = as_dicts(get(client, world.users["manager"], log_url()))
    assert row["narrative"] == written
    assert row["resolution"] == written


def test_safe_cell_guards_any_value() -> None:
    assert safe_cell(None) == ""
    assert safe_cell(12) == "12"
    assert safe_cell(-3) == "'-3"
    assert safe_cell("<10") == "<10"


def split_like_a_spreadsheet(text: str) -> list[str]:
    """The cells a spreadsheet may make of one of ours: split on any separator a locale
    uses or a line break, each piece as it would read it (spaces and an opening quote
    skipped)."""
    pieces = re.split(r"[,;\t\r\n]", text)
    # The first piece starts the cell itself: its own guard is the leading quote.
    return [text.lstrip(' "')] + [p.lstrip(' "') for p in pieces[1:]]


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("x;=1+1", "x;'=1+1"),  # fr-CA Excel splits on ";": "=1+1" would be a cell
        ("Left, +1 stayed", "Left, '+1 stayed"),
        ('Said; "=HYPERLINK(1)"', 'Said; "\'=HYPERLINK(1)"'),
        ("a;\t=1", "a;'\t'=1"),  # a tab both separates and starts a formula
        ("line one\n@SUM(A1)", "line one\n'@SUM(A1)"),
        ("x;'=1", "x;'=1"),  # already shown as text: left alone
        ("2 officers; 1 car", "2 officers; 1 car"),
    ],
)
def test_no_separator_inside_a_cell_can_start_a_formula(typed: str, written: str) -> None:
    assert safe_cell(typed) == written


@given(st.text(alphabet=st.sampled_from(list("ab =+-@;,\t\r\n\"'")), max_size=12))
def test_no_piece_of_any_guarded_cell_starts_a_formula(typed: str) -> None:
    pieces = split_like_a_spreadsheet(safe_cell(typed))
    assert not [p for p in pieces if p.startswith(FORMULA_STARTS)], repr(typed)


def test_a_french_spreadsheet_splitting_the_log_on_semicolons_finds_no_formula(
    client: Any, world: World
) -> None:
    InteractionFactory(site=world.site, narrative="Asked to leave;=1+1", resolution="ok;@A1")
    body = get(client, world.users["manager"], log_url()).content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(body), delimiter=";") for cell in row]
    assert "'=1+1" in body
    assert not [c for c in cells if c.lstrip(' "').startswith(FORMULA_STARTS)]


def every_csv_url(world: World) -> list[tuple[str, str]]:
    slug = world.site.slug
    return [
        ("manager", reverse("agreements:site_export_interactions", kwargs={"slug": slug})),
        ("manager", reverse("agreements:site_export_transparency", kwargs={"slug": slug})),
        ("researcher", RESEARCH_URL),
        ("researcher", f"{TRANSPARENCY_URL}?year=2025"),
    ]


def test_every_csv_opens_in_french_excel_without_mojibake(client: Any, world: World) -> None:
    """Excel reads a CSV without a byte-order mark in the Windows code page: the mark
    makes it read UTF-8, so "Rivière" stays "Rivière"."""
    Site.objects.filter(pk=world.site.pk).update(name="Rivière-Claire, là-bas")
    InteractionFactory(site=world.site, narrative="Agent arrivé à l'entrée")
    for role, url in every_csv_url(world):
        client.logout()
        response = get(client, world.users[role], url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response.content.startswith(b"\xef\xbb\xbf"), url
        text = response.content.decode("utf-8-sig")
        assert not text.startswith("\ufeff")  # one mark, not two
        assert "Ã" not in text
    log = get(client, world.users["manager"], every_csv_url(world)[0][1])
    assert "Agent arrivé à l'entrée" in log.content.decode("utf-8-sig")


def test_the_log_download_is_audited_on_the_site(client: Any, world: World) -> None:
    InteractionFactory.create_batch(2, site=world.site)
    get(client, world.users["manager"], log_url())
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert (entry.site, entry.actor) == ("riverside", "manager-riverside")
    assert entry.detail == "interaction log CSV with narratives, 2 interactions"


def test_the_log_takes_the_same_queries_for_10_or_1000_interactions(
    client: Any, world: World, django_assert_max_num_queries: Any
) -> None:
    client.force_login(world.users["manager"])
    log(world.site, 10, datetime(2025, 3, 3, 12, tzinfo=TORONTO), narrative="x")
    small = _count(client, log_url())
    log(world.site, 990, datetime(2025, 4, 3, 12, tzinfo=TORONTO), narrative="y")
    with django_assert_max_num_queries(MAX_QUERIES):
        large = _count(client, log_url())
    assert large == small


# --- transparency ------------------------------------------------------------------------


def request_at(site: Site, when: datetime, basis: str, disclosed: bool, n: int = 1) -> None:
    log(site, n, when, Category.INFORMATION_REQUEST, legal_basis=basis, disclosed=disclosed)


def test_tabulate_fills_every_quarter_in_column_order() -> None:
    q = Quarter(2025, 4)
    counts = {(q.key, "warrant", True): 2, (q.key, "none", False): 5}
    rows = tabulate(counts, Quarter(2025, 3), Quarter(2026, 1))
    assert [str(r.quarter) for r in rows] == ["2025-Q3", "2025-Q4", "2026-Q1"]
    assert rows[0].cells == (0,) * 8
    assert COLUMNS[0] == ("none", False)
    assert COLUMNS[3] == ("warrant", True)
    assert rows[1].cells == (5, 0, 0, 2, 0, 0, 0, 0)
    assert (rows[1].total, rows[1].disclosed, rows[1].requests("warrant")) == (7, 2, 2)
    assert rows[1].count("none", False) == 5
    assert COLUMN_NAMES[:2] == ("none_not_disclosed", "none_disclosed")


def test_transparency_rows_count_local_quarters_from_the_first_request(world: World) -> None:
    site = world.site
    # 02:00 UTC on 1 April is still 31 March in Toronto: the first quarter.
    request_at(site, datetime(2026, 4, 1, 2, tzinfo=UTC), LegalBasis.NONE, False)
    request_at(site, datetime(2025, 11, 5, 15, tzinfo=TORONTO), LegalBasis.WARRANT, True, n=3)
    request_at(site, datetime(2026, 5, 5, 15, tzinfo=TORONTO), LegalBasis.PRODUCTION_ORDER, False)
    InteractionFactory(site=site, category=Category.VEHICLE_IN_BUFFER)  # not a request
    request_at(world.other_site, datetime(2026, 5, 5, 15, tzinfo=TORONTO), LegalBasis.OTHER, True)
    rows = transparency_rows(site)
    assert [str(r.quarter) for r in rows] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert [r.requests("warrant") for r in rows] == [3, 0, 0, 0]
    assert [r.count("none", False) for r in rows] == [0, 1, 0, 0]
    assert [r.requests("production_order") for r in rows] == [0, 0, 1, 0]
    assert sum(r.requests("other") for r in rows) == 0
    bounded = transparency_rows(site, first=Quarter(2026, 1), last=Quarter(2026, 1))
    assert [r.total for r in bounded] == [1]
    assert [r.total for r in transparency_rows(world.other_site)] == [1, 0]


def test_transparency_of_a_site_without_requests_is_its_current_quarter(world: World) -> None:
    [row] = transparency_rows(world.site)
    assert (row.quarter, row.total) == (Quarter(2026, 3), 0)


def test_the_manager_transparency_csv_is_exact_with_totals(client: Any, world: World) -> None:
    request_at(world.site, datetime(2026, 2, 2, 12, tzinfo=TORONTO), LegalBasis.NONE, True, n=2)
    request_at(world.site, datetime(2026, 5, 2, 12, tzinfo=TORONTO), LegalBasis.WARRANT, False)
    url = reverse("agreements:site_export_transparency", kwargs={"slug": "riverside"})
    response = get(client, world.users["manager"], url)
    assert response["Content-Disposition"] == 'attachment; filename="riverside-transparency.csv"'
    rows = as_rows(response)
    assert tuple(rows[0]) == MANAGER_HEADER
    assert rows[1:] == [
        ["2026-Q1", "0", "2", "0", "0", "0", "0", "0", "0", "2"],
        ["2026-Q2", "0", "0", "1", "0", "0", "0", "0", "0", "1"],
        ["2026-Q3", "0", "0", "0", "0", "0", "0", "0", "0", "0"],
        ["total", "0", "2", "1", "0", "0", "0", "0", "0", "3"],
    ]
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert (entry.site, entry.detail) == ("riverside", "transparency CSV, 2026-Q1 to 2026-Q3")


def test_the_research_transparency_csv_is_suppressed_per_site_and_year(
    client: Any, world: World
) -> None:
    site = world.site
    request_at(site, datetime(2025, 2, 2, 12, tzinfo=TORONTO), LegalBasis.WARRANT, False, n=30)
    request_at(site, datetime(2025, 5, 2, 12, tzinfo=TORONTO), LegalBasis.WARRANT, False, n=20)
    request_at(site, datetime(2025, 5, 3, 12, tzinfo=TORONTO), LegalBasis.NONE, False, n=2)
    request_at(site, datetime(2025, 8, 3, 12, tzinfo=TORONTO), LegalBasis.NONE, False, n=15)
    request_at(site, datetime(2026, 2, 3, 12, tzinfo=TORONTO), LegalBasis.NONE, True, n=40)
    response = get(client, world.users["researcher"], TRANSPARENCY_URL)  # default: 2025
    assert response["Content-Disposition"] == 'attachment; filename="transparency-2025.csv"'
    rows = {(r["site"], r["quarter"]): r for r in as_dicts(response)}
    quarters = ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "total")
    assert set(rows) == {(s, q) for s in ("eastside", "riverside") for q in quarters}
    q2 = rows[("riverside", "2025-Q2")]
    # 2 none/not disclosed is small; figures beside it are hidden too, marked "x" (they
    # hold 15 to 52: "<10" would be false of them).
    assert q2["none_not_disclosed"] == S
    table = _lines(rows, "riverside")
    assert sum(line.count(S) for line in table) == 2  # the 2, in its row and its column
    assert sum(line.count(X) for line in table) > 0
    # Whatever is shown is exact, and no line of the table has one hidden entry.
    for line in table:
        assert sum(1 for x in line if x in (S, X)) != 1, line
        if all(x.isdigit() for x in line):
            assert sum(map(int, line[:-1])) == int(line[-1]), line
    eastside = rows[("eastside", "total")]
    assert all(eastside[name] == "0" for name in (*COLUMN_NAMES, "total"))
    assert "2026" not in response.content.decode()


def test_the_research_transparency_csv_and_pdf_print_the_same_figures(
    client: Any, world: World
) -> None:
    site = world.site
    request_at(site, datetime(2025, 2, 2, 12, tzinfo=TORONTO), LegalBasis.WARRANT, False, n=30)
    request_at(site, datetime(2025, 5, 3, 12, tzinfo=TORONTO), LegalBasis.NONE, False, n=2)
    csv_rows = as_rows(get(client, world.users["researcher"], TRANSPARENCY_URL, year="2025"))
    pdf = research_context(report_data.meta(site, "research", date(2025, 12, 31), "test"), 10)
    assert pdf["requests_year"] == 2025
    printed = [[str(q), *cells, total] for q, cells, total in pdf["requests"]]
    printed.append(["total", *pdf["requests_totals"], pdf["requests_grand_total"]])
    assert [row[1:] for row in csv_rows if row[0] == "riverside"] == printed


def _lines(rows: dict[tuple[str, str], dict[str, str]], slug: str) -> list[list[str]]:
    quarters = ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "total")
    names = [*COLUMN_NAMES, "total"]
    table = [[rows[(slug, q)][n] for n in names] for q in quarters]
    return table + [list(column) for column in zip(*table, strict=True)]


@pytest.mark.parametrize(
    ("year", "status"), [("2025", 200), ("2019", 200), ("2026", 422), ("25", 422), ("x", 422)]
)
def test_research_transparency_covers_ended_years_only(
    client: Any, world: World, year: str, status: int
) -> None:
    response = get(client, world.users["researcher"], TRANSPARENCY_URL, year=year)
    assert response.status_code == status
    if status == 422:
        assert [e["loc"] for e in response.json()["detail"]] == [["query", "year"]]


# --- roles, pages and links --------------------------------------------------------------

SITE_ONLY = dict(zip(ROLES, (302, 200, 404, 403, 403, 200), strict=True))
RESEARCH = dict(zip(ROLES, (401, 200, 200, 403, 200, 200), strict=True))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/sites/riverside/exports/", SITE_ONLY),
        ("/sites/riverside/exports/interactions.csv", SITE_ONLY),
        ("/sites/riverside/exports/transparency.csv", SITE_ONLY),
        (RESEARCH_URL, RESEARCH),
        (TRANSPARENCY_URL, RESEARCH),
    ],
)
def test_each_role_gets_the_expected_status(
    client: Any, world: World, url: str, expected: dict[str, int]
) -> None:
    got = {role: get(client, world.users[role], url).status_code for role in ROLES}
    assert got == expected
    if "riverside" in url:  # out of scope, even for an admin: no such site
        elsewhere = url.replace("riverside", "nowhere")
        assert get(client, world.users["admin"], elsewhere).status_code == 404


def test_the_exports_page_links_both_site_files(client: Any, world: World) -> None:
    response = get(client, world.users["manager"], "/sites/riverside/exports/")
    html = response.content.decode()
    assert reverse("agreements:site_export_interactions", kwargs={"slug": "riverside"}) in html
    assert reverse("agreements:site_export_transparency", kwargs={"slug": "riverside"}) in html
    assert 'aria-current="page" href="/sites/riverside/exports/"' in html
    overview = get(client, world.users["manager"], "/sites/riverside/").content.decode()
    assert 'href="/sites/riverside/exports/">Exports</a>' in overview


@pytest.mark.parametrize(
    ("role", "offered"), [("researcher", True), ("admin", True), ("manager", False)]
)
def test_the_dashboard_offers_the_research_csv_to_researchers_and_admins(
    client: Any, world: World, role: str, offered: bool
) -> None:
    html = get(client, world.users[role], reverse("agreements:dashboard")).content.decode()
    assert (f'href="{RESEARCH_URL}"' in html) is offered


def test_months_and_quarters_step_and_print() -> None:
    assert str(Month(2026, 1).shift(-1)) == "2025-12"
    assert Month.parse(" 2026-07 ") == Month(2026, 7)
    assert Month.from_key(Month(2024, 2).key) == Month(2024, 2)
    assert str(Quarter.of(date(2026, 12, 31))) == "2026-Q4"
    assert Quarter(2026, 1).shift(-1) == Quarter(2025, 4)
