"""What police liaisons see and do, and the manager pages of issue 5."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.audit import AuditEntry
from agreements.choices import Role
from agreements.models import Protocol, Site
from agreements.protocol_diff import ClauseText, diff_versions
from liaisons.continuity import primary_timeline
from liaisons.models import Acknowledgement, AttendanceConfirmation, CheckIn
from tests.conftest import make_user
from tests.factories import (
    AssignmentFactory,
    CheckInFactory,
    ClauseFactory,
    OfficerFactory,
    OperatingHoursFactory,
    ProtocolFactory,
    SignedProtocolFactory,
)
from tests.page_forms import opened, page_form

pytestmark = pytest.mark.django_db


def url(name: str, site: Site, **kwargs: Any) -> str:
    return reverse(f"agreements:{name}", kwargs={"slug": site.slug, **kwargs})


@pytest.fixture
def officer_client(site: Site) -> tuple[Client, Any]:
    user = make_user(Role.LIAISON)
    officer = OfficerFactory(user=user)
    AssignmentFactory(site=site, officer=officer)
    browser = Client()
    browser.force_login(user)
    return browser, officer


@pytest.fixture
def versions(site: Site) -> tuple[Protocol, Protocol, Protocol]:
    old = SignedProtocolFactory(
        site=site,
        version=1,
        status="ended",
        effective_from=date(2023, 3, 1),
        ended_on=date(2025, 3, 1),
    )
    ClauseFactory(protocol=old, topic="entry_during_hours", text="No entry during hours.")
    ClauseFactory(protocol=old, topic="plainclothes", text="No plain clothes.")
    current = SignedProtocolFactory(site=site, version=2, effective_from=date(2025, 3, 1),
                                    review_by=date(2028, 3, 1))  # fmt: skip
    ClauseFactory(
        protocol=current, topic="entry_during_hours", text="No entry during opening hours."
    )
    ClauseFactory(protocol=current, topic="notification", text="Tell the site within a day.")
    draft = ProtocolFactory(site=site, version=3)
    ClauseFactory(protocol=draft, text="Draft wording under negotiation.")
    return old, current, draft


def test_a_liaison_reads_and_acknowledges_the_version_in_force(
    officer_client: tuple[Client, Any], site: Site, versions: Any
) -> None:
    browser, officer = officer_client
    _old, current, _draft = versions
    page = browser.get(url("liaison_protocol", site)).content.decode()
    assert "No entry during opening hours." in page
    assert "Draft wording under negotiation." not in page
    assert "Version 3" not in page  # drafts stay with the site
    browser.post(url("liaison_protocol_acknowledge", site, version=2))
    browser.post(url("liaison_protocol_acknowledge", site, version=2))
    ack = Acknowledgement.objects.get()
    assert (ack.officer, ack.protocol) == (officer, current)
    assert (
        "You have acknowledged version 2"
        in browser.get(url("liaison_protocol", site)).content.decode()
    )
    assert AuditEntry.objects.filter(detail="acknowledged protocol version 2").count() == 1


def test_an_old_version_cannot_be_acknowledged(
    officer_client: tuple[Client, Any], site: Site, versions: Any
) -> None:
    browser, _officer = officer_client
    response = browser.post(url("liaison_protocol_acknowledge", site, version=1), follow=True)
    assert "Only the version in force or a signed version still to come can be acknowledged." in (
        response.content.decode()
    )
    assert not Acknowledgement.objects.exists()


def test_a_liaison_cannot_open_a_draft(officer_client: tuple[Client, Any], site: Site,
                                       versions: Any) -> None:  # fmt: skip
    browser, _officer = officer_client
    assert browser.get(url("liaison_protocol_version", site, version=3)).status_code == 404
    assert browser.get(url("liaison_protocol_version", site, version=1)).status_code == 200


def test_a_manager_previews_but_cannot_acknowledge(manager_client: Any, site: Site,
                                                   versions: Any) -> None:  # fmt: skip
    assert manager_client.get(url("liaison_protocol", site)).status_code == 200
    assert (
        manager_client.post(url("liaison_protocol_acknowledge", site, version=2)).status_code == 403
    )


def test_versions_are_compared_side_by_side(officer_client: tuple[Client, Any], site: Site,
                                            versions: Any) -> None:  # fmt: skip
    browser, _officer = officer_client
    response = browser.get(url("liaison_protocol_diff", site), {"a": "1", "b": "2"})
    changes = {row.label: row.change for row in response.context["rows"]}
    assert changes == {
        "No entry during operating hours": "changed",
        "Site told after any entry or enforcement near it": "added",
        "No plain-clothes or undercover presence": "removed",
    }
    assert "<ins>opening</ins>" in response.content.decode()
    bad = browser.get(url("liaison_protocol_diff", site), {"a": "3", "b": "x"})
    assert bad.status_code == 200
    assert {"a", "b"} <= set(bad.context["form"].errors)


def test_the_word_diff_escapes_and_marks() -> None:
    rows = diff_versions([ClauseText("other", "Other", "Police <b>may</b> enter")],
                         [ClauseText("other", "Other", "Police never enter")])  # fmt: skip
    assert rows[0].change == "changed"
    assert "<del>&lt;b&gt;may&lt;/b&gt;</del>" in rows[0].old
    assert "<ins>never</ins>" in rows[0].new


def test_a_liaison_confirms_attendance_at_an_upcoming_check_in(
    officer_client: tuple[Client, Any], site: Site
) -> None:
    browser, officer = officer_client
    soon = CheckInFactory(site=site, status="scheduled",
                          scheduled_start=timezone.now() + timedelta(days=5))  # fmt: skip
    past = CheckInFactory(site=site, scheduled_start=timezone.now() - timedelta(days=5))
    page = browser.get(url("liaison_checkins", site)).content.decode()
    assert "Confirm attendance" in page
    browser.post(url("liaison_attendance_confirm", site, pk=soon.pk))
    assert AttendanceConfirmation.objects.get().officer == officer
    assert "You will attend" in browser.get(url("liaison_checkins", site)).content.decode()
    assert browser.post(url("liaison_attendance_confirm", site, pk=past.pk)).status_code == 404


def test_managers_record_outcomes_awaiting_entry(manager_client: Any, site: Site) -> None:
    waiting = CheckInFactory(site=site, status="scheduled",
                             scheduled_start=timezone.now() - timedelta(days=3))  # fmt: skip
    CheckInFactory(site=site, status="held", scheduled_start=timezone.now() - timedelta(days=9))
    page = manager_client.get(url("checkins_awaiting", site))
    assert list(page.context["checkins"]) == [waiting]
    outcome = url("checkins_outcome", site, pk=waiting.pk)
    loaded = page_form(page.content, action=outcome)["edit_version"]
    bad = manager_client.post(outcome, {"status": "scheduled", "edit_version": loaded}, follow=True)
    assert "Nothing was recorded" in bad.content.decode()
    manager_client.post(outcome, {"status": "missed", "notes": "Officer called in sick.",
                                  "edit_version": loaded})  # fmt: skip
    waiting.refresh_from_db()
    assert (waiting.status, waiting.notes) == ("missed", "Officer called in sick.")


def test_a_tour_planned_during_operating_hours_is_flagged(manager_client: Any, site: Site) -> None:
    OperatingHoursFactory(site=site, weekday=1)  # Tuesdays 09:00–21:00
    response = manager_client.post(
        url("checkins_create", site),
        {"scheduled_start": "2026-12-15T11:00", "duration_minutes": "60", "format": "tour",
         "status": "scheduled"},
        follow=True,
    )  # fmt: skip
    assert "falls during operating hours" in response.content.decode()
    assert CheckIn.objects.count() == 1


def test_continuity_shows_vacancies_and_turnover() -> None:
    timeline = primary_timeline(
        [(1, "A", date(2020, 1, 1), date(2021, 12, 31)), (2, "B", date(2022, 3, 1), None)],
        today=date(2022, 3, 10),
    )
    assert [(p.officer, p.start, p.end, p.days) for p in timeline.periods] == [
        ("A", date(2020, 1, 1), date(2021, 12, 31), 731),
        ("", date(2022, 1, 1), date(2022, 2, 28), 59),
        ("B", date(2022, 3, 1), None, 10),
    ]
    assert (timeline.vacant_days, timeline.primaries, timeline.changes) == (59, 2, 1)


def test_an_ended_post_shows_as_vacant_until_today() -> None:
    timeline = primary_timeline([(1, "A", date(2020, 1, 1), date(2020, 12, 31))], date(2021, 1, 10))
    assert timeline.periods[-1].vacant
    assert timeline.vacant_days == 10


def test_the_continuity_page(manager_client: Any, site: Site) -> None:
    AssignmentFactory(site=site, start=date(2024, 1, 1), end=date(2024, 6, 30))
    page = manager_client.get(url("assignments_timeline", site)).content.decode()
    assert "Vacant" in page
    assert "Last verified" in page


# --- the signed document ------------------------------------------------------------------------


@pytest.fixture
def private_files(tmp_path: Any) -> Any:
    field = Protocol._meta.get_field("document")
    original = field.storage
    field.storage = FileSystemStorage(location=tmp_path)
    yield tmp_path
    field.storage = original


PROTOCOL_FORM = {
    "status": "draft", "created_on": "2026-01-10", "signatories": "",
    "clauses-TOTAL_FORMS": "0", "clauses-INITIAL_FORMS": "0",
    "clauses-MIN_NUM_FORMS": "0", "clauses-MAX_NUM_FORMS": "1000",
}  # fmt: skip


def test_a_signed_pdf_is_stored_privately_and_served_to_the_liaison(
    manager_client: Any, officer_client: tuple[Client, Any], site: Site, private_files: Any
) -> None:
    pdf = SimpleUploadedFile(
        "Jane Doe agreement.pdf", b"%PDF-1.7 test", content_type="application/pdf"
    )
    data = {**PROTOCOL_FORM, "effective_from": "2026-02-01", "document": pdf}
    assert manager_client.post(url("protocols_create", site), data).status_code == 302
    protocol = Protocol.objects.get()
    sign = url("protocols_sign", site, pk=protocol.pk)
    signing = {**opened(manager_client, sign), "signed_on": "2026-01-20",
               "effective_from": "2026-02-01", "missing_acknowledged": "on"}  # fmt: skip
    assert manager_client.post(sign, signing).status_code == 302
    protocol.refresh_from_db()
    assert "Jane" not in protocol.document.name  # the uploaded name is not kept
    assert not protocol.document.name.startswith("/")
    browser, _officer = officer_client
    response = browser.get(url("protocols_document", site, pk=protocol.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert AuditEntry.objects.filter(action="download").exists()
    stranger = Client()
    stranger.force_login(make_user(Role.RESEARCHER, username="r"))
    site.research_consent = False
    site.save()
    assert stranger.get(url("protocols_document", site, pk=protocol.pk)).status_code == 404


@pytest.mark.parametrize("role", [Role.MANAGER, Role.LIAISON, Role.RESEARCHER, Role.ADMIN])
def test_the_signed_document_answers_as_the_protocol_page_does(
    site: Site, role: str, private_files: Any
) -> None:
    """Whoever may not read the protocol page may not download its signed PDF either: a
    researcher of a consenting site got the document while the page was 403."""
    site.research_consent = True
    site.save()
    protocol = SignedProtocolFactory(site=site)
    protocol.document.save("signed.pdf", ContentFile(b"%PDF-1.7 signed"), save=True)
    if role == Role.LIAISON:
        user = make_user(Role.LIAISON)
        AssignmentFactory(site=site, officer=OfficerFactory(user=user))
    else:
        user = make_user(role, site=site if role == Role.MANAGER else None)
    browser = Client()
    browser.force_login(user)
    page = browser.get(url("liaison_protocol", site)).status_code
    document = browser.get(url("protocols_document", site, pk=protocol.pk)).status_code
    assert document == page
    assert page == (403 if role == Role.RESEARCHER else 200)
    downloads = AuditEntry.objects.filter(action="download").count()
    assert downloads == (0 if role == Role.RESEARCHER else 1)


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"MZ not a pdf", "must be a PDF"),
        (b"%PDF-" + b"0" * (10 * 1024 * 1024), "larger than 10 MB"),
    ],
)
def test_only_pdfs_up_to_10_mb_are_accepted(
    manager_client: Any, site: Site, private_files: Any, content: bytes, says: str
) -> None:
    upload = SimpleUploadedFile("agreement.pdf", content, content_type="application/pdf")
    response = manager_client.post(
        url("protocols_create", site), {**PROTOCOL_FORM, "document": upload}
    )
    assert response.status_code == 422
    assert says in " ".join(response.context["form"].errors["document"])
    assert not Protocol.objects.exists()
    assert not any(private_files.rglob("*.pdf"))
