"""The slowest queries of a page, with PostgreSQL's EXPLAIN ANALYZE: for choosing indexes
(docs/performance.md). `python manage.py shell -c "from demo.bench.explain import
main; main()"` on a database seeded with `seed_demo --large 50`."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo.bench.pages import client_for
from demo.bench.sessions import benchmark_sessions

PAGES = {
    "scorecard": ("demo-manager", "/sites/bench-001/score/"),
    "dashboard": ("demo-researcher", "/dashboard/"),
    "score_api": ("demo-manager", "/api/v1/sites/bench-001/score"),
    "interactions_list": ("demo-manager", "/sites/bench-001/interactions/"),
}


def explain(sql: str) -> tuple[float, str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    found = re.search(r"Execution Time: ([\d.]+) ms", plan)
    return (float(found.group(1)) if found else 0.0), plan


def slowest(page: str, top: int = 5) -> list[tuple[float, str, str]]:
    username, url = PAGES[page]
    user: Any = get_user_model().objects.get(username=username)
    with benchmark_sessions(user) as (session,):
        client = client_for(session)
        client.get(url, secure=True)
        with CaptureQueriesContext(connection) as captured:
            client.get(url, secure=True)
    timed = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if sql.lstrip().upper().startswith("SELECT"):
            ms, plan = explain(sql)
            timed.append((ms, sql, plan))
    return sorted(timed, reverse=True)[:top]


def main(top: int = 4) -> None:
    for page in PAGES:
        print(f"\n######## {page}")
        for ms, sql, plan in slowest(page, top):
            print(f"\n--- {ms:.2f} ms\n{sql}\n{plan}")
