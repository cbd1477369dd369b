"""gunicorn settings for hr_police (docs/operations.md). Used as

    .venv/bin/gunicorn hr_police.wsgi:application --config deploy/gunicorn.conf.py

behind nginx or Caddy, which terminate TLS and serve /static/. Command-line options
override these (the load test passes its own --bind and --workers).
"""

import multiprocessing
import os

# Only the reverse proxy on this machine talks to gunicorn. gunicorn answers with
# `Server: gunicorn`, which no setting removes; the proxy drops it (docs/operations.md),
# so nothing but the proxy may reach this address.
bind = os.environ.get("HR_POLICE_BIND", "127.0.0.1:8000")

# Sync workers, one request each at a time: the app's work is database queries and PDF
# drawing (CPU), so threads would gain little. 2 × cores + 1 is gunicorn's usual start;
# each worker holds at most one PostgreSQL connection (CONN_MAX_AGE 60 s).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = 1
worker_class = "sync"

# The manager PDF takes about 1 s, the network report runs in the background: 60 s is
# ample, and a stuck worker is replaced instead of hanging on.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5

# Recycle each worker after about 1,000 requests (jittered so they do not all restart at
# once), which caps slow memory growth from PDF drawing. Safe now that no report runs in
# a web worker: network reports are made by `manage.py db_worker` (docs/operations.md).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10

# Errors to stderr, for journald. No access log unless asked for (GUNICORN_ACCESS_LOG=-):
# its exact time of each request would date the interactions logged (SPEC §2: nothing
# finer than the hour); nginx's sample keeps an access log to the hour instead. If you
# turn it on, keep it as private as the app: calendar feed tokens and peer
# reports' follow-up codes are in the path.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = "info"

# The proxy sets X-Forwarded-For and X-Forwarded-Proto; trust them from loopback only.
forwarded_allow_ips = "127.0.0.1"
