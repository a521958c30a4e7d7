"""The lobby: what every door shares, and the one way a change is made.

`perform(usecase, actor, ...)` runs a use case (signage.usecases) in one write
transaction and, after commit, publishes the events it recorded (signage.publishing).
`query(fn, ...)` runs a read. Doors hold a Lobby and call these two; they never open
a session or touch the Hub themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from signage.clock import Clock
from signage.config import Settings
from signage.publishing import Publisher
from signage.store import Store
from signage.usecases import Actor, Change

T = TypeVar("T")


class Lobby:
    def __init__(self, settings: Settings, store: Store, publisher: Publisher,
                 clock: Clock) -> None:
        self.settings = settings
        self.store = store
        self.publisher = publisher
        self.clock = clock
        self.scheduler: Any = None  # set by the serve process (signage.scheduler.Rotation)

    def perform(self, usecase: Callable[..., T], actor: Actor, /, *args: Any, **kwargs: Any) -> T:
        """Run one use case as `actor` in a write transaction; publish its events after
        commit. Returns what the use case returns; raises its SignageError unchanged
        (and then nothing was written and nothing is published)."""
        with self.store.write() as session:
            change = Change(session, actor, self.clock.now(), self.clock.tz)
            result = usecase(change, *args, **kwargs)
        self.publisher.publish(change.events)
        return result

    def query(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run a read `fn(session, *args, **kwargs)`; its result must not need the session."""
        with self.store.read() as session:
            return fn(session, *args, **kwargs)
