"""Services and counters as stored: what the office offers and where it is served.

Reading them and their JSON. Changing them is the use cases' work
(signage.usecases.queue: validation, audit, events); nothing is ever deleted (a
service with history is paused, a counter deactivated).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from signage.errors import N_, NotFound
from signage.store.models import Zone
from signage.store.models_queue import QueueCounter, QueueService

MAX_NUMBER = 999_999


# ---- JSON ---------------------------------------------------------------------------

def service_json(service: QueueService) -> dict[str, Any]:
    return {
        "id": service.id,
        "code": service.code,
        "name": service.name,
        "prefix": service.prefix,
        "range_start": service.range_start,
        "range_end": service.range_end,
        "daily_cap": service.daily_cap,
        "opens_at": service.opens_at,
        "closes_at": service.closes_at,
        "position": service.position,
        "active": service.active,
    }


def counter_json(counter: QueueCounter) -> dict[str, Any]:
    return {
        "id": counter.id,
        "number": counter.number,
        "name": counter.name,
        "services": [s.code for s in counter.services],
        "officer": counter.officer,
        "zones": [z.slug for z in counter.zones],
        "active": counter.active,
    }


# ---- reading ------------------------------------------------------------------------

def list_services(session: Session, *, active_only: bool = False) -> list[QueueService]:
    query = select(QueueService).order_by(QueueService.position, QueueService.id)
    if active_only:
        query = query.where(QueueService.active.is_(True))
    return list(session.scalars(query))


def find_service(session: Session, code: str) -> QueueService | None:
    return session.scalar(select(QueueService).where(QueueService.code == code))


def get_service(session: Session, code: str) -> QueueService:
    service = find_service(session, code)
    if service is None:
        raise NotFound(N_("Không có dịch vụ mã %(service)s."), service=code)
    return service


def service_codes(session: Session) -> set[str]:
    return set(session.scalars(select(QueueService.code)))


def last_position(session: Session) -> int:
    return session.scalar(select(func.max(QueueService.position))) or 0


def list_counters(session: Session, *, active_only: bool = False) -> list[QueueCounter]:
    query = (select(QueueCounter)
             .options(selectinload(QueueCounter.services), selectinload(QueueCounter.zones))
             .order_by(QueueCounter.number))
    if active_only:
        query = query.where(QueueCounter.active.is_(True))
    return list(session.scalars(query))


def get_counter(session: Session, counter_id: int) -> QueueCounter:
    counter = session.get(QueueCounter, counter_id)
    if counter is None:
        raise NotFound(N_("Không có quầy id %(id)s."), id=counter_id)
    return counter


def find_counter(session: Session, number: int) -> QueueCounter | None:
    return session.scalar(select(QueueCounter).where(QueueCounter.number == number))


def counter_by_number(session: Session, number: int) -> QueueCounter:
    counter = find_counter(session, number)
    if counter is None:
        raise NotFound(N_("Không có quầy số %(number)s."), number=number)
    return counter


def has_services(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(QueueService)) > 0


def counter_zone_slugs(session: Session, counter: QueueCounter) -> list[str]:
    """The zones whose screens show this counter: its own list, or every zone."""
    if counter.zones:
        return [z.slug for z in counter.zones]
    return list(session.scalars(select(Zone.slug).order_by(Zone.id)))


def zone_names(session: Session) -> dict[str, str]:
    """Every zone's slug and name, in the order they were made."""
    return {slug: name for slug, name in session.execute(
        select(Zone.slug, Zone.name).order_by(Zone.id))}


def sharing_prefix(session: Session, service: QueueService) -> list[str]:
    """Names of the other active services numbered with the same letters (their tickets
    share one series, so the numbers of both run on together on the screens)."""
    return [s.name for s in list_services(session, active_only=True)
            if s.prefix == service.prefix and s.id != service.id]
