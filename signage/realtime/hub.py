"""Publish/subscribe of events to screens, by zone.

Every event carries `type`, `seq` (per zone, increasing by one) and `at`. A screen
that sees a gap in `seq`, or reconnects, asks for a snapshot; nothing is lost.

Ordering: `attach` (which fixes the snapshot's seq) and `publish` (which assigns the
next seq and queues the frame) take the same lock, and the writer executes commands
in queue order. So a screen gets its snapshot (seq s) followed by every event with
seq > s, none twice and none missing, even while events are being published.
"""

from __future__ import annotations

import secrets
import socket
import threading
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from signage.realtime.fanout import Fanout, Peer, RoutedSocket
from signage.realtime.frames import (
    Deflated,
    binary_frame,
    dumps,
    json_frame,
    text_frame,
    text_frame_bytes,
)

PROTOCOL_VERSION = 1
# The channel of messages to every process rather than to screens (a screen revoked:
# whichever process holds its socket closes it). No zone slug can be "@control".
CONTROL = "@control"


class Hub(Protocol):
    def publish(self, zone: str, type: str, data: dict[str, Any] | None = None) -> int: ...
    def connect(self, ws: Any, zone: str, info: dict[str, Any]) -> Peer: ...
    def start(self, peer: Peer, snapshot: Callable[[int], dict[str, Any] | bytes]) -> None: ...
    def current_seq(self, zone: str) -> int: ...
    def reply(self, peer: Peer, type: str, data: dict[str, Any] | None = None) -> None: ...
    def disconnect(self, peer: Peer) -> None: ...
    def drop(self, peer: Peer, code: int, reason: str = "") -> None: ...
    def peers(self, zone: str | None = None) -> list[Peer]: ...
    def connected_count(self) -> int: ...
    def close_all(self, code: int = 1001, reason: str = "") -> None: ...


class LocalHub:
    """The in-process Hub: publish from any thread; one writer thread fans out."""

    def __init__(self, now: Callable[[], datetime], outbox_limit: int = 2 * 1024 * 1024) -> None:
        self._now = now
        self._lock = threading.Lock()
        self._zones: dict[str, set[Peer]] = defaultdict(set)
        self._subscribers: dict[str, tuple[Peer, ...]] = {}
        self._seq: dict[str, int] = defaultdict(int)
        # The generation of the seq numbers. Screens compare it with their snapshot's:
        # another epoch means the numbering started again (a restarted bus), so they
        # resync instead of dropping every event as one they have already applied.
        self.epoch = secrets.token_hex(6)
        self.fanout = Fanout(outbox_limit)
        # Called in every process with each message published on CONTROL.
        self.on_control: Callable[[dict[str, Any]], None] | None = None

    # ---- events -------------------------------------------------------------

    def _message(self, type: str, seq: int, data: dict[str, Any] | None) -> dict[str, Any]:
        message = {"type": type, "seq": seq, "epoch": self.epoch, "at": self._now().isoformat()}
        if data:
            message.update(data)
        return message

    def publish(self, zone: str, type: str, data: dict[str, Any] | None = None) -> int:
        """Send an event to every screen of `zone`; returns its seq."""
        with self._lock:
            seq = self._seq[zone] + 1
            message = self._message(type, seq, data)
            self._deliver(zone, seq, message)
        self._control(zone, message)
        return seq

    def _control(self, zone: str, message: dict[str, Any]) -> None:
        """Hand a CONTROL message to this process (outside the lock: it may read peers)."""
        if zone == CONTROL and self.on_control is not None:
            self.on_control(message)

    def _deliver(self, zone: str, seq: int, message: dict[str, Any]) -> None:
        """Queue an event for this process's screens of `zone`. Caller holds the lock."""
        self._seq[zone] = max(self._seq[zone], seq)
        peers = self._subscribers.get(zone, ())
        if peers:
            self.fanout.broadcast(peers, seq, json_frame(message))

    # ---- connections --------------------------------------------------------

    def connect(self, ws: Any, zone: str, info: dict[str, Any]) -> Peer:
        """Adopt a simple-websocket connection: route its writes through the writer."""
        peer = Peer(ws.sock, zone, info)
        event = getattr(ws, "event", None)
        ws.sock = RoutedSocket(ws.sock, peer, self.fanout, event.set if event else None)
        return peer

    def start(self, peer: Peer, snapshot: Callable[[int], dict[str, Any] | bytes]) -> None:
        """(Re)send `peer` a snapshot built after subscribing, then live events.

        `snapshot(seq)` builds the snapshot message (a dict, to which the epoch is
        added; or the encoded JSON, epoch included; or that JSON `Deflated`, sent as a
        binary frame); it runs outside the lock, so a
        slow database read never delays other zones' events.
        """
        with self._lock:
            self._zones[peer.zone].add(peer)
            self._subscribers[peer.zone] = tuple(self._zones[peer.zone])
            seq = self._current_seq(peer.zone)
            self.fanout.hold(peer)
        message = snapshot(seq)
        if isinstance(message, Deflated):
            frame = binary_frame(message)
        elif isinstance(message, bytes):
            frame = text_frame_bytes(message)
        else:
            frame = text_frame(dumps({**message, "epoch": self.epoch}))
        self.fanout.release(peer, frame, seq)

    def current_seq(self, zone: str) -> int:
        """The seq of the zone's last event (what a snapshot taken now would carry)."""
        with self._lock:
            return self._current_seq(zone)

    def _current_seq(self, zone: str) -> int:
        return self._seq[zone]

    def reply(self, peer: Peer, type: str, data: dict[str, Any] | None = None) -> None:
        """A message to one screen, carrying its zone's current seq (not a new one)."""
        with self._lock:
            self.fanout.send(peer, json_frame(self._message(type, self._seq[peer.zone], data)))

    def disconnect(self, peer: Peer) -> None:
        with self._lock:
            self._zones[peer.zone].discard(peer)
            self._subscribers[peer.zone] = tuple(self._zones[peer.zone])
        self.fanout.detach(peer)
        try:
            # Nothing more will be read from this socket. Saying so now lets the
            # server's close not linger waiting for a FIN from a TV that lost power:
            # gunicorn's graceful close reads until the peer closes, for up to 2 s,
            # on the thread that reports the worker alive (40 vanished TVs were
            # enough to get the worker killed as hung).
            peer.sock.shutdown(socket.SHUT_RD)
        except OSError:
            pass

    def drop(self, peer: Peer, code: int, reason: str = "") -> None:
        self.fanout.drop(peer, code, reason)

    def peers(self, zone: str | None = None) -> list[Peer]:
        with self._lock:
            if zone is not None:
                return list(self._zones.get(zone, ()))
            return [p for peers in self._zones.values() for p in peers]

    def connected_count(self) -> int:
        with self._lock:
            return sum(len(p) for p in self._zones.values())

    def close_all(self, code: int = 1001, reason: str = "") -> None:
        """Close every screen's socket (server going away); they reconnect by themselves."""
        self.fanout.close_all(code, reason)


def make_hub(redis_url: str | None, now: Callable[[], datetime], outbox_limit: int,
             redis_prefix: str = "signage") -> Hub:
    if redis_url:
        from signage.realtime.redis_hub import RedisHub

        return RedisHub(redis_url, now, outbox_limit, redis_prefix)
    return LocalHub(now, outbox_limit)
