"""The `grant` and `seed_demo` commands (SPEC §7), and the scope each role ends up with."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from agreements.access import roles_by_site, visible_sites
from agreements.choices import AssignmentRole, CheckInStatus, Consent, Role, Source
from agreements.models import (
    DailyAttendance,
    EngagementEvent,
    Interaction,
    Membership,
    OperatingHours,
    Protocol,
    ProtocolClause,
    Site,
    SupportStatement,
)
from liaisons.models import (
    Acknowledgement,
    CheckIn,
    CheckInSchedule,
    LiaisonAssignment,
    LiaisonOfficer,
)
from tests.factories import (
    AssignmentFactory,
    OfficerFactory,
    PoliceServiceFactory,
    SiteFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "ochre-lantern-harbour-47"


@pytest.fixture(autouse=True)
def password(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("HR_POLICE_PASSWORD", PASSWORD)
    return PASSWORD


def grant(*args: str) -> str:
    out = StringIO()
    call_command("grant", *args, stdout=out)
    return out.getvalue()


def fresh(username: str) -> User:
    """The user as a new request would load it, without any cached roles."""
    return get_user_model().objects.get(username=username)


def slugs(user: User) -> set[str]:
    return set(visible_sites(user).values_list("slug", flat=True))


# --- grant ---------------------------------------------------------------------------------


def test_it_creates_a_missing_user_with_the_password_from_the_environment(site: Site) -> None:
    output = grant("alice", "manager", "--site", site.slug)
    user = fresh("alice")
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    assert not user.is_superuser
    assert "Created alice" in output


def test_it_refuses_a_weak_password_and_creates_no_user(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HR_POLICE_PASSWORD", "password")
    with pytest.raises(CommandError, match="Password refused"):
        grant("alice", "manager", "--site", site.slug)
    assert not get_user_model().objects.filter(username="alice").exists()
    assert not Membership.objects.exists()


def test_it_keeps_an_existing_users_password(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    UserFactory(username="alice")  # password "correct horse battery staple"
    monkeypatch.setenv("HR_POLICE_PASSWORD", "a-different-but-strong-passphrase")
    output = grant("alice", "manager", "--site", site.slug)
    assert fresh("alice").check_password("correct horse battery staple")
    assert "Updated alice" in output


def test_it_gives_a_manager_exactly_the_sites_named(site: Site, other_site: Site) -> None:
    SiteFactory(slug="third")
    grant("alice", "manager", "--site", site.slug, "--site", other_site.slug)
    alice = fresh("alice")
    assert slugs(alice) == {"riverside", "eastside"}
    assert set(roles_by_site(alice).values()) == {frozenset({Role.MANAGER})}


def test_it_refuses_a_manager_without_a_site(site: Site) -> None:
    with pytest.raises(CommandError, match="--site"):
        grant("alice", "manager")
    assert not get_user_model().objects.filter(username="alice").exists()


def test_it_refuses_an_unknown_site_slug_and_grants_nothing(site: Site) -> None:
    with pytest.raises(CommandError, match="no-such-site"):
        grant("alice", "manager", "--site", site.slug, "--site", "no-such-site")
    assert not get_user_model().objects.filter(username="alice").exists()
    assert not Membership.objects.exists()


def test_it_gives_a_researcher_every_consenting_site_and_no_other(
    site: Site, other_site: Site
) -> None:
    SiteFactory(slug="private", research_consent=False)
    grant("rita", "researcher")
    rita = fresh("rita")
    assert slugs(rita) == {"riverside", "eastside"}
    assert set(roles_by_site(rita).values()) == {frozenset({Role.RESEARCHER})}


def test_it_gives_a_researcher_a_site_that_consents_later(site: Site) -> None:
    later = SiteFactory(slug="later", research_consent=False)
    grant("rita", "researcher")
    later.research_consent = True
    later.save()
    assert slugs(fresh("rita")) == {"riverside", "later"}


def test_it_limits_a_researcher_to_the_consenting_sites_named(site: Site, other_site: Site) -> None:
    grant("rita", "researcher", "--site", other_site.slug)
    assert slugs(fresh("rita")) == {"eastside"}


def test_it_refuses_a_researcher_for_a_site_that_does_not_consent(site: Site) -> None:
    SiteFactory(slug="private", research_consent=False)
    with pytest.raises(CommandError, match="private"):
        grant("rita", "researcher", "--site", site.slug, "--site", "private")
    assert not Membership.objects.exists()


def test_it_makes_an_admin_staff_and_superuser_for_every_site(site: Site, other_site: Site) -> None:
    SiteFactory(slug="private", research_consent=False, police_accounts=False)
    grant("ada", "admin")
    ada = fresh("ada")
    assert ada.is_staff
    assert ada.is_superuser
    assert slugs(ada) == {"riverside", "eastside", "private"}


def test_it_makes_an_existing_user_an_admin(site: Site) -> None:
    UserFactory(username="ada")
    grant("ada", "admin")
    ada = fresh("ada")
    assert ada.is_staff
    assert ada.is_superuser


def test_it_refuses_a_site_for_an_admin(site: Site) -> None:
    with pytest.raises(CommandError, match="admin sees every site"):
        grant("ada", "admin", "--site", site.slug)
    assert not get_user_model().objects.filter(username="ada").exists()


def test_it_refuses_a_liaison_without_an_officer(site: Site) -> None:
    with pytest.raises(CommandError, match="--officer"):
        grant("lee", "liaison")
    assert not get_user_model().objects.filter(username="lee").exists()


def test_it_refuses_a_liaison_for_an_unknown_badge(site: Site) -> None:
    with pytest.raises(CommandError, match="9999"):
        grant("lee", "liaison", "--officer", "9999")
    assert not get_user_model().objects.filter(username="lee").exists()


def test_it_refuses_a_site_for_a_liaison(site: Site) -> None:
    OfficerFactory(badge_number="4411")
    with pytest.raises(CommandError):
        grant("lee", "liaison", "--officer", "4411", "--site", site.slug)
    assert not get_user_model().objects.filter(username="lee").exists()


def test_it_refuses_an_officer_for_another_role(site: Site) -> None:
    OfficerFactory(badge_number="4411")
    with pytest.raises(CommandError, match="--officer"):
        grant("alice", "manager", "--site", site.slug, "--officer", "4411")


def test_it_refuses_an_officer_already_linked_to_another_account(site: Site) -> None:
    OfficerFactory(badge_number="4411", user=UserFactory(username="someone-else"))
    with pytest.raises(CommandError, match="another account"):
        grant("lee", "liaison", "--officer", "4411")
    assert not get_user_model().objects.filter(username="lee").exists()
    assert LiaisonOfficer.objects.get(badge_number="4411").user.username == "someone-else"


def test_it_links_a_liaison_to_their_officer_and_only_their_active_sites(
    site: Site, other_site: Site
) -> None:
    officer = OfficerFactory(badge_number="4411")
    AssignmentFactory(officer=officer, site=site, start=date(2024, 1, 1), end=None)
    # The post at eastside ended; the site below refuses police accounts altogether.
    AssignmentFactory(
        officer=officer, site=other_site, start=date(2024, 1, 1), end=date(2024, 12, 31)
    )
    no_accounts = SiteFactory(slug="no-accounts", police_accounts=False)
    AssignmentFactory(
        officer=officer, site=no_accounts, role=AssignmentRole.BACKUP, start=date(2024, 1, 1)
    )
    not_yet = SiteFactory(slug="not-yet")
    AssignmentFactory(officer=officer, site=not_yet, start=date(2099, 1, 1))
    SiteFactory(slug="unassigned")

    grant("lee", "liaison", "--officer", "4411")

    lee = fresh("lee")
    officer.refresh_from_db()
    assert officer.user == lee
    assert not lee.is_staff
    assert slugs(lee) == {"riverside"}
    assert roles_by_site(lee) == {site.pk: frozenset({Role.LIAISON})}


def test_it_shows_an_inactive_officers_account_no_site(site: Site) -> None:
    officer = OfficerFactory(badge_number="4411")
    AssignmentFactory(officer=officer, site=site, start=date(2024, 1, 1))
    grant("lee", "liaison", "--officer", "4411")
    officer.active = False
    officer.save()
    assert slugs(fresh("lee")) == set()


def test_it_refuses_a_badge_that_several_police_services_use(site: Site) -> None:
    OfficerFactory(badge_number="4411", service=PoliceServiceFactory(name="Lakeport Police"))
    OfficerFactory(badge_number="4411", service=PoliceServiceFactory(name="Regional Police"))
    with pytest.raises(CommandError, match="several services"):
        grant("lee", "liaison", "--officer", "4411")
    assert not LiaisonOfficer.objects.filter(user__isnull=False).exists()


def test_it_grants_the_same_role_twice_without_duplicates(site: Site) -> None:
    officer = OfficerFactory(badge_number="4411")
    LiaisonAssignment.objects.create(
        officer=officer, site=site, role=AssignmentRole.PRIMARY, start=date(2024, 1, 1)
    )
    for _ in range(2):
        grant("alice", "manager", "--site", site.slug, "--site", site.slug)
        grant("rita", "researcher")
        grant("ada", "admin")
        grant("lee", "liaison", "--officer", "4411")
    assert (
        get_user_model().objects.filter(username__in=["alice", "rita", "ada", "lee"]).count() == 4
    )
    assert sorted(Membership.objects.values_list("user__username", "role", "site__slug")) == [
        ("ada", Role.ADMIN, None),
        ("alice", Role.MANAGER, "riverside"),
        ("lee", Role.LIAISON, None),
        ("rita", Role.RESEARCHER, None),
    ]


# --- seed_demo -----------------------------------------------------------------------------

DEMO_USERNAMES = {
    "demo-admin", "demo-manager", "demo-liaison", "demo-researcher", "demo-community"
}  # fmt: skip
LOGIN_LINE = re.compile(r"^\s+(demo-[a-z]+)\s+(\S+)\s+\((\w+)\)\s*$", re.MULTILINE)


def seed(*args: str) -> tuple[str, dict[str, str]]:
    """Run seed_demo; return its output and the passwords it printed, by username."""
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    text = out.getvalue()
    return text, {user: password for user, password, _ in LOGIN_LINE.findall(text)}


def model_counts() -> dict[str, int]:
    models = [
        *apps.get_app_config("agreements").get_models(),
        *apps.get_app_config("liaisons").get_models(),
        get_user_model(),
    ]
    return {model._meta.label: model.objects.count() for model in models}


def test_it_seeds_demo_sites_with_records_of_every_kind() -> None:
    seed()
    sites = list(Site.objects.all())
    assert len(sites) >= 3
    assert {s.slug for s in sites} >= {"harbourview", "maple-street", "riviere-claire"}
    everywhere = {
        OperatingHours: "site__slug",
        LiaisonOfficer: "registered_for__slug",
        LiaisonAssignment: "site__slug",
        Protocol: "site__slug",
        ProtocolClause: "protocol__site__slug",
        EngagementEvent: "site__slug",
        SupportStatement: "site__slug",
        CheckInSchedule: "site__slug",
        CheckIn: "site__slug",
    }
    for model, site_path in everywhere.items():
        with_records = set(model.objects.values_list(site_path, flat=True))
        assert with_records == {s.slug for s in sites}, model.__name__
    for model in (Interaction, DailyAttendance):
        # A planned site has no interactions or visits yet; every open one has both.
        opened = {s.slug for s in sites if s.opened_on is not None}
        assert set(model.objects.values_list("site__slug", flat=True)) == opened, model.__name__
    assert Protocol.objects.filter(status="signed").exists()
    assert Acknowledgement.objects.exists()
    assert CheckIn.objects.filter(status="held").exists()
    assert CheckIn.objects.filter(schedule__expected_officers__isnull=False).exists()


def test_the_demo_union_has_a_draft_to_read_and_a_comment_waiting_once() -> None:
    from consultations.models import Comment, Consultation

    seed()
    seed()  # idempotent: no second draft, no second consultation
    [consultation] = Consultation.objects.filter(site__slug="harbourview")
    assert consultation.protocol.status == "draft"
    assert consultation.is_open()
    [comment] = Comment.objects.filter(consultation=consultation)
    assert comment.author is not None
    assert comment.author.username == "demo-community"


def test_it_seeds_one_demo_user_per_role_and_prints_passwords_that_work() -> None:
    output, passwords = seed()
    assert set(passwords) == DEMO_USERNAMES
    for username, password in passwords.items():
        assert User.objects.get(username=username).check_password(password), username
        assert output.count(password) == 1
    assert fresh("demo-admin").is_superuser
    assert slugs(fresh("demo-admin")) == set(Site.objects.values_list("slug", flat=True))
    assert slugs(fresh("demo-manager")) == {"harbourview", "riviere-claire"}
    consenting = set(Site.objects.filter(research_consent=True).values_list("slug", flat=True))
    assert slugs(fresh("demo-researcher")) == consenting
    liaison = fresh("demo-liaison")
    assert LiaisonOfficer.objects.get(user=liaison).badge_number == "4013"
    assert slugs(liaison) == {"harbourview"}
    assert set(roles_by_site(liaison).values()) == {frozenset({Role.LIAISON})}
    # The one demo site that opts in to community oversight, and its peer body.
    overseen = set(Site.objects.filter(community_oversight=True).values_list("slug", flat=True))
    assert overseen == {"harbourview"}
    community = fresh("demo-community")
    assert roles_by_site(community) == {
        Site.objects.get(slug="harbourview").pk: frozenset({Role.COMMUNITY})
    }


def test_the_demo_log_shows_every_source_and_consent_and_shares_only_with_consent() -> None:
    seed()
    pairs = set(Interaction.objects.values_list("source", "consent"))
    assert {source for source, _ in pairs} == set(Source.values)
    assert {consent for _, consent in pairs} == set(Consent.values)
    # Peer reports only where a peer oversight body watches the site.
    peer = Interaction.objects.filter(source=Source.PEER_REPORTED)
    assert set(peer.values_list("site__slug", flat=True)) == {"harbourview"}
    # Whatever the demo shares with police, the reporter agreed to mediation.
    shared = Interaction.objects.filter(share__isnull=False)
    assert not shared.exclude(consent=Consent.MEDIATION).exists()


def test_a_demo_site_from_before_community_oversight_gives_no_community_role() -> None:
    seed()
    Membership.objects.filter(role=Role.COMMUNITY).delete()
    Site.objects.filter(slug="harbourview").update(community_oversight=False)
    output, _ = seed()
    assert "harbourview does not opt in to community oversight" in output
    assert not Membership.objects.filter(role=Role.COMMUNITY).exists()


def test_it_seeds_nothing_new_and_prints_no_passwords_when_run_again() -> None:
    _, first_passwords = seed()
    before = model_counts()

    output, passwords = seed()

    assert model_counts() == before
    assert passwords == {}
    for password in first_passwords.values():
        assert password not in output
    for username, password in first_passwords.items():
        assert User.objects.get(username=username).check_password(password)


def test_it_prints_new_working_passwords_when_asked_to_reset_them() -> None:
    _, old = seed()
    before = model_counts()

    _, new = seed("--reset-passwords")

    # Nothing new but one audit entry per password changed (every account change is).
    after = model_counts()
    assert after.pop("agreements.AuditEntry") - before.pop("agreements.AuditEntry") == len(
        DEMO_USERNAMES
    )
    assert after == before
    assert set(new) == DEMO_USERNAMES
    for username in DEMO_USERNAMES:
        assert new[username] != old[username]
        assert User.objects.get(username=username).check_password(new[username])
        assert not User.objects.get(username=username).check_password(old[username])


@pytest.mark.parametrize(
    "moment",
    [
        # 03:00 in Toronto on a second Tuesday: the monthly check-in is at 10:00 today.
        datetime(2026, 11, 10, 8, tzinfo=UTC),
        # 01:00 in Toronto: the log's hours for today run to 22:00.
        datetime(2026, 11, 7, 6, tzinfo=UTC),
    ],
)
def test_it_seeds_no_outcome_or_interaction_that_has_not_happened_yet(moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        seed()
        now = timezone.now()
        # The same rules CheckIn.clean and Interaction.clean hold a manager to.
        outcomes_ahead = CheckIn.objects.filter(
            status__in=[CheckInStatus.HELD, CheckInStatus.MISSED], scheduled_start__gt=now
        )
        interactions_ahead = Interaction.objects.filter(occurred_at__gt=now + timedelta(hours=1))
        assert list(outcomes_ahead.values_list("site__slug", "scheduled_start")) == []
        assert list(interactions_ahead.values_list("site__slug", "occurred_at")) == []
