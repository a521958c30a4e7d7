"""The use-case layer: exactly one function per state change.

Doors (the API, the /admin forms, the counter console, the kiosk, the CLI, content
import, the scheduler) only translate: they parse what came in, name the actor, and
call `Lobby.perform(usecase, actor, ...)`. That runs the use case in one write
transaction with a `Change` — the session, who acts, the moment, the office time
zone — and, after commit, hands the events the use case recorded to the publisher.
So the same change through two doors is the same function call: the same
validation (signage.validation), the same audit row, the same error
(signage.errors), the same events.

A use case:
- takes `change: Change` first, then its input (a dict or the input model);
- validates with `parse(Model, data)`;
- checks the actor's role with `change.require(...)`;
- writes its audit entry with `change.audit(...)` (same transaction);
- records what screens must hear with `change.emit(...)`;
- returns plain data (JSON-ready dicts), never ORM objects, so doors need no session.

Queries (reads) are plain functions `(session, ...) -> data` run by `Lobby.query`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from signage.accounts import ROLES  # noqa: F401  (the roles, once)
from signage.accounts.audit import record
from signage.errors import N_, Forbidden
from signage.events import Event

ADMIN = frozenset({"admin"})
EDITORS = frozenset({"admin", "editor", "approver"})
APPROVERS = frozenset({"admin", "approver"})
OPERATORS = frozenset({"admin", "operator"})


@dataclass(frozen=True)
class Actor:
    """Who acts: a user (name and role), the CLI, the scheduler, or an anonymous device.

    `name` is what the audit log shows; `role` decides what is allowed (None: a
    member of the public, e.g. the kiosk); `ip` is recorded with the audit entry.
    """

    name: str
    role: str | None = None
    ip: str | None = None

    @classmethod
    def cli(cls) -> Actor:
        """The console script: run by whoever administers the machine."""
        return cls("cli", "admin")

    @classmethod
    def system(cls) -> Actor:
        """The service itself (scheduler, first start)."""
        return cls("system", "admin")

    @classmethod
    def public(cls, name: str = "public", ip: str | None = None) -> Actor:
        return cls(name, None, ip)

    def may(self, roles: Iterable[str]) -> bool:
        """Admin may do everything; others what `roles` lists."""
        return self.role == "admin" or (self.role is not None and self.role in set(roles))

    @property
    def approves(self) -> bool:
        return self.may(APPROVERS)


@dataclass
class Change:
    """One use case's write transaction: what it needs and what it leaves behind."""

    session: Session
    actor: Actor
    now: datetime
    tz: ZoneInfo
    events: list[Event] = field(default_factory=list)
    # The instance's data dir (uploaded pictures live under it); None outside a Lobby.
    data_dir: Path | None = None

    def require(self, roles: Iterable[str]) -> None:
        """Refuse (Forbidden) unless the actor has one of `roles` (admin always may)."""
        if not self.actor.may(roles):
            raise Forbidden(N_("Tài khoản này không có quyền thực hiện thao tác này."))

    def audit(self, action: str, target: str = "", details: dict[str, Any] | None = None) -> None:
        """The audit entry of this change, in its transaction (signage.accounts.audit)."""
        record(self.session, self.actor.name, action, target, details, self.actor.ip, self.now)

    def emit(self, *events: Event) -> None:
        """Events to publish after commit (in this order, duplicates merged)."""
        self.events.extend(events)
