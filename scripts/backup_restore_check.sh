#!/usr/bin/env bash
# Backup and restore check (docs/operations.md, "Backups"): pg_dump a database in custom
# format, pg_restore it into a fresh database, and compare the row count of every table
# and the `score` output of every site. Exit 1 on any difference.
#
#   scripts/backup_restore_check.sh                 # a scratch database with the demo data
#   SOURCE_URL=postgres://…/hr_police scripts/backup_restore_check.sh   # an existing one
#
# SOURCE_URL is only read (pg_dump). The scratch source (when SOURCE_URL is unset) and the
# restored copy are databases this script creates on PG_URL (default the local server)
# with names of its own, and drops at the end unless KEEP=1, with the dump (var/backup/,
# readable by this user only: it holds narratives when SOURCE_URL is a real database).
set -euo pipefail
umask 077

cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG_URL=${PG_URL:-postgres://postgres@127.0.0.1:5432}
SCRATCH_DB=hr_police_backup_check_source
RESTORED_DB=hr_police_backup_check_restored
RESTORED_URL="$PG_URL/$RESTORED_DB"
DUMP=var/backup/backup-check.dump
AS_OF=${AS_OF:-2025-12-31}
started=$(date +%s)

say() { printf '%s\n' "$*"; }
admin() { psql "$PG_URL/postgres" -v ON_ERROR_STOP=1 -qAtc "$1"; }
manage() { DJANGO_DEBUG=true DATABASE_URL="$1" "$PY" manage.py "${@:2}"; }

cleanup() {
  if [[ "${KEEP:-0}" != 1 ]]; then
    rm -f "$DUMP"
    admin "DROP DATABASE IF EXISTS $RESTORED_DB WITH (FORCE)" || true
    [[ -z "${SOURCE_URL_GIVEN:-}" ]] && admin "DROP DATABASE IF EXISTS $SCRATCH_DB WITH (FORCE)" || true
  fi
}
trap cleanup EXIT

if [[ -n "${SOURCE_URL:-}" ]]; then
  SOURCE_URL_GIVEN=1
else
  SOURCE_URL="$PG_URL/$SCRATCH_DB"
  say "Creating the scratch source database $SCRATCH_DB with the demo data…"
  admin "DROP DATABASE IF EXISTS $SCRATCH_DB WITH (FORCE)"
  admin "CREATE DATABASE $SCRATCH_DB"
  manage "$SOURCE_URL" migrate --noinput -v0
  manage "$SOURCE_URL" seed_demo >/dev/null
fi

mkdir -p var/backup
say "pg_dump (custom format) → $DUMP"
pg_dump --format=custom --no-owner --file="$DUMP" "$SOURCE_URL"
say "Dump: $(du -h "$DUMP" | cut -f1)"

say "pg_restore into a fresh database $RESTORED_DB"
admin "DROP DATABASE IF EXISTS $RESTORED_DB WITH (FORCE)"
admin "CREATE DATABASE $RESTORED_DB"
pg_restore --no-owner --exit-on-error --dbname="$RESTORED_URL" "$DUMP"

# Every table of the public schema with its row count, one "table count" line each.
row_counts() {
  psql "$1" -v ON_ERROR_STOP=1 -qAtc "
    SELECT format('SELECT %L, count(*) FROM public.%I;', table_name, table_name)
    FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name" |
    psql "$1" -v ON_ERROR_STOP=1 -qAt -F ' '
}

# The score JSON of every site, today and on $AS_OF.
scores() {
  local slug
  for slug in $(psql "$1" -qAtc "SELECT slug FROM agreements_site ORDER BY slug"); do
    printf '== %s\n' "$slug"
    manage "$1" score "$slug"
    manage "$1" score "$slug" --as-of "$AS_OF"
  done
}

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"; cleanup' EXIT
row_counts "$SOURCE_URL" >"$workdir/source.counts"
row_counts "$RESTORED_URL" >"$workdir/restored.counts"
scores "$SOURCE_URL" >"$workdir/source.scores"
scores "$RESTORED_URL" >"$workdir/restored.scores"

tables=$(wc -l <"$workdir/source.counts")
rows=$(awk '{s += $2} END {print s}' "$workdir/source.counts")
sites=$(grep -c '^== ' "$workdir/source.scores" || true)
failed=0
if ! diff -u "$workdir/source.counts" "$workdir/restored.counts"; then
  say "FAILED: row counts differ after the restore."
  failed=1
fi
if ! diff -u "$workdir/source.scores" "$workdir/restored.scores"; then
  say "FAILED: scores differ after the restore."
  failed=1
fi
if [[ "$tables" -lt 10 || "$sites" -lt 1 ]]; then
  say "FAILED: only $tables tables and $sites sites: nothing real was compared."
  failed=1
fi
elapsed=$(($(date +%s) - started))
if [[ $failed == 0 ]]; then
  say "PASSED: $tables tables ($rows rows) and the scores of $sites sites (today and $AS_OF) are the same after pg_dump and pg_restore (${elapsed} s)."
fi
exit $failed
