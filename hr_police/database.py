"""Turn DATABASE_URL into Django's DATABASES entry, refusing what we do not support."""

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

CONNECT_TIMEOUT_SECONDS = 5

SUPPORTED_ENGINES = {
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
}


def database_from_url(url: str, *, default_sqlite: Path) -> dict[str, Any]:
    if not url:
        default_sqlite.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{default_sqlite}"
    try:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL we understand ({exc}); "
            "use postgres://user:password@host:5432/name or sqlite:///path/to/file.sqlite3."
        ) from None
    if config.get("ENGINE") not in SUPPORTED_ENGINES:
        raise ImproperlyConfigured(
            "DATABASE_URL must start with postgres:// or sqlite:/// "
            f"(got an engine hr_police does not support: {config.get('ENGINE')})."
        )
    if config["ENGINE"].endswith("sqlite3"):
        # SQLite connections are cheap and cannot be shared across threads anyway.
        config["CONN_MAX_AGE"] = 0
        # Transactions take the write lock when they begin: one that reads, then writes
        # (every guarded save) waits its turn instead of failing "database is locked".
        config.setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    else:
        # A connection kept between requests is checked before its first reuse, so one
        # broken by a database restart is replaced instead of failing the request.
        config["CONN_HEALTH_CHECKS"] = True
        # Without a timeout, a request would wait for an unreachable server for minutes
        # instead of answering 503 (hr_police/db_unavailable.py) within seconds.
        config.setdefault("OPTIONS", {}).setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
    config["ATOMIC_REQUESTS"] = False
    return config
