"""The HTTP API's site routes (SPEC §7): every endpoint × every role, with a Bearer token
and with the browser session; tokens from the command to revocation; the rate limit;
validation; the score beside the `score` command; the OpenAPI document and its page."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser
from io import StringIO
from typing import Any
from urllib.parse import urljoin, urlsplit

import jsonschema_rs
import pytest
import time_machine
from django.contrib.auth.models import User
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.tokens import TOKEN_PREFIX, token_create, token_revoke
from agreements.audit import Action, AuditEntry
from agreements.models import ApiToken
from api.main import api
from liaisons.models import LiaisonOfficer
from tests.conftest import World
from tests.factories import (
    AssignmentFactory,
    ClauseFactory,
    EngagementFactory,
    InteractionFactory,
    OperatingHoursFactory,
    SignedProtocolFactory,
    SiteFactory,
    SupportStatementFactory,
)

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "manager", "other_manager", "liaison", "researcher", "admin")


def statuses(*codes: int) -> dict[str, int]:
    return dict(zip(ROLES, codes, strict=True))


SITE = "/api/v1/sites/riverside"
URLS = {
    "sites": "/api/v1/sites",
    "site": SITE,
    "score": f"{SITE}/score",
    "protocol": f"{SITE}/protocol",
    "report_manager": f"{SITE}/report.pdf?edition=manager",
    "report_liaison": f"{SITE}/report.pdf?edition=liaison",
    "report_research": f"{SITE}/report.pdf?edition=research",
    "calendar": f"{SITE}/calendar.ics",
    "interactions_csv": "/api/v1/exports/interactions.csv",
    "transparency_csv": "/api/v1/exports/transparency.csv",
}
#                          anon mgr  other liaison research admin
EXPECTED = {
    "sites": statuses(401, 200, 200, 200, 200, 200),
    "site": statuses(401, 200, 404, 200, 200, 200),
    "score": statuses(401, 200, 404, 403, 200, 200),
    "protocol": statuses(401, 200, 404, 200, 403, 200),
    "report_manager": statuses(401, 200, 404, 403, 403, 200),
    "report_liaison": statuses(401, 200, 404, 200, 403, 200),
    "report_research": statuses(401, 200, 404, 403, 200, 200),
    # Researchers read scores, not schedules.
    "calendar": statuses(401, 200, 404, 200, 403, 200),
    # Research files cover the caller's own sites with scores, so another site's manager
    # gets a file too (of their site).
    "interactions_csv": statuses(401, 200, 200, 403, 200, 200),
    "transparency_csv": statuses(401, 200, 200, 403, 200, 200),
}


@pytest.fixture(autouse=True)
def fresh_rate_limit() -> Iterator[None]:
    # The limiter counts per token and per user id in the process-wide cache, and ids
    # repeat between tests on SQLite.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def in_force(world: World) -> Any:
    """A signed protocol in force at the site, with two clauses."""
    protocol = SignedProtocolFactory(site=world.site, version=3, review_by=date(2030, 1, 1))
    ClauseFactory(protocol=protocol, topic="entry_during_hours", text="No entry while open.")
    ClauseFactory(protocol=protocol, topic="vehicle_placement", text="Park beyond the buffer.")
    return protocol


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def token_for(user: User) -> str:
    return token_create(user=user, name="tests")[1]


class Caller:
    """GETs the API as one user, with a token or with the browser session."""

    def __init__(self, client: Client, user: User | None, how: str) -> None:
        self.client, self.headers = client, {}
        client.logout()
        if user is not None and how == "token":
            self.headers = bearer(token_for(user))
        elif user is not None:
            client.force_login(user)

    def get(self, url: str, **params: Any) -> Any:
        return self.client.get(url, params, headers=self.headers)


def past_mid_month(today: date) -> tuple[date, date]:
    """A day in the middle of last month, and that month's last day."""
    last_month_end = today.replace(day=1) - timedelta(days=1)
    return last_month_end - timedelta(days=14), last_month_end


# --- every endpoint × every role ---------------------------------------------------------


@pytest.mark.parametrize("how", ["token", "session"])
@pytest.mark.parametrize("endpoint", sorted(URLS))
def test_each_role_gets_the_expected_status(
    client: Client,
    world: World,
    in_force: Any,
    monkeypatch: pytest.MonkeyPatch,
    endpoint: str,
    how: str,
) -> None:
    # The PDFs themselves are checked below; here only who may have which.
    monkeypatch.setattr("reports.editions.build_report", lambda *a, **k: b"%PDF-stub")
    got = {}
    for role in ROLES:
        response = Caller(client, world.users[role], how).get(URLS[endpoint])
        got[role] = response.status_code
        if response.status_code != 200:
            assert response["Content-Type"].startswith("application/json"), (role, endpoint)
            assert isinstance(response.json()["detail"], str | list)
    assert got == EXPECTED[endpoint]


@pytest.mark.parametrize("header", ["Bearer hrp_not-a-token", "Bearer ", "Basic dXNlcjpwdw==", ""])
def test_a_wrong_token_is_401_and_never_a_redirect(
    client: Client, world: World, header: str
) -> None:
    response = client.get(URLS["sites"], headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_an_unknown_site_looks_like_one_out_of_scope(client: Client, world: World) -> None:
    caller = Caller(client, world.users["manager"], "token")
    unknown = caller.get("/api/v1/sites/no-such-site")
    other = caller.get("/api/v1/sites/eastside")
    assert unknown.status_code == other.status_code == 404
    assert unknown.json() == other.json() == {"detail": "Not found."}


# --- what each role sees -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "slugs"),
    [
        ("manager", ["riverside"]),
        ("other_manager", ["eastside"]),
        ("liaison", ["riverside"]),
        ("researcher", ["eastside", "riverside"]),
        ("admin", ["eastside", "riverside"]),
    ],
)
@pytest.mark.parametrize("how", ["token", "session"])
def test_the_site_list_holds_the_sites_in_scope(
    client: Client, world: World, role: str, slugs: list[str], how: str
) -> None:
    body = Caller(client, world.users[role], how).get(URLS["sites"]).json()
    assert sorted(s["slug"] for s in body["items"]) == slugs
    assert body["count"] == len(slugs)


def test_a_liaison_lists_only_sites_of_an_active_assignment(client: Client, world: World) -> None:
    liaison = world.users["liaison"]
    officer = LiaisonOfficer.objects.get(user=liaison)
    today = world.other_site.today()
    AssignmentFactory(officer=officer, site=world.other_site, start=date(2024, 1, 1),
                      end=today - timedelta(days=1))  # fmt: skip
    caller = Caller(client, liaison, "token")
    assert [s["slug"] for s in caller.get(URLS["sites"]).json()["items"]] == ["riverside"]
    assert caller.get("/api/v1/sites/eastside").status_code == 404


def test_a_researcher_sees_only_consenting_sites(client: Client, world: World) -> None:
    world.other_site.research_consent = False
    world.other_site.save()
    caller = Caller(client, world.users["researcher"], "token")
    assert [s["slug"] for s in caller.get(URLS["sites"]).json()["items"]] == ["riverside"]
    assert caller.get("/api/v1/sites/eastside/score").status_code == 404


def test_pages_of_sites(client: Client, world: World) -> None:
    caller = Caller(client, world.users["admin"], "token")
    first = caller.get(URLS["sites"], limit=1).json()
    second = caller.get(URLS["sites"], limit=1, offset=1).json()
    assert first["count"] == second["count"] == 2
    # Ordered by name: "Eastside Site" before "Riverside Health Hub".
    assert [first["items"][0]["slug"], second["items"][0]["slug"]] == ["eastside", "riverside"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": 0}, "limit"), ({"limit": 10**20}, "limit"), ({"offset": -1}, "offset"),
     ({"offset": 10**20}, "offset"), ({"limit": "many"}, "limit")],
)  # fmt: skip
def test_bad_pages_are_a_422_naming_the_parameter(
    client: Client, world: World, params: dict[str, Any], field: str
) -> None:
    response = Caller(client, world.users["admin"], "token").get(URLS["sites"], **params)
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["query", field]]


def test_site_detail_is_the_public_profile_with_hours(client: Client, world: World) -> None:
    OperatingHoursFactory(site=world.site, weekday=0)
    OperatingHoursFactory(site=world.site, weekday=5, closes=datetime(2026, 1, 1, 17, 30).time())
    InteractionFactory(site=world.site, narrative="Narrative-marker-91c2")
    body = Caller(client, world.users["liaison"], "token").get(SITE).json()
    assert body["slug"] == "riverside"
    assert body["name"] == "Riverside Health Hub"
    assert body["timezone"] == "America/Toronto"
    assert body["operating_hours"] == [
        {"weekday": 0, "opens": "09:00", "closes": "21:00"},
        {"weekday": 5, "opens": "09:00", "closes": "17:30"},
    ]
    assert "Narrative-marker" not in json.dumps(body)


def test_the_protocol_in_force_with_its_clauses(
    client: Client, world: World, in_force: Any
) -> None:
    body = Caller(client, world.users["liaison"], "token").get(URLS["protocol"]).json()
    assert body["version"] == 3
    assert body["status"] == "signed"
    assert body["effective_from"] == "2023-03-01"
    assert body["signed_on"] == "2023-02-01"
    assert body["review_by"] == "2030-01-01"
    assert body["clauses"] == [
        {"topic": "entry_during_hours", "text": "No entry while open."},
        {"topic": "vehicle_placement", "text": "Park beyond the buffer."},
    ]


def test_no_protocol_in_force_is_a_404_that_says_so(client: Client, world: World) -> None:
    response = Caller(client, world.users["manager"], "token").get(URLS["protocol"])
    assert response.status_code == 404
    assert response.json() == {"detail": "No protocol is in force at this site today."}


@pytest.mark.parametrize(
    ("role", "edition"),
    [("manager", "manager"), ("liaison", "liaison"), ("researcher", "research"),
     ("admin", "manager")],
)  # fmt: skip
def test_report_pdfs_in_the_editions_the_role_may_have(
    client: Client, world: World, in_force: Any, role: str, edition: str
) -> None:
    user = world.users[role]
    assert user is not None
    response = Caller(client, user, "token").get(f"{SITE}/report.pdf", edition=edition)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="riverside-{edition}.pdf"'
    assert response.content.startswith(b"%PDF")
    entry = AuditEntry.objects.filter(action=Action.DOWNLOAD).get()
    assert (entry.actor, entry.site) == (user.username, "riverside")
    assert entry.detail == f"{edition} edition PDF (API)"


def test_a_refused_edition_says_why(client: Client, world: World) -> None:
    response = Caller(client, world.users["liaison"], "token").get(URLS["report_manager"])
    assert response.status_code == 403
    assert response.json() == {"detail": "Your role does not include the manager edition."}
    assert not AuditEntry.objects.filter(action=Action.DOWNLOAD).exists()


# --- scores ------------------------------------------------------------------------------


@pytest.fixture
def scored_site(world: World, in_force: Any) -> Any:
    """Enough record for a score that is not all zeros."""
    site = world.site
    EngagementFactory(site=site, date=date(2019, 3, 2))
    SupportStatementFactory(site=site, date=date(2024, 5, 1))
    now = datetime.now(UTC)
    for days in (5, 50, 400):
        InteractionFactory(site=site, occurred_at=now - timedelta(days=days),
                           category="vehicle_in_buffer")  # fmt: skip
    return site


def score_command(slug: str, day: date) -> Any:
    out = StringIO()
    call_command("score", slug, "--as-of", day.isoformat(), stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_the_score_equals_the_score_command_for_the_same_day(
    client: Client, world: World, scored_site: Any, role: str
) -> None:
    day, _month_end = past_mid_month(scored_site.today())
    response = Caller(client, world.users[role], "token").get(URLS["score"], as_of=day)
    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == day.isoformat()  # managers and admins are not snapped
    assert body == score_command("riverside", day)
    assert body["total"] > 0
    assert [f["key"] for f in body["factors"]] == list(body["weights"])


def test_the_score_defaults_to_today_at_the_site(
    client: Client, world: World, scored_site: Any
) -> None:
    body = Caller(client, world.users["manager"], "session").get(URLS["score"]).json()
    assert body["as_of"] == scored_site.today().isoformat()
    assert body == score_command("riverside", scored_site.today())


def test_a_researcher_reads_past_scores_at_month_ends(
    client: Client, world: World, scored_site: Any
) -> None:
    day, month_end = past_mid_month(scored_site.today())
    caller = Caller(client, world.users["researcher"], "token")
    body = caller.get(URLS["score"], as_of=day).json()
    assert body["as_of"] == month_end.isoformat()
    # The site had breaches below the threshold: the total is the range it lies in, which
    # holds the exact total the operators' command prints.
    exact = score_command("riverside", month_end)["total"]
    assert body["total"]["min"] <= exact <= body["total"]["max"] > body["total"]["min"]
    # A month end stays itself; this month is not over, so today gives last month's end.
    assert caller.get(URLS["score"], as_of=month_end).json()["as_of"] == month_end.isoformat()
    today = scored_site.today()
    last_month = (today.replace(day=1) - timedelta(days=1)).isoformat()
    assert caller.get(URLS["score"], as_of=today).json()["as_of"] == last_month
    assert caller.get(URLS["score"]).json()["as_of"] == last_month


def test_a_researcher_reads_breach_counts_suppressed_as_on_the_scorecard(
    client: Client, world: World, in_force: Any
) -> None:
    # Researchers read the end of the last complete month: the breaches fall before it.
    last_month_end = world.site.today().replace(day=1) - timedelta(days=1)
    noon = datetime.combine(last_month_end, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    for days in (3, 5, 7):
        InteractionFactory(site=world.site, occurred_at=noon - timedelta(days=days),
                           category="vehicle_in_buffer")  # fmt: skip
    body = Caller(client, world.users["researcher"], "token").get(URLS["score"]).json()
    [compliance] = [c for f in body["factors"] for c in f["criteria"] if c["key"] == "compliance"]
    assert compliance["evidence"] == "From 1 to 9 breaches in the months of the last 90 days."


@pytest.mark.parametrize("value", ["bad", "2026-02-30", "26-01-01", "1989-12-31", "2999-01-01"])
def test_a_bad_as_of_is_a_422_naming_as_of(client: Client, world: World, value: str) -> None:
    response = Caller(client, world.users["manager"], "token").get(URLS["score"], as_of=value)
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "as_of"]
    assert error["msg"]


@pytest.mark.parametrize("query", ["?edition=full", "?edition=", "", "?edition=MANAGER"])
def test_an_unknown_edition_is_a_422_naming_edition(
    client: Client, world: World, query: str
) -> None:
    response = Caller(client, world.users["admin"], "token").get(f"{SITE}/report.pdf{query}")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["query", "edition"]


# --- tokens ------------------------------------------------------------------------------


def test_token_lifecycle_from_the_command_to_revocation(client: Client, world: World) -> None:
    manager = world.users["manager"]
    assert manager is not None
    out, err = StringIO(), StringIO()
    call_command("api_token", manager.username, "--name", "R pipeline", stdout=out, stderr=err)
    token = out.getvalue().strip()
    assert out.getvalue() == f"{token}\n"  # the token alone, for scripts
    assert token.startswith(TOKEN_PREFIX)
    assert len(token) > 40
    row = ApiToken.objects.get(user=manager)
    assert row.name == "R pipeline"
    assert row.prefix == token[:8]
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in err.getvalue()
    assert row.prefix in err.getvalue()
    created = AuditEntry.objects.get(action=Action.CREATE, object_type="apitoken")
    assert (created.actor, created.object_id) == ("api_token", str(row.pk))

    assert row.last_used_at is None
    response = client.get(SITE, headers=bearer(token))
    assert response.status_code == 200
    row.refresh_from_db()
    assert row.last_used_at is not None

    token_revoke(token=row, actor=manager)
    response = client.get(SITE, headers=bearer(token))
    assert response.status_code == 401
    assert AuditEntry.objects.filter(action=Action.DELETE, object_id=str(row.pk)).count() == 1


def test_every_use_of_a_token_is_audited(client: Client, world: World) -> None:
    manager = world.users["manager"]
    assert manager is not None
    row, token = token_create(user=manager, name="tests")
    client.get(SITE, headers=bearer(token))
    client.get(URLS["score"], headers=bearer(token))
    entries = AuditEntry.objects.filter(action=Action.VIEW, actor_id=manager.pk).order_by("id")
    assert [e.detail for e in entries] == [
        f"API GET /api/v1/sites/riverside ({row.prefix}…)",
        f"API GET /api/v1/sites/riverside/score ({row.prefix}…)",
    ]
    assert all(e.actor == manager.username and e.ip == "127.0.0.1" for e in entries)
    assert all(token not in e.detail for e in entries)


def test_a_refused_token_writes_nothing(client: Client, world: World) -> None:
    before = AuditEntry.objects.count()
    client.get(SITE, headers=bearer(TOKEN_PREFIX + "x" * 43))
    assert AuditEntry.objects.count() == before


def test_a_token_of_a_deactivated_user_stops_working(client: Client, world: World) -> None:
    manager = world.users["manager"]
    assert manager is not None
    token = token_for(manager)
    assert client.get(SITE, headers=bearer(token)).status_code == 200
    manager.is_active = False
    manager.save()
    assert client.get(SITE, headers=bearer(token)).status_code == 401


def test_a_token_carries_its_users_roles_as_they_change(client: Client, world: World) -> None:
    liaison = world.users["liaison"]
    assert liaison is not None
    token = token_for(liaison)
    assert client.get(SITE, headers=bearer(token)).status_code == 200
    world.site.assignments.update(end=date(2024, 6, 30))
    assert client.get(SITE, headers=bearer(token)).status_code == 404


def test_the_command_refuses_an_unknown_user(world: World) -> None:
    with pytest.raises(CommandError, match="No user 'nobody'"):
        call_command("api_token", "nobody", stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()


def test_the_command_refuses_an_inactive_user_and_a_long_name(world: World) -> None:
    manager = world.users["manager"]
    assert manager is not None
    with pytest.raises(CommandError, match="--name"):
        call_command("api_token", manager.username, "--name", "x" * 81,
                     stdout=StringIO(), stderr=StringIO())  # fmt: skip
    manager.is_active = False
    manager.save()
    with pytest.raises(CommandError, match="inactive"):
        call_command("api_token", manager.username, stdout=StringIO(), stderr=StringIO())
    assert not ApiToken.objects.exists()


# --- the rate limit ----------------------------------------------------------------------


@pytest.fixture
def three_a_minute(settings: Any) -> None:
    settings.HR_POLICE_API_RATE_PER_MINUTE = 3


@pytest.mark.usefixtures("three_a_minute")
@pytest.mark.parametrize("how", ["token", "session"])
def test_the_fourth_request_in_a_minute_is_429_with_retry_after(
    client: Client, world: World, how: str
) -> None:
    with time_machine.travel(datetime(2026, 6, 15, 12, 0, 15, tzinfo=UTC), tick=False):
        caller = Caller(client, world.users["manager"], how)
        codes = [caller.get(SITE).status_code for _ in range(3)]
        fourth = caller.get(SITE)
    assert codes == [200, 200, 200]
    assert fourth.status_code == 429
    assert fourth["Retry-After"] == "45"  # seconds to the next minute
    assert fourth.json() == {"detail": "Too many requests: slow down."}
    # The next minute starts a new count.
    with time_machine.travel(datetime(2026, 6, 15, 12, 1, 0, tzinfo=UTC), tick=False):
        assert caller.get(SITE).status_code == 200


@pytest.mark.usefixtures("three_a_minute")
def test_the_limit_counts_every_route_and_each_token_apart(client: Client, world: World) -> None:
    manager, admin = world.users["manager"], world.users["admin"]
    assert manager is not None
    assert admin is not None
    first, second, admins = token_for(manager), token_for(manager), token_for(admin)
    with time_machine.travel(datetime(2026, 6, 15, 12, 0, 59, tzinfo=UTC), tick=False):
        for url in (URLS["sites"], SITE, URLS["score"]):
            assert client.get(url, headers=bearer(first)).status_code == 200
        throttled = client.get(URLS["protocol"], headers=bearer(first))
        assert throttled.status_code == 429
        assert throttled["Retry-After"] == "1"
        assert client.get(SITE, headers=bearer(second)).status_code == 200
        assert client.get(SITE, headers=bearer(admins)).status_code == 200
    # A throttled request is neither served nor audited as a use of the token.
    assert AuditEntry.objects.filter(action=Action.VIEW, actor_id=manager.pk).count() == 4


# --- the OpenAPI document and its page --------------------------------------------------


def served_routes() -> tuple[set[str], int]:
    """The paths the API serves (as OpenAPI writes them) and how many operations: ninja
    adds one URL pattern per operation, besides its own document, page and root."""
    patterns, _app, _namespace = api.urls
    own = {"openapi-json", "openapi-view", "api-root"}
    operations = [p for p in patterns if p.name not in own]
    paths = {"/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(p.pattern)) for p in operations}
    return paths, len(operations)


def test_the_openapi_document_lists_every_route(client: Client, world: World) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    documented = {(method, path) for path, ops in doc["paths"].items() for method in ops}
    paths, operations = served_routes()
    assert set(doc["paths"]) == paths
    assert len(documented) == operations
    for path in ("/sites", "/sites/{slug}", "/sites/{slug}/score", "/sites/{slug}/protocol",
                 "/sites/{slug}/report.pdf", "/sites/{slug}/calendar.ics",
                 "/exports/interactions.csv", "/exports/transparency.csv"):  # fmt: skip
        assert ("get", f"/api/v1{path}") in documented
    schemes = doc["components"]["securitySchemes"]
    assert {k: v for k, v in schemes["BearerToken"].items() if k != "description"} == {
        "type": "http",
        "scheme": "bearer",
    }
    assert schemes["SessionUser"]["in"] == "cookie"


def test_the_openapi_document_declares_what_the_site_routes_answer(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path, codes in {
        "/api/v1/sites": {"200", "401", "422", "429"},
        "/api/v1/sites/{slug}": {"200", "401", "404", "422", "429"},
        "/api/v1/sites/{slug}/score": {"200", "401", "403", "404", "422", "429"},
        "/api/v1/sites/{slug}/protocol": {"200", "401", "403", "404", "422", "429"},
        "/api/v1/sites/{slug}/report.pdf": {"200", "401", "403", "404", "422", "429"},
    }.items():
        assert set(paths[path]["get"]["responses"]) == codes, path
    pdf = paths["/api/v1/sites/{slug}/report.pdf"]["get"]["responses"]["200"]["content"]
    assert list(pdf) == ["application/pdf"]
    for path, codes, media_type in (
        (
            "/api/v1/sites/{slug}/calendar.ics",
            {"200", "401", "403", "404", "422", "429"},
            "text/calendar",
        ),
        ("/api/v1/exports/interactions.csv", {"200", "401", "403", "422", "429"}, "text/csv"),
        ("/api/v1/exports/transparency.csv", {"200", "401", "403", "422", "429"}, "text/csv"),
    ):
        responses = paths[path]["get"]["responses"]
        assert set(responses) == codes, path
        assert list(responses["200"]["content"]) == [media_type], path
    parameters = {
        path: [p["name"] for p in paths[f"/api/v1/exports/{path}"]["get"]["parameters"]]
        for path in ("interactions.csv", "transparency.csv")
    }
    assert parameters == {"interactions.csv": ["from", "to"], "transparency.csv": ["year"]}
    edition = next(
        p for p in paths["/api/v1/sites/{slug}/report.pdf"]["get"]["parameters"]
        if p["name"] == "edition"
    )  # fmt: skip
    assert edition["required"] is True


class Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value or "" for name, value in attrs if name in ("src", "href")]


def test_the_docs_page_answers_a_signed_in_user_from_this_host_only(
    client: Client, world: World
) -> None:
    researcher = world.users["researcher"]
    assert researcher is not None
    client.force_login(researcher)
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    parser = Assets()
    parser.feed(html)
    assert parser.urls, "the page should load its scripts and styles"
    for url in parser.urls:
        assert url.startswith("/"), url
        assert not url.startswith("//"), url
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), f"{url} is not shipped"
    match = re.search(r'<script type="application/json" id="swagger-settings">(.*?)</script>',
                      html, re.S)  # fmt: skip
    assert match is not None
    settings = json.loads(match.group(1))
    assert settings["url"] == "/api/v1/openapi.json"
    # Swagger UI's validator badge would fetch an image from validator.swagger.io; it
    # belongs to the standalone layout only.
    assert settings.get("layout") == "BaseLayout" or settings.get("validatorUrl") is None
    # And the browser is told to refuse any other host anyway.
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp


def test_the_docs_page_has_a_language_a_main_landmark_and_the_app_icon(
    client: Client, world: World
) -> None:
    """What W3C Nu and axe asked of the documentation page: `lang` (English, as every
    answer of the API, even for a French browser), the documentation inside a landmark,
    and an icon shipped with the app (no CDN)."""
    client.force_login(world.users["researcher"])
    response = client.get("/api/v1/docs", HTTP_ACCEPT_LANGUAGE="fr-CA")
    html = response.content.decode()
    assert re.search(r'<html lang="en">', html)
    assert re.search(r'<main id="swagger-ui" aria-label="[^"]+">', html)
    icon = re.search(r'<link rel="icon" href="/static/([^"]+)"', html)
    assert icon is not None
    assert icon.group(1) == "favicon.svg"
    assert finders.find(icon.group(1))


# --- constant queries (SPEC §9) -----------------------------------------------------------


def count_queries(client: Client, url: str, token: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, headers=bearer(token)).status_code == 200
    return len(captured)


def grow(site: Any, n: int, protocol: Any, weekdays: range) -> None:
    for weekday in weekdays:
        OperatingHoursFactory(site=site, weekday=weekday)
    ClauseFactory.create_batch(n, protocol=protocol, topic="other")
    InteractionFactory.create_batch(n, site=site)
    EngagementFactory.create_batch(n, site=site)
    for i in range(n):
        SiteFactory(slug=f"more-{n}-{i}")


@pytest.mark.parametrize("endpoint", ["sites", "site", "score", "protocol"])
def test_answers_take_a_constant_number_of_queries(
    client: Client, world: World, in_force: Any, endpoint: str
) -> None:
    admin = world.users["admin"]
    assert admin is not None
    grow(world.site, 1, in_force, range(1))
    few = count_queries(client, URLS[endpoint], token_for(admin))
    grow(world.site, 12, in_force, range(1, 7))
    many = count_queries(client, URLS[endpoint], token_for(admin))
    assert few == many
    # Token and its audit entry, roles, the site, then the score's own one query per
    # kind of record.
    assert many <= 20


def test_a_research_pipeline_reads_the_suppressed_csv_with_a_token(
    client: Client, world: World
) -> None:
    from accounts.tokens import token_create

    _row, token = token_create(user=world.users["researcher"], name="pipeline")
    response = client.get("/api/v1/exports/interactions.csv", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    bad = client.get("/api/v1/exports/interactions.csv", HTTP_AUTHORIZATION="Bearer hrp_nope")
    assert bad.status_code == 401


def test_a_liaison_token_reads_the_calendar_but_not_the_log(client: Client, world: World) -> None:
    from accounts.tokens import token_create

    _row, token = token_create(user=world.users["liaison"], name="phone")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/sites/riverside/calendar.ics", **auth).status_code == 200
    assert client.get("/api/v1/sites/riverside/interactions", **auth).status_code == 403
    assert client.get("/api/v1/exports/interactions.csv", **auth).status_code == 403


# --- the OpenAPI document as a client generator reads it ------------------------------------


def openapi(client: Client) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def test_the_openapi_document_says_where_its_paths_are_served(client: Client, world: World) -> None:
    """A generated client needs `servers`: here the host that serves the document (a
    relative URL), below which every path of the document answers as written."""
    document = openapi(client)
    [server] = document["servers"]
    assert server["url"] == "/"
    assert all(path.startswith("/api/v1/") for path in document["paths"])
    url = urljoin(f"https://tracker.example.org{server['url']}", "/api/v1/sites".lstrip("/"))
    assert url == "https://tracker.example.org/api/v1/sites"
    caller = Caller(client, world.users["manager"], "token")
    assert caller.get(urlsplit(url).path).status_code == 200


def score_validator(document: dict[str, Any]) -> Any:
    schema = document["paths"]["/api/v1/sites/{slug}/score"]["get"]["responses"]["200"]
    root = {**schema["content"]["application/json"]["schema"], "components": document["components"]}
    return jsonschema_rs.Draft202012Validator(root)


def test_the_score_schema_is_typed_and_holds_both_views(
    client: Client, world: World, in_force: Any
) -> None:
    """The score JSON as a real schema (not a free-form object): each figure a number or
    {min, max}, the band a name or {min, max}; and both what a manager reads (exact) and
    what a researcher reads (ranges) conform to it."""
    document = openapi(client)
    schemas = document["components"]["schemas"]
    score = schemas["ScoreOut"]
    assert set(score["required"]) == {"site", "as_of", "rubric", "weights", "total", "band",
                                      "factors"}  # fmt: skip
    assert score["properties"]["total"]["anyOf"] == [
        {"type": "number"},
        {"$ref": "#/components/schemas/FigureRange"},
    ]
    assert schemas["FigureRange"]["required"] == ["min", "max"]
    validator = score_validator(document)
    # A researcher's view of a month with a suppressed breach count is a range.
    last_month_end = world.site.today().replace(day=1) - timedelta(days=1)
    noon = datetime.combine(last_month_end, datetime.min.time(), tzinfo=UTC) + timedelta(hours=12)
    InteractionFactory(site=world.site, occurred_at=noon - timedelta(days=3),
                       category="vehicle_in_buffer")  # fmt: skip
    bodies = [Caller(client, world.users[role], "token").get(URLS["score"]).json()
              for role in ("manager", "researcher")]  # fmt: skip
    assert any(
        isinstance(c["points"], dict)
        for c in (c for f in bodies[1]["factors"] for c in f["criteria"])
    ), "the researcher's view should hold a range"
    for body in bodies:
        errors = [str(e) for e in validator.iter_errors(body)]
        assert not errors, errors
    wrong = {**bodies[0], "total": {"min": 1}}
    assert not validator.is_valid(wrong)


FILE_ROUTES = {
    "/api/v1/sites/{slug}/report.pdf": URLS["report_manager"],
    "/api/v1/sites/{slug}/calendar.ics": URLS["calendar"],
    "/api/v1/exports/interactions.csv": URLS["interactions_csv"],
    "/api/v1/exports/transparency.csv": URLS["transparency_csv"],
}


def test_files_are_typed_as_the_files_they_are(client: Client, world: World) -> None:
    """PDF, CSV and iCalendar answers: one media type each, the one actually sent, a
    string body (binary for the PDF) and the Content-Disposition header that names the
    file, so that a generated client returns the file rather than parsing JSON."""
    document = openapi(client)
    caller = Caller(client, world.users["manager"], "token")
    for path, url in FILE_ROUTES.items():
        answer = document["paths"][path]["get"]["responses"]["200"]
        [(media_type, content)] = answer["content"].items()
        schema = content["schema"]
        assert schema["type"] == "string", path
        assert schema["contentMediaType"] == media_type, path
        assert (schema.get("format") == "binary") == (media_type == "application/pdf"), path
        assert set(answer["headers"]) == {"Content-Disposition"}, path
        response = caller.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].split(";")[0] == media_type, url
        assert response["Content-Disposition"].startswith("attachment; filename="), url


# --- community oversight on the site profile (issue 19) -----------------------------------


@pytest.mark.parametrize(
    ("role", "shown"),
    [("manager", True), ("admin", True), ("liaison", None), ("researcher", None),
     ("community", None)],
)  # fmt: skip
def test_only_those_who_manage_the_site_read_its_community_oversight_setting(
    client: Any, world: World, role: str, shown: bool | None
) -> None:
    client.force_login(world.users[role])
    response = client.get("/api/v1/sites/riverside")
    assert response.status_code == 200
    assert response.json()["community_oversight"] is shown
