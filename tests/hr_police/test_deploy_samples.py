"""The sample proxy configuration of the documented deployment (deploy/nginx.conf), run
with the distribution's nginx in front of a stand-in app server: no `Server` banner,
static files compressed, pages not (BREACH)."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEADERS_MORE = Path("/usr/lib/nginx/modules/ngx_http_headers_more_filter_module.so")
PAGE = b"<!doctype html><title>x</title>" + b"<p>A page of the app.</p>" * 400

pytestmark = [
    pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed"),
    pytest.mark.skipif(
        not HEADERS_MORE.exists(),
        reason="the headers-more module is missing (apt-get install "
        "libnginx-mod-http-headers-more-filter)",
    ),
]


class AppServer(BaseHTTPRequestHandler):
    """Stands in for gunicorn: a page, with the banner gunicorn sends."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def version_string(self) -> str:
        return "gunicorn"

    def log_message(self, format: str, *args: object) -> None:
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def runnable(sample: str, *, port: int, app_port: int, tmp: Path) -> str:
    """The sample as a test can run it: plain HTTP on a free port, the repository's
    static files, the stand-in app server; every directive under test unchanged."""
    sample = re.sub(r"server \{\s*listen 80;.*?\n\}\n", "", sample, count=1, flags=re.S)
    sample = sample.replace("listen 443 ssl;", f"listen 127.0.0.1:{port};")
    sample = re.sub(r"^\s*(listen \[::\].*|http2 on;|ssl_\w+ .*)$", "", sample, flags=re.M)
    sample = sample.replace("server 127.0.0.1:8000", f"server 127.0.0.1:{app_port}")
    sample = sample.replace("/srv/hr_police/var/static/", f"{ROOT / 'static'}/")
    sample = sample.replace("/var/log/nginx/hr_police.log", str(tmp / "access.log"))
    temp = "\n".join(
        f"{kind}_temp_path {tmp / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"load_module {HEADERS_MORE};\n"
        f"daemon off; master_process off; pid {tmp / 'nginx.pid'}; error_log stderr;\n"
        "events {}\n"
        "http {\n"
        "include /etc/nginx/mime.types;\n"
        f"{temp}\n{sample}\n}}\n"
    )


@pytest.fixture(scope="module")
def nginx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """The sample running: its address, and its folder (the access log is there)."""
    tmp = tmp_path_factory.mktemp("nginx")
    app = ThreadingHTTPServer(("127.0.0.1", 0), AppServer)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    port = free_port()
    config = tmp / "nginx.conf"
    sample = (ROOT / "deploy" / "nginx.conf").read_text()
    config.write_text(runnable(sample, port=port, app_port=app.server_address[1], tmp=tmp))
    server = subprocess.Popen(
        ["nginx", "-p", str(tmp), "-c", str(config)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        for _ in range(100):
            if server.poll() is not None:
                pytest.fail(f"nginx refused the sample: {server.communicate()[1]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}", tmp
    finally:
        server.terminate()
        server.wait(timeout=10)
        app.shutdown()


@pytest.fixture(scope="module")
def proxy(nginx: tuple[str, Path]) -> str:
    return nginx[0]


def fetch(url: str) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip",
                                                   "Host": "tracker.example.org"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=10) as response:
        return {k.lower(): v for k, v in response.headers.items()}, response.read()


def test_no_answer_names_its_server(proxy: str) -> None:
    for path in ("/sites/", "/static/css/app.css"):
        headers, _ = fetch(proxy + path)
        assert "server" not in headers, (path, headers.get("server"))


def test_static_files_are_compressed_and_pages_are_not(proxy: str) -> None:
    css = "/static/vendor/bootstrap-5.3.8/bootstrap.min.css"
    headers, body = fetch(proxy + css)
    assert headers.get("content-encoding") == "gzip"
    assert headers.get("vary") == "Accept-Encoding"
    assert headers.get("cross-origin-resource-policy") == "same-origin"
    assert len(body) < (ROOT / "static" / css.removeprefix("/static/")).stat().st_size / 3
    # A page may hold a narrative beside a search the visitor chose: never compressed.
    headers, body = fetch(proxy + "/sites/")
    assert "content-encoding" not in headers
    assert body == PAGE


def test_the_caddy_sample_says_the_same() -> None:
    """No Caddy binary in the distribution: its sample is read, not run."""
    caddy = (ROOT / "deploy" / "Caddyfile").read_text()
    assert re.search(r"^\theader -Server$", caddy, re.M)
    static = caddy[caddy.index("handle_path /static/*") :]
    static = static[: static.index("\n\t}")]
    assert "encode gzip" in static
    assert caddy.count("encode ") == 1  # only there


def test_the_access_log_keeps_the_hour_and_no_address(nginx: tuple[str, Path]) -> None:
    # SPEC §2: the minute of a request that logs an interaction would date it.
    url, tmp = nginx
    fetch(url + "/sites/riverside/interactions/?hour-rule=1")
    time.sleep(0.2)  # nginx writes the line once the answer is sent
    lines = [
        line
        for line in (tmp / "access.log").read_text().splitlines()
        if "/sites/riverside/interactions/" in line
    ]
    assert lines
    shape = r"\d{4}-\d\d-\d\dT\d\d GET \S+ \d{3} \d+"
    assert all(re.fullmatch(shape, line) for line in lines), lines
    assert not any("127.0.0.1" in line or "hour-rule" in line for line in lines)


def test_the_access_log_never_holds_a_follow_up_code(nginx: tuple[str, Path]) -> None:
    # Issue 19: the API's look-up of a peer report's status has the code in its path.
    url, tmp = nginx
    fetch(url + "/api/v1/follow-up/maple-otter-lantern-brisk-harbor")
    fetch(url + "/sites/riverside/after-the-code/")
    time.sleep(0.2)
    log = (tmp / "access.log").read_text()
    assert "/sites/riverside/after-the-code/" in log
    assert "maple" not in log
    assert "follow-up" not in log
