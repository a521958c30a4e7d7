"""The Hub across processes: events go through Redis pub/sub, fan-out stays local.

`publish` runs one Lua script that increments the zone's seq and publishes the event
atomically, so every process sees a zone's events in seq order. Each process has one
subscriber thread (started after fork) that hands events to its own writer thread.

Redis pub/sub is at-most-once: a process whose subscription drops misses events. Its
screens then see a jump in `seq` on the next event and resync from a snapshot
(docs/protocol.md), so nothing is lost for good.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any

import redis

from signage.realtime.hub import LocalHub

log = logging.getLogger(__name__)

# KEYS: the zone's seq, the epoch. ARGV: channel, body, an epoch to use if there is none
# (a fresh or restarted Redis: the numbering starts again, under a new epoch).
_PUBLISH = """
local epoch = redis.call('GET', KEYS[2])
if not epoch then
  redis.call('SET', KEYS[2], ARGV[3])
  epoch = ARGV[3]
end
local seq = redis.call('INCR', KEYS[1])
redis.call('PUBLISH', ARGV[1], epoch .. '\\n' .. seq .. '\\n' .. ARGV[2])
return seq
"""


class RedisHub(LocalHub):
    def __init__(self, url: str, now: Callable[[], datetime],
                 outbox_limit: int = 2 * 1024 * 1024, prefix: str = "signage") -> None:
        super().__init__(now, outbox_limit)
        self.url = url
        self._channel = f"{prefix}:zone:"
        self._seq_key = f"{prefix}:seq:"
        self._epoch_key = f"{prefix}:epoch"
        self._redis = redis.Redis.from_url(url, health_check_interval=30)
        self._script = self._redis.register_script(_PUBLISH)
        self._listener: threading.Thread | None = None
        self.subscribed = False  # the subscriber thread's psubscribe is confirmed
        self._stopping = threading.Event()

    def publish(self, zone: str, type: str, data: dict[str, Any] | None = None) -> int:
        message = {"type": type, "at": self._now().isoformat(), **(data or {})}
        body = json.dumps(message, ensure_ascii=False, separators=(",", ":"), default=str)
        return int(self._script(keys=[self._seq_key + zone, self._epoch_key],
                                args=[self._channel + zone, body, secrets.token_hex(6)]))

    def _adopt(self, epoch: str) -> None:
        """The bus's numbering started again: forget the old seqs. Caller holds the lock."""
        if epoch != self.epoch:
            log.warning("event bus epoch changed (%s -> %s): seq numbering restarted",
                        self.epoch, epoch)
            self.epoch = epoch
            self._seq.clear()

    def _current_seq(self, zone: str) -> int:
        # Events up to this seq are published; any still in flight to this process are
        # dropped for a holding screen by the seq filter in Fanout.release.
        self._redis.set(self._epoch_key, secrets.token_hex(6), nx=True)
        value, epoch = self._redis.mget(self._seq_key + zone, self._epoch_key)
        if epoch is not None:
            self._adopt(epoch.decode() if isinstance(epoch, bytes) else epoch)
        return max(int(value or 0), self._seq[zone])

    def ping(self) -> None:
        """Is Redis answering, and (in a serving process) are we subscribed again? (A
        client of its own with short timeouts, for /healthz.)"""
        client = redis.Redis.from_url(self.url, socket_timeout=1, socket_connect_timeout=1)
        try:
            client.ping()
        finally:
            client.close()
        if self._listener is not None and not self.subscribed:
            raise RuntimeError("not subscribed")

    def start_listening(self) -> None:
        """Start the subscriber thread (call once per process, after fork)."""
        if self._listener is None:
            self._listener = threading.Thread(target=self._listen, name="signage-redis",
                                              daemon=True)
            self._listener.start()

    def stop(self) -> None:
        self._stopping.set()

    def _listen(self) -> None:
        backoff = 0.2
        while not self._stopping.is_set():
            try:
                pubsub = self._redis.pubsub()
                pubsub.psubscribe(self._channel + "*")
                backoff = 0.2
                while not self._stopping.is_set():
                    item = pubsub.get_message(timeout=1.0)
                    if item is None:
                        continue
                    if item["type"] == "psubscribe":
                        self.subscribed = True  # Redis confirmed: events reach us again
                    elif item["type"] == "pmessage":
                        self._on_message(item)
                pubsub.close()
            except redis.RedisError as exc:
                self.subscribed = False
                log.warning("Redis subscription lost (%s); retrying in %.1f s", exc, backoff)
                time.sleep(backoff)
                backoff = min(backoff * 2, 5.0)

    def _on_message(self, item: dict[str, Any]) -> None:
        channel = item["channel"].decode() if isinstance(item["channel"], bytes) else item["channel"]
        raw = item["data"].decode() if isinstance(item["data"], bytes) else item["data"]
        epoch, _, rest = raw.partition("\n")
        seq_text, _, body = rest.partition("\n")
        zone = channel[len(self._channel):]
        message = json.loads(body)
        seq = int(seq_text)
        message = {"type": message.pop("type"), "seq": seq, "epoch": epoch, **message}
        with self._lock:
            self._adopt(epoch)
            self._deliver(zone, seq, message)
        self._control(zone, message)
