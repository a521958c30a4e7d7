"""Alembic, driven from code: `signage db upgrade` and `signage serve` call `upgrade`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from signage.store.db import Store

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(store: Store) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", store.url.replace("%", "%%"))
    cfg.attributes["engine"] = store.engine
    return cfg


def upgrade(store: Store, revision: str = "head") -> None:
    """Bring the schema to the newest revision (there is one head; see 0007)."""
    command.upgrade(alembic_config(store), revision)


def heads(store: Store) -> list[str]:
    """The heads of the migration history (one, always)."""
    return list(ScriptDirectory.from_config(alembic_config(store)).get_heads())


def is_current(store: Store) -> bool:
    cfg = alembic_config(store)
    heads = set(ScriptDirectory.from_config(cfg).get_heads())
    with store.engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads()) == heads
