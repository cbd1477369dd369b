#!/usr/bin/env bash
# Nightly backup (docs/operations.md): a pg_dump of the whole database (custom format:
# users, memberships, audit log and all), and every site as its own bundle
# (export_bundle --all), in a dated folder; folders older than HR_POLICE_BACKUP_DAYS go.
# Needs DATABASE_URL (postgres://…, without a password: pg_dump would show it in `ps`;
# put the password in ~/.pgpass or PGPASSFILE) and the app's environment. Both files hold
# narratives: the folder is readable by the app's user only; copy it off the machine
# encrypted.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL must be set (postgres://…)}"
dir="${HR_POLICE_BACKUP_DIR:-/var/backups/hr_police}/$(date -u +%Y-%m-%dT%H%MZ)"
umask 077
mkdir -p "$dir"
pg_dump --format=custom --no-owner --file="$dir/hr_police.dump" "$DATABASE_URL"
.venv/bin/python manage.py export_bundle --all --output-dir "$dir/bundles"
# Only this script's own dated folders go, whatever else shares the parent folder.
find "$(dirname "$dir")" -mindepth 1 -maxdepth 1 -type d -name '????-??-??T????Z' \
  -mtime +"${HR_POLICE_BACKUP_DAYS:-30}" -exec rm -rf {} +
echo "Backup written to $dir"
