"""api_token USERNAME [--name NAME] [--days N] [--scope read|read-write]: print a new API
token for the user (SPEC §7)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.tokens import MAX_DAYS, token_create
from agreements.models import TokenScope

DEFAULT_NAME = "command line"


class Command(BaseCommand):
    help = (
        "Create an API token for USERNAME and print it once: only a hash is stored. "
        "Use it as `Authorization: Bearer <token>`; revoke it at /accounts/tokens/. "
        "Refused for a user whose roles need two-factor sign-in until they have set it up."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--name",
            default=DEFAULT_NAME,
            help=f"What the token is for (default {DEFAULT_NAME!r}).",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"How many days the token works, 1 to {MAX_DAYS} "
            f"(default HR_POLICE_API_TOKEN_DAYS, now {settings.HR_POLICE_API_TOKEN_DAYS}).",
        )
        parser.add_argument(
            "--scope",
            choices=TokenScope.values,
            default=TokenScope.READ.value,
            help="read (the default): the API answers 403 to every write made with it; "
            "read-write: it may write what the user may.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user {options['username']!r}.")
        if not user.is_active:
            raise CommandError(f"User {options['username']!r} is inactive: a token would not work.")
        try:
            row, token = token_create(
                user=user,
                name=options["name"],
                actor="api_token",
                days=options["days"],
                scope=options["scope"],
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                fields = exc.message_dict.items()
                raise CommandError(
                    "; ".join(f"--{field}: {' '.join(messages)}" for field, messages in fields)
                ) from None
            raise CommandError(" ".join(exc.messages)) from None
        expires = timezone.localtime(row.expires_at).strftime("%Y-%m-%d %H:%M %Z")
        self.stdout.write(token)
        self.stderr.write(
            f"Token {row.prefix}… ({row.name}, {row.get_scope_display()}) for "
            f"{user.get_username()}, until {expires}: shown only now, keep it secret. "
            "Revoke it at /accounts/tokens/."
        )
