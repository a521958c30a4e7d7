"""Services and counters: what the office offers and where it is served.

The functions here are what the REST API and the admin pages call; they validate
the fields (Vietnamese messages), never delete (a service or counter with history
is deactivated instead), and return the ORM objects; `service_json` /
`counter_json` give the API shape.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from signage.queueing.errors import QueueError
from signage.queueing.speech import letter_name
from signage.store.models import Zone
from signage.store.models_queue import QueueCounter, QueueService

_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MAX_NUMBER = 999_999

SERVICE_FIELDS = ("code", "name", "prefix", "range_start", "range_end", "daily_cap",
                  "opens_at", "closes_at", "position", "active")
COUNTER_FIELDS = ("number", "name", "services", "officer", "zones", "active")


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


def get_service(session: Session, code: str) -> QueueService:
    service = session.scalar(select(QueueService).where(QueueService.code == code))
    if service is None:
        raise QueueError("not_found", f"Không có dịch vụ mã {code!r}.")
    return service


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
        raise QueueError("not_found", f"Không có quầy id {counter_id}.")
    return counter


def counter_by_number(session: Session, number: int) -> QueueCounter:
    counter = session.scalar(select(QueueCounter).where(QueueCounter.number == number))
    if counter is None:
        raise QueueError("not_found", f"Không có quầy số {number}.")
    return counter


def has_services(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(QueueService)) > 0


# ---- validation ---------------------------------------------------------------------

def _text(data: dict[str, Any], key: str, label: str, limit: int, required: bool) -> str | None:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise QueueError("invalid", f"Thiếu {label} ({key}).", field=key)
        return None
    if not isinstance(value, str) or len(value.strip()) > limit:
        raise QueueError("invalid", f"{label} ({key}) phải là chuỗi không quá {limit} ký tự.",
                         field=key)
    return value.strip()


def _int(data: dict[str, Any], key: str, label: str, lo: int, hi: int) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise QueueError("invalid", f"{label} ({key}) phải là số nguyên từ {lo} đến {hi}.",
                         field=key)
    return value


def _hhmm(data: dict[str, Any], key: str, label: str) -> str | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _HHMM.match(value):
        raise QueueError("invalid", f"{label} ({key}) phải có dạng GG:PP, ví dụ 07:30.",
                         field=key)
    return value


def _prefix(value: str) -> str:
    prefix = value.strip().upper()
    if not 1 <= len(prefix) <= 3:
        raise QueueError("invalid", "Chữ cái đầu số (prefix) phải gồm 1 đến 3 chữ cái.",
                         field="prefix")
    for ch in prefix:
        try:
            letter_name(ch)  # every prefix letter must be speakable on the lobby TVs
        except ValueError:
            raise QueueError("invalid", f"Chữ {ch!r} không dùng được làm đầu số "
                             "(chỉ chữ cái A–Z và Đ).", field="prefix") from None
    return prefix


def _apply_service(session: Session, service: QueueService, data: dict[str, Any],
                   creating: bool) -> None:
    if not isinstance(data, dict):
        raise QueueError("invalid", "Cần một đối tượng JSON.")
    unknown = set(data) - set(SERVICE_FIELDS) - {"id"}
    if unknown:
        raise QueueError("invalid", f"Trường không hỗ trợ: {', '.join(sorted(unknown))}.")
    if creating or "code" in data:
        code = _text(data, "code", "Mã dịch vụ", 32, True)
        assert code is not None
        if not _CODE.match(code):
            raise QueueError("invalid", "Mã dịch vụ chỉ gồm chữ không dấu, số, '.', '_', '-'.",
                             field="code")
        other = session.scalar(select(QueueService.id).where(QueueService.code == code))
        if other is not None and other != service.id:
            raise QueueError("conflict", f"Đã có dịch vụ mã {code}.", field="code")
        service.code = code
    if creating or "name" in data:
        service.name = _text(data, "name", "Tên dịch vụ", 200, True) or ""
    if creating or "prefix" in data:
        service.prefix = _prefix(_text(data, "prefix", "Đầu số", 3, True) or "")
    for key, label in (("range_start", "Số bắt đầu"), ("range_end", "Số kết thúc"),
                       ("daily_cap", "Số phiếu tối đa mỗi ngày"), ("position", "Thứ tự")):
        if key in data:
            value = _int(data, key, label, 0 if key == "position" else 1, MAX_NUMBER)
            if value is None and key in ("range_start", "range_end", "position"):
                continue
            setattr(service, key, value)
    if creating:
        service.range_start = service.range_start or 1
        service.range_end = service.range_end or 9999
        if service.position is None:
            service.position = (session.scalar(select(func.max(QueueService.position))) or 0) + 1
    if service.range_end < service.range_start:
        raise QueueError("invalid", "Số kết thúc phải lớn hơn hoặc bằng số bắt đầu.",
                         field="range_end")
    for key, label in (("opens_at", "Giờ bắt đầu cấp số"), ("closes_at", "Giờ ngừng cấp số")):
        if key in data:
            setattr(service, key, _hhmm(data, key, label))
    if service.opens_at and service.closes_at and service.closes_at <= service.opens_at:
        raise QueueError("invalid", "Giờ ngừng cấp số phải sau giờ bắt đầu.", field="closes_at")
    if "active" in data:
        if not isinstance(data["active"], bool):
            raise QueueError("invalid", "active phải là true hoặc false.", field="active")
        service.active = data["active"]


def create_service(session: Session, data: dict[str, Any], now: datetime) -> QueueService:
    """A new service from {code, name, prefix, …}; every other field optional."""
    service = QueueService(created_at=now, active=True, daily_cap=None, position=None)
    _apply_service(session, service, data, creating=True)
    session.add(service)
    session.flush()
    return service


def define_service(session: Session, data: dict[str, Any], now: datetime
                   ) -> tuple[QueueService, bool]:
    """Create the service with `data["code"]`, or redefine the one that has that code.

    Returns (service, created). A redefinition takes the same required fields as a
    creation and keeps what is not given; the numbers already issued keep theirs.
    Scripts can so define an office's services again and again (idempotent).
    """
    code = data.get("code") if isinstance(data, dict) else None
    existing = (session.scalar(select(QueueService).where(QueueService.code == code))
                if isinstance(code, str) else None)
    if existing is None:
        return create_service(session, data, now), True
    _apply_service(session, existing, data, creating=True)
    session.flush()
    return existing, False


def update_service(session: Session, code: str, data: dict[str, Any]) -> QueueService:
    """Change some fields of a service (its numbers already issued keep their display)."""
    service = get_service(session, code)
    _apply_service(session, service, data, creating=False)
    session.flush()
    return service


def _apply_counter(session: Session, counter: QueueCounter, data: dict[str, Any],
                   creating: bool) -> None:
    if not isinstance(data, dict):
        raise QueueError("invalid", "Cần một đối tượng JSON.")
    unknown = set(data) - set(COUNTER_FIELDS) - {"id"}
    if unknown:
        raise QueueError("invalid", f"Trường không hỗ trợ: {', '.join(sorted(unknown))}.")
    if creating or "number" in data:
        number = _int(data, "number", "Số quầy", 1, 999)
        if number is None:
            raise QueueError("invalid", "Thiếu số quầy (number).", field="number")
        other = session.scalar(select(QueueCounter.id).where(QueueCounter.number == number))
        if other is not None and other != counter.id:
            raise QueueError("conflict", f"Đã có quầy số {number}.", field="number")
        counter.number = number
    if creating or "name" in data:
        counter.name = (_text(data, "name", "Tên quầy", 200, False)
                        or counter.name or f"Quầy {counter.number}")
    if "officer" in data:
        counter.officer = _text(data, "officer", "Cán bộ trực", 200, False)
    if creating or "services" in data:
        codes = data.get("services") or []
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise QueueError("invalid", "services phải là danh sách mã dịch vụ.", field="services")
        counter.services = [get_service(session, c) for c in dict.fromkeys(codes)]
    if "zones" in data:
        slugs = data.get("zones") or []
        if not isinstance(slugs, list) or not all(isinstance(s, str) for s in slugs):
            raise QueueError("invalid", "zones phải là danh sách mã khu vực.", field="zones")
        zones = []
        for slug in dict.fromkeys(slugs):
            zone = session.scalar(select(Zone).where(Zone.slug == slug))
            if zone is None:
                raise QueueError("invalid", f"Không có khu vực {slug}.", field="zones")
            zones.append(zone)
        counter.zones = zones
    if "active" in data:
        if not isinstance(data["active"], bool):
            raise QueueError("invalid", "active phải là true hoặc false.", field="active")
        counter.active = data["active"]


def create_counter(session: Session, data: dict[str, Any], now: datetime) -> QueueCounter:
    """A new counter from {number, services (codes), …}; name, officer, zones optional."""
    counter = QueueCounter(created_at=now, active=True, name="")
    _apply_counter(session, counter, data, creating=True)
    session.add(counter)
    session.flush()
    return counter


def define_counter(session: Session, data: dict[str, Any], now: datetime
                   ) -> tuple[QueueCounter, bool]:
    """Create counter number `data["number"]`, or redefine the counter with that number.

    A counter is a desk known by its number: defining it again sets its services
    (and whatever else is given) and keeps its history. Returns (counter, created).
    """
    number = data.get("number") if isinstance(data, dict) else None
    existing = (session.scalar(select(QueueCounter).where(QueueCounter.number == number))
                if isinstance(number, int) and not isinstance(number, bool) else None)
    if existing is None:
        return create_counter(session, data, now), True
    _apply_counter(session, existing, data, creating=True)
    session.flush()
    return existing, False


def update_counter(session: Session, counter_id: int, data: dict[str, Any]) -> QueueCounter:
    counter = get_counter(session, counter_id)
    _apply_counter(session, counter, data, creating=False)
    session.flush()
    return counter


def counter_zone_slugs(session: Session, counter: QueueCounter) -> list[str]:
    """The zones whose screens show this counter: its own list, or every zone."""
    if counter.zones:
        return [z.slug for z in counter.zones]
    return list(session.scalars(select(Zone.slug).order_by(Zone.id)))
