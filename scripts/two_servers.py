#!/usr/bin/env python3
"""Several app servers: two gunicorn servers on one PostgreSQL and one Redis, behind nginx,
with one `db_worker` beside them, all on the loopback, as docs/operations.md describes.

    .venv/bin/python scripts/two_servers.py [--seconds-limit 300]
        [--database-url postgres://postgres@127.0.0.1:5432/hr_police_load_two]
        [--redis-url redis://127.0.0.1:6379/0]

It shows, and fails (exit 1) unless:
- a session signed in on one server works on the other;
- the API rate limit is shared: through the proxy's round robin, exactly the limit of
  requests in one minute are answered, the rest are 429, and both servers answered;
- a signed protocol PDF uploaded through one server downloads through the other with the
  same bytes (and is not written to either server's local folder);
- a network report requested on one server is made by the worker and downloads through
  the other, with the bytes that are in the database.

The proxy (Debian's nginx) sends a request to server "a" or "b" when it carries
`X-HR-Police-Server: a|b`, and round-robins otherwise; this header exists only in this
check's nginx configuration, so that "through one, then the other" is certain. Every
answer says which server made it (`X-Upstream`).

The database is dropped and created again (its name must contain "load"); the Redis
keys carry a prefix of their own for the run, so nothing else in that Redis is touched.
The figures go to var/two_servers.json. Nothing leaves 127.0.0.1, and the whole run is
stopped after --seconds-limit.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from loadtest import (
    VENV_PYTHON,
    app_environment,
    database_name,
    gunicorn,
    main_form,
    recreate_database,
    say,
)
from local_server import ROOT, ServerProcess, demo_passwords, free_port, manage

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/hr_police_load_two"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
RATE_PER_MINUTE = 20
RATE_EXTRA = 10  # requests past the limit in the same minute
MANAGED_SITE = "harbourview"  # demo-manager's
PDF_BYTES = 3 * 1024 * 1024  # above FILE_UPLOAD_MAX_MEMORY_SIZE: the upload goes to disk
OUTPUT = ROOT / "var" / "two_servers.json"
LOGS = ROOT / "var" / "two_servers"

NGINX_CONF = """\
worker_processes 1;
{user}
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 256; }}
http {{
    log_format upstream '$status $request_method $uri $upstream_addr $request_time';
    access_log {work}/access.log upstream;
    client_body_temp_path {work}/tmp/body;
    proxy_temp_path {work}/tmp/proxy;
    fastcgi_temp_path {work}/tmp/fastcgi;
    uwsgi_temp_path {work}/tmp/uwsgi;
    scgi_temp_path {work}/tmp/scgi;
    server_tokens off;
    # Signed protocol PDFs are at most 10 MB (as in deploy/nginx.conf).
    client_max_body_size 12m;

    upstream hr_police {{
        server 127.0.0.1:{port_a} fail_timeout=0;
        server 127.0.0.1:{port_b} fail_timeout=0;
    }}
    # This check only: a request may name the server it is for.
    upstream server_a {{ server 127.0.0.1:{port_a}; }}
    upstream server_b {{ server 127.0.0.1:{port_b}; }}
    map $http_x_hr_police_server $app {{
        default hr_police;
        a server_a;
        b server_b;
    }}

    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://$app;
            proxy_set_header Host $host;
            proxy_set_header X-Real-IP $remote_addr;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_redirect off;
            proxy_read_timeout 75s;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


# --- a browser through the proxy -------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    upstream: str  # "a", "b" or the address nginx reports
    seconds: float

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class Browser:
    """One user's cookies, kept by hand (the app marks them Secure; this is plain HTTP on
    the loopback), and requests through the proxy, to a named server or to either."""

    def __init__(self, proxy_port: int, servers: dict[str, int]) -> None:
        self.port = proxy_port
        self.names = {f"127.0.0.1:{port}": name for name, port in servers.items()}
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        *,
        server: str | None = None,
        form: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> Answer:
        headers = {"Host": "127.0.0.1", "User-Agent": "hr-police-two-servers"}
        if server:
            headers["X-HR-Police-Server"] = server
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if files:
            body, headers["Content-Type"] = multipart(form or {}, files)
        elif form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            raw = response.read()
        finally:
            connection.close()
        answer_headers = {k.lower(): v for k, v in response.getheaders()}
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                self._keep_cookie(value)
        upstream = answer_headers.get("x-upstream", "")
        return Answer(
            response.status,
            answer_headers,
            raw,
            self.names.get(upstream, upstream),
            time.monotonic() - started,
        )

    def _keep_cookie(self, header: str) -> None:
        name, _, value = header.split(";", 1)[0].partition("=")
        name, value = name.strip(), value.strip().strip('"')
        if not value or "max-age=0" in header.lower():
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def form(self, path: str, server: str) -> dict[str, str]:
        page = self.request("GET", path, server=server)
        expect(page.status == 200, f"GET {path} on {server}: {page.status}")
        return main_form(page.text, path)

    def sign_in(self, username: str, password: str, server: str | None) -> Answer:
        fields = self.form("/accounts/login/", server or "a")
        fields.update(username=username, password=password)
        answer = self.request("POST", "/accounts/login/", server=server, form=fields)
        target = urlsplit(answer.headers.get("location", "")).path
        expect(
            answer.status == 302 and not target.startswith("/accounts/"),
            f"{username} could not sign in ({answer.status} to {target!r})",
        )
        return answer


def multipart(
    fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]
) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, content, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class CheckFailed(Exception):
    pass


def expect(condition: bool, failure: str) -> None:
    if not condition:
        raise CheckFailed(failure)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- the topology ------------------------------------------------------------------------------


@dataclass
class Topology:
    database_url: str
    redis_url: str
    work: Path  # nginx's prefix and the servers' (unused) private folders
    ports: dict[str, int] = field(default_factory=dict)
    proxy_port: int = 0
    passwords: dict[str, str] = field(default_factory=dict)
    shared_env: dict[str, str] = field(default_factory=dict)

    def private_folder(self, server: str) -> Path:
        return self.work / f"private-{server}"


def server_environment(topology: Topology, server: str) -> dict[str, str]:
    """What every server shares (the secret key, the database, Redis and its key prefix),
    and the one thing each has of its own: the folder files went to before."""
    env = dict(topology.shared_env)
    env["HR_POLICE_PRIVATE_FILES"] = str(topology.private_folder(server))
    return env


def shared_environment(topology: Topology) -> dict[str, str]:
    env = app_environment(topology.database_url, topology.work)  # a fresh secret key
    env.update(
        HR_POLICE_CACHE_URL=topology.redis_url,
        HR_POLICE_CACHE_KEY_PREFIX=f"two-servers-{secrets.token_hex(4)}",
        HR_POLICE_API_RATE_PER_MINUTE=str(RATE_PER_MINUTE),
        HR_POLICE_TASK_BACKEND="database",  # as in production: db_worker makes reports
        HR_POLICE_CLIENT_IP_HEADER="HTTP_X_REAL_IP",  # as deploy/nginx.conf documents
    )
    return env


def nginx_config(topology: Topology) -> Path:
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (topology.work / "tmp" / name).mkdir(parents=True, exist_ok=True)
    user = ""
    if os.geteuid() == 0:
        # nginx's workers drop to nobody; they write uploads to its temporary folders.
        nobody = pwd.getpwnam("nobody")
        user = f"user nobody {'nogroup' if _group_exists('nogroup') else 'nobody'};"
        for folder in (topology.work / "tmp").rglob("*"):
            os.chown(folder, nobody.pw_uid, nobody.pw_gid)
    conf = topology.work / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            user=user,
            work=topology.work,
            port=topology.proxy_port,
            port_a=topology.ports["a"],
            port_b=topology.ports["b"],
        )
    )
    return conf


def _group_exists(name: str) -> bool:
    import grp

    try:
        grp.getgrnam(name)
    except KeyError:
        return False
    return True


@contextmanager
def running(topology: Topology) -> Iterator[dict[str, Path]]:
    """Both gunicorn servers, the worker and nginx, stopped whatever happens."""
    LOGS.mkdir(parents=True, exist_ok=True)
    logs = {name: LOGS / f"{name}.log" for name in ("a", "b", "worker")}
    with ExitStack() as stack:
        processes: list[ServerProcess] = []
        stack.callback(lambda: [p.stop() for p in reversed(processes)])
        for name in ("a", "b"):
            log = stack.enter_context(logs[name].open("w"))
            env = server_environment(topology, name)
            processes.append(gunicorn(env, topology.ports[name], 2, log))
        worker_log = stack.enter_context(logs["worker"].open("w"))
        worker = [
            str(VENV_PYTHON),
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.5",
        ]
        processes.append(
            ServerProcess(worker, server_environment(topology, "worker"), 0, worker_log)
        )
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        conf = nginx_config(topology)
        processes.append(
            ServerProcess(
                [nginx, "-p", str(topology.work), "-c", str(conf), "-g", "daemon off;"],
                {},
                topology.proxy_port,
            )
        )
        for process in processes:
            if process.port:
                process.wait_ready()
        yield logs


# --- the checks --------------------------------------------------------------------------------


def check_session(topology: Topology) -> dict[str, Any]:
    browser = Browser(topology.proxy_port, topology.ports)
    signed_in = browser.sign_in("demo-manager", topology.passwords["demo-manager"], "a")
    expect(signed_in.upstream == "a", f"the sign-in was answered by {signed_in.upstream}")
    page = browser.request("GET", f"/sites/{MANAGED_SITE}/", server="b")
    expect(page.upstream == "b", f"the page was answered by {page.upstream}")
    expect(page.status == 200, f"the session from a is not signed in on b ({page.status})")
    expect("demo-manager" in page.text, "b's page does not name the signed-in user")
    return {
        "signed_in_on": "a",
        "page_on": page.upstream,
        "status": page.status,
        "sign_in_seconds": round(signed_in.seconds, 3),
    }


def check_rate_limit(topology: Topology) -> dict[str, Any]:
    browser = Browser(topology.proxy_port, topology.ports)
    browser.sign_in("demo-researcher", topology.passwords["demo-researcher"], None)
    # The limit counts per clock minute: start with enough of the minute left.
    left = 60 - time.time() % 60
    if left < 20:
        time.sleep(left + 0.5)
    started = time.monotonic()
    answers = [browser.request("GET", "/api/v1/sites") for _ in range(RATE_PER_MINUTE + RATE_EXTRA)]
    took = time.monotonic() - started
    statuses = Counter(a.status for a in answers)
    by_server = Counter(f"{a.upstream} {a.status}" for a in answers)
    expect(
        statuses == Counter({200: RATE_PER_MINUTE, 429: RATE_EXTRA}),
        f"expected {RATE_PER_MINUTE} answers then {RATE_EXTRA} refusals, got {dict(statuses)}",
    )
    expect(
        {a.upstream for a in answers if a.status == 200} == {"a", "b"},
        f"the allowed requests were not answered by both servers: {dict(by_server)}",
    )
    expect(
        {a.upstream for a in answers if a.status == 429} == {"a", "b"},
        f"the refusals did not come from both servers: {dict(by_server)}",
    )
    return {
        "limit_per_minute": RATE_PER_MINUTE,
        "requests": len(answers),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "by_server": dict(sorted(by_server.items())),
        "seconds": round(took, 3),
    }


def check_document(topology: Topology) -> dict[str, Any]:
    browser = Browser(topology.proxy_port, topology.ports)
    browser.sign_in("demo-manager", topology.passwords["demo-manager"], "a")
    create = f"/sites/{MANAGED_SITE}/protocols/new/"
    fields = browser.form(create, "a")
    fields.update(status="draft", signatories="")
    pdf = b"%PDF-1.7\n%" + secrets.token_bytes(PDF_BYTES) + b"\n%%EOF\n"
    upload = browser.request(
        "POST",
        create,
        server="a",
        form=fields,
        files={"document": ("agreement.pdf", pdf, "application/pdf")},
    )
    expect(upload.upstream == "a", f"the upload was answered by {upload.upstream}")
    location = upload.headers.get("location", "")
    found = re.search(r"/protocols/(\d+)/", location)
    expect(
        upload.status == 302 and found is not None,
        f"the upload was not accepted ({upload.status}): {upload.text[:600]}",
    )
    assert found is not None
    download = browser.request(
        "GET", f"/sites/{MANAGED_SITE}/protocols/{found[1]}/document/", server="b"
    )
    expect(download.upstream == "b", f"the download was answered by {download.upstream}")
    expect(download.status == 200, f"the document did not download on b ({download.status})")
    expect(download.body == pdf, f"b sent other bytes ({len(download.body)} for {len(pdf)})")
    return {
        "bytes": len(pdf),
        "sha256": sha256(pdf),
        "uploaded_on": "a",
        "downloaded_on": "b",
        "upload_seconds": round(upload.seconds, 3),
        "download_seconds": round(download.seconds, 3),
    }


def check_report(topology: Topology, seconds: float = 180) -> dict[str, Any]:
    browser = Browser(topology.proxy_port, topology.ports)
    browser.sign_in("demo-admin", topology.passwords["demo-admin"], "a")
    fields = browser.form("/reports/network/", "a")
    started = time.monotonic()
    requested = browser.request("POST", "/reports/network/", server="a", form=fields)
    found = re.search(r"/reports/(\d+)/", requested.headers.get("location", ""))
    expect(
        requested.status == 302 and requested.upstream == "a" and found is not None,
        f"the report was not requested on a ({requested.status}, {requested.upstream})",
    )
    assert found is not None
    job = found[1]
    polls = 0
    while True:
        page = browser.request("GET", f"/reports/{job}/", server="b")
        polls += 1
        expect(page.status == 200 and page.upstream == "b", f"b's report page: {page.status}")
        if 'name="hr-police-poll"' not in page.text:
            break
        expect(time.monotonic() - started < seconds, f"the report was not made in {seconds} s")
        time.sleep(0.5)
    ready = time.monotonic() - started
    download = browser.request("GET", f"/reports/{job}/download/", server="b")
    expect(
        download.status == 200 and download.upstream == "b",
        f"the report did not download on b ({download.status})",
    )
    expect(download.body.startswith(b"%PDF-"), "b's download is not a PDF")
    again = browser.request("GET", f"/reports/{job}/download/", server="a")
    expect(again.body == download.body, "a and b sent different bytes for the report")
    import psycopg  # in the virtualenv that importing loadtest re-executed into

    with psycopg.connect(topology.database_url, connect_timeout=10) as connection:
        row = connection.execute(
            "SELECT f.content FROM privatefiles_storedfile f JOIN agreements_reportjob j "
            "ON f.name = j.file WHERE j.id = %s",
            (int(job),),
        ).fetchone()
    expect(
        row is not None and bytes(row[0]) == download.body,
        "the report's bytes in the database differ from the download",
    )
    return {
        "requested_on": "a",
        "polled_on": "b",
        "downloaded_on": "b",
        "seconds_to_ready": round(ready, 2),
        "polls": polls,
        "bytes": len(download.body),
        "sha256": sha256(download.body),
        "download_seconds": round(download.seconds, 3),
    }


CHECKS = {
    "session": check_session,
    "rate_limit": check_rate_limit,
    "document": check_document,
    "report": check_report,
}


def after_the_run(topology: Topology, logs: dict[str, Path]) -> list[str]:
    failures = []
    for server in ("a", "b", "worker"):
        left = [p for p in topology.private_folder(server).rglob("*") if p.is_file()]
        if left:
            failures.append(f"server {server} wrote to its local folder: {left[:3]}")
    for path in logs.values():
        if "Traceback" in path.read_text(errors="replace"):
            failures.append(f"a traceback in {path.relative_to(ROOT)}")
    access = (topology.work / "access.log").read_text(errors="replace").splitlines()
    errors = [line for line in access if line.startswith("5")]
    if errors:
        failures.append(f"{len(errors)} 5xx answers through the proxy: {errors[:3]}")
    shutil.copy(topology.work / "access.log", LOGS / "nginx-access.log")
    shutil.copy(topology.work / "error.log", LOGS / "nginx-error.log")
    return failures


# --- the run -----------------------------------------------------------------------------------


def run(database_url: str, redis_url: str) -> dict[str, Any]:
    report: dict[str, Any] = {"checks": {}, "failures": []}
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="hr-police-two-servers-"))
    work.chmod(0o755)  # nginx's workers (nobody) reach their temporary folders through it
    try:
        topology = Topology(database_url, redis_url, work)
        topology.ports = {"a": free_port(), "b": free_port()}
        topology.proxy_port = free_port()
        topology.shared_env = shared_environment(topology)
        env = server_environment(topology, "setup")
        say(f"Recreating {database_name(database_url)}, migrating, loading the demo data…")
        recreate_database(database_url)
        manage(env, "migrate", "--noinput", "-v0")
        topology.passwords = demo_passwords(manage(env, "seed_demo", "--reset-passwords"))
        report["setup_seconds"] = round(time.monotonic() - started, 1)
        with running(topology) as logs:
            say(
                f"nginx on 127.0.0.1:{topology.proxy_port} over gunicorn a "
                f"(:{topology.ports['a']}) and b (:{topology.ports['b']}), 2 workers each; "
                f"one db_worker; PostgreSQL {database_name(database_url)}; Redis {redis_url}"
            )
            report["ready_seconds"] = round(time.monotonic() - started, 1)
            for name, check in CHECKS.items():
                try:
                    report["checks"][name] = check(topology)
                    say(f"  {name}: passed {json.dumps(report['checks'][name])}")
                except (CheckFailed, LookupError, OSError, http.client.HTTPException) as exc:
                    report["checks"][name] = {"failed": str(exc)}
                    report["failures"].append(f"{name}: {exc}")
                    say(f"  {name}: FAILED {exc}")
        report["failures"] += after_the_run(topology, logs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report["seconds"] = round(time.monotonic() - started, 1)
    report["passed"] = not report["failures"]
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    parser.add_argument(
        "--seconds-limit",
        type=int,
        default=300,
        help="The whole run stops after this many seconds (300).",
    )
    args = parser.parse_args()
    for url in (args.database_url, args.redis_url):
        if urlsplit(url).hostname not in ("127.0.0.1", "localhost", "::1"):
            parser.error(f"loopback only: {url}")
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        say("nginx is not installed (apt-get install nginx): failing.")
        return 1

    def out_of_time(signum: int, frame: Any) -> None:
        raise SystemExit(f"two_servers: stopped after {args.seconds_limit} s")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(args.seconds_limit)
    report = run(args.database_url, args.redis_url)
    signal.alarm(0)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(report, indent=1) + "\n")
    for failure in report["failures"]:
        say(f"FAILED: {failure}")
    say(
        f"{'PASSED' if report['passed'] else 'FAILED'} in {report['seconds']} s; "
        f"figures in {OUTPUT.relative_to(ROOT)}"
    )
    return 0 if report["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
