"""A mistake in a deployment's environment stops the app at start-up, naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from hr_police.database import database_from_url
from hr_police.env import env_bool, env_int, env_list

PROJECT_ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "x7" * 30  # 60 characters
SETTINGS_VARIABLES = (
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "DJANGO_SETTINGS_MODULE",
)


def manage_check(tmp_path: Path, **overrides: str) -> subprocess.CompletedProcess[str]:
    """`python manage.py check` with the given environment and nothing else of ours."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'check.sqlite3'}"
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_starts_in_debug_without_a_secret_key(tmp_path: Path) -> None:
    result = manage_check(tmp_path, DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_it_starts_with_debug_off_and_a_strong_key(tmp_path: Path) -> None:
    result = manage_check(tmp_path, DJANGO_DEBUG="false", DJANGO_SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("debug", ["false", None])  # debug is off unless turned on
def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off(
    tmp_path: Path, debug: str | None
) -> None:
    result = manage_check(tmp_path, **({"DJANGO_DEBUG": debug} if debug else {}))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize("key", ["short-key", "django-insecure-" + GOOD_KEY])
def test_it_refuses_a_weak_secret_key_when_debug_is_off(tmp_path: Path, key: str) -> None:
    result = manage_check(tmp_path, DJANGO_DEBUG="false", DJANGO_SECRET_KEY=key)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr


def test_it_refuses_a_debug_value_that_is_not_a_boolean(tmp_path: Path) -> None:
    result = manage_check(tmp_path, DJANGO_DEBUG="maybe", DJANGO_SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "DJANGO_DEBUG='maybe' is not a boolean" in result.stderr


@pytest.mark.parametrize(
    "url", ["mysql://user:secret@db.example:3306/hr", "garbage", "postgres//missing-colon"]
)
def test_it_refuses_a_database_url_it_does_not_support(tmp_path: Path, url: str) -> None:
    result = manage_check(tmp_path, DJANGO_DEBUG="true", DATABASE_URL=url)
    assert result.returncode != 0
    assert "ImproperlyConfigured: DATABASE_URL" in result.stderr


# --- env.py --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        (" TRUE ", True),
        ("yes", True),
        ("on", True),
        ("0", False),
        ("false", False),
        ("No", False),
        ("off", False),
    ],
)
def test_it_reads_a_boolean(monkeypatch: pytest.MonkeyPatch, raw: str, expected: bool) -> None:
    monkeypatch.setenv("HR_TEST_FLAG", raw)
    assert env_bool("HR_TEST_FLAG", default=not expected) is expected


@pytest.mark.parametrize("default", [True, False])
def test_it_uses_the_default_boolean_when_unset(
    monkeypatch: pytest.MonkeyPatch, default: bool
) -> None:
    monkeypatch.delenv("HR_TEST_FLAG", raising=False)
    assert env_bool("HR_TEST_FLAG", default=default) is default


@pytest.mark.parametrize("raw", ["maybe", "2", "truee", "y"])
def test_it_refuses_a_boolean_it_cannot_read(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("HR_TEST_FLAG", raw)
    with pytest.raises(ImproperlyConfigured, match="HR_TEST_FLAG"):
        env_bool("HR_TEST_FLAG")


@pytest.mark.parametrize(("raw", "expected"), [("25", 25), (" 7 ", 7), ("-3", -3), ("", 10)])
def test_it_reads_a_whole_number(monkeypatch: pytest.MonkeyPatch, raw: str, expected: int) -> None:
    monkeypatch.setenv("HR_TEST_NUMBER", raw)
    assert env_int("HR_TEST_NUMBER", 10) == expected


def test_it_uses_the_default_number_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HR_TEST_NUMBER", raising=False)
    assert env_int("HR_TEST_NUMBER", 10) == 10


@pytest.mark.parametrize("raw", ["ten", "2.5", "1e3"])
def test_it_refuses_a_number_that_is_not_whole(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("HR_TEST_NUMBER", raw)
    with pytest.raises(ImproperlyConfigured, match="HR_TEST_NUMBER"):
        env_int("HR_TEST_NUMBER", 10)


def test_it_reads_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HR_TEST_HOSTS", " tracker.example.org, ,localhost ,")
    assert env_list("HR_TEST_HOSTS", default=["ignored"]) == ["tracker.example.org", "localhost"]


def test_it_reads_an_empty_list_as_empty_not_as_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HR_TEST_HOSTS", "")
    assert env_list("HR_TEST_HOSTS", default=["localhost"]) == []


def test_it_uses_a_copy_of_the_default_list_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HR_TEST_HOSTS", raising=False)
    default = ["localhost"]
    hosts = env_list("HR_TEST_HOSTS", default=default)
    hosts.append("evil.example")
    assert default == ["localhost"]
    assert env_list("HR_TEST_HOSTS") == []


# --- database.py ---------------------------------------------------------------------------


def test_it_reads_a_sqlite_url(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    config = database_from_url(f"sqlite:///{path}", default_sqlite=tmp_path / "unused.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(path)
    assert config["CONN_MAX_AGE"] == 0
    assert config["ATOMIC_REQUESTS"] is False


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_it_reads_a_postgres_url(tmp_path: Path, scheme: str) -> None:
    config = database_from_url(
        f"{scheme}://hr:s3cret@db.example:5433/hr_police", default_sqlite=tmp_path / "x"
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("hr_police", "hr", "s3cret")
    assert (config["HOST"], config["PORT"]) == ("db.example", 5433)
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True
    assert config["ATOMIC_REQUESTS"] is False


def test_it_defaults_to_sqlite_at_the_given_path(tmp_path: Path) -> None:
    path = tmp_path / "var" / "nested" / "hr_police.sqlite3"
    config = database_from_url("", default_sqlite=path)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(path)
    assert path.parent.is_dir()


@pytest.mark.parametrize(
    "url", ["mysql://u:p@h/db", "oracle://u:p@h/db", "garbage", "http://example.org/db"]
)
def test_it_refuses_a_database_it_does_not_support(tmp_path: Path, url: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_url(url, default_sqlite=tmp_path / "x")
