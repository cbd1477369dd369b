"""`make bench`: every measurement on PostgreSQL and SQLite at N=5 and N=50 large sites.

Run as `python -m demo.bench.suite`. First the PII guard on the labelled corpus (no
database: `python -m demo.bench.pii`). Then, for each database and size: a fresh database
(dropped and created again), migrations, the demo data, `seed_demo --large N` (timed),
then `manage.py benchmark --out`; finally docs/benchmarks.md and docs/benchmarks.json.
This process needs no Django settings: each step is a `manage.py` subprocess with its
own DATABASE_URL. A missing PostgreSQL or wrk is reported, not fatal.

A subset, to check one change without the whole hour (docs are then left alone and the
figures are printed and kept in var/bench/):

    python -m demo.bench.suite --database postgresql --size 50 --skip pdf --skip import
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from demo.bench import report

ROOT = Path(__file__).resolve().parents[2]
SIZES = (5, 50)
DEFAULT_PG_URL = "postgres://postgres@127.0.0.1:5432/hr_police_bench"
SQLITE_FILE = ROOT / "var" / "bench.sqlite3"
WORK = ROOT / "var" / "bench"
# A key for the throwaway benchmark databases only; it signs nothing that outlives them.
BENCH_SECRET_KEY = "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"


def log(message: str) -> None:
    print(message, flush=True)


def environment(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        # Debug off, as in production: debug keeps every query in memory and slows pages.
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=BENCH_SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        # The score API is called a few dozen times a second; the rate limit would refuse.
        HR_POLICE_API_RATE_PER_MINUTE="1000000",
        HR_POLICE_PRIVATE_FILES=str(WORK / "private"),
    )
    return env


def manage(env: dict[str, str], *args: str, quiet: bool = False) -> None:
    command = [sys.executable, str(ROOT / "manage.py"), *args]
    output = subprocess.DEVNULL if quiet else None
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=output)


def measure_pii() -> dict[str, object]:
    """The PII guard's timings and corpus figures (demo/bench/pii.py), in its own process."""
    out = WORK / "pii.json"
    env = environment(f"sqlite:///{SQLITE_FILE}")  # settings need a URL; no query is made
    log("\n== PII guard on the labelled corpus")
    subprocess.run(
        [sys.executable, "-m", "demo.bench.pii", "--out", str(out)], env=env, cwd=ROOT, check=True
    )
    figures: dict[str, object] = json.loads(out.read_text())
    return figures


class Unavailable(Exception):
    """This database cannot be used here; the message says why and what to do."""


def _pg_args(url: str) -> tuple[list[str], str]:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        raise Unavailable(f"BENCH_DATABASE_URL {url!r} names no database.")
    args = ["-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432)]
    if parts.username:
        args += ["-U", parts.username]
    return args, name


def recreate_postgresql(url: str) -> None:
    """Drop and create the benchmark database (it is the benchmark's own)."""
    for tool in ("psql", "dropdb", "createdb"):
        if shutil.which(tool) is None:
            raise Unavailable(f"{tool} is not installed (apt-get install postgresql-client).")
    args, name = _pg_args(url)
    env = dict(os.environ)
    if password := urlsplit(url).password:
        env["PGPASSWORD"] = password
    probe = subprocess.run(
        ["psql", *args, "-d", "postgres", "-Atc", "select 1"],
        env=env, capture_output=True, text=True, timeout=20,
    )  # fmt: skip
    if probe.returncode != 0:
        raise Unavailable(
            f"PostgreSQL is not reachable at {url} ({' '.join(probe.stderr.split())}); set "
            "BENCH_DATABASE_URL to a server where this user may create databases."
        )
    subprocess.run(["dropdb", *args, "--if-exists", name], env=env, check=True)
    subprocess.run(["createdb", *args, name], env=env, check=True)


def recreate_sqlite(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def measure(database: str, url: str, size: int, skip: tuple[str, ...] = ()) -> report.Run:
    env = environment(url)
    log(f"\n== {database}, N={size}: fresh database, migrations, demo data")
    if database == "postgresql":
        recreate_postgresql(url)
    else:
        recreate_sqlite(SQLITE_FILE)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo", quiet=True)  # prints passwords of a throwaway database
    started = time.perf_counter()
    manage(env, "seed_demo", "--large", str(size), quiet=True)
    seeded = time.perf_counter() - started
    log(f"seed_demo --large {size}: {seeded:.1f} s")
    out = WORK / f"{database}-{size}.json"
    skips = [arg for part in skip for arg in ("--skip", part)]
    manage(env, "benchmark", "--out", str(out), "--seed-seconds", f"{seeded:.2f}", *skips)
    run: report.Run = json.loads(out.read_text())
    return run


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m demo.bench.suite")
    parser.add_argument(
        "--database",
        action="append",
        choices=["postgresql", "sqlite"],
        help="Measure only this database (repeatable).",
    )
    parser.add_argument(
        "--size",
        action="append",
        type=int,
        help="Measure only this number of large sites (repeatable).",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["pdf", "import", "load"],
        help="Leave out a slow part of `benchmark` (repeatable).",
    )
    return parser.parse_args(argv)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    options = _arguments(argv)
    subset = bool(options.database or options.size or options.skip)
    started = time.perf_counter()
    WORK.mkdir(parents=True, exist_ok=True)
    pg_url = os.environ.get("BENCH_DATABASE_URL") or DEFAULT_PG_URL
    databases = [("postgresql", pg_url), ("sqlite", f"sqlite:///{SQLITE_FILE}")]
    databases = [d for d in databases if not options.database or d[0] in options.database]
    runs: list[report.Run] = []
    notes: list[str] = []
    pii = measure_pii()
    if shutil.which("wrk") is None:
        notes.append("**wrk is not installed** (apt-get install wrk): no throughput figures.")
        log("wrk is not installed: apt-get install wrk. Throughput will not be measured.")
    for database, url in databases:
        for size in options.size or SIZES:
            try:
                runs.append(measure(database, url, size, tuple(options.skip)))
            except Unavailable as exc:
                log(f"Skipping {database}: {exc}")
                runs.append({"database": database, "skipped": str(exc)})
                break
    total = time.perf_counter() - started
    if subset:
        # A partial run must not replace the full report: the figures stay in var/bench/.
        for run in runs:
            log(report.summary_line(run) if "skipped" not in run else str(run["skipped"]))
        log(f"\nA subset, in {total:.0f} s: docs/benchmarks.md left as it was.")
        return 0
    notes.append(f"The whole `make bench` took {total / 60:.1f} minutes.")
    report.write(
        runs,
        markdown=ROOT / "docs" / "benchmarks.md",
        json_path=ROOT / "docs" / "benchmarks.json",
        notes=notes,
        pii=pii,
    )
    log(f"\nWrote docs/benchmarks.md and docs/benchmarks.json in {total:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
