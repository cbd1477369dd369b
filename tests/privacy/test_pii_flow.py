"""The PII guard's warnings and confirmations on every path, tried as a stressed worker
(or someone careless) would: a page, the API and a bundle import each refuse a text that
seems to describe a client until the writer confirms it describes police; the audit
entry says so (never the text); a refusal cannot be confirmed away; every field a
person types refuses an e-mail address."""

from __future__ import annotations

import copy
import json
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import models
from django.test import Client

from accounts.tokens import token_create
from agreements.audit import Action, AuditEntry
from agreements.models import (
    ApiToken,
    EngagementEvent,
    Interaction,
    InteractionShare,
    Protocol,
    ProtocolClause,
    ProtocolLink,
    Site,
    SupportStatement,
    TokenScope,
)
from agreements.pii_forms import CONFIRM_FIELD
from liaisons.models import CalendarFeed, CheckIn, CheckInSchedule, PoliceService
from privacy.pii import WARNING_CODE
from tests.conftest import World
from tests.factories import (
    AssignmentFactory,
    CheckInFactory,
    InteractionFactory,
    OfficerFactory,
    ProtocolFactory,
    ScheduleFactory,
)

DESCRIBED = "Cruiser stopped the guy with the spiderweb tattoo who sleeps behind the bank."
EMAIL = "Officer asked us to send it to jo.tremblay91@gmail.com."
RIVERSIDE = Path(__file__).resolve().parents[1] / "fixtures/riverside.json"


@pytest.fixture(autouse=True)
def generous_rate_limit(settings: Any) -> None:
    settings.HR_POLICE_API_RATE_PER_MINUTE = 100_000


def interaction_form(**text: str) -> dict[str, Any]:
    return {
        "occurred_at": "2025-07-01T14:00",
        "category": "vehicle_in_buffer",
        "distance_band": "buffer",
        "officers_present": "2",
        "impact": "none",
        "badge_numbers": "",
        "resolution": "",
        "narrative": "",
        **text,
    }


def new_interaction_url(site: Site) -> str:
    return f"/sites/{site.slug}/interactions/new/"


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_page_keeps_the_text_and_asks_for_confirmation(
    manager_client: Client, site: Site
) -> None:
    response = manager_client.post(new_interaction_url(site), interaction_form(narrative=DESCRIBED))
    assert response.status_code == 422
    html = response.content.decode()
    assert Interaction.objects.count() == 0
    assert "This seems to describe a client" in html
    assert "spiderweb tattoo" in html  # what was typed is still there to edit
    assert "This text describes police, not a client" in html
    # The box is a labelled checkbox described by the warning, which is tied to the field.
    assert 'type="checkbox" name="pii_confirmed"' in html
    assert 'aria-describedby="id_narrative_error"' in html
    assert 'id="id_narrative_error"' in html


@pytest.mark.django_db
def test_a_page_without_warning_shows_no_box(manager_client: Client, site: Site) -> None:
    html = manager_client.get(new_interaction_url(site)).content.decode()
    assert "This text describes police, not a client" not in html


@pytest.mark.django_db
def test_ticking_the_box_saves_and_the_audit_entry_says_so(
    manager_client: Client, site: Site
) -> None:
    data = interaction_form(narrative=DESCRIBED) | {CONFIRM_FIELD: "on"}
    response = manager_client.post(new_interaction_url(site), data)
    assert response.status_code == 302
    interaction = Interaction.objects.get()
    assert interaction.narrative == DESCRIBED
    entry = AuditEntry.objects.get(action=Action.CREATE, object_type="interaction")
    assert entry.detail == "PII warnings confirmed: narrative (description)"
    assert "tattoo" not in json.dumps([entry.detail, entry.fields])  # never the text


@pytest.mark.django_db
def test_the_box_cannot_pass_a_refusal(manager_client: Client, site: Site) -> None:
    data = interaction_form(narrative=f"{DESCRIBED} {EMAIL}") | {CONFIRM_FIELD: "on"}
    response = manager_client.post(new_interaction_url(site), data)
    assert response.status_code == 422
    assert "e-mail address" in response.content.decode()
    assert Interaction.objects.count() == 0


@pytest.mark.django_db
def test_an_unchanged_confirmed_text_is_not_warned_again(
    manager_client: Client, site: Site
) -> None:
    interaction = InteractionFactory(site=site, narrative=DESCRIBED)  # saved as confirmed
    url = f"/sites/{site.slug}/interactions/{interaction.pk}/edit/"
    from tests.page_forms import page_form

    data = page_form(manager_client.get(url).content) | {"officers_present": "3"}
    assert manager_client.post(url, data).status_code == 302
    # Changing the text brings the warning back.
    data = page_form(manager_client.get(url).content)
    data["narrative"] = DESCRIBED + " Again at 9."
    assert manager_client.post(url, data).status_code == 422


@pytest.mark.django_db
def test_text_stored_before_a_stricter_guard_does_not_block_other_changes(
    manager_client: Client, site: Site
) -> None:
    # A narrative written before names were refused: editing another field of the record
    # must not fail on it; editing the narrative itself meets the guard in full.
    interaction = InteractionFactory(site=site)
    Interaction.objects.filter(pk=interaction.pk).update(narrative="Jenna T. was searched.")
    url = f"/sites/{site.slug}/interactions/{interaction.pk}/edit/"
    from tests.page_forms import page_form

    data = page_form(manager_client.get(url).content) | {"officers_present": "3"}
    assert manager_client.post(url, data).status_code == 302
    interaction.refresh_from_db()
    assert interaction.officers_present == 3
    data = page_form(manager_client.get(url).content)
    data["narrative"] = "Jenna T. was searched twice."
    assert manager_client.post(url, data).status_code == 422


@pytest.mark.django_db
def test_sharing_a_summary_asks_for_confirmation(manager_client: Client, site: Site) -> None:
    interaction = InteractionFactory(site=site)
    url = f"/sites/{site.slug}/interactions/{interaction.pk}/share/"
    from tests.page_forms import page_form

    data = page_form(manager_client.get(url).content, action="") | {"summary": DESCRIBED}
    response = manager_client.post(url, data)
    assert response.status_code in (200, 422)
    assert "This text describes police, not a client" in response.content.decode()
    assert not InteractionShare.objects.exists()
    response = manager_client.post(url, data | {CONFIRM_FIELD: "on"})
    assert response.status_code == 302
    assert InteractionShare.objects.get().summary == DESCRIBED
    entry = AuditEntry.objects.get(action=Action.SHARE)
    assert "PII warnings confirmed: summary (description)" in entry.detail


@pytest.mark.django_db
def test_a_protocol_clause_is_confirmed_by_the_protocol_page(
    manager_client: Client, site: Site
) -> None:
    protocol = ProtocolFactory(site=site, version=1)
    url = f"/sites/{site.slug}/protocols/{protocol.pk}/edit/"
    from tests.page_forms import page_form

    data = page_form(manager_client.get(url).content)
    data["clauses-0-topic"] = "entry_during_hours"
    data["clauses-0-text"] = "Officers leave the woman in the blue tent behind the fence alone."
    response = manager_client.post(url, data)
    assert response.status_code == 422
    assert "This text describes police, not a client" in response.content.decode()
    assert not ProtocolClause.objects.exists()
    assert manager_client.post(url, data | {CONFIRM_FIELD: "on"}).status_code == 302
    assert ProtocolClause.objects.count() == 1
    entry = AuditEntry.objects.filter(object_type="protocol").latest("id")
    assert "clauses (description)" in entry.detail


# --- the site's roster ----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sites_officers_are_known_to_the_guard(site: Site, other_site: Site) -> None:
    AssignmentFactory(site=site, officer=OfficerFactory(name="Aisha Okafor"))
    text = "Okafor, who has a limp, came to the meeting."
    Interaction(**_interaction_values(site), narrative=text).full_clean()  # an officer here
    with pytest.raises(ValidationError) as caught:
        Interaction(**_interaction_values(other_site), narrative=text).full_clean()
    assert caught.value.error_dict["narrative"][0].code == WARNING_CODE


def _interaction_values(site: Site) -> dict[str, Any]:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return {
        "site": site,
        "occurred_at": datetime(2025, 7, 1, 14, tzinfo=ZoneInfo("America/Toronto")),
        "category": "vehicle_in_buffer",
        "distance_band": "buffer",
    }


# --- the API --------------------------------------------------------------------------------


def bearer(user: User) -> dict[str, str]:
    _, token = token_create(user=user, name="tests", scope=TokenScope.WRITE)
    return {"Authorization": f"Bearer {token}"}


def api_post(client: Client, user: User, body: dict[str, Any]) -> Any:
    return client.post(
        "/api/v1/sites/riverside/interactions",
        json.dumps(body),
        content_type="application/json",
        headers=bearer(user),
    )


API_INTERACTION = {
    "occurred_at": "2025-07-01T14:45",
    "category": "vehicle_in_buffer",
    "distance_band": "buffer",
}


@pytest.mark.django_db
def test_the_api_refuses_a_warning_without_confirmation(client: Client, world: World) -> None:
    manager = world.users["manager"]
    assert manager is not None
    response = api_post(client, manager, API_INTERACTION | {"narrative": DESCRIBED})
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "narrative"]
    assert error["type"] == "pii_unconfirmed"
    assert "This seems to describe a client" in error["msg"]
    assert not Interaction.objects.exists()

    body = API_INTERACTION | {"narrative": DESCRIBED, "pii_confirmed": True}
    assert api_post(client, manager, body).status_code == 201
    entry = AuditEntry.objects.get(action=Action.CREATE, object_type="interaction")
    assert entry.detail == "PII warnings confirmed: narrative (description)"


@pytest.mark.django_db
def test_the_api_cannot_confirm_a_refusal_away(client: Client, world: World) -> None:
    manager = world.users["manager"]
    assert manager is not None
    body = API_INTERACTION | {"narrative": f"{DESCRIBED} {EMAIL}", "pii_confirmed": True}
    response = api_post(client, manager, body)
    assert response.status_code == 422
    assert [e["type"] for e in response.json()["detail"]] == ["value_error"]
    assert not Interaction.objects.exists()


@pytest.mark.django_db
def test_the_openapi_document_describes_pii_confirmed(client: Client) -> None:
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name in ("InteractionIn", "CheckInIn", "EngagementIn", "SupportStatementIn"):
        field = schemas[name]["properties"]["pii_confirmed"]
        assert field["type"] == "boolean"
        assert "pii_unconfirmed" in field["description"]


# --- import_bundle --------------------------------------------------------------------------


def bundle_file(tmp_path: Path, narrative: str) -> str:
    data = json.loads(RIVERSIDE.read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    data["interactions"][0]["narrative"] = narrative
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.django_db
def test_import_refuses_a_warning_unless_accepted(tmp_path: Path) -> None:
    import time_machine

    path = bundle_file(tmp_path, DESCRIBED)
    with time_machine.travel("2026-07-01T16:00Z", tick=False):
        err = StringIO()
        with pytest.raises(CommandError, match="nothing was changed"):
            call_command("import_bundle", path, stdout=StringIO(), stderr=err)
        assert "interactions[0].narrative" in err.getvalue()
        assert "This seems to describe a client" in err.getvalue()
        assert not Site.objects.exists()  # all or nothing

        out = StringIO()
        call_command("import_bundle", path, "--accept-warnings", stdout=out)
    assert Interaction.objects.filter(narrative=DESCRIBED).exists()
    assert "interactions[0].narrative (description)" in out.getvalue()
    entry = AuditEntry.objects.get(action=Action.IMPORT)
    assert entry.fields == ["interactions[0].narrative"]
    assert "PII warnings confirmed in 1 field" in entry.detail


@pytest.mark.django_db
def test_import_never_accepts_a_refusal(tmp_path: Path) -> None:
    import time_machine

    path = bundle_file(tmp_path, EMAIL)
    with time_machine.travel("2026-07-01T16:00Z", tick=False), pytest.raises(CommandError):
        call_command(
            "import_bundle", path, "--accept-warnings", stdout=StringIO(), stderr=StringIO()
        )
    assert not Site.objects.exists()


# --- every field a person types -------------------------------------------------------------


def _records(site: Site) -> dict[str, models.Model]:
    interaction = InteractionFactory(site=site)
    protocol = ProtocolFactory(site=site, version=1)
    officer = OfficerFactory()
    return {
        "site": site,
        "protocol": protocol,
        "clause": ProtocolClause(protocol=protocol, topic="entry_during_hours", text="x"),
        "engagement": EngagementEvent(site=site, date=date(2024, 1, 1), kind="dialogue"),
        "statement": SupportStatement(
            site=site, date=date(2024, 1, 1), rank="chief", stance="support", kind="letter"
        ),
        "interaction": interaction,
        "share": InteractionShare(interaction=interaction, summary="x"),
        "link": ProtocolLink(site=site, label="x", token_hash="0" * 64),
        "schedule": ScheduleFactory.build(site=site),
        "checkin": CheckInFactory.build(site=site),
        "feed": CalendarFeed(site=site, label="x", token_hash="1" * 64),
        "service": PoliceService(name="x"),
        "token": ApiToken(user=User.objects.create(username="t"), name="x", token_hash="2" * 64),
        "officer": officer,
    }


GUARDED_FIELDS = [
    ("site", "name"),
    ("site", "organisation"),
    ("site", "address"),
    ("site", "city"),
    ("site", "region"),
    ("protocol", "signatories"),
    ("clause", "text"),
    ("engagement", "police_ranks_present"),
    ("engagement", "summary"),
    ("statement", "summary"),
    ("interaction", "resolution"),
    ("interaction", "narrative"),
    ("share", "summary"),
    ("link", "label"),
    ("schedule", "location"),
    ("checkin", "notes"),
    ("feed", "label"),
    ("service", "name"),
    ("service", "jurisdiction"),
    ("token", "name"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("record", "field"), GUARDED_FIELDS)
def test_every_typed_field_refuses_an_email_address(site: Site, record: str, field: str) -> None:
    instance = _records(site)[record]
    setattr(instance, field, "jo.t91@gmail.com")
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    assert field in caught.value.error_dict
    assert "e-mail address" in " ".join(caught.value.message_dict[field])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/letter?name=jo&dob=1990-01-02",
        "https://example.org/letter?contact=jo.t91%40gmail.com",
        "https://example.org/letter?contact=jo.t91@gmail.com",
        "https://example.org/people/jo.t91@gmail.com/letter",
        "https://example.org/letter#call-416-555-0199",
    ],
)
def test_a_source_link_carrying_an_identifier_is_refused(site: Site, url: str) -> None:
    statement = _records(site)["statement"]
    assert isinstance(statement, SupportStatement)
    statement.source = url
    with pytest.raises(ValidationError) as caught:
        statement.full_clean()
    assert "source" in caught.value.error_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "https://www.cbc.ca/news/canada/toronto/police-chief-supervised-site-1.7123456",
        "https://example.org/board/minutes/2024-05-16.pdf?page=3#item-7",
    ],
)
def test_an_ordinary_source_link_is_accepted(site: Site, url: str) -> None:
    statement = _records(site)["statement"]
    assert isinstance(statement, SupportStatement)
    statement.source = url
    statement.full_clean()


@pytest.mark.django_db
def test_the_sites_own_address_is_allowed_but_nothing_else(site: Site) -> None:
    site.address = "10 Example Avenue"
    site.full_clean()
    site.address = "10 Example Avenue, ask for 416-555-0199"
    with pytest.raises(ValidationError) as caught:
        site.full_clean()
    assert "phone number" in " ".join(caught.value.message_dict["address"])


@pytest.mark.django_db
def test_an_officers_own_record_is_structured_not_guarded(site: Site) -> None:
    officer = _records(site)["officer"]
    officer.email = "paul.moreau@police.example.ca"  # a work e-mail is the record's purpose
    officer.full_clean()


# Pages and API routes that take each kind of text: an e-mail address is refused there too.
PAGE_FIELDS = [
    ("interactions", "narrative", interaction_form()),
    ("interactions", "resolution", interaction_form()),
    ("engagements", "summary", {"date": "2024-01-01", "kind": "dialogue"}),
    ("engagements", "police_ranks_present", {"date": "2024-01-01", "kind": "dialogue"}),
    (
        "support-statements",
        "summary",
        {"date": "2024-01-01", "rank": "chief", "stance": "support", "kind": "letter"},
    ),
    (
        "checkins",
        "notes",
        {
            "scheduled_start": "2025-03-11T10:00",
            "duration_minutes": "60",
            "format": "meeting",
            "status": "scheduled",
        },
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "field", "data"), PAGE_FIELDS)
def test_a_page_refuses_an_email_address(
    manager_client: Client, site: Site, kind: str, field: str, data: dict[str, Any]
) -> None:
    before = AuditEntry.objects.count()
    response = manager_client.post(
        f"/sites/{site.slug}/{kind}/new/", data | {field: EMAIL, CONFIRM_FIELD: "on"}
    )
    assert response.status_code == 422
    assert "e-mail address" in response.content.decode()
    assert AuditEntry.objects.count() == before


API_FIELDS = [
    ("interactions", "narrative", API_INTERACTION),
    ("interactions", "resolution", API_INTERACTION),
    ("engagements", "summary", {"date": "2024-01-01", "kind": "dialogue"}),
    ("engagements", "police_ranks_present", {"date": "2024-01-01", "kind": "dialogue"}),
    (
        "support-statements",
        "summary",
        {"date": "2024-01-01", "rank": "chief", "stance": "support", "kind": "letter"},
    ),
    (
        "support-statements",
        "source",
        {"date": "2024-01-01", "rank": "chief", "stance": "support", "kind": "letter"},
    ),
    ("checkins", "notes", {"scheduled_start": "2025-03-11T10:00", "format": "meeting"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "field", "body"), API_FIELDS)
def test_the_api_refuses_an_email_address(
    client: Client, world: World, kind: str, field: str, body: dict[str, Any]
) -> None:
    manager = world.users["manager"]
    assert manager is not None
    value = "https://example.org/?to=jo.t91%40gmail.com" if field == "source" else EMAIL
    response = client.post(
        f"/api/v1/sites/riverside/{kind}",
        json.dumps(body | {field: value, "pii_confirmed": True}),
        content_type="application/json",
        headers=bearer(manager),
    )
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert [(e["loc"], e["type"]) for e in detail] == [(["body", field], "value_error")]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", [Site, Protocol, ProtocolClause, EngagementEvent, SupportStatement, Interaction,
              InteractionShare, ProtocolLink, CheckInSchedule, CheckIn, CalendarFeed],
)  # fmt: skip
def test_the_confirmation_is_never_stored(model: type[models.Model]) -> None:
    assert "pii_confirmed" not in {f.name for f in model._meta.get_fields()}


def _page_posts(site: Site) -> list[tuple[str, dict[str, Any], str]]:
    interaction = InteractionFactory(site=site)
    return [
        (
            f"/sites/{site.slug}/schedules/new/",
            {"key": "monthly", "rrule": "FREQ=MONTHLY;BYDAY=2TU", "start": "2025-01-01",
             "start_time": "10:00", "duration_minutes": "60", "format": "meeting"},
            "location",
        ),
        (f"/sites/{site.slug}/interactions/{interaction.pk}/share/",
         {"edit_version": "0"}, "summary"),
        (f"/sites/{site.slug}/protocol-links/", {}, "label"),
        (f"/sites/{site.slug}/calendar/", {"subject": "site"}, "label"),
        ("/accounts/tokens/", {}, "name"),
    ]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("which", range(5))
def test_other_pages_refuse_an_email_address(
    manager_client: Client, site: Site, which: int
) -> None:
    site.police_accounts = False  # protocol links are for such sites
    site.save()
    url, data, field = _page_posts(site)[which]
    before = AuditEntry.objects.count()
    response = manager_client.post(url, data | {field: EMAIL, CONFIRM_FIELD: "on"})
    assert response.status_code in (200, 422)
    assert "e-mail address" in response.content.decode()
    assert AuditEntry.objects.count() == before  # nothing written
