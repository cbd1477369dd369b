"""Make queued network reports in a process of its own (HR_POLICE_REPORT_RUNNER=worker).

Several workers may run at once, on one machine or several: each job is claimed by one
of them (a compare-and-set on the row). A job whose runner was cut off is taken up again
once its heartbeat is older than HR_POLICE_REPORT_STALE_SECONDS. While the database is
unreachable the worker waits and tries again; SIGTERM lets the current report finish.
"""

from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections

from reports.network import next_job_id, run_job


class Command(BaseCommand):
    help = "Make queued network reports (for HR_POLICE_REPORT_RUNNER=worker)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Make the reports waiting now, then stop."
        )
        parser.add_argument(
            "--poll", type=float, default=5.0, help="Seconds between looks at the queue."
        )

    def handle(self, *args: Any, once: bool, poll: float, **options: Any) -> None:
        if poll <= 0:
            self.stderr.write("--poll must be a positive number of seconds.")
            raise SystemExit(2)
        self._stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        made = 0
        while not self._stopping:
            try:
                job_id = next_job_id()
                if job_id is not None and run_job(job_id):
                    made += 1
                    self.stdout.write(f"report job {job_id} finished")
                    continue
            except DatabaseError as exc:  # an outage: wait, reconnect, go on
                self.stderr.write(f"database unavailable, waiting: {exc}".strip())
                close_old_connections()
                if once:
                    raise SystemExit(1) from exc
            else:
                if once and job_id is None:
                    break
            if job_id is None or not once:
                time.sleep(poll)
        self.stdout.write(f"{made} report(s) made")

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True
