"""signage db: schema and backups."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from signage.cli import _fail, _lobby, main

# ---- db ---------------------------------------------------------------------------

@main.group()
def db() -> None:
    """Database schema and backups."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Bring the schema to the newest revision."""
    from signage.store.migrate import upgrade

    lobby = _lobby()
    upgrade(lobby.store)
    click.echo("Cơ sở dữ liệu đã ở phiên bản mới nhất / schema is up to date.")


@db.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def db_backup(path: Path) -> None:
    """Copy the SQLite database to PATH, consistently, while the service runs."""
    lobby = _lobby()
    if not lobby.store.is_sqlite:
        _fail("Với PostgreSQL hãy dùng pg_dump (use pg_dump for PostgreSQL).")
    source = lobby.store.engine.url.database
    src = sqlite3.connect(source)
    dst = sqlite3.connect(path)
    with dst:
        src.backup(dst)  # SQLite's online backup: a consistent copy under WAL
    src.close()
    dst.close()
    click.echo(f"Đã sao lưu / backed up to {path}")


