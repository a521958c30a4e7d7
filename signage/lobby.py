"""The lobby: what every door shares, and the one way a change is made.

`perform(usecase, actor, ...)` runs a use case (signage.usecases) in one write
transaction and, after commit, publishes the events it recorded (signage.publishing).
`query(fn, ...)` runs a read. Doors hold a Lobby and call these two; they never open
a session or touch the Hub themselves.

When the store itself fails — the database server is down, the disk is full, the data
dir is read-only — both raise `Unavailable` with a code saying which (never a raw
traceback), and nothing was saved: doors answer 503 with Retry-After, in words. A
clash with what is stored that a use case did not foresee (two requests creating the
same thing at the same instant) is a `Conflict`.
"""

from __future__ import annotations

import logging
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from signage.clock import Clock
from signage.config import Settings
from signage.errors import N_, Conflict, Unavailable
from signage.publishing import Publisher
from signage.ratelimit import make_limiter
from signage.store import Store
from signage.usecases import Actor, Change

T = TypeVar("T")
log = logging.getLogger(__name__)

# How many pairing codes one address may ask for (a TV asks for one every 10 minutes
# while it waits; more is someone reloading /screen in a loop).
PAIRING_REQUESTS = "10/minute,100/hour"

# Free space under which the data dir's disk is reported as a problem (SQLite).
LOW_DISK_BYTES = 64 * 1024 * 1024
# The serving process checks its dependencies this often (Lobby.watch_health), and
# /healthz trusts a round at most this old.
HEALTH_EVERY_S = 1.0
HEALTH_FRESH_S = 3.0


def _outage(exc: Exception) -> Unavailable:
    """What a store failure means for the person waiting, as an Unavailable."""
    reason = str(getattr(exc, "orig", None) or exc).lower()
    if "disk is full" in reason or "no space left" in reason or "disk full" in reason:
        return Unavailable(N_("Máy chủ hết chỗ lưu trữ: chưa lưu được. Xin báo quản trị "
                              "viên."), code="disk_full", retry_after=60)
    if "readonly" in reason or "read-only" in reason or "read only" in reason:
        return Unavailable(N_("Cơ sở dữ liệu đang ở chế độ chỉ đọc: chưa lưu được. Xin báo "
                              "quản trị viên."), code="read_only", retry_after=60)
    return Unavailable(N_("Cơ sở dữ liệu tạm thời không trả lời: chưa lưu được, xin thử lại "
                          "sau ít giây."), code="database_unavailable", retry_after=5)


@contextmanager
def _store_failures() -> Iterator[None]:
    try:
        yield
    except IntegrityError as exc:
        log.warning("a change clashed with stored data: %s", exc.orig)
        raise Conflict(N_("Dữ liệu vừa được thay đổi cùng lúc ở nơi khác; xin thử lại."),
                       code="conflict") from None
    except (OperationalError, PoolTimeout) as exc:
        log.error("the store failed: %s", exc)
        raise _outage(exc) from None
    except DBAPIError as exc:
        if exc.connection_invalidated:
            log.error("lost the database connection: %s", exc)
            raise _outage(exc) from None
        raise


class Lobby:
    def __init__(self, settings: Settings, store: Store, publisher: Publisher,
                 clock: Clock) -> None:
        self.settings = settings
        self.store = store
        self.publisher = publisher
        self.clock = clock
        self.scheduler: Any = None  # set by the serve process (signage.scheduler.Rotation)
        self.fleet: Any = None  # the screens' health (signage.fleet.Fleet), set by create_app
        # (when, states) of the health checker's last round (watch_health); None: no checker
        self._health_checked: tuple[float, dict[str, str]] | None = None
        # What the public may do how often (signage.ratelimit): numbers without a kiosk,
        # posts to the feedback box per device, pairing codes asked by a TV.
        self.limiter = make_limiter(settings.redis_url, settings.redis_prefix,
                                    {"tickets": settings.anonymous_tickets,
                                     "feedback": settings.feedback_limit,
                                     "pairings": PAIRING_REQUESTS})

    def perform(self, usecase: Callable[..., T], actor: Actor, /, *args: Any, **kwargs: Any) -> T:
        """Run one use case as `actor` in a write transaction; publish its events after
        commit. Returns what the use case returns; raises its SignageError unchanged
        (and then nothing was written and nothing is published)."""
        with _store_failures(), self.store.write() as session:
            change = Change(session, actor, self.clock.now(), self.clock.tz,
                            data_dir=self.settings.data_dir)
            result = usecase(change, *args, **kwargs)
        self.publisher.publish(change.events)
        return result

    def query(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run a read `fn(session, *args, **kwargs)`; its result must not need the session."""
        with _store_failures(), self.store.read() as session:
            return fn(session, *args, **kwargs)

    # ---- health --------------------------------------------------------------------------

    def health(self) -> dict[str, str]:
        """Each dependency's state: "ok", or what is wrong with it.

        In the serving process a thread checks every HEALTH_EVERY_S (`watch_health`) and
        this is its last round while it is recent: /healthz then never waits for the
        database behind a pool busy with a reconnect storm (0.3–1.6 s at worst). A round
        older than HEALTH_FRESH_S (the checker is stuck: a database that does not answer)
        is not trusted; the request checks for itself, as without the thread."""
        checked = self._health_checked
        if checked is not None and time.monotonic() - checked[0] <= HEALTH_FRESH_S:
            return dict(checked[1])
        return self._check_health()

    def _check_health(self) -> dict[str, str]:
        return {"database": _check(self._database), "disk": _check(self._disk),
                "bus": _check(self.publisher.bus_check)}

    def watch_health(self) -> threading.Event:
        """Start the health checker thread (the serving process, once); it stops when the
        event returned is set."""
        stop = threading.Event()

        def run() -> None:
            while not stop.is_set():
                started = time.monotonic()
                self._health_checked = (started, self._check_health())
                stop.wait(max(0.0, HEALTH_EVERY_S - (time.monotonic() - started)))

        threading.Thread(target=run, name="signage-health", daemon=True).start()
        return stop

    def _database(self) -> None:
        with self.store.read() as session:
            session.execute(text("SELECT 1"))
            if not self.store.is_sqlite:
                if session.execute(text("SHOW transaction_read_only")).scalar() == "on":
                    raise RuntimeError("read-only")
                return
        path = self.store.engine.url.database
        if path and path != ":memory:" and not os.access(path, os.W_OK):
            raise RuntimeError("read-only")

    def _disk(self) -> None:
        if not self.store.is_sqlite:
            return
        folder = self.settings.data_dir
        if not os.access(folder, os.W_OK):
            raise RuntimeError("read-only")
        if shutil.disk_usage(folder).free < LOW_DISK_BYTES:
            raise RuntimeError("full")


def _check(probe: Callable[[], None]) -> str:
    try:
        probe()
    except Exception as exc:  # report, don't crash: this is what monitoring reads
        return f"error: {str(exc) or type(exc).__name__}"[:200]
    return "ok"
