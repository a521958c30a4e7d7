"""Engine and sessions. SQLite gets WAL, a busy timeout and real write transactions."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 10_000
POOL_SIZE, POOL_OVERFLOW, POOL_TIMEOUT_S = 10, 10, 10
PING_IDLE_S = 5.0  # a pooled connection idle longer than this is checked before use


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        pool_size=10,
        max_overflow=40,
    )

    # pysqlite's own transaction handling defers BEGIN and cannot take the write lock
    # up front; we switch it off and emit BEGIN ourselves, so a write session can use
    # BEGIN IMMEDIATE and never fail half-way with "database is locked" on upgrade.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use only when it sat idle for a while.

    SQLAlchemy's pool_pre_ping costs a round trip on every checkout (three per number a
    kiosk takes); a connection used a moment ago is as good as the ping would say. One
    that died under use anyway (a restarted server) fails its request with a 503 and
    the pool drops every connection of its generation (signage.lobby)."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_conn, record):  # noqa: ANN001
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_conn, record, _proxy):  # noqa: ANN001
        if time.monotonic() - record.info.get("idle_since", 0.0) < PING_IDLE_S:
            return
        try:
            cursor = dbapi_conn.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_conn.rollback()
        except Exception as exc:  # the pool retries with a new connection
            raise DisconnectionError(str(exc)) from exc


class Store:
    """Owns the engine; hands out sessions. One per app."""

    def __init__(self, url: str) -> None:
        from signage.store.models import load_feature_models

        load_feature_models()
        if url.startswith(("postgresql://", "postgres://")):
            # psycopg 3 is the driver we ship (the `postgres` extra), not psycopg2.
            url = "postgresql+psycopg://" + url.split("://", 1)[1]
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine = _sqlite_engine(url)
        else:
            # At most POOL_SIZE + POOL_OVERFLOW connections per process, so N processes
            # stay under the server's max_connections (deployment/README.md).
            self.engine = create_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW,
                                        pool_timeout=POOL_TIMEOUT_S)
            _ping_when_idle(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            self.engine.execution_options(sqlite_begin="IMMEDIATE"), expire_on_commit=False
        )
        # SQLite has one writer at a time anyway. Queueing this process's writers on a
        # Python lock wakes them in turn at once, instead of SQLite's sleep-and-retry
        # busy handler, which under a burst (kiosks, counters) can starve one writer
        # past the busy timeout. Other processes (the CLI) still meet the busy timeout.
        self._write_lock = threading.Lock() if self.is_sqlite else None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading. Closed at the end; objects stay readable (not expired)."""
        with self._sessions() as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: committed on success, rolled back on error.

        On SQLite it begins IMMEDIATE (takes the write lock first, waiting up to the
        busy timeout), so two writers serialise instead of failing on lock upgrade.
        """
        with self._write_lock or nullcontext(), self._write_sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @property
    def connections_per_process(self) -> int:
        """The most connections one process's pool opens."""
        return POOL_SIZE + POOL_OVERFLOW

    def connection_room(self) -> tuple[int, int] | None:
        """PostgreSQL: (max_connections, connections open now); None on SQLite."""
        if self.is_sqlite:
            return None
        with self.engine.connect() as conn:
            limit = int(conn.exec_driver_sql("SHOW max_connections").scalar())
            used = int(conn.exec_driver_sql("SELECT count(*) FROM pg_stat_activity").scalar())
        return limit, used

    def dispose(self) -> None:
        self.engine.dispose()
