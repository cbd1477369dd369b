"""The record endpoints of the API: interactions, check-ins, engagements, support statements.

Scoping (every role, with a Bearer token and with a session), validation answers that name
the field, pagination, filters, the liaison's view of check-ins, constant query counts and
the audit entry written by each creation.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.tokens import token_create
from agreements.audit import Action, AuditEntry
from agreements.models import EngagementEvent, Interaction, SupportStatement, TokenScope
from liaisons.models import CheckIn
from tests.conftest import World
from tests.factories import (
    CheckInFactory,
    EngagementFactory,
    InteractionFactory,
    ScheduleFactory,
    SupportStatementFactory,
)

TORONTO = ZoneInfo("America/Toronto")
BASE = "/api/v1/sites/{slug}"

PAYLOADS: dict[str, dict[str, Any]] = {
    "interactions": {
        "occurred_at": "2025-07-01T14:45",
        "category": "vehicle_in_buffer",
        "distance_band": "buffer",
        "officers_present": 2,
        "vehicle_present": True,
        "impact": "clients_left",
        "narrative": "A cruiser idled across from the door for an hour.",
        "badge_numbers": ["4411", "PC-12"],
        "clause_topic": "proximity_buffer",
    },
    "checkins": {
        "scheduled_start": "2025-03-11T10:00",
        "duration_minutes": 45,
        "format": "meeting",
        "status": "held",
        "notes": "Went over the buffer clause.",
    },
    "engagements": {
        "date": "2025-02-01",
        "kind": "dialogue",
        "police_ranks_present": "Inspector, Sergeant",
        "summary": "First dialogue with the division.",
    },
    "support-statements": {
        "date": "2025-05-01",
        "rank": "chief",
        "stance": "support",
        "kind": "letter",
        "summary": "The chief wrote in support of the site.",
        "source": "https://example.org/letter",
    },
}

MODELS: dict[str, Any] = {
    "interactions": Interaction,
    "checkins": CheckIn,
    "engagements": EngagementEvent,
    "support-statements": SupportStatement,
}

# Expected statuses per endpoint, method and role (SPEC §1 and §7).
MANAGERS_ONLY = {
    "anonymous": 401,
    "manager": "ok",
    "other_manager": 404,
    "liaison": 403,
    "researcher": 403,
    "admin": "ok",
    "community": 403,
}
EXPECTED: dict[tuple[str, str], dict[str, int | str]] = {
    ("interactions", "get"): MANAGERS_ONLY,
    ("interactions", "post"): MANAGERS_ONLY,
    ("checkins", "get"): {**MANAGERS_ONLY, "liaison": "ok"},
    ("checkins", "post"): MANAGERS_ONLY,
    ("engagements", "get"): MANAGERS_ONLY,
    ("engagements", "post"): MANAGERS_ONLY,
    ("support-statements", "get"): MANAGERS_ONLY,
    ("support-statements", "post"): MANAGERS_ONLY,
}
ROLES = ["anonymous", "manager", "other_manager", "liaison", "researcher", "admin", "community"]


@pytest.fixture(autouse=True)
def generous_rate_limit(settings: Any) -> None:
    # The limiter counts per user id in a process-wide cache; ids repeat between tests.
    settings.HR_POLICE_API_RATE_PER_MINUTE = 100_000


class Api:
    """Calls the API as one user, by Bearer token or by session."""

    def __init__(self, client: Client, user: User | None, how: str = "token") -> None:
        self.client = client
        self.headers: dict[str, str] = {}
        if user is not None and how == "token":
            _, token = token_create(user=user, name="tests", scope=TokenScope.WRITE)
            self.headers["Authorization"] = f"Bearer {token}"
        elif user is not None:
            client.force_login(user)

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, body: Any) -> Any:
        data = body if isinstance(body, str) else json.dumps(body)
        return self.client.post(path, data, content_type="application/json", headers=self.headers)


def url(kind: str, slug: str = "riverside") -> str:
    return f"{BASE.format(slug=slug)}/{kind}"


@pytest.fixture
def as_manager(client: Client, world: World) -> Api:
    return Api(client, world.users["manager"])


def errors(response: Any) -> dict[tuple[str, ...], str]:
    """The 422 answer as {loc: message}."""
    assert response.status_code == 422, response.content
    return {tuple(e["loc"]): e["msg"] for e in response.json()["detail"]}


# --- the access matrix ----------------------------------------------------------------------


@pytest.mark.parametrize("how", ["token", "session"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("kind", "method"), list(EXPECTED))
def test_access_matrix(
    client: Client, world: World, kind: str, method: str, role: str, how: str
) -> None:
    api = Api(client, world.users[role], how)
    if role == "anonymous" and how == "token":
        api.headers["Authorization"] = "Bearer hrp_not-a-real-token"
    before = MODELS[kind].objects.count()
    response = api.get(url(kind)) if method == "get" else api.post(url(kind), PAYLOADS[kind])
    expected = EXPECTED[(kind, method)][role]
    if expected == "ok":
        expected = 200 if method == "get" else 201
    assert response.status_code == expected, response.content
    body = response.json()
    if expected >= 400:
        assert isinstance(body["detail"], str)
    if method == "post":
        assert MODELS[kind].objects.count() == before + (1 if expected == 201 else 0)


def test_out_of_scope_and_unknown_sites_look_the_same(client: Client, world: World) -> None:
    api = Api(client, world.users["manager"])
    for kind in PAYLOADS:
        assert api.get(url(kind, "eastside")).status_code == 404
        assert api.get(url(kind, "no-such-site")).status_code == 404
        assert api.post(url(kind, "eastside"), PAYLOADS[kind]).status_code == 404


def test_a_session_write_needs_the_csrf_token(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    api = Api(browser, world.users["manager"], "session")
    response = api.post(url("engagements"), PAYLOADS["engagements"])
    assert response.status_code == 403
    assert not EngagementEvent.objects.exists()


def test_a_bearer_write_needs_no_csrf_token(world: World) -> None:
    api = Api(Client(enforce_csrf_checks=True), world.users["manager"])
    assert api.post(url("engagements"), PAYLOADS["engagements"]).status_code == 201


# --- creating -------------------------------------------------------------------------------


def test_create_interaction_answers_local_time_to_the_hour(as_manager: Api, world: World) -> None:
    response = as_manager.post(url("interactions"), PAYLOADS["interactions"])
    assert response.status_code == 201
    body = response.json()
    assert body["occurred_at"] == "2025-07-01T14:00:00-04:00"  # minutes dropped, site time
    assert body["category"] == "vehicle_in_buffer"
    assert body["badge_numbers"] == ["4411", "PC-12"]
    assert body["is_breach"] is True
    assert body["legal_basis"] is None
    assert body["disclosed"] is None
    assert body["clause_topic"] == "proximity_buffer"
    stored = Interaction.objects.get(pk=body["id"])
    assert stored.site == world.site
    assert stored.logged_by == world.users["manager"]
    assert stored.occurred_at == datetime(2025, 7, 1, 14, tzinfo=TORONTO)
    assert stored.badge_numbers == "4411, PC-12"


def test_create_interaction_with_an_offset(as_manager: Api) -> None:
    body = {**PAYLOADS["interactions"], "occurred_at": "2025-01-15T19:30:00Z"}
    response = as_manager.post(url("interactions"), body)
    assert response.status_code == 201
    assert response.json()["occurred_at"] == "2025-01-15T14:00:00-05:00"


def test_create_information_request(as_manager: Api) -> None:
    body = {
        "occurred_at": "2025-04-02T11:00",
        "category": "information_request",
        "distance_band": "inside",
        "legal_basis": "none",
        "disclosed": False,
    }
    response = as_manager.post(url("interactions"), body)
    assert response.status_code == 201
    assert response.json()["legal_basis"] == "none"
    assert response.json()["disclosed"] is False
    assert response.json()["is_breach"] is True


def test_create_checkin(as_manager: Api, world: World) -> None:
    schedule = ScheduleFactory(site=world.site, key="monthly")
    body = {**PAYLOADS["checkins"], "schedule": "monthly"}
    response = as_manager.post(url("checkins"), body)
    assert response.status_code == 201
    answer = response.json()
    assert answer["scheduled_start"] == "2025-03-11T10:00:00-04:00"
    assert answer["schedule"] == "monthly"
    assert answer["notes"] == "Went over the buffer clause."
    stored = CheckIn.objects.get(pk=answer["id"])
    assert stored.schedule == schedule
    assert stored.duration_minutes == 45


def test_create_ad_hoc_checkin(as_manager: Api) -> None:
    response = as_manager.post(url("checkins"), PAYLOADS["checkins"])
    assert response.status_code == 201
    assert response.json()["schedule"] is None


def test_create_engagement_and_statement(as_manager: Api, world: World) -> None:
    engagement = as_manager.post(url("engagements"), PAYLOADS["engagements"]).json()
    assert engagement["date"] == "2025-02-01"
    assert engagement["police_ranks_present"] == "Inspector, Sergeant"
    statement = as_manager.post(url("support-statements"), PAYLOADS["support-statements"]).json()
    assert statement["source"] == "https://example.org/letter"
    assert SupportStatement.objects.get(pk=statement["id"]).site == world.site


@pytest.mark.parametrize("kind", list(PAYLOADS))
def test_creation_writes_an_audit_entry(client: Client, world: World, kind: str) -> None:
    api = Api(client, world.users["admin"])
    response = api.post(url(kind), PAYLOADS[kind])
    assert response.status_code == 201
    entry = AuditEntry.objects.get(action=Action.CREATE, object_id=str(response.json()["id"]),
                                   object_type=MODELS[kind]._meta.model_name)  # fmt: skip
    assert entry.actor == world.users["admin"].username
    assert entry.site == "riverside"
    # Names of fields, never their values.
    assert "narrative" not in json.dumps(entry.fields) or kind == "interactions"
    assert "idled" not in entry.detail


# --- validation -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "change", "field"),
    [
        ("interactions", {"category": "speeding"}, "category"),
        ("interactions", {"distance_band": "far"}, "distance_band"),
        ("interactions", {"impact": "total"}, "impact"),
        ("interactions", {"legal_basis": "hunch"}, "legal_basis"),
        ("interactions", {"clause_topic": "parking"}, "clause_topic"),
        ("interactions", {"officers_present": 500}, "officers_present"),
        ("interactions", {"badge_numbers": ["not a badge!"]}, "badge_numbers"),
        ("interactions", {"narrative": "Asked a client for ID, phone 416-555-0199."}, "narrative"),
        ("interactions", {"narrative": "He was born on 1990-04-12, DOB on file."}, "narrative"),
        ("interactions", {"resolution": "Write to jane.doe@example.org"}, "resolution"),
        ("interactions", {"narrative": "stop\x00here"}, "narrative"),
        ("interactions", {"occurred_at": "2099-01-01T10:00"}, "occurred_at"),
        ("interactions", {"occurred_at": "1985-01-01T10:00"}, "occurred_at"),
        ("interactions", {"category": "information_request", "clause_topic": None}, "legal_basis"),
        ("interactions", {"category": "other", "clause_topic": "other"}, "clause_topic"),
        ("checkins", {"format": "lunch"}, "format"),
        ("checkins", {"status": "postponed"}, "status"),
        ("checkins", {"duration_minutes": 1}, "duration_minutes"),
        ("checkins", {"schedule": "no-such-schedule"}, "schedule"),
        ("checkins", {"notes": "Officer gave us 42 Main Street as the address."}, "notes"),
        ("checkins", {"scheduled_start": "2099-03-11T10:00", "status": "held"}, "status"),
        ("engagements", {"kind": "barbecue"}, "kind"),
        ("engagements", {"date": "2099-01-01"}, "date"),
        ("engagements", {"summary": "Call 613-555-0142 to follow up."}, "summary"),
        ("support-statements", {"rank": "mayor"}, "rank"),
        ("support-statements", {"stance": "mixed"}, "stance"),
        ("support-statements", {"kind": "tweet"}, "kind"),
        ("support-statements", {"source": "not a link"}, "source"),
        ("support-statements", {"date": "1989-12-31"}, "date"),
    ],
)
def test_model_refusals_name_the_field(
    as_manager: Api, kind: str, change: dict[str, Any], field: str
) -> None:
    before = AuditEntry.objects.filter(action=Action.CREATE).count()
    response = as_manager.post(url(kind), {**PAYLOADS[kind], **change})
    found = errors(response)
    assert ("body", field) in found, found
    assert found[("body", field)]
    assert not MODELS[kind].objects.exists()
    assert AuditEntry.objects.filter(action=Action.CREATE).count() == before


def test_pii_message_says_what_it_found(as_manager: Api) -> None:
    body = {**PAYLOADS["interactions"], "narrative": "Officer wrote down 416-555-0199."}
    message = errors(as_manager.post(url("interactions"), body))[("body", "narrative")]
    assert "phone" in message.lower()


@pytest.mark.parametrize(
    ("kind", "change", "field"),
    [
        ("interactions", {"occurred_at": "yesterday"}, "occurred_at"),
        ("interactions", {"officers_present": "two"}, "officers_present"),
        ("interactions", {"plain_clothes": "perhaps"}, "plain_clothes"),
        ("checkins", {"scheduled_start": "2025-02-30T10:00"}, "scheduled_start"),
        ("engagements", {"date": "2025-13-01"}, "date"),
        ("support-statements", {"date": None}, "date"),
    ],
)
def test_malformed_values_name_the_field(
    as_manager: Api, kind: str, change: dict[str, Any], field: str
) -> None:
    response = as_manager.post(url(kind), {**PAYLOADS[kind], **change})
    locs = list(errors(response))
    assert any(loc[0] == "body" and loc[-1] == field for loc in locs), locs


def test_missing_required_field_is_named(as_manager: Api) -> None:
    body = {k: v for k, v in PAYLOADS["interactions"].items() if k != "category"}
    locs = list(errors(as_manager.post(url("interactions"), body)))
    assert any(loc[-1] == "category" for loc in locs), locs


def test_body_that_is_not_json_is_a_400(as_manager: Api) -> None:
    response = as_manager.post(url("engagements"), "{not json")
    assert response.status_code == 400
    assert isinstance(response.json()["detail"], str)


# --- lists, pagination and filters --------------------------------------------------------


def test_interaction_list_fields_newest_first(as_manager: Api, world: World) -> None:
    older = InteractionFactory(site=world.site, occurred_at=datetime(2026, 1, 5, 9, tzinfo=TORONTO))
    newer = InteractionFactory(
        site=world.site,
        occurred_at=datetime(2026, 2, 5, 22, tzinfo=TORONTO),
        category="information_request",
        legal_basis="warrant",
        disclosed=True,
        source="client_reported",
        consent="site_only",
    )
    InteractionFactory(site=world.other_site)
    body = as_manager.get(url("interactions")).json()
    assert body["count"] == 2
    assert [row["id"] for row in body["items"]] == [newer.pk, older.pk]
    first = body["items"][0]
    assert set(first) == {
        "id", "occurred_at", "category", "distance_band", "officers_present", "plain_clothes",
        "vehicle_present", "staff_requested", "site_notified", "impact", "liaison_contacted",
        "resolution", "narrative", "legal_basis", "disclosed", "badge_numbers",
        "clause_topic", "source", "consent", "is_breach",
    }  # fmt: skip
    assert (first["source"], first["consent"]) == ("client_reported", "site_only")
    assert first["occurred_at"] == "2026-02-05T22:00:00-05:00"
    assert first["legal_basis"] == "warrant"
    assert first["disclosed"] is True
    assert first["is_breach"] is False
    assert body["items"][1]["narrative"] == "Cruiser parked across from the door."


@pytest.mark.parametrize("how", ["session", "token"])
def test_every_narrative_read_through_the_api_is_audited(
    client: Client, world: World, how: str
) -> None:
    """Each interaction a page of the log holds (narrative included) gets its own entry
    in the site's log, whether the caller signed in with a browser or came with a token;
    the entries name the record, never its text."""
    rows = [InteractionFactory(site=world.site, narrative=f"Cruiser {i} at the door.")
            for i in range(3)]  # fmt: skip
    api = Api(client, world.users["manager"], how=how)
    body = api.get(url("interactions"), limit=2, offset=1).json()
    read = [row["id"] for row in body["items"]]
    assert len(read) == 2
    entries = AuditEntry.objects.filter(action=Action.VIEW, object_type="interaction")
    assert sorted(int(e.object_id) for e in entries) == sorted(read)
    for entry in entries:
        assert (entry.actor, entry.site) == (world.users["manager"].username, "riverside")
        assert entry.ip == "127.0.0.1"
        assert "Cruiser" not in entry.detail
    assert not entries.filter(object_id=str(rows[2].pk)).exists()  # not on the page asked


@pytest.mark.parametrize("kind", list(PAYLOADS))
def test_pagination(as_manager: Api, world: World, kind: str) -> None:
    make = {
        "interactions": lambda i: InteractionFactory(
            site=world.site, occurred_at=datetime(2026, 1, 1 + i, 10, tzinfo=TORONTO)
        ),
        "checkins": lambda i: CheckInFactory(
            site=world.site, scheduled_start=datetime(2026, 1, 1 + i, 10, tzinfo=TORONTO)
        ),
        "engagements": lambda i: EngagementFactory(site=world.site, date=date(2024, 1, 1 + i)),
        "support-statements": lambda i: SupportStatementFactory(
            site=world.site, date=date(2024, 1, 1 + i)
        ),
    }[kind]
    ids = [make(i).pk for i in range(7)][::-1]  # newest first
    page = as_manager.get(url(kind), limit=3).json()
    assert page["count"] == 7
    assert [row["id"] for row in page["items"]] == ids[:3]
    page = as_manager.get(url(kind), limit=3, offset=3).json()
    assert [row["id"] for row in page["items"]] == ids[3:6]
    page = as_manager.get(url(kind), limit=3, offset=6).json()
    assert [row["id"] for row in page["items"]] == ids[6:]
    assert as_manager.get(url(kind), offset=50).json() == {"items": [], "count": 7}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 10**30}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 10**30}, "offset"),
        ({"limit": "many"}, "limit"),
    ],
)
def test_bad_pagination_is_a_422(as_manager: Api, params: dict[str, Any], field: str) -> None:
    for kind in PAYLOADS:
        assert ("query", field) in errors(as_manager.get(url(kind), **params))


def test_interaction_filters_by_local_date_and_category(as_manager: Api, world: World) -> None:
    late = InteractionFactory(  # 04:00 UTC on 2 March, still 1 March at the site
        site=world.site, occurred_at=datetime(2026, 3, 1, 23, tzinfo=TORONTO)
    )
    early = InteractionFactory(
        site=world.site,
        occurred_at=datetime(2026, 3, 2, 0, tzinfo=TORONTO),
        category="called_by_staff",
    )
    before = InteractionFactory(
        site=world.site, occurred_at=datetime(2026, 2, 28, 12, tzinfo=TORONTO)
    )

    def ids(**params: Any) -> list[int]:
        response = as_manager.get(url("interactions"), **params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["items"]]

    assert ids(date_from="2026-03-01", date_to="2026-03-01") == [late.pk]
    assert ids(date_from="2026-03-02") == [early.pk]
    assert ids(date_to="2026-03-01") == [late.pk, before.pk]
    assert ids(category="called_by_staff") == [early.pk]
    assert ids(category="vehicle_in_buffer", date_from="2026-03-01") == [late.pk]
    assert as_manager.get(url("interactions"), category="other").json()["count"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"category": "speeding"}, "category"),
        ({"date_from": "2026-13-01"}, "date_from"),
        ({"date_to": "tomorrow"}, "date_to"),
        ({"date_from": "1900-01-01"}, "date_from"),
        ({"date_to": "9999-12-31"}, "date_to"),
        ({"date_from": "2026-03-02", "date_to": "2026-03-01"}, "date_to"),
    ],
)
def test_bad_filters_name_the_parameter(
    as_manager: Api, params: dict[str, Any], field: str
) -> None:
    found = errors(as_manager.get(url("interactions"), **params))
    assert ("query", field) in found, found


def test_liaison_sees_checkins_but_never_their_notes(client: Client, world: World) -> None:
    schedule = ScheduleFactory(site=world.site, key="monthly")
    CheckInFactory(site=world.site, schedule=schedule, notes="Chief inspector was late again.")
    CheckInFactory(site=world.site, scheduled_start=datetime(2026, 2, 1, 10, tzinfo=TORONTO),
                   notes="Talked about the dog unit.")  # fmt: skip
    for how in ("token", "session"):
        response = Api(client, world.users["liaison"], how).get(url("checkins"))
        assert response.status_code == 200
        assert b"late again" not in response.content
        assert b"dog unit" not in response.content
        items = response.json()["items"]
        assert len(items) == 2
        assert all(row["notes"] is None for row in items)
        assert items[0]["schedule"] == "monthly"
        assert items[0]["scheduled_start"] == "2026-03-10T10:00:00-04:00"
        assert items[1]["schedule"] is None
        client.logout()
    manager_items = Api(client, world.users["manager"]).get(url("checkins")).json()["items"]
    assert [row["notes"] for row in manager_items] == [
        "Chief inspector was late again.",
        "Talked about the dog unit.",
    ]


def test_liaison_never_reaches_interactions(client: Client, world: World) -> None:
    InteractionFactory(site=world.site)
    api = Api(client, world.users["liaison"])
    response = api.get(url("interactions"))
    assert response.status_code == 403
    assert b"Cruiser" not in response.content


# --- query counts -------------------------------------------------------------------------


def _fill(kind: str, world: World, count: int) -> None:
    schedule = ScheduleFactory(site=world.site)
    start = datetime(2025, 1, 1, 10, tzinfo=TORONTO)
    for i in range(count):
        if kind == "interactions":
            InteractionFactory(site=world.site, occurred_at=start + timedelta(hours=i))
        elif kind == "checkins":
            CheckInFactory(site=world.site, scheduled_start=start + timedelta(days=i),
                           schedule=schedule if i % 2 else None)  # fmt: skip
        elif kind == "engagements":
            EngagementFactory(site=world.site, date=start.date() + timedelta(days=i))
        else:
            SupportStatementFactory(site=world.site, date=start.date() + timedelta(days=i))


@pytest.mark.parametrize(
    ("kind", "role"), [*((kind, "manager") for kind in PAYLOADS), ("checkins", "liaison")]
)
def test_lists_take_a_constant_number_of_queries(
    client: Client, world: World, kind: str, role: str, django_assert_max_num_queries: Any
) -> None:
    api = Api(client, world.users[role])
    counts = []
    for rows in (5, 100):
        _fill(kind, world, rows - (5 if rows == 100 else 0))
        with CaptureQueriesContext(connection) as queries:
            response = api.get(url(kind))
        assert response.status_code == 200
        assert response.json()["count"] == rows
        assert len(response.json()["items"]) == rows
        # The token's use is audited (one entry), and each interaction read gets its own
        # entry, in one insert (two on SQLite, whose 999 parameters hold 90 entries): apart
        # from those, reads do not grow with the rows.
        audit = [q for q in queries if q["sql"].startswith('INSERT INTO "agreements_auditentry"')]
        assert len(audit) <= 1 + (2 if kind == "interactions" else 0)
        counts.append(len(queries) - len(audit))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(12):
        api.get(url(kind))


# --- the OpenAPI document -----------------------------------------------------------------


def test_openapi_documents_every_status(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for kind in PAYLOADS:
        item = paths[f"/api/v1/sites/{{slug}}/{kind}"]
        for method, success in (("get", "200"), ("post", "201")):
            operation = item[method]
            assert operation["tags"]
            assert operation["summary"]
            assert {success, "401", "403", "404", "422"} <= set(operation["responses"])
        assert {"limit", "offset"} <= {p["name"] for p in item["get"]["parameters"]}
        assert "requestBody" in item["post"]
    params = {p["name"] for p in paths["/api/v1/sites/{slug}/interactions"]["get"]["parameters"]}
    assert {"date_from", "date_to", "category"} <= params


# --- the reporter's source and consent (issue 19) -----------------------------------------


def test_an_interaction_is_logged_as_a_staff_observation_counted_in_totals_by_default(
    as_manager: Api,
) -> None:
    body = as_manager.post(url("interactions"), PAYLOADS["interactions"]).json()
    assert (body["source"], body["consent"]) == ("staff", "aggregate")
    stored = Interaction.objects.get(pk=body["id"])
    assert (stored.source, stored.consent) == ("staff", "aggregate")


def test_an_interaction_takes_the_reporters_source_and_consent(as_manager: Api) -> None:
    payload = {**PAYLOADS["interactions"], "source": "client_reported", "consent": "site_only"}
    response = as_manager.post(url("interactions"), payload)
    assert response.status_code == 201
    assert (response.json()["source"], response.json()["consent"]) == (
        "client_reported",
        "site_only",
    )
    stored = Interaction.objects.get(pk=response.json()["id"])
    assert (stored.source, stored.consent) == ("client_reported", "site_only")


@pytest.mark.parametrize(
    ("field", "value"), [("consent", "everyone"), ("source", "police"), ("consent", "")]
)
def test_an_unknown_source_or_consent_is_a_422_naming_the_field(
    as_manager: Api, field: str, value: str
) -> None:
    response = as_manager.post(url("interactions"), {**PAYLOADS["interactions"], field: value})
    assert ("body", field) in errors(response)
    assert not Interaction.objects.exists()


def test_source_and_consent_are_listed_in_the_openapi_document(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schema["InteractionIn"]["properties"]["consent"]["enum"] == [
        "site_only", "aggregate", "mediation"
    ]  # fmt: skip
    assert schema["InteractionOut"]["properties"]["source"]["enum"] == [
        "staff", "client_reported", "peer_reported"
    ]  # fmt: skip
