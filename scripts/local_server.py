"""A throwaway copy of the app on the loopback, for the scripts that drive one
(loadtest.py and faulttest.py under gunicorn, screenshots.py under runserver): a free
port, `manage.py` in the project's environment, the demo logins seed_demo prints, and a
server process that is waited for and always stopped."""

from __future__ import annotations

import http.client
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
DEMO_USERS = ("demo-admin", "demo-manager", "demo-liaison", "demo-researcher")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def manage(env: dict[str, str], *args: str, python: str = sys.executable) -> str:
    """`manage.py ARGS` with `env`; its output, or the script stops saying why."""
    done = subprocess.run([python, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def demo_passwords(seed_output: str) -> dict[str, str]:
    """The logins `seed_demo --reset-passwords` printed, one per demo user."""
    found = dict(re.findall(r"^\s+(demo-\S+)\s+(\S+)\s+\(", seed_output, re.MULTILINE))
    if not set(DEMO_USERS) <= found.keys():
        raise SystemExit(f"seed_demo printed no passwords:\n{seed_output}")
    return found


class ServerProcess:
    """A server started on 127.0.0.1:`port`; `wait_ready` until `probe` answers 200."""

    def __init__(
        self, command: list[str], env: dict[str, str], port: int, log: IO[str] | None = None
    ) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl-C of the script reaches it only through stop()
        )

    def wait_ready(self, probe: str = "/accounts/login/", seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited at start (code {self.process.returncode})")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", probe, headers={"Host": "127.0.0.1"})
                if connection.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"the server did not answer {probe} within {seconds:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
