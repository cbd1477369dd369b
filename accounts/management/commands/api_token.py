"""api_token USERNAME [--name NAME]: print a new API token for the user (SPEC §7)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.tokens import token_create

DEFAULT_NAME = "command line"


class Command(BaseCommand):
    help = (
        "Create an API token for USERNAME and print it once: only a hash is stored. "
        "Use it as `Authorization: Bearer <token>`; revoke it at /accounts/tokens/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--name",
            default=DEFAULT_NAME,
            help=f"What the token is for (default {DEFAULT_NAME!r}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        if not user.is_active:
            raise CommandError(f"User {options['username']!r} is inactive: a token would not work.")
        try:
            row, token = token_create(user=user, name=options["name"], actor="api_token")
        except ValidationError as exc:
            raise CommandError("--name: " + " ".join(exc.messages)) from None
        self.stdout.write(token)
        self.stderr.write(
            f"Token {row.prefix}… ({row.name}) for {user.get_username()}: shown only now, "
            "keep it secret. Revoke it at /accounts/tokens/."
        )
