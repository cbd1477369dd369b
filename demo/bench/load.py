"""Throughput under gunicorn (2 workers) with wrk: the dashboard beside /healthz.

Both URLs are served by the same gunicorn in the same run, so the ratio says how much of
the server's capacity the dashboard itself costs, whatever else the machine is doing.
Everything stays on the loopback interface and each wrk run is bounded in time.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from django.conf import settings

WORKERS = 2
CONNECTIONS = 4
SECONDS = 10
WRK_MISSING = "wrk is not installed: apt-get install wrk"
GUNICORN_MISSING = "gunicorn is not installed in this environment (it is in requirements.lock)"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def parse_wrk(output: str) -> dict[str, Any]:
    """Requests per second and failed answers from wrk's report."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if rate is None:
        raise ValueError(f"No 'Requests/sec' in wrk's output:\n{output}")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(r"Socket errors:.*", output)
    latency = re.search(r"Latency\s+(\S+)", output)
    return {
        "requests_per_second": float(rate.group(1)),
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(0) if errors else "",
        "mean_latency": latency.group(1) if latency else "",
    }


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        # Plain HTTP on the loopback stands for the proxy's side of a TLS connection.
        HR_POLICE_BEHIND_TLS_PROXY="true",
    )
    return env


def _wait_until_up(base: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with code {process.returncode}.")
        try:
            request = urllib.request.Request(f"{base}/healthz", headers=_HEADERS)
            with urllib.request.urlopen(request, timeout=2) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz within 30 s.")


_HEADERS = {"X-Forwarded-Proto": "https"}


def _check(base: str, path: str, cookie: str) -> None:
    request = urllib.request.Request(f"{base}{path}", headers={**_HEADERS, "Cookie": cookie})
    # A redirect to the sign-in page would measure the wrong thing: refuse it.
    opener = urllib.request.build_opener(_NoRedirect)
    with opener.open(request, timeout=60) as answer:
        if answer.status != 200:
            raise RuntimeError(f"{path} answered {answer.status} under gunicorn, not 200.")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _wrk(url: str, headers: list[str], seconds: int) -> dict[str, Any]:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "30s", url]
    for header in headers:
        command[1:1] = ["-H", header]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stderr.strip() or done.stdout.strip()}")
    return parse_wrk(done.stdout)


def measure_throughput(session: str, *, seconds: int = SECONDS) -> dict[str, Any]:
    """Requests per second of /dashboard/ (signed in) and /healthz under one gunicorn."""
    if shutil.which("wrk") is None:
        return {"skipped": WRK_MISSING}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    if not gunicorn.exists():
        return {"skipped": GUNICORN_MISSING}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
    log = Path(settings.BASE_DIR) / "var" / "bench" / "gunicorn.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a") as log_file:
        return _run(gunicorn, port, base, cookie, seconds, log_file)


def _run(
    gunicorn: Path, port: int, base: str, cookie: str, seconds: int, log: Any
) -> dict[str, Any]:
    process = subprocess.Popen(
        [str(gunicorn), "hr_police.wsgi:application", "--workers", str(WORKERS),
         "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"],
        cwd=settings.BASE_DIR, env=_environment(), stdout=log, stderr=log,
    )  # fmt: skip
    try:
        _wait_until_up(base, process)
        _check(base, "/dashboard/", cookie)
        proto = "X-Forwarded-Proto: https"
        trivial = _wrk(f"{base}/healthz", [proto], seconds)
        dashboard = _wrk(f"{base}/dashboard/", [proto, f"Cookie: {cookie}"], seconds)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    ratio = dashboard["requests_per_second"] / trivial["requests_per_second"]
    return {
        "workers": WORKERS,
        "connections": CONNECTIONS,
        "seconds": seconds,
        "healthz": trivial,
        "dashboard": dashboard,
        "ratio": round(ratio, 4),
    }
