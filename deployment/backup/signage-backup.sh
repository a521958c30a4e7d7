#!/bin/sh
# Nightly backup of the signage database, kept for 30 days. Run by signage-backup.timer
# as the service's user. SQLite (the embedded default): a consistent online copy made by
# `signage db backup` while the service runs. PostgreSQL: pg_dump in custom format.
# Restore: docs/operations.md.
set -eu
if [ -r /etc/signage/signage.env ]; then set -a; . /etc/signage/signage.env; set +a; fi
DEST="${SIGNAGE_BACKUP_DIR:-/var/backups/signage}"
KEEP_DAYS="${SIGNAGE_BACKUP_KEEP_DAYS:-30}"
STAMP=$(date +%Y-%m-%d-%H%M)
mkdir -p "$DEST"
case "${SIGNAGE_DATABASE_URL:-sqlite}" in
  postgresql://*|postgres://*)
    pg_dump --format=custom --file="$DEST/signage-$STAMP.pgdump" "$SIGNAGE_DATABASE_URL" ;;
  *)
    SIGNAGE_DATA_DIR="${SIGNAGE_DATA_DIR:-/var/lib/signage}" \
      /opt/signage/venv/bin/signage db backup "$DEST/signage-$STAMP.db" ;;
esac
find "$DEST" -name 'signage-*' -mtime +"$KEEP_DAYS" -delete
