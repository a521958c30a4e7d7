"""Citizens judge the service (NĐ 118/2025/NĐ-CP Điều 31–34): the officers at the
counters, who was on duty where, ratings given at a counter's tablet, the tablets
themselves, and the feedback box (phản ánh, kiến nghị).

Shapes only; the rules live in signage.evaluation. Nothing is deleted: ratings and
feedback are the ward's evidence in its administrative-reform scoring, duty rows are
what lets a rating name the officer who served.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signage.store.models import Base, utcnow

# Not more than one open duty per counter, nor per officer (the rule is the domain's;
# these indexes are what holds it under concurrency).
_OPEN = text("ended_at IS NULL")


class Officer(Base):
    """An officer who serves at the counters; name, title, field and phone are public
    (NĐ 118 Điều 9 khoản 8)."""

    __tablename__ = "officers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    field: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str | None] = mapped_column(String(32), default=None)
    # The staff account this officer signs in with at the counter console (optional).
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None, unique=True)
    # A small portrait for the counter's tablet; never loaded unless asked for.
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
    photo_type: Mapped[str | None] = mapped_column(String(32), default=None)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class OfficerDuty(Base):
    """An officer at a counter from `started_at` until `ended_at` (None: now)."""

    __tablename__ = "officer_duty"
    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    counter_id: Mapped[int] = mapped_column(ForeignKey("queue_counters.id"))
    started_at: Mapped[datetime] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    started_by: Mapped[str | None] = mapped_column(String(80), default=None)
    officer: Mapped[Officer] = relationship()

    __table_args__ = (
        Index("uq_officer_duty_open_counter", "counter_id", unique=True,
              sqlite_where=_OPEN, postgresql_where=_OPEN),
        Index("uq_officer_duty_open_officer", "officer_id", unique=True,
              sqlite_where=_OPEN, postgresql_where=_OPEN),
        Index("ix_officer_duty_counter", "counter_id", "started_at"),
    )


class Rating(Base):
    """A citizen's rating of one served ticket: anonymous (no person is stored), one
    per ticket."""

    __tablename__ = "ratings"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("queue_tickets.id"), unique=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("queue_counters.id"))
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"), default=None)
    # The service it was served for (the queue it was in when completed).
    service_id: Mapped[int] = mapped_column(ForeignKey("queue_services.id"))
    scale: Mapped[int] = mapped_column(Integer)  # 3 levels or 5 stars
    score: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    comment: Mapped[str | None] = mapped_column(Text, default=None)
    # tablet (the counter's device) | phone (the ticket's page) | paper (entered by staff)
    channel: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column()

    __table_args__ = (Index("ix_ratings_at", "at"),)


class RatingTablet(Base):
    """A tablet facing the citizen at one counter. It proves itself with the key in its
    page's address, like a lobby screen."""

    __tablename__ = "rating_tablets"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(64), unique=True)
    counter_id: Mapped[int] = mapped_column(ForeignKey("queue_counters.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_seen_at: Mapped[datetime | None] = mapped_column(default=None)


class Feedback(Base):
    """A citizen's view in the feedback box (hộp thư góp ý): stored, answered by staff,
    never shown on a screen by itself."""

    __tablename__ = "feedback"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    contact: Mapped[str | None] = mapped_column(String(200), default=None)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("queue_tickets.id"), default=None)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("queue_counters.id"),
                                                   default=None)
    # kiosk | phone (the ticket's page) | qr (the screens' footer) | api
    channel: Mapped[str] = mapped_column(String(16))
    # new | in_progress | answered
    status: Mapped[str] = mapped_column(String(16), default="new")
    answer: Mapped[str | None] = mapped_column(Text, default=None)
    handled_by: Mapped[str | None] = mapped_column(String(80), default=None)
    answered_at: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column()

    __table_args__ = (Index("ix_feedback_status", "status", "created_at"),
                      Index("ix_feedback_created", "created_at"))
