#!/usr/bin/env python3
"""Fault test: the load test (scripts/loadtest.py) with PostgreSQL restarted in the
middle, on a throwaway PostgreSQL cluster of its own (never the shared server).

    .venv/bin/python scripts/faulttest.py [--seconds 60] [--workers 6] [--restart-at 20]
        [--outage 5] [--port 5499] [--stop-mode fast|immediate]

It creates a cluster with initdb in a temporary folder (as the postgres user when run as
root, since initdb refuses root), starts it on 127.0.0.1:PORT, runs the load test against
a database there, and at --restart-at seconds stops the server (pg_ctl stop -m fast),
waits --outage seconds and starts it again. gunicorn is not touched. It then checks:

- during the outage, answers are the friendly 503 page (JSON under /api/), never a 500,
  a trace or a dropped connection;
- afterwards the app has recovered by itself: requests succeed again and nothing is 5xx;
- no partial write: every write the app confirmed is stored, and no interaction or
  check-in is stored without its audit entry, nor an audit entry without its row.

The summary goes to var/faulttest.json; exit 1 on any failure. The cluster is stopped
and deleted at the end, whatever happened.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import loadtest  # re-executes into the virtualenv when needed
from loadtest import ROOT, LoadRun, Options, say

GRACE_SECONDS = 3.0  # after the server is back, for requests already under way


class Cluster:
    """A PostgreSQL cluster of our own in a temporary folder, trust auth on loopback."""

    def __init__(self, port: int, bin_dir: Path) -> None:
        self.port = port
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="hr_police_pgfault_"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.root, user="postgres", group="postgres")

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        full = [str(self.bin / command[0]), *command[1:]]
        if self.as_postgres:
            full = ["runuser", "-u", "postgres", "--", *full]
        done = subprocess.run(full, capture_output=True, text=True, timeout=120, check=False)
        if check and done.returncode != 0:
            raise SystemExit(f"{' '.join(full)} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def create(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", "start", "-D", str(self.data), "-l", str(self.log), "-w",
                  "-t", "60", "-o", options)  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "stop", "-D", str(self.data), "-m", mode, "-w", "-t", "60")

    def destroy(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/hr_police_fault"


def postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version)
    if not found:
        raise SystemExit("No initdb under /usr/lib/postgresql/*/bin: install PostgreSQL.")
    return Path(found[-1]).parent


def _version(path: str) -> float:
    try:
        return float(Path(path).parts[-3])
    except ValueError:
        return 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="Length of the run (60).")
    parser.add_argument("--workers", type=int, default=6, help="Concurrent users (6).")
    parser.add_argument(
        "--restart-at",
        type=float,
        default=None,
        help="Seconds into the run to stop PostgreSQL (a third of the run).",
    )
    parser.add_argument("--outage", type=float, default=5, help="Seconds PostgreSQL is down (5).")
    parser.add_argument("--port", type=int, default=5499, help="Port of the own cluster (5499).")
    parser.add_argument("--stop-mode", choices=["fast", "immediate"], default="fast")
    parser.add_argument("--output", type=Path, default=ROOT / "var" / "faulttest.json")
    args = parser.parse_args()
    restart_at = args.restart_at if args.restart_at is not None else args.seconds / 3
    if not 0 < restart_at < args.seconds - args.outage - 10:
        parser.error("--restart-at must leave the outage and 10 s of recovery inside --seconds")

    cluster = Cluster(args.port, postgres_bin())
    events: dict[str, float] = {}
    try:
        say(f"Creating a throwaway PostgreSQL cluster in {cluster.root} on port {args.port}…")
        cluster.create()
        cluster.start()
        run = LoadRun(Options(args.seconds, args.workers, cluster.url, 2, args.output),
                      gunicorn_log=ROOT / "var" / "faulttest" / "gunicorn.log")  # fmt: skip

        def restart_postgres(run: LoadRun) -> None:
            if run.stopping.wait(restart_at):
                return
            events["stop_begins"] = run.recorder.now()
            say(f"{events['stop_begins']:.1f} s: stopping PostgreSQL (-m {args.stop_mode})")
            cluster.stop(args.stop_mode)
            events["stopped"] = run.recorder.now()
            time.sleep(args.outage)
            say(f"{run.recorder.now():.1f} s: starting PostgreSQL again")
            cluster.start()
            events["started"] = run.recorder.now()
            say(f"{events['started']:.1f} s: PostgreSQL accepts connections")

        run.execute(during=restart_postgres)
        if "started" not in events:
            raise SystemExit("PostgreSQL was never restarted: the run was too short.")
        window = (events["stop_begins"], events["started"] + GRACE_SECONDS)
        report = loadtest.judge(run, [window])
        report["fault"], failures = fault_checks(run, window, events, args)
        report["failures"] += failures
        report["passed"] = not report["failures"]
    finally:
        cluster.destroy()
    loadtest.print_summary(report)
    say(f"Outage: {report['fault']['outage_answers']} answers during the fault "
        f"({report['fault']['friendly_503']} friendly 503); "
        f"{report['fault']['succeeded_after']} requests succeeded after it")  # fmt: skip
    loadtest.write_report(report, args.output)
    return 0 if report["passed"] else 1


def fault_checks(
    run: LoadRun, window: tuple[float, float], events: dict[str, float], args: Any
) -> tuple[dict[str, Any], list[str]]:
    start, end = window
    samples = run.recorder.samples
    during = [s for s in samples if s.started <= end and s.started + s.elapsed >= start]
    after = [s for s in samples if s.started > end]
    friendly = [s for s in during if s.status == 503 and loadtest.friendly(s)]
    failures = []
    if not friendly:
        failures.append("no request met the outage: nothing was tested")
    succeeded_after = [s for s in after if s.expected and s.status < 400]
    if len(succeeded_after) < 10:
        failures.append(f"only {len(succeeded_after)} requests succeeded after the outage")
    kinds_after = {s.kind for s in succeeded_after}
    for kind in ("interaction", "checkin"):
        if kind not in kinds_after:
            failures.append(f"no {kind} was saved after the outage: the app did not recover")
    log = run.gunicorn_log.read_text(errors="replace")
    # Workers recycled after `max_requests` (deploy/gunicorn.conf.py) boot again by design;
    # any other boot beyond the first ones means a worker died.
    recycled = log.count("Autorestarting worker after current request.")
    if "WORKER TIMEOUT" in log or log.count("Booting worker") > run.options.app_workers + recycled:
        failures.append("a gunicorn worker died or was replaced during the run")
    fault = {
        "stop_mode": args.stop_mode,
        "outage_seconds": args.outage,
        "stop_began_at": round(events["stop_begins"], 2),
        "started_again_at": round(events["started"], 2),
        "window": [round(start, 2), round(end, 2)],
        "outage_answers": len(during),
        "outage_statuses": dict(sorted(Counter(str(s.status) for s in during).items())),
        "friendly_503": len(friendly),
        "succeeded_after": len(succeeded_after),
        "first_success_after_restart_s": round(
            min((s.started + s.elapsed for s in succeeded_after), default=0) - events["started"], 2
        ),
    }
    return fault, failures


if __name__ == "__main__":
    sys.exit(main())
