#!/usr/bin/env bash
# Dumps the database in pg_dump's custom format to a timestamped file; optionally keeps only the newest N.
set -euo pipefail

usage() {
  cat <<'HELP'
Usage: scripts/backup.sh [--dir DIR] [--keep N] [--url URL] [--prefix NAME] [--help]

Writes DIR/NAME-YYYYMMDDTHHMMSS.mmmZ.dump with `pg_dump -Fc` (compressed, restorable
table by table with pg_restore) and prints its path on the last line.

  --dir DIR      where backups go (default: ./backups, or BACKUP_DIR)
  --keep N       afterwards delete all but the newest N backups with this prefix in DIR
  --url URL      database to dump (default: DATABASE_URL)
  --prefix NAME  file name prefix (default: campaign-analytics)
  --help         show this text

Exits non-zero, leaving no partial file, when pg_dump fails. pg_dump must be at least as new as
the server (PostgreSQL 15 in CI, 17 by default on Render).
Restore with scripts/restore.sh.
HELP
}

dir=${BACKUP_DIR:-./backups}
keep=""
url=${DATABASE_URL:-}
prefix=campaign-analytics

# An option's value, or a usage error (exit 2) naming what it needs.
value() { [ -n "${3:-}" ] || { echo "backup.sh: $1 needs $2 (see --help)" >&2; exit 2; }; }

while [ $# -gt 0 ]; do
  case $1 in
    --dir) value "$1" 'a directory' "${2:-}"; dir=$2; shift 2 ;;
    --keep) value "$1" 'a number' "${2:-}"; keep=$2; shift 2 ;;
    --url) value "$1" 'a postgres:// URL' "${2:-}"; url=$2; shift 2 ;;
    --prefix) value "$1" 'a name' "${2:-}"; prefix=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "backup.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

if [ -z "$url" ]; then echo "backup.sh: no database: set DATABASE_URL or pass --url postgres://..." >&2; exit 2; fi
if [ -n "$keep" ] && ! [[ $keep =~ ^[1-9][0-9]*$ ]]; then echo "backup.sh: --keep must be a positive whole number, not '$keep'" >&2; exit 2; fi
# Letters, digits, dot, dash, underscore: the name is also a pattern when --keep prunes.
if ! [[ $prefix =~ ^[A-Za-z0-9._-]+$ ]]; then echo "backup.sh: --prefix may hold letters, digits, '.', '-' and '_' only, not '$prefix'" >&2; exit 2; fi
command -v pg_dump >/dev/null || { echo "backup.sh: pg_dump not found: install the PostgreSQL client (postgresql-client)" >&2; exit 2; }

mkdir -p "$dir"
file="$dir/$prefix-$(date -u +%Y%m%dT%H%M%S.%3NZ).dump"
partial="$file.partial"
trap 'rm -f "$partial"' EXIT

# Write under a temporary name and rename once complete, so a failed dump never looks like a backup.
if ! pg_dump --format=custom --no-owner --no-privileges --file="$partial" --dbname="$url"; then
  echo "backup.sh: pg_dump failed; no backup was written. Check the URL, the network and that pg_dump is not older than the server." >&2
  exit 1
fi
mv "$partial" "$file"
echo "backup.sh: wrote $file ($(du -h "$file" | cut -f1))" >&2

if [ -n "$keep" ]; then
  # Only this prefix followed by a timestamp: "$prefix-*" would also match a longer prefix's backups
  # (campaign-analytics-staging-...) and could prune the one just written. Timestamps sort lexically.
  stamp='[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]T[0-9][0-9][0-9][0-9][0-9][0-9].[0-9][0-9][0-9]Z'
  mapfile -t old < <(find "$dir" -maxdepth 1 -type f -name "$prefix-$stamp.dump" | sort | head -n "-$keep")
  for f in "${old[@]}"; do rm -f -- "$f"; echo "backup.sh: removed old backup $f" >&2; done
fi

echo "$file"
