"""seed_demo: fictional sites, officers and one user per role (SPEC §7). Idempotent.

`--large N` adds N large sites for benchmarks (agreements/demo_large.py).
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from agreements.choices import ProtocolStatus, Role, Topic
from agreements.models import Membership, Protocol, ProtocolClause, Site
from agreements.services import protocol_new_version
from consultations.models import Consultation
from consultations.services import comment_add, consultation_open
from demo.demo import DEMO_SITES, DemoBuilder
from demo.large import seed_large
from liaisons.models import LiaisonOfficer

# username → (role, sites it manages, badge of the officer it is tied to)
DEMO_USERS: dict[str, tuple[str, tuple[str, ...], str | None]] = {
    "demo-admin": (Role.ADMIN, (), None),
    "demo-manager": (Role.MANAGER, ("harbourview", "riviere-claire"), None),
    "demo-liaison": (Role.LIAISON, (), "4013"),
    "demo-researcher": (Role.RESEARCHER, (), None),
    # The peer oversight body of the one demo site that opts in (SPEC §1).
    "demo-community": (Role.COMMUNITY, ("harbourview",), None),
}


class Command(BaseCommand):
    help = (
        "Load fictional demo sites with several years of records, and one demo user per "
        "role. Running it again changes nothing that exists; passwords are printed only "
        "for users it creates, or for every demo user with --reset-passwords."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give every demo user a new random password and print it.",
        )
        parser.add_argument(
            "--large",
            type=int,
            default=0,
            metavar="N",
            help="Also create N large sites (bench-001…) with five years of history each "
            "(about 10,000 interactions and 300 check-ins per site), for benchmarks. Sites "
            "that exist are left as they are; a larger N adds the missing ones.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["large"] < 0:
            raise CommandError("--large: give a number of sites, 0 or more.")
        for spec in DEMO_SITES:
            if Site.objects.filter(slug=spec.slug).exists():
                self.stdout.write(f"Site {spec.slug} exists; left as it is.")
                continue
            site = DemoBuilder(spec, now=timezone.now()).build()
            self.stdout.write(f"Created demo site {site.slug}.")
        credentials = self._users(reset=options["reset_passwords"])
        self._consultation()
        if credentials:
            self.stdout.write("\nDemo logins (shown once; sign in at /accounts/login/):")
            for username, password in credentials:
                self.stdout.write(f"  {username:<16} {password}   ({DEMO_USERS[username][0]})")
        if options["large"]:
            self._large(options["large"])

    def _large(self, count: int) -> None:
        started = time.perf_counter()
        result = seed_large(count, now=timezone.now(), progress=self.stdout.write)
        seconds = time.perf_counter() - started
        if result.existing:
            self.stdout.write(f"{len(result.existing)} large sites existed; left as they are.")
        self.stdout.write(f"Created {len(result.created)} large sites in {seconds:.1f} s.")

    @transaction.atomic
    def _consultation(self) -> None:
        """A draft of Harbourview's protocol open to its community body, with one comment
        from the union, so the demo shows both sides of a consultation. Once only."""
        site = Site.objects.filter(slug="harbourview", community_oversight=True).first()
        signed = (
            Protocol.objects.filter(site=site, status=ProtocolStatus.SIGNED)
            .order_by("-version")
            .first()
        )
        if site is None or signed is None or Consultation.objects.filter(site=site).exists():
            return
        User = get_user_model()
        manager = User.objects.get(username="demo-manager")
        union = User.objects.get(username="demo-community")
        draft = protocol_new_version(source=signed, actor=manager)
        # One clause reworded, so that the union has a difference to read.
        ProtocolClause.objects.filter(protocol=draft, topic=Topic.PROXIMITY_BUFFER).update(
            text="Marked and unmarked police vehicles do not park, idle or wait inside the "
            "agreed buffer, day or night, except when responding to a call from the site."
        )
        consultation = consultation_open(
            protocol=draft, closes_on=site.today() + timedelta(days=21), actor=manager
        )
        comment_add(
            consultation=consultation,
            author=union,
            text="Members ask that the buffer clause also covers the outreach van's stops.",
        )
        self.stdout.write(f"Opened version {draft.version} of {site.slug} for consultation.")

    @transaction.atomic
    def _users(self, *, reset: bool) -> list[tuple[str, str]]:
        User = get_user_model()
        printed = []
        for username, (role, slugs, badge) in DEMO_USERS.items():
            user, created = User.objects.get_or_create(username=username)
            if created or reset:
                password = secrets.token_urlsafe(12)
                user.set_password(password)
                if role == Role.ADMIN:
                    user.is_staff = user.is_superuser = True
                user.save()
                printed.append((username, password))
            for site in Site.objects.filter(slug__in=slugs) if slugs else [None]:
                if site is not None and role == Role.COMMUNITY and not site.community_oversight:
                    # A demo site from before community oversight is left as it is; the
                    # role would count for nothing there (agreements.access).
                    self.stdout.write(
                        f"Site {site.slug} does not opt in to community oversight; "
                        f"{username} gets no role there."
                    )
                    continue
                Membership.objects.get_or_create(user=user, role=role, site=site)
            if badge:
                LiaisonOfficer.objects.filter(badge_number=badge, user__isnull=True).update(
                    user=user
                )
        return printed
