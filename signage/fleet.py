"""The fleet's health: which lobby screens are connected, and what their pages report.

A screen's page reports itself over its socket (`status`: the version of its files, its
resolution, uptime, reconnects today, round trip, clock offset, sound, what it shows;
docs/protocol.md). The process holding the socket keeps that in memory and:
- pushes what changed to the admins' fleet pages (`fleet.updated` on the FLEET channel,
  coalesced: at most one event a second, whatever the number of screens);
- writes it to the store in one batch every FLUSH_EVERY_S (and soon after a screen
  disconnects), through a use case (signage.usecases.screens.record_health), so another
  process — or this one after a restart — knows when each screen was last seen.

Why not write every report: a lobby of 1,000 TVs reports a few times a minute each; one
transaction a screen would compete with the kiosks for SQLite's one writer.

Proof of play comes from the same reports: when a screen's `showing.slide_id` changes
(or its last socket closes), the change goes with the next batch, written within a
second (`plays` of its report; signage.evaluation.plays keeps one row per slide change
per screen). So the store sees at most one transaction a second per process, whatever
the number of screens.

`entries` merges what the store recorded with what this process holds now: a screen
whose socket is here is connected; one recorded online by another process within two
flushes is connected there; any other was last seen when the store says.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from signage.usecases.screens import HEALTH_FIELDS

log = logging.getLogger(__name__)

FLUSH_EVERY_S = 30.0
PUSH_DELAY_S = 1.0
# A screen recorded online by another process counts as connected for this long after
# that process last wrote (two flushes and some slack): past it, that process is gone.
REMOTE_FRESH = timedelta(seconds=2 * FLUSH_EVERY_S + 15)


@dataclass
class _Live:
    sockets: set[int] = field(default_factory=set)
    status: dict[str, Any] = field(default_factory=dict)
    last_seen: datetime | None = None
    playing: int | None = None  # the slide on its glass, as last reported
    plays: list[dict[str, Any]] = field(default_factory=list)  # changes not yet stored


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


class Fleet:
    """This process's view of its screens' sockets and reports (thread-safe)."""

    def __init__(self, now: Callable[[], datetime], save: Callable[[list[dict[str, Any]]], Any],
                 push: Callable[[list[dict[str, Any]]], None], stale_after: float,
                 flush_every: float = FLUSH_EVERY_S) -> None:
        self._now = now
        self._save = save
        self._push = push
        self.stale_after = timedelta(seconds=stale_after)
        self._flush_every = flush_every
        self._lock = threading.Lock()
        self._screens: dict[int, _Live] = {}
        self._to_store: set[int] = set()
        self._to_push: set[int] = set()
        self._push_due: float | None = None
        self._flush_due: float | None = None
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    # ---- what the socket doors tell ---------------------------------------------------

    def attached(self, screen_id: int, peer_id: int) -> None:
        with self._lock:
            live = self._screens.setdefault(screen_id, _Live())
            live.sockets.add(peer_id)
            live.last_seen = self._now()
            self._changed(screen_id, store_soon=True)

    def heard(self, screen_id: int) -> None:
        """Any message from the screen (its pings): it is alive now."""
        with self._lock:
            live = self._screens.get(screen_id)
            if live is not None:
                live.last_seen = self._now()
                self._to_store.add(screen_id)

    def reported(self, screen_id: int, status: dict[str, Any]) -> None:
        """The page's own report (already validated: ScreenStatus.read)."""
        with self._lock:
            live = self._screens.setdefault(screen_id, _Live())
            live.status = status
            live.last_seen = self._now()
            showing = (status.get("showing") or {}).get("slide_id")
            slide = showing if isinstance(showing, int) and not isinstance(showing, bool) else None
            if slide != live.playing:
                live.playing = slide
                live.plays.append({"at": live.last_seen, "slide_id": slide,
                                   "title": (status.get("showing") or {}).get("title")})
            self._changed(screen_id, store_soon=bool(live.plays))

    def detached(self, screen_id: int, peer_id: int) -> None:
        with self._lock:
            live = self._screens.get(screen_id)
            if live is None:
                return
            live.sockets.discard(peer_id)
            live.last_seen = self._now()
            if not live.sockets and live.playing is not None:
                live.playing = None   # off the glass: its play ends now
                live.plays.append({"at": live.last_seen, "slide_id": None, "title": None})
            self._changed(screen_id, store_soon=True)

    def _changed(self, screen_id: int, store_soon: bool = False) -> None:
        """Caller holds the lock."""
        self._to_store.add(screen_id)
        self._to_push.add(screen_id)
        due = time.monotonic() + PUSH_DELAY_S
        # Only a new deadline needs the thread to look again (1,000 screens connecting
        # woke it 1,000 times: 5 % of the server's time in a reconnect storm, py-spy).
        wake = False
        if self._push_due is None:
            self._push_due, wake = due, True
        if store_soon and self._flush_due is None:
            self._flush_due, wake = due, True
        if wake:
            self._wake.set()

    # ---- reading ----------------------------------------------------------------------

    def _live_entry(self, screen_id: int, live: _Live) -> dict[str, Any]:
        return {"id": screen_id, "connected": len(live.sockets),
                "last_seen": _iso(live.last_seen), **live.status}

    def entries(self, rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Screens as the store has them (signage.usecases.screens.list_fleet), with what
        this process knows now; the fields of ScreenOut except `url` (the door's)."""
        now = self._now()
        with self._lock:
            here = {sid: (len(live.sockets), live.last_seen, dict(live.status))
                    for sid, live in self._screens.items()}
        out = []
        for row in rows:
            health = dict(row.get("health") or {})
            recorded_online = health.pop("online", False)
            sockets = health.pop("sockets", 0)
            seen: datetime | None = row.get("last_seen_at")
            entry = {k: health.get(k) for k in HEALTH_FIELDS}
            mine = here.get(row["id"])
            if mine is not None and (mine[0] or seen is None or mine[1] is None
                                     or mine[1] >= seen):
                connected = mine[0]
                entry.update({k: mine[2].get(k, entry.get(k)) for k in HEALTH_FIELDS})
                last_seen = now if connected else mine[1]
            elif recorded_online and seen is not None and now - seen <= REMOTE_FRESH:
                connected, last_seen = max(1, int(sockets)), seen
            else:
                connected, last_seen = 0, seen
            contact = last_seen or row.get("created")
            stale = (not row["revoked"] and not connected and contact is not None
                     and now - contact > self.stale_after)
            out.append({**{k: v for k, v in row.items()
                           if k not in ("health", "last_seen_at", "created")},
                        **entry, "connected": connected, "last_seen": _iso(last_seen),
                        "stale": stale})
        return out

    # ---- the writer thread ---------------------------------------------------------------

    def start(self) -> None:
        """In the serving process: push and flush in the background."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="signage-fleet", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        next_flush = time.monotonic() + self._flush_every
        while True:
            with self._lock:
                dues = [next_flush, self._push_due or next_flush, self._flush_due or next_flush]
            self._wake.wait(max(0.0, min(dues) - time.monotonic()))
            self._wake.clear()
            now = time.monotonic()
            try:
                if self._push_due is not None and now >= self._push_due:
                    self.push()
                if now >= next_flush or (self._flush_due is not None and now >= self._flush_due):
                    self.flush()
                    next_flush = now + self._flush_every
            except Exception:  # never let the thread die; the next round retries
                log.exception("fleet health bookkeeping failed")

    def push(self) -> None:
        """Send the admins' pages what changed since the last push."""
        with self._lock:
            ids, self._to_push, self._push_due = self._to_push, set(), None
            items = [self._live_entry(sid, self._screens[sid]) for sid in sorted(ids)
                     if sid in self._screens]
        if items:
            self._push(items)

    def flush(self) -> None:
        """Write what changed to the store now (kept for the next try if that fails)."""
        with self._lock:
            ids, self._to_store, self._flush_due = self._to_store, set(), None
            reports = [{"id": sid, "last_seen_at": live.last_seen,
                        "health": {**live.status, "online": bool(live.sockets),
                                   "sockets": len(live.sockets)},
                        "plays": list(live.plays)}
                       for sid in sorted(ids) if (live := self._screens.get(sid)) is not None]
        if not reports:
            return
        try:
            self._save(reports)
        except Exception:
            log.warning("could not record the screens' health; retrying at the next flush")
            with self._lock:
                self._to_store |= {r["id"] for r in reports}
            raise
        with self._lock:
            for report in reports:   # stored: later changes stay for the next batch
                live = self._screens.get(report["id"])
                if live is not None:
                    del live.plays[:len(report["plays"])]
            # A screen gone from this process, and recorded so, needs no memory here.
            for report in reports:
                live = self._screens.get(report["id"])
                if live is not None and not live.sockets and report["id"] not in self._to_store:
                    del self._screens[report["id"]]


