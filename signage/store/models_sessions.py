"""Staff sessions kept on the server: a login is a row, so logging out, a deactivation
or a new password ends it for good, whatever a copied cookie says."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signage.store.models import Base, User, utcnow


class StaffSession(Base):
    """One login of one staff member in one browser. The cookie carries the secret;
    only its digest is stored."""

    __tablename__ = "staff_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Absolute: using the session does not extend it (one working day, then log in again).
    expires_at: Mapped[datetime] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    # Why it ended: logout, password, deactivated, expired.
    ended_by: Mapped[str | None] = mapped_column(String(16), default=None)
    # A digest of the browser's User-Agent: the same cookie in another browser is refused.
    agent_hash: Mapped[str] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(64), default=None)
    user: Mapped[User] = relationship()

    __table_args__ = (Index("ix_staff_sessions_user", "user_id", "ended_at"),)
