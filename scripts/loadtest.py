#!/usr/bin/env python3
"""Load test: gunicorn on a loopback port against a PostgreSQL database of its own, with
concurrent users going through the real pages, then a check that every write the app
confirmed is in the database with its audit entry.

    .venv/bin/python scripts/loadtest.py [--seconds 120] [--workers 6]
        [--database-url postgres://postgres@127.0.0.1:5432/hr_police_load]

The database is dropped and created again (its name must contain "load" or "fault", so
that no one's real database can be named by mistake), migrated and given the demo data
(`seed_demo --reset-passwords`, whose printed passwords the users sign in with).
gunicorn runs with debug off, as in production; only two-factor sign-in is off
(HR_POLICE_REQUIRE_2FA=false, the documented switch) and the API rate limit is raised,
so that the research downloads measure the app and not the limiter.

Users, each on a session of their own:
- managers log police interactions and check-ins through the HTML forms (GET the form,
  its CSRF token, POST, follow the redirect); each write carries a unique marker in its
  free-text field (the narrative, the check-in notes), which the PII guard accepts;
- researchers download the monthly research CSV and the research PDF;
- liaisons read the protocol in force and their upcoming check-ins.

Every response is recorded. The run fails (exit 1) on any 5xx, any unexpected status
or connection error, any confirmed write missing from the database, or any interaction
or check-in without its audit entry. The summary (requests per kind, status counts,
p50/p95 latencies) is printed and written to var/loadtest.json. Nothing leaves
127.0.0.1, and the run stops by itself after --seconds.

scripts/faulttest.py reuses this module to restart PostgreSQL in the middle of a run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import string
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlencode, urlsplit

from local_server import ROOT, ServerProcess, demo_passwords, free_port, manage

VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hr_police_load"
FRIENDLY_503 = "briefly unavailable"
MANAGED_SITES = ("harbourview", "riviere-claire")  # demo-manager's sites
RESEARCH_SITE = "harbourview"  # consents to research
LIAISON_SITE = "harbourview"  # demo-liaison's officer is assigned here
ROLES = ("manager", "researcher", "manager", "liaison")  # the mix, repeated
THINK_SECONDS = (0.02, 0.15)

if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
    # psycopg and gunicorn live in the project's virtualenv: run this script (or
    # faulttest.py, which imports this module) again with its Python.
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])

import psycopg  # noqa: E402  (after the re-exec into the virtualenv)

# --- recording ---------------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    method: str
    path: str
    status: int  # 0: no answer (connection refused, reset, timed out)
    started: float  # seconds since the run began
    elapsed: float
    expected: bool
    body: str = ""  # kept for 5xx answers and surprises only
    error: str = ""


class Recorder:
    def __init__(self) -> None:
        self.t0 = time.monotonic()
        self.samples: list[Sample] = []
        self.lock = threading.Lock()
        self.writes: dict[str, list[str]] = defaultdict(list)  # kind → confirmed markers
        self.attempts: dict[str, list[str]] = defaultdict(list)

    def now(self) -> float:
        return time.monotonic() - self.t0

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def confirmed(self, kind: str, marker: str) -> None:
        with self.lock:
            self.writes[kind].append(marker)

    def attempted(self, kind: str, marker: str) -> None:
        with self.lock:
            self.attempts[kind].append(marker)


# --- a small browser -----------------------------------------------------------------------


class FormParser(HTMLParser):
    """The fields of each POST form on a page, with the values a browser would send."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(),
                          "fields": {}}  # fmt: skip
            self.forms.append(self._form)
        if self._form is None:
            return
        fields = self._form["fields"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file", "image", "reset"):
                fields[name] = a.get("value", "")
        elif tag == "select" and name:
            self._select, self._select_first = name, None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
                fields[self._select] = value
            if "selected" in a:
                fields[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea and self._form is not None:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def main_form(html: str, path: str) -> dict[str, str]:
    """The page's own form (posting to itself), not the sign-out form in the menu."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if form["method"] == "post" and form["action"] in ("", path, "."):
            return dict(form["fields"])
    raise LookupError(f"no form posting to {path}")


class Browser:
    """One user's session: cookies kept by hand (the app marks them Secure, and this
    client speaks plain HTTP on the loopback), one connection per request."""

    def __init__(self, port: int, recorder: Recorder) -> None:
        self.port = port
        self.recorder = recorder
        self.cookies: dict[str, str] = {}

    def request(
        self,
        kind: str,
        method: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        expect: tuple[int, ...] = (200,),
    ) -> tuple[int, dict[str, str], str]:
        headers = {"Host": f"127.0.0.1:{self.port}", "User-Agent": "hr-police-loadtest"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = self.recorder.now()
        status, answer_headers, text, error = 0, {}, "", ""
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                raw = response.read()
                status = response.status
                answer_headers = {k.lower(): v for k, v in response.getheaders()}
                for header, value in response.getheaders():
                    if header.lower() == "set-cookie":
                        self._keep_cookie(value)
                content_type = answer_headers.get("content-type", "")
                if "html" in content_type or "json" in content_type or "text" in content_type:
                    text = raw.decode("utf-8", "replace")
                else:
                    text = f"<{len(raw)} bytes of {content_type}>"
            finally:
                connection.close()
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
        elapsed = self.recorder.now() - started
        expected = status in expect
        keep = status >= 500 or (not expected and status != 0)
        self.recorder.add(Sample(kind, method, path, status, round(started, 4), round(elapsed, 4),
                                 expected, text[:4000] if keep else "", error))  # fmt: skip
        return status, answer_headers, text

    def _keep_cookie(self, header: str) -> None:
        pair = header.split(";", 1)[0]
        name, _, value = pair.partition("=")
        name, value = name.strip(), value.strip().strip('"')
        if not value or "max-age=0" in header.lower():
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def get_form(self, kind: str, path: str) -> dict[str, str] | None:
        status, _, html = self.request(kind + " form", "GET", path)
        if status != 200:
            return None
        return main_form(html, path)

    def post_form(self, kind: str, path: str, fields: dict[str, str]) -> str | None:
        """POST; on the redirect that means success, follow it and return its target."""
        status, headers, _ = self.request(kind, "POST", path, form=fields, expect=(302,))
        if status != 302:
            return None
        target = urlsplit(headers.get("location", "/")).path or "/"
        self.request(kind + " redirect", "GET", target)
        return target

    def sign_in(self, username: str, password: str) -> bool:
        self.cookies.clear()
        fields = self.get_form("login", "/accounts/login/")
        if fields is None:
            return False
        fields.update(username=username, password=password)
        target = self.post_form("login", "/accounts/login/", fields)
        return target is not None and not target.startswith("/accounts/")


# --- users ---------------------------------------------------------------------------------


class User(threading.Thread):
    def __init__(self, number: int, role: str, run: LoadRun) -> None:
        super().__init__(name=f"{role}-{number}", daemon=True)
        self.number = number
        self.role = role
        self.run_ = run
        self.browser = Browser(run.port, run.recorder)
        self.rng = random.Random(number)
        self.sequence = 0
        self.signed_in = False

    def run(self) -> None:
        username = f"demo-{self.role}"
        while not self.run_.stopping.is_set():
            try:
                if not self.signed_in:
                    self.signed_in = self.browser.sign_in(username, self.run_.passwords[username])
                    if not self.signed_in:
                        self._pause(0.5)
                        continue
                getattr(self, f"act_{self.role}")()
            except Exception as exc:  # a bug in the client must show, not end the thread
                self.run_.recorder.add(
                    Sample(
                        "client",
                        "-",
                        "-",
                        0,
                        self.run_.recorder.now(),
                        0,
                        False,
                        error=f"{type(exc).__name__}: {exc}",
                    )
                )
                self._pause(0.5)
            self._pause(self.rng.uniform(*THINK_SECONDS))

    def _pause(self, seconds: float) -> None:
        self.run_.stopping.wait(seconds)

    def _marker(self) -> str:
        self.sequence += 1
        return f"loadtest-{self.run_.run_id}-u{self.number}-n{self.sequence}"

    def _after_redirect_to_login(self, status_path: str | None) -> None:
        if status_path is not None and status_path.startswith("/accounts/login"):
            self.signed_in = False

    # managers

    def act_manager(self) -> None:
        site = self.rng.choice(MANAGED_SITES)
        choice = self.rng.random()
        if choice < 0.45:
            self.log_interaction(site)
        elif choice < 0.8:
            self.add_checkin(site)
        else:
            self.browser.request("interaction list", "GET", f"/sites/{site}/interactions/")

    def log_interaction(self, site: str) -> None:
        path = f"/sites/{site}/interactions/new/"
        fields = self.browser.get_form("interaction", path)
        if fields is None:
            return
        marker = self._marker()
        when = datetime.now() - timedelta(
            days=self.rng.randint(2, 300), hours=self.rng.randint(0, 23)
        )
        fields.update(
            occurred_at=when.strftime("%Y-%m-%dT%H:00"),
            category=self.rng.choice(
                ["vehicle_in_buffer", "stationed_in_buffer", "dispersal_order"]
            ),
            distance_band=self.rng.choice(["entrance", "buffer", "beyond"]),
            officers_present=str(self.rng.randint(1, 4)),
            narrative=marker,
        )
        self.run_.recorder.attempted("interaction", marker)
        target = self.browser.post_form("interaction", path, fields)
        if target is not None and target.endswith("/interactions/"):
            self.run_.recorder.confirmed("interaction", marker)
        self._after_redirect_to_login(target)

    def add_checkin(self, site: str) -> None:
        path = f"/sites/{site}/checkins/new/"
        fields = self.browser.get_form("checkin", path)
        if fields is None:
            return
        marker = self._marker()
        when = datetime.now() - timedelta(days=self.rng.randint(2, 300))
        fields.update(
            schedule="",
            scheduled_start=when.strftime("%Y-%m-%dT18:30"),
            duration_minutes="60",
            format="meeting",
            status="held",
            notes=marker,
        )
        self.run_.recorder.attempted("checkin", marker)
        target = self.browser.post_form("checkin", path, fields)
        if target is not None and target.endswith("/checkins/"):
            self.run_.recorder.confirmed("checkin", marker)
        self._after_redirect_to_login(target)

    # researchers

    def act_researcher(self) -> None:
        if self.rng.random() < 0.6:
            self.browser.request("research csv", "GET", "/api/v1/exports/interactions.csv")
        else:
            self.browser.request(
                "research pdf", "GET", f"/sites/{RESEARCH_SITE}/report/research.pdf"
            )

    # liaisons

    def act_liaison(self) -> None:
        if self.rng.random() < 0.7:
            self.browser.request("liaison protocol", "GET", f"/sites/{LIAISON_SITE}/protocol/")
        else:
            self.browser.request("liaison upcoming", "GET", f"/sites/{LIAISON_SITE}/upcoming/")


# --- the server and its database ------------------------------------------------------------


def database_name(url: str) -> str:
    name = urlsplit(url).path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name) or not ("load" in name or "fault" in name):
        raise SystemExit(
            f"Refusing to recreate database {name!r}: its name must contain 'load' or 'fault'."
        )
    return name


def recreate_database(url: str) -> None:
    name = database_name(url)
    admin = urlsplit(url)._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def app_environment(database_url: str, log_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "HR_POLICE_"))}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",  # plain HTTP on the loopback
        HR_POLICE_REQUIRE_2FA="false",
        HR_POLICE_API_RATE_PER_MINUTE="1000000",
        HR_POLICE_TASK_BACKEND="immediate",  # no db_worker beside the throwaway server
        HR_POLICE_PRIVATE_FILES=str(log_dir / "private"),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DJANGO_LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def gunicorn(env: dict[str, str], port: int, workers: int, log: IO[str]) -> ServerProcess:
    command = [str(VENV_PYTHON), "-m", "gunicorn", "hr_police.wsgi:application",
               "--config", str(ROOT / "deploy" / "gunicorn.conf.py"),
               "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
               "--access-logfile", "-", "--error-logfile", "-"]  # fmt: skip
    return ServerProcess(command, env, port, log)


# --- the run ---------------------------------------------------------------------------------


@dataclass
class Options:
    seconds: float = 120
    workers: int = 6
    database_url: str = DEFAULT_DATABASE_URL
    app_workers: int = 2
    output: Path = ROOT / "var" / "loadtest.json"


@dataclass
class LoadRun:
    options: Options
    port: int = 0
    passwords: dict[str, str] = field(default_factory=dict)
    recorder: Recorder = field(default_factory=Recorder)
    stopping: threading.Event = field(default_factory=threading.Event)
    run_id: str = field(
        default_factory=lambda: "".join(random.choices(string.ascii_lowercase, k=6))
    )
    gunicorn_log: Path = ROOT / "var" / "loadtest" / "gunicorn.log"

    def prepare(self) -> dict[str, str]:
        log_dir = self.gunicorn_log.parent
        log_dir.mkdir(parents=True, exist_ok=True)
        env = app_environment(self.options.database_url, log_dir)
        say(f"Recreating the database {database_name(self.options.database_url)}, "
            "migrating, loading the demo data…")  # fmt: skip
        recreate_database(self.options.database_url)
        manage(env, "migrate", "--noinput", "-v0")
        self.passwords = demo_passwords(manage(env, "seed_demo", "--reset-passwords"))
        return env

    def execute(self, during: Callable[[LoadRun], None] | None = None) -> None:
        """Start gunicorn, run the users for the set time (calling `during` in its own
        thread once they run), stop everything."""
        env = self.prepare()
        self.port = free_port()
        log = self.gunicorn_log.open("w")
        server = gunicorn(env, self.port, self.options.app_workers, log)
        try:
            server.wait_ready()
            say(f"gunicorn ({self.options.app_workers} workers) on 127.0.0.1:{self.port}; "
                f"{self.options.workers} users for {self.options.seconds:.0f} s…")  # fmt: skip
            self.recorder = Recorder()
            users = [User(n, ROLES[n % len(ROLES)], self) for n in range(self.options.workers)]
            for user in users:
                user.start()
            helper = None
            if during is not None:
                helper = threading.Thread(target=during, args=(self,), daemon=True)
                helper.start()
            self.stopping.wait(self.options.seconds)
            self.stopping.set()
            for user in users:
                user.join(timeout=90)
            if helper is not None:
                helper.join(timeout=120)
        finally:
            server.stop()
            log.close()


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summarise(samples: list[Sample]) -> dict[str, Any]:
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for sample in samples:
        by_kind[sample.kind].append(sample)
    kinds = {}
    for kind, rows in sorted(by_kind.items()):
        times = [s.elapsed * 1000 for s in rows if s.status]
        kinds[kind] = {
            "requests": len(rows),
            "statuses": dict(sorted(Counter(str(s.status) for s in rows).items())),
            "p50_ms": round(percentile(times, 0.5), 1),
            "p95_ms": round(percentile(times, 0.95), 1),
            "max_ms": round(max(times, default=0), 1),
        }
    return {
        "requests": len(samples),
        "statuses": dict(sorted(Counter(str(s.status) for s in samples).items())),
        "kinds": kinds,
    }


def verify_writes(database_url: str, recorder: Recorder, run_id: str) -> dict[str, Any]:
    """Every confirmed write is stored once; no interaction or check-in of this run lacks
    its audit entry (which is written in the same transaction)."""
    tables = {"interaction": ("agreements_interaction", "narrative"),
              "checkin": ("liaisons_checkin", "notes")}  # fmt: skip
    result: dict[str, Any] = {}
    with psycopg.connect(database_url, connect_timeout=10) as connection:
        for kind, (table, column) in tables.items():
            confirmed = recorder.writes[kind]
            stored = dict(
                connection.execute(
                    f"SELECT {column}, count(*) FROM {table} WHERE {column} LIKE %s GROUP BY 1",
                    (f"loadtest-{run_id}-%",),
                ).fetchall()
            )
            missing = [m for m in confirmed if stored.get(m, 0) != 1]
            orphans = connection.execute(
                f"SELECT t.id FROM {table} t WHERE t.{column} LIKE %s AND NOT EXISTS ("
                "SELECT 1 FROM agreements_auditentry a WHERE a.action = 'create' "
                "AND a.object_type = %s AND a.object_id = t.id::text)",
                (f"loadtest-{run_id}-%", kind),
            ).fetchall()
            dangling = connection.execute(
                f"SELECT a.id FROM agreements_auditentry a WHERE a.object_type = %s "
                f"AND a.action = 'create' AND a.object_id <> '' AND NOT EXISTS ("
                f"SELECT 1 FROM {table} t WHERE t.id::text = a.object_id)",
                (kind,),
            ).fetchall()
            result[kind] = {
                "attempted": len(recorder.attempts[kind]),
                "confirmed": len(confirmed),
                "verified": len(confirmed) - len(missing),
                "missing": missing[:20],
                "stored_without_confirmation": len(set(stored) - set(confirmed)),
                "without_audit_entry": [row[0] for row in orphans][:20],
                "audit_entries_without_record": [row[0] for row in dangling][:20],
            }
    return result


def judge(run: LoadRun, windows: list[tuple[float, float]] | None = None) -> dict[str, Any]:
    """The summary and its verdict. Requests overlapping a fault window may be answered
    503 (and only with the friendly page); everything else must succeed."""
    windows = windows or []
    samples = run.recorder.samples
    failures: list[str] = []

    def in_window(s: Sample) -> bool:
        return any(s.started <= end and s.started + s.elapsed >= start for start, end in windows)

    outside = [s for s in samples if not in_window(s)]
    inside = [s for s in samples if in_window(s)]
    bad_outside = [s for s in outside if s.status >= 500 or not s.expected]
    bad_inside = [s for s in inside if s.status >= 500 and s.status != 503]
    unfriendly = [s for s in samples if s.status == 503 and not friendly(s)]
    if bad_outside:
        failures.append(f"{len(bad_outside)} unexpected answers outside fault windows")
    if bad_inside:
        failures.append(f"{len(bad_inside)} 5xx other than 503 during the fault")
    if unfriendly:
        failures.append(f"{len(unfriendly)} 503 answers without the friendly page")
    writes = verify_writes(run.options.database_url, run.recorder, run.run_id)
    for kind, figures in writes.items():
        if figures["missing"]:
            failures.append(f"{kind}: {len(figures['missing'])} confirmed writes not stored")
        if figures["without_audit_entry"]:
            failures.append(f"{kind}: rows without their audit entry")
        if figures["audit_entries_without_record"]:
            failures.append(f"{kind}: audit entries without their row")
        if figures["confirmed"] == 0:
            failures.append(f"{kind}: no write succeeded at all")
    tracebacks = run.gunicorn_log.read_text(errors="replace").count("Traceback")
    if tracebacks:
        failures.append(f"{tracebacks} tracebacks in {run.gunicorn_log}")
    summary = summarise(samples)
    return {
        "run": run.run_id,
        "finished_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "seconds": run.options.seconds,
        "users": run.options.workers,
        "app_workers": run.options.app_workers,
        **summary,
        "five_xx": sum(1 for s in samples if s.status >= 500),
        "five_xx_outside_fault": sum(1 for s in outside if s.status >= 500),
        "no_answer": sum(1 for s in samples if s.status == 0),
        "writes": writes,
        "tracebacks_in_server_log": tracebacks,
        "surprises": [asdict(s) for s in (bad_outside + bad_inside + unfriendly)[:10]],
        "failures": failures,
        "passed": not failures,
    }


def friendly(sample: Sample) -> bool:
    if sample.path.startswith("/api/"):
        try:
            return "detail" in json.loads(sample.body)
        except ValueError:
            return False
    return FRIENDLY_503 in sample.body and "Traceback" not in sample.body


def print_summary(report: dict[str, Any]) -> None:
    say(
        f"{report['requests']} requests, statuses {report['statuses']}, "
        f"5xx: {report['five_xx']} ({report['five_xx_outside_fault']} outside fault windows)"
    )
    say(f"{'kind':<26}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}  statuses")
    for kind, row in report["kinds"].items():
        say(
            f"{kind:<26}{row['requests']:>9}{row['p50_ms']:>9}{row['p95_ms']:>9}  {row['statuses']}"
        )
    for kind, figures in report["writes"].items():
        say(f"{kind} writes: {figures['confirmed']} confirmed, {figures['verified']} verified in "
            f"the database, {figures['stored_without_confirmation']} stored without a "
            f"confirmation, {len(figures['without_audit_entry'])} without audit entry")  # fmt: skip
    for failure in report["failures"]:
        say(f"FAILED: {failure}")
    say("PASSED" if report["passed"] else "FAILED")


def write_report(report: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1) + "\n")
    say(f"Summary written to {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


def say(text: str) -> None:
    print(text, flush=True)


def parse_options(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120, help="How long users run (120).")
    parser.add_argument("--workers", type=int, default=6, help="Concurrent users (6).")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL,
                        help=f"Recreated for the run ({DEFAULT_DATABASE_URL}).")  # fmt: skip
    parser.add_argument("--app-workers", type=int, default=2, help="gunicorn workers (2).")
    parser.add_argument("--output", type=Path, default=ROOT / "var" / "loadtest.json")
    args = parser.parse_args(argv)
    if not 1 <= args.seconds <= 3600 or not 1 <= args.workers <= 64:
        parser.error("--seconds must be 1–3600 and --workers 1–64")
    return Options(args.seconds, args.workers, args.database_url, args.app_workers, args.output)


def main() -> int:
    options = parse_options()
    run = LoadRun(options)
    run.execute()
    report = judge(run)
    print_summary(report)
    write_report(report, options.output)
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
