"""grant USERNAME ROLE [--site SLUG …] [--officer BADGE] (SPEC §7)."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from accounts.grants import role_grant, user_create
from agreements.choices import Role
from agreements.models import Site
from liaisons.models import LiaisonOfficer


class Command(BaseCommand):
    help = (
        "Create USERNAME if missing (password from HR_POLICE_PASSWORD, else a prompt) and "
        "give it ROLE: admin (every site), manager (--site, one or more), researcher "
        "(the consenting sites, or only those named with --site), liaison (--officer "
        "BADGE: the sites that officer is assigned to) or community (--site, one or more "
        "sites that opt in to community oversight)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--site", action="append", default=[], metavar="SLUG")
        parser.add_argument("--officer", metavar="BADGE")

    def handle(self, *args: Any, **options: Any) -> None:
        role: str = options["role"]
        slugs: list[str] = options["site"]
        sites = self._sites(role, slugs)
        officer = self._officer(role, options["officer"])
        with transaction.atomic():  # the account, its role and their audit entries, or nothing
            user, created = self._user(options["username"])
            try:
                role_grant(user=user, role=role, sites=sites, officer=officer, actor="grant")
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        where = ", ".join(s.slug for s in sites) if sites else self._default_scope(role)
        verb = "Created" if created else "Updated"
        self.stdout.write(f"{verb} {user.get_username()}: {role} for {where}.")

    def _sites(self, role: str, slugs: list[str]) -> list[Site]:
        if role == Role.ADMIN and slugs:
            raise CommandError("An admin sees every site: leave out --site.")
        if role == Role.LIAISON and slugs:
            raise CommandError(
                "A liaison sees the sites their officer is assigned to: use --officer BADGE "
                "and leave out --site."
            )
        if role == Role.MANAGER and not slugs:
            raise CommandError("A manager belongs to sites: name them with --site SLUG.")
        if role == Role.COMMUNITY and not slugs:
            raise CommandError(
                "A community oversight body belongs to sites: name them with --site SLUG."
            )
        found = {s.slug: s for s in Site.objects.filter(slug__in=slugs)}
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise CommandError(f"No site with slug: {', '.join(missing)}.")
        if role == Role.RESEARCHER:
            refusing = [slug for slug in slugs if not found[slug].research_consent]
            if refusing:
                raise CommandError(
                    f"These sites do not consent to research: {', '.join(refusing)}."
                )
        if role == Role.COMMUNITY:
            closed = [slug for slug in slugs if not found[slug].community_oversight]
            if closed:
                raise CommandError(
                    f"These sites have not opted in to community oversight: {', '.join(closed)}."
                )
        return [found[slug] for slug in dict.fromkeys(slugs)]

    def _officer(self, role: str, badge: str | None) -> LiaisonOfficer | None:
        if role != Role.LIAISON:
            if badge:
                raise CommandError("--officer is only for the liaison role.")
            return None
        if not badge:
            raise CommandError("A liaison account is tied to an officer: give --officer BADGE.")
        officers = list(LiaisonOfficer.objects.filter(badge_number=badge).select_related("service"))
        if not officers:
            raise CommandError(f"No liaison officer with badge number {badge}.")
        if len(officers) > 1:
            services = ", ".join(o.service.name for o in officers)
            raise CommandError(f"Badge {badge} exists in several services ({services}).")
        officer = officers[0]
        sites = Site.objects.filter(assignments__officer=officer).distinct()
        if sites and not any(site.police_accounts for site in sites):
            names = ", ".join(site.slug for site in sites)
            raise CommandError(
                f"The sites this officer is assigned to ({names}) refuse police accounts: "
                "give the liaison the liaison edition of the report or a secret protocol "
                "link instead."
            )
        return officer

    def _user(self, username: str) -> tuple[Any, bool]:
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is not None:
            return user, False
        password = os.environ.get("HR_POLICE_PASSWORD") or self._prompt()
        try:
            return user_create(username=username, password=password, actor="grant"), True
        except ValidationError as exc:
            raise CommandError("Password refused: " + " ".join(exc.messages)) from None

    def _prompt(self) -> str:
        first = getpass.getpass("Password for the new user: ")
        if first != getpass.getpass("Again: "):
            raise CommandError("The two passwords differ.")
        return first

    @staticmethod
    def _default_scope(role: str) -> str:
        return {
            Role.ADMIN: "every site",
            Role.RESEARCHER: "every site that consents to research",
            Role.LIAISON: "the sites the officer is assigned to",
        }.get(Role(role), "no site")
