"""The audit log: who did what, to what, when and from where. Rows are never updated."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from signage.store.models import Base, utcnow


class AuditEntry(Base):
    """One thing somebody did: `actor` did `action` to `target` (e.g. "screen:3")."""

    __tablename__ = "audit_entries"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))  # a user name, or "system" / "cli"
    action: Mapped[str] = mapped_column(String(64))  # "login", "user.create", "notice.update", …
    target: Mapped[str] = mapped_column(String(200), default="")
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    ip: Mapped[str | None] = mapped_column(String(64), default=None)

    __table_args__ = (
        Index("ix_audit_at", "at"),
        # The login throttle counts recent failures by action; the audit page filters by both.
        Index("ix_audit_action_at", "action", "at"),
        Index("ix_audit_actor_at", "actor", "at"),
        Index("ix_audit_target_at", "target", "at"),
    )
