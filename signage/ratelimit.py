"""How often one sender may do something: fixed windows counted per key.

Used where the public can act without signing in — taking a number without a
registered kiosk, the feedback box — so one phone or script cannot use up the day's
numbers or flood the inbox. One process (the embedded default) counts in memory; with
Redis every process counts in the same keys, so the limit holds across workers.

A limit is "N/unit" (unit: second, minute, hour, day); several are checked together
("12/minute,120/hour"): the answer is how many seconds to wait (0: go ahead). A refused
attempt is not counted, so waiting is enough to be let in again.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int

    @classmethod
    def parse_many(cls, text: str) -> tuple[Limit, ...]:
        """"12/minute,120/hour" → limits; raises ValueError naming what is wrong."""
        limits = []
        for part in (p.strip() for p in text.split(",") if p.strip()):
            count, _, unit = part.partition("/")
            unit = unit.strip().rstrip("s")
            if not count.strip().isdigit() or unit not in UNITS:
                raise ValueError(f"a rate limit is N/second|minute|hour|day, not {part!r}")
            limits.append(cls(int(count), UNITS[unit]))
        return tuple(limits)


class MemoryCounter:
    """Fixed windows in this process (the embedded default: one process)."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, int, int], int] = {}

    def take(self, key: str, limits: tuple[Limit, ...]) -> int:
        now = self._clock()
        with self._lock:
            if len(self._counts) > 100_000:  # old windows: forget them all at once
                self._counts = {k: v for k, v in self._counts.items()
                                if k[2] == int(now // k[1])}
            wait = 0
            for limit in limits:
                window = int(now // limit.seconds)
                if self._counts.get((key, limit.seconds, window), 0) >= limit.count:
                    wait = max(wait, math.ceil((window + 1) * limit.seconds - now))
            if wait:
                return wait
            for limit in limits:
                k = (key, limit.seconds, int(now // limit.seconds))
                self._counts[k] = self._counts.get(k, 0) + 1
            return 0


class RedisCounter:
    """Fixed windows in Redis (several processes): one INCR per window, with expiry."""

    _TAKE = """
    local wait = 0
    for i = 1, #KEYS do
      local n = tonumber(redis.call('GET', KEYS[i]) or '0')
      if n >= tonumber(ARGV[2 * i - 1]) then
        local ttl = redis.call('PTTL', KEYS[i])
        if ttl > wait then wait = ttl end
      end
    end
    if wait > 0 then return wait end
    for i = 1, #KEYS do
      local n = redis.call('INCR', KEYS[i])
      if n == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[2 * i]) end
    end
    return 0
    """

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._script = self._redis.register_script(self._TAKE)
        self._prefix = f"{prefix}:rate:"

    def take(self, key: str, limits: tuple[Limit, ...]) -> int:
        now = time.time()
        keys, args = [], []
        for limit in limits:
            window = int(now // limit.seconds)
            keys.append(f"{self._prefix}{key}:{limit.seconds}:{window}")
            args += [limit.count, limit.seconds * 1000]
        try:
            wait_ms = int(self._script(keys=keys, args=args))
        except Exception:  # a bus outage must not stop citizens taking numbers
            return 0
        return math.ceil(wait_ms / 1000) if wait_ms > 0 else 0


class Limiter:
    """Named limits over one counter: `limiter.wait("tickets", address)`."""

    def __init__(self, counter: Any, limits: dict[str, tuple[Limit, ...]]) -> None:
        self._counter = counter
        self._limits = limits

    def wait(self, name: str, sender: str) -> int:
        """Count one attempt of `name` by `sender`; seconds to wait instead (0: go)."""
        limits = self._limits.get(name)
        if not limits:
            return 0
        return self._counter.take(f"{name}:{sender}", limits)


def make_limiter(redis_url: str | None, prefix: str, limits: dict[str, str]) -> Limiter:
    counter = RedisCounter(redis_url, prefix) if redis_url else MemoryCounter()
    return Limiter(counter, {name: Limit.parse_many(text) for name, text in limits.items()})
