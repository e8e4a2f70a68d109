#!/usr/bin/env bash
# Restores a scripts/backup.sh file into a database; refuses to overwrite a non-empty one without --force.
set -euo pipefail

usage() {
  cat <<'HELP'
Usage: scripts/restore.sh [--url URL] [--force] [--help] FILE

Restores FILE (a pg_dump custom-format backup from scripts/backup.sh) into the target database
with pg_restore, in one transaction: on any error nothing is changed.

  --url URL   target database (default: DATABASE_URL); it must exist (createdb NAME)
  --force     restore even when the target already holds tables: they are dropped first
              (pg_restore --clean --if-exists)
  --help      show this text

Exit status: 0 restored, 1 pg_restore failed, 2 bad usage, 3 target not empty (no --force).
Ownership and grants are not restored (--no-owner --no-privileges): objects belong to the
user in URL, as on a managed database.
HELP
}

url=${DATABASE_URL:-}
force=0
file=""

while [ $# -gt 0 ]; do
  case $1 in
    --url) [ -n "${2:-}" ] || { echo "restore.sh: --url needs a postgres:// URL (see --help)" >&2; exit 2; }; url=$2; shift 2 ;;
    --force) force=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "restore.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) [ -z "$file" ] || { echo "restore.sh: one backup file only" >&2; exit 2; }; file=$1; shift ;;
  esac
done

if [ -z "$file" ]; then echo "restore.sh: which backup? (see --help)" >&2; exit 2; fi
if [ ! -r "$file" ]; then echo "restore.sh: cannot read '$file'" >&2; exit 2; fi
if [ -z "$url" ]; then echo "restore.sh: no target database: set DATABASE_URL or pass --url postgres://..." >&2; exit 2; fi
command -v pg_restore >/dev/null || { echo "restore.sh: pg_restore not found: install the PostgreSQL client (postgresql-client)" >&2; exit 2; }

# Any table, view, sequence or extension outside the system schemas means someone's data lives here.
objects=$(psql "$url" -XAtq -v ON_ERROR_STOP=1 -c "
  select (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
            and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%')
       + (select count(*) from pg_extension where extname <> 'plpgsql')") || {
  echo "restore.sh: cannot connect to the target database; create it first (createdb NAME) and check the URL" >&2
  exit 1
}

clean=()
if [ "$objects" -gt 0 ]; then
  if [ "$force" -ne 1 ]; then
    echo "restore.sh: the target database is not empty ($objects objects). Restore into a fresh database, or pass --force to replace what is there." >&2
    exit 3
  fi
  clean=(--clean --if-exists)
  echo "restore.sh: --force: replacing the $objects existing objects" >&2
fi

if ! pg_restore --no-owner --no-privileges --exit-on-error --single-transaction "${clean[@]}" --dbname="$url" "$file"; then
  echo "restore.sh: pg_restore failed; the transaction was rolled back, the target is unchanged." >&2
  exit 1
fi
echo "restore.sh: restored $file" >&2
