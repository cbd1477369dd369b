"""Every URL × every role → the expected status (SPEC §1).

Adding a URL without a row here fails `test_every_url_has_a_row_in_the_matrix`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.datastructures import CaseInsensitiveMapping

from accounts.tokens import token_create
from agreements.audit import AuditEntry
from agreements.models import ProtocolLink, ReportJob, Site
from agreements.sharing import interaction_share
from mediation.services import thread_open
from tests.conftest import World
from tests.consultations.matrix import answer_url, consultation_url
from tests.crawl import LANGUAGES, Crawl, Visit
from tests.factories import (
    AssignmentFactory,
    AttendanceFactory,
    CheckInFactory,
    EngagementFactory,
    InteractionFactory,
    OfficerFactory,
    ProtocolFactory,
    ScheduleFactory,
    SignedProtocolFactory,
    SupportStatementFactory,
)
from tests.peer_reports.matrix import report_url
from tests.perception.matrix import round_url
from workspace.records import KINDS

ROLES = ("anonymous", "manager", "other_manager", "liaison", "researcher", "admin", "community")


def statuses(anonymous, manager, other_manager, liaison, researcher, admin, community):  # type: ignore[no-untyped-def]
    codes = (anonymous, manager, other_manager, liaison, researcher, admin, community)
    return dict(zip(ROLES, codes, strict=True))


LOGIN = 302  # anonymous users are sent to /accounts/login/
MANAGE = statuses(LOGIN, 200, 404, 403, 403, 200, 403)
MANAGE_POST_ONLY = statuses(LOGIN, 405, 404, 403, 403, 405, 403)
SHARED = statuses(LOGIN, 200, 404, 200, 403, 200, 403)
# The protocol as police read it: the community body too (SPEC §1).
PROTOCOL = statuses(LOGIN, 200, 404, 200, 403, 200, 200)
LIAISON_POST_ONLY = statuses(LOGIN, 403, 404, 405, 403, 403, 403)
SCORES = statuses(LOGIN, 200, 404, 403, 200, 200, 200)
PROFILE = statuses(LOGIN, 200, 404, 200, 200, 200, 200)
SIGNED_IN = statuses(LOGIN, 200, 200, 200, 200, 200, 200)
ADMIN_ONLY = statuses(LOGIN, 403, 403, 403, 403, 200, 403)
PUBLIC = statuses(200, 200, 200, 200, 200, 200, 200)
POST_ONLY = statuses(405, 405, 405, 405, 405, 405, 405)
# Consultations on the protocol (issue 19): the site's managers and its community body.
CONSULT = statuses(LOGIN, 200, 404, 403, 403, 200, 200)


def site_url(name: str) -> Any:
    return lambda objects: reverse(name, kwargs={"slug": "riverside"})


def object_url(name: str, kind: str) -> Any:
    return lambda objects: reverse(name, kwargs={"slug": "riverside", "pk": objects[kind].pk})


def thread_url(name: str) -> Any:
    """A URL of the mediation thread of an interaction shared for the walk (made once)."""

    def make(objects: dict[str, Any]) -> str:
        if "thread" not in objects:
            site = Site.objects.get(slug="riverside")
            manager = User.objects.get(username="manager-riverside")
            interaction = InteractionFactory(site=site)
            interaction_share(interaction=interaction, summary="A cruiser by the door.",
                              actor=manager)  # fmt: skip
            objects["thread"] = thread_open(interaction=interaction, actor=manager)
        return reverse(name, kwargs={"slug": "riverside", "pk": objects["thread"].pk})

    return make


MATRIX: dict[str, tuple[Any, dict[str, int]]] = {
    "healthz": (lambda o: reverse("healthz"), PUBLIC),
    "login": (lambda o: reverse("login"), PUBLIC),
    "logout": (lambda o: reverse("logout"), POST_ONLY),
    # The language switcher: a form POST for everyone (test_anyone_may_switch_language).
    "set_language": (lambda o: reverse("set_language"), POST_ONLY),
    "password_change": (lambda o: reverse("password_change"), SIGNED_IN),
    "password_change_done": (lambda o: reverse("password_change_done"), SIGNED_IN),
    "two_factor_setup": (lambda o: reverse("two_factor_setup"), SIGNED_IN),
    "two_factor_verify": (lambda o: reverse("two_factor_verify"), SIGNED_IN),
    "api_tokens": (lambda o: reverse("api_tokens"), SIGNED_IN),
    # POST only, and only for the token's owner (the admin): anyone else's answer is 404.
    "api_token_revoke": (
        lambda o: reverse("api_token_revoke", kwargs={"pk": o["token"].pk}),
        statuses(LOGIN, 404, 404, 404, 404, 405, 404),
    ),
    "agreements:home": (lambda o: reverse("agreements:home"), SIGNED_IN),
    "agreements:site_create": (lambda o: reverse("agreements:site_create"), ADMIN_ONLY),
    "agreements:dashboard": (
        lambda o: reverse("agreements:dashboard"),
        statuses(LOGIN, 200, 200, 403, 200, 200, 200),
    ),
    "agreements:weights": (lambda o: reverse("agreements:weights"), ADMIN_ONLY),
    "agreements:site_score": (site_url("agreements:site_score"), SCORES),
    "agreements:network_audit": (lambda o: reverse("agreements:network_audit"), ADMIN_ONLY),
    "agreements:network_report": (
        lambda o: reverse("agreements:network_report"),
        statuses(LOGIN, 200, 200, 403, 200, 200, 200),
    ),
    # Jobs belong to whoever asked: this one to the admin.
    "agreements:report_job": (
        lambda o: reverse("agreements:report_job", kwargs={"pk": o["job"].pk}),
        statuses(LOGIN, 404, 404, 404, 404, 200, 404),
    ),
    "agreements:report_job_download": (
        lambda o: reverse("agreements:report_job_download", kwargs={"pk": o["job"].pk}),
        statuses(LOGIN, 404, 404, 404, 404, 404, 404),  # not ready
    ),
    "agreements:protocol_by_link": (
        lambda o: reverse("agreements:protocol_by_link", kwargs={"token": "not-a-token"}),
        statuses(404, 404, 404, 404, 404, 404, 404),
    ),
    "agreements:site_audit": (site_url("agreements:site_audit"), MANAGE),
    "agreements:site_report": (
        lambda o: reverse(
            "agreements:site_report", kwargs={"slug": "riverside", "edition": "research"}
        ),
        SCORES,
    ),
    "agreements:liaison_protocol": (site_url("agreements:liaison_protocol"), PROTOCOL),
    "agreements:liaison_protocol_diff": (site_url("agreements:liaison_protocol_diff"), PROTOCOL),
    "agreements:liaison_protocol_version": (
        lambda o: reverse(
            "agreements:liaison_protocol_version",
            kwargs={"slug": "riverside", "version": o["signed"].version},
        ),
        PROTOCOL,
    ),
    "agreements:liaison_protocol_acknowledge": (
        lambda o: reverse(
            "agreements:liaison_protocol_acknowledge",
            kwargs={"slug": "riverside", "version": o["signed"].version},
        ),
        LIAISON_POST_ONLY,
    ),
    "agreements:liaison_checkins": (site_url("agreements:liaison_checkins"), SHARED),
    "agreements:liaison_attendance_confirm": (
        object_url("agreements:liaison_attendance_confirm", "checkins"),
        LIAISON_POST_ONLY,
    ),
    "agreements:checkins_awaiting": (site_url("agreements:checkins_awaiting"), MANAGE),
    "agreements:checkins_outcome": (
        object_url("agreements:checkins_outcome", "checkins"),
        MANAGE_POST_ONLY,
    ),
    "agreements:assignments_timeline": (site_url("agreements:assignments_timeline"), MANAGE),
    # No document is attached in these records: in scope, the answer is "not found";
    # researchers may not read the protocol's pages, nor its document (403); the
    # community body reads both.
    "agreements:protocols_document": (
        object_url("agreements:protocols_document", "signed"),
        statuses(LOGIN, 404, 404, 404, 403, 404, 404),
    ),
    "agreements:shared_interactions": (
        site_url("agreements:shared_interactions"),
        statuses(LOGIN, 200, 404, 200, 403, 200, 403),
    ),
    "agreements:protocol_links": (site_url("agreements:protocol_links"), MANAGE),
    "agreements:protocol_link_revoke": (
        object_url("agreements:protocol_link_revoke", "links"),
        MANAGE_POST_ONLY,
    ),
    "agreements:interactions_share": (
        object_url("agreements:interactions_share", "interactions"),
        MANAGE,
    ),
    "agreements:interactions_unshare": (
        object_url("agreements:interactions_unshare", "interactions"),
        MANAGE_POST_ONLY,
    ),
    "agreements:site_overview": (site_url("agreements:site_overview"), MANAGE),
    "agreements:site_profile": (site_url("agreements:site_profile"), PROFILE),
    "agreements:site_edit": (site_url("agreements:site_edit"), MANAGE),
    "agreements:protocols_detail": (object_url("agreements:protocols_detail", "protocols"), MANAGE),
    "agreements:protocols_end": (
        object_url("agreements:protocols_end", "protocols"),
        MANAGE_POST_ONLY,
    ),
    "agreements:protocols_copy": (
        object_url("agreements:protocols_copy", "protocols"),
        MANAGE_POST_ONLY,
    ),
    "agreements:protocols_create": (site_url("agreements:protocols_create"), MANAGE),
    "agreements:protocols_sign": (object_url("agreements:protocols_sign", "protocols"), MANAGE),
    "agreements:protocols_withdraw": (
        object_url("agreements:protocols_withdraw", "signed"),
        MANAGE_POST_ONLY,
    ),
    "agreements:protocols_compare": (site_url("agreements:protocols_compare"), MANAGE),
    "agreements:protocols_edit": (object_url("agreements:protocols_edit", "protocols"), MANAGE),
    # Issue 18, mediation: the thread of an interaction shared with the site's liaison.
    # Researchers may not (403), another site's manager does not see the site (404); the
    # status is set by POST, by the site's managers only.
    "mediation:thread": (thread_url("mediation:thread"), SHARED),
    "mediation:thread_status": (thread_url("mediation:thread_status"), MANAGE_POST_ONLY),
    # The police service's right of reply (issue 18): the site's liaisons write, its
    # managers and admins read; researchers see the site but none of its replies.
    "score_replies:site_replies": (lambda o: replied_url(o), SHARED),
    # Two-sided self-assessment (issue 18, part 3): the site's managers and liaisons read
    # and answer; managers open and close rounds; researchers read the research form on
    # the scorecard only.
    "perception:rounds": (site_url("perception:rounds"), SHARED),
    "perception:round_open": (site_url("perception:round_open"), MANAGE_POST_ONLY),
    "perception:round_detail": (round_url("perception:round_detail"), SHARED),
    "perception:round_close": (round_url("perception:round_close"), MANAGE_POST_ONLY),
    "agreements:site_perception": (site_url("agreements:site_perception"), SHARED),
    # Issue 19: the transparency report as a page, from the research release: everyone who
    # reads the site's figures (researchers and the community body suppressed).
    "agreements:site_transparency": (site_url("agreements:site_transparency"), SCORES),
    # Issue 19, part 2, consultations: the site's managers, admins and community body read
    # them; police (who see the site) and researchers are refused; managers open, extend,
    # close and answer by POST; the community body comments on the consultation's page.
    "consultations:list": (site_url("consultations:list"), CONSULT),
    "consultations:detail": (consultation_url("consultations:detail"), CONSULT),
    "consultations:answer": (answer_url, MANAGE_POST_ONLY),
    "consultations:extend": (consultation_url("consultations:extend"), MANAGE_POST_ONLY),
    "consultations:close": (consultation_url("consultations:close"), MANAGE_POST_ONLY),
    "consultations:open": (object_url("consultations:open", "protocols"), MANAGE_POST_ONLY),
    # Issue 19, part 3, peer reports: the site's community body files (nobody else, not
    # even an admin); the site's managers and admins review and set the follow-up status;
    # the follow-up page is public (it answers a code with a status, and nothing else).
    "peer_reports:file": (
        site_url("peer_reports:file"),
        statuses(LOGIN, 403, 404, 403, 403, 403, 200),
    ),
    "peer_reports:review": (report_url("peer_reports:review"), MANAGE),
    "peer_reports:status": (report_url("peer_reports:status"), MANAGE_POST_ONLY),
    "peer_reports:follow_up": (lambda o: reverse("peer_reports:follow_up"), PUBLIC),
    # Issue 19, peer-report UX: the page after filing, which shows the code once (and to
    # nobody but the site's community body).
    "peer_reports:filed": (
        site_url("peer_reports:filed"),
        statuses(LOGIN, 403, 404, 403, 403, 403, 200),
    ),
}
for _slug in KINDS:
    MATRIX[f"agreements:{_slug}_list"] = (site_url(f"agreements:{_slug}_list"), MANAGE)
    MATRIX[f"agreements:{_slug}_delete"] = (
        object_url(f"agreements:{_slug}_delete", _slug),
        MANAGE,
    )
    if _slug != "protocols":
        MATRIX[f"agreements:{_slug}_create"] = (site_url(f"agreements:{_slug}_create"), MANAGE)
        MATRIX[f"agreements:{_slug}_edit"] = (object_url(f"agreements:{_slug}_edit", _slug), MANAGE)


# Rows for the calendar feed URLs live beside their tests.
from tests.accounts.people_matrix import PEOPLE_ROWS  # noqa: E402
from tests.agreements.export_matrix import EXPORT_ROWS  # noqa: E402
from tests.liaisons.feed_matrix import FEED_ROWS  # noqa: E402

MATRIX.update(FEED_ROWS)
MATRIX.update(EXPORT_ROWS)
MATRIX.update(PEOPLE_ROWS)


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's own admin: checked in test_admin_is_for_admins_only
            if entry.namespace == "api":
                continue  # the API: every endpoint × role in tests/api/
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


# Django's password-reset pages are not served: accounts are created by administrators.
NOT_SERVED = {
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def test_every_url_has_a_row_in_the_matrix() -> None:
    assert url_names() == set(MATRIX)
    assert not (url_names() & NOT_SERVED)


def replied_url(objects: dict[str, Any]) -> str:
    """The reply page, after the liaison replied to last month's scorecard, so that the
    walk reads a reply on this page and beside the score (in both languages)."""
    from score_replies.services import score_reply_write

    site = objects["checkins"].site
    liaison = User.objects.get(liaison_officer__badge_number="4411")
    score_reply_write(site=site, month=f"{site.today().replace(day=1) - timedelta(days=1):%Y-%m}",
                      text="The service answers: contact was regular.", actor=liaison)  # fmt: skip
    return str(reverse("score_replies:site_replies", kwargs={"slug": site.slug}))


def site_records(world: World) -> dict[str, Any]:
    site = world.site
    officer = OfficerFactory(registered_for=site, badge_number="7001")
    return {
        "officers": officer,
        "assignments": AssignmentFactory(site=site, officer=officer, role="backup"),
        "protocols": ProtocolFactory(site=site),
        "engagements": EngagementFactory(site=site),
        "support-statements": SupportStatementFactory(site=site),
        "schedules": ScheduleFactory(site=site),
        "checkins": CheckInFactory(site=site),
        "interactions": InteractionFactory(site=site),
        "attendance": AttendanceFactory(site=site),
        # A version number far from the factory sequence, which other rows use.
        "signed": SignedProtocolFactory(site=site, version=900_000),
        "job": ReportJob.objects.create(requested_by=world.users["admin"], as_of=site.today()),
        "links": ProtocolLink.objects.create(site=site, label="front desk", token_hash="0" * 64),
        "token": token_create(user=world.users["admin"], name="matrix")[0],
    }


def access_problems(name: str, visits: dict[str, Visit]) -> list[str]:
    """How the answers of `name`'s URL (role → recorded answer) differ from its row."""
    expected = MATRIX[name][1]
    got = {role: visit.status for role, visit in visits.items()}
    problems = [] if got == expected else [f"{name}: expected {expected}, got {got}"]
    anonymous = visits.get("anonymous")
    if anonymous and expected["anonymous"] == LOGIN:
        location = anonymous.header("Location")
        if not location.startswith("/accounts/login/?next="):
            problems.append(f"{name}: anonymous sent to {location!r}, not to sign in")
    return problems


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_each_role_gets_the_expected_status(matrix_crawl: Crawl, name: str, language: str) -> None:
    visits = {role: matrix_crawl.visit(name, role, language) for role in ROLES}
    assert not access_problems(name, visits)


def test_the_walk_leaves_no_rows_behind(matrix_crawl: Crawl) -> None:
    # Its records were rolled back: other tests start from an empty database.
    assert len(matrix_crawl.visits) > 500
    assert not Site.objects.exists()
    assert not User.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_access_check_finds_a_wrong_answer() -> None:
    name = "agreements:site_audit"
    expected = MATRIX[name][1]

    def answers(location: str = "/accounts/login/?next=/x/", **statuses: int) -> dict[str, Visit]:
        headers = CaseInsensitiveMapping({"Location": location})
        return {
            role: Visit(name, role, "en", "/x/", statuses.get(role, expected[role]), headers, b"")
            for role in ROLES
        }

    assert access_problems(name, answers()) == []
    # A liaison let into a manager's page.
    assert access_problems(name, answers(liaison=200)) == [
        f"{name}: expected {expected}, got {expected | {'liaison': 200}}"
    ]
    # An anonymous visitor stopped, but not sent to the sign-in page.
    assert access_problems(name, answers(location="/")) == [
        f"{name}: anonymous sent to '/', not to sign in"
    ]


@pytest.mark.django_db
def test_anyone_may_switch_language(client: Any, world: World) -> None:
    for role in ROLES:
        client.logout()
        client.cookies.pop("django_language", None)
        if world.users[role] is not None:
            client.force_login(world.users[role])
        response = client.post(reverse("set_language"), {"language": "fr-ca", "next": "/"})
        assert (response.status_code, response["Location"]) == (302, "/"), role
        assert client.cookies["django_language"].value == "fr-ca", role


@pytest.mark.django_db
def test_admin_is_for_admins_only(client: Any, world: World) -> None:
    for role in ROLES:
        client.logout()
        if world.users[role] is not None:
            client.force_login(world.users[role])
        status = client.get("/admin/").status_code
        assert status == (200 if role == "admin" else 302), role
