"""The migration history is one line, and the models and the migrations agree.

A second head would make the next migration that touches two branches need a merge,
and `upgrade("heads")` would hide it; a model changed without its migration would make
a fresh database differ from an upgraded one. Both fail here, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from signage.store import Store
from signage.store.migrate import heads, upgrade
from signage.store.models import Base, load_feature_models

PG_ADMIN = "postgresql://127.0.0.1:5432/test"


def test_the_history_has_exactly_one_head(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'heads.db'}")
    try:
        assert len(heads(store)) == 1, f"merge the heads {heads(store)} into one (alembic merge)"
    finally:
        store.dispose()


def differences(store: Store) -> list:
    load_feature_models()
    with store.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_a_database_upgraded_from_nothing_matches_the_models_on_sqlite(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'fresh.db'}")
    try:
        upgrade(store)
        assert differences(store) == []
    finally:
        store.dispose()


@contextmanager
def scratch_postgres() -> Iterator[str]:
    name = f"signage_m_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.postgres
def test_a_database_upgraded_from_nothing_matches_the_models_on_postgresql():
    with scratch_postgres() as url:
        store = Store(url)
        try:
            upgrade(store)
            assert differences(store) == []
        finally:
            store.dispose()


def test_a_database_left_at_the_four_old_heads_upgrades_to_the_one(tmp_path):
    # Given a database a release before the merge left at 0003, 0004, 0005 and 0006
    store = Store(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        for branch in ("0003", "0004", "0005", "0006"):
            upgrade(store, branch)
        # When it is upgraded
        upgrade(store)
        # Then it is at the one head, with every table
        with store.engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_heads() == tuple(heads(store))
            tables = set(inspect(conn).get_table_names())
        assert {"queue_tickets", "audit_entries", "notice_revisions", "slides"} <= tables
    finally:
        store.dispose()
