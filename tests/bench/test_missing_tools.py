"""`make bench` without PostgreSQL or wrk says what is missing instead of crashing."""

from __future__ import annotations

from typing import Any

import pytest

from demo.bench import load, suite


def test_an_unreachable_postgresql_is_reported_with_what_to_set() -> None:
    with pytest.raises(suite.Unavailable, match=r"not reachable.*BENCH_DATABASE_URL"):
        suite.recreate_postgresql("postgres://postgres@127.0.0.1:1/hr_police_bench_nowhere")


def test_a_url_without_a_database_name_is_refused() -> None:
    with pytest.raises(suite.Unavailable, match="names no database"):
        suite.recreate_postgresql("postgres://postgres@127.0.0.1:5432/")


def test_without_wrk_throughput_is_skipped_with_the_install_command(monkeypatch: Any) -> None:
    monkeypatch.setattr(load.shutil, "which", lambda name: None)
    assert load.measure_throughput("no-session") == {
        "skipped": "wrk is not installed: apt-get install wrk"
    }
