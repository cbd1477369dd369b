"""`make run PORT=8001` serves on that port; 8000 by default."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _dry_run(*args: str) -> str:
    # -n prints the commands without running them (no venv, no migrations, no server).
    done = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, capture_output=True,
                          text=True, check=True)  # fmt: skip
    return done.stdout


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(("args", "port"), [((), "8000"), (("PORT=8001",), "8001")])
def test_make_run_serves_on_the_port_asked_for(args: tuple[str, ...], port: str) -> None:
    commands = _dry_run(*args)
    assert f"runserver 127.0.0.1:{port}" in commands
    assert f"http://127.0.0.1:{port}/" in commands


def test_the_readme_mentions_the_port() -> None:
    assert "make run PORT=8001" in (ROOT / "README.md").read_text()
