"""Queue tables: services, counters, the daily number sequences, tickets and their history.

Shapes only; the rules (numbering, calling, the daily reset) live in signage.queueing.
Nothing here is ever deleted: a ticket ends as done, skipped, void or expired, and
every change of state is a row in `queue_events`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signage.store.models import Base, Zone, utcnow

# Which services a counter serves (many-to-many).
counter_services = Table(
    "queue_counter_services",
    Base.metadata,
    Column("counter_id", ForeignKey("queue_counters.id", ondelete="CASCADE"), primary_key=True),
    Column("service_id", ForeignKey("queue_services.id", ondelete="CASCADE"), primary_key=True),
)

# The zones whose screens show a counter's calls. No row: every zone shows it.
counter_zones = Table(
    "queue_counter_zones",
    Base.metadata,
    Column("counter_id", ForeignKey("queue_counters.id", ondelete="CASCADE"), primary_key=True),
    Column("zone_id", ForeignKey("zones.id", ondelete="CASCADE"), primary_key=True),
)


class QueueService(Base):
    """A service citizens take a number for (hộ tịch, chứng thực, …)."""

    __tablename__ = "queue_services"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(4))
    range_start: Mapped[int] = mapped_column(Integer, default=1)
    range_end: Mapped[int] = mapped_column(Integer, default=9999)
    daily_cap: Mapped[int | None] = mapped_column(Integer, default=None)
    # Ticketing hours, office-local "HH:MM"; None: no limit.
    opens_at: Mapped[str | None] = mapped_column(String(5), default=None)
    closes_at: Mapped[str | None] = mapped_column(String(5), default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Kiosk(Base):
    """A registered ticket kiosk: its tickets are not limited as anonymous requests are.
    It proves itself with the key in its URL, like a lobby screen."""

    __tablename__ = "queue_kiosks"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_seen_at: Mapped[datetime | None] = mapped_column(default=None)


class QueueCounter(Base):
    """A counter (quầy) and the officer on duty there."""

    __tablename__ = "queue_counters"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    officer: Mapped[str | None] = mapped_column(String(200), default=None)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    services: Mapped[list[QueueService]] = relationship(
        secondary=counter_services, order_by="QueueService.position, QueueService.id")
    zones: Mapped[list[Zone]] = relationship(secondary=counter_zones, order_by="Zone.id")


class QueueDay(Base):
    """One row per office day, written once by the day's reset (see docs/queue.md)."""

    __tablename__ = "queue_days"
    office_date: Mapped[date] = mapped_column(Date, primary_key=True)
    opened_at: Mapped[datetime] = mapped_column()
    expired: Mapped[int] = mapped_column(Integer, default=0)


class QueueSequence(Base):
    """The last number issued in a series on an office day: the atomic counter.

    A series is a prefix letter, not a service: services that share a prefix share its
    numbers, so a display ("A-1005") is never issued twice on a day, whatever an admin
    configures.
    """

    __tablename__ = "queue_sequences"
    series: Mapped[str] = mapped_column(String(3), primary_key=True)
    office_date: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class Ticket(Base):
    """A number taken by a citizen. Never deleted; its history is in `queue_events`."""

    __tablename__ = "queue_tickets"
    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32), unique=True)
    # The series the number belongs to (fixed for life) …
    service_id: Mapped[int] = mapped_column(ForeignKey("queue_services.id"))
    office_date: Mapped[date] = mapped_column(Date)
    number: Mapped[int] = mapped_column(Integer)
    display: Mapped[str] = mapped_column(String(16))
    # … and the queue it waits in now (changes on a transfer).
    queue_service_id: Mapped[int] = mapped_column(ForeignKey("queue_services.id"))
    target_counter_id: Mapped[int | None] = mapped_column(
        ForeignKey("queue_counters.id"), default=None)
    priority: Mapped[str | None] = mapped_column(String(32), default=None)
    # waiting | called | held | done | skipped | void | expired
    status: Mapped[str] = mapped_column(String(16), default="waiting")
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("queue_counters.id"), default=None)
    issued_at: Mapped[datetime] = mapped_column()
    called_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    calls: Mapped[int] = mapped_column(Integer, default=0)
    service: Mapped[QueueService] = relationship(foreign_keys=[service_id])
    queue_service: Mapped[QueueService] = relationship(foreign_keys=[queue_service_id])
    counter: Mapped[QueueCounter | None] = relationship(foreign_keys=[counter_id])

    __table_args__ = (
        # The guarantee behind "no number is issued twice", whatever the code above does.
        UniqueConstraint("service_id", "office_date", "number", name="uq_queue_ticket_number"),
        # What a citizen holds and hears: one "A-1005" per office day, across services.
        UniqueConstraint("office_date", "display", name="uq_queue_ticket_display"),
        # The waiting line, and "people ahead" counted from the index alone.
        Index("ix_queue_tickets_waiting", "office_date", "status", "queue_service_id",
              "priority", "issued_at"),
        # A service's last completed tickets (the estimated wait), never a scan of history.
        Index("ix_queue_tickets_done", "queue_service_id", "status", "finished_at"),
        Index("ix_queue_tickets_counter", "counter_id", "status"),
    )


class QueueEvent(Base):
    """One change of a ticket's state: issued, called, recalled, skipped, held, …"""

    __tablename__ = "queue_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("queue_tickets.id"))
    kind: Mapped[str] = mapped_column(String(16))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("queue_counters.id"), default=None)
    actor: Mapped[str | None] = mapped_column(String(80), default=None)
    at: Mapped[datetime] = mapped_column()
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (
        Index("ix_queue_events_ticket", "ticket_id"),
        Index("ix_queue_events_at", "at"),
    )
