#!/usr/bin/env python
"""Django's command-line utility for hr_police."""

import os
import secrets
import sys

# Commands that serve or vet a deployment must see its real configuration.
NEEDS_REAL_KEY = {"runserver", "check", "testserver"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hr_police.settings")
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if not os.environ.get("DJANGO_SECRET_KEY") and command not in NEEDS_REAL_KEY:
        # Maintenance commands (migrate, import_bundle, score, ...) sign nothing that
        # outlives them, so a throwaway key lets them run on a machine not configured to
        # serve. Serving still refuses to start without a real key (see settings).
        os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
