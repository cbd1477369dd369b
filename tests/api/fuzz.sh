#!/usr/bin/env bash
# Fuzz the HTTP API with schemathesis, from its own OpenAPI document.
#
# A throwaway app on SQLite in a temporary directory (debug on, demo data), a token for
# demo-admin (who sees every site and every edition), `runserver` on the loopback
# interface, then schemathesis: no 5xx answer, and every declared answer matches its
# schema. Nothing leaves 127.0.0.1. Exits non-zero on any failure.
#
#   tests/api/fuzz.sh                      # or: make fuzz
#   FUZZ_MAX_EXAMPLES=100 FUZZ_SEED=7 tests/api/fuzz.sh
#   tests/api/fuzz.sh --include-path-regex '/score$'   # extra schemathesis options
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT="${FUZZ_PORT:-8765}"
BASE="http://127.0.0.1:${PORT}"
MAX_EXAMPLES="${FUZZ_MAX_EXAMPLES:-20}"
SEED="${FUZZ_SEED:-20260601}"
# schemathesis is stopped after this many seconds, whatever it is doing.
TIME_LIMIT="${FUZZ_TIME_LIMIT:-600}"
PY=.venv/bin/python

workdir="$(mktemp -d "${TMPDIR:-/tmp}/hr-police-fuzz.XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "${server_pid}" ] && kill -0 "${server_pid}" 2>/dev/null; then
    kill "${server_pid}" 2>/dev/null || true
    wait "${server_pid}" 2>/dev/null || true
  fi
  rm -rf "${workdir}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export DJANGO_DEBUG=true
export DATABASE_URL="sqlite:///${workdir}/fuzz.sqlite3"
# Every example would otherwise count against the token's 120 requests a minute.
export HR_POLICE_API_RATE_PER_MINUTE=1000000
export HR_POLICE_TASK_BACKEND=immediate
export HR_POLICE_REQUIRE_2FA=false
export DJANGO_LOG_LEVEL=ERROR
# Loopback only: no proxy in between, however the machine is set up.
export NO_PROXY="127.0.0.1,localhost" no_proxy="127.0.0.1,localhost"
unset HTTP_PROXY HTTPS_PROXY ALL_PROXY http_proxy https_proxy all_proxy

if (exec 3<>"/dev/tcp/127.0.0.1/${PORT}") 2>/dev/null; then
  echo "fuzz: port ${PORT} is already in use (set FUZZ_PORT)." >&2
  exit 1
fi

echo "== fuzz: app on SQLite in ${workdir}"
"${PY}" manage.py migrate --noinput -v 0
"${PY}" manage.py seed_demo >/dev/null
# read-write: the fuzzer exercises the write routes too.
TOKEN="$("${PY}" manage.py api_token demo-admin --name fuzz --scope read-write 2>/dev/null | tail -n 1)"
[ -n "${TOKEN}" ] || { echo "fuzz: no token" >&2; exit 1; }

"${PY}" manage.py runserver "127.0.0.1:${PORT}" --noreload >"${workdir}/server.log" 2>&1 &
server_pid=$!

echo "== fuzz: schemathesis against ${BASE}/api/v1/openapi.json (seed ${SEED})"
# schemathesis keeps the failures it found (for `st replay`) under its working directory.
mkdir -p var/fuzz
status=0
(cd var/fuzz && timeout --kill-after=10 "${TIME_LIMIT}" ../../.venv/bin/schemathesis run \
  "${BASE}/api/v1/openapi.json" \
  --wait-for-schema 60 \
  --header "Authorization: Bearer ${TOKEN}" \
  --checks not_a_server_error,response_schema_conformance \
  --max-examples "${MAX_EXAMPLES}" \
  --seed "${SEED}" \
  --workers 1 \
  --request-timeout 60 \
  --generation-database none \
  --no-color \
  --report junit --report-junit-path junit.xml \
  "$@") || status=$?

server_errors() {
  grep -n -A 40 "Traceback" "${workdir}/server.log" | head -n 160 >&2 || true
}
if [ "${status}" -ne 0 ]; then
  echo "== fuzz: FAILED (schemathesis exit ${status}; 124 is the time limit)" >&2
  server_errors
  exit "${status}"
fi
if grep -q "Traceback" "${workdir}/server.log"; then
  echo "== fuzz: FAILED: the server logged an exception:" >&2
  server_errors
  exit 1
fi
echo "== fuzz: passed"
