"""Officers at the counters and who is on duty where (NĐ 118 Điều 9 khoản 8: the name,
title, field and phone of each officer at the counters are public).

    create_officer, update_officer     the profile (admin)
    set_officer_photo, clear_officer_photo   a small portrait for the counter's tablet
    start_duty     an officer goes on duty at a counter: the counter console does it when
                   an officer signs in and picks a counter (their own profile, made from
                   their account on first use); an admin may put anyone on duty
    end_duty       nobody on duty at that counter any more

A duty change is audited and reaches the screens' queue panel, the consoles and the
counter's tablet (QueueChanged, DutyChanged).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, field_validator
from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.errors import N_, FieldProblem, Forbidden, Invalid, NotFound
from signage.evaluation import duty
from signage.events import DutyChanged, QueueChanged
from signage.notices.schema import Line
from signage.queueing.catalog import get_counter
from signage.store.models import User
from signage.store.models_evaluation import Officer
from signage.store.models_queue import QueueCounter
from signage.usecases import ADMIN, OPERATORS, Change
from signage.usecases.queue import changes
from signage.validation import Model, Output, parse

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
PHOTO_MAX_BYTES = 512 * 1024
PHONE_PATTERN = r"^[0-9+().\- ]{3,32}$"


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


class OfficerPatch(Model):
    """Some fields of an officer's profile: those given change."""

    name: Annotated[Line, Field(min_length=1, max_length=200)] = Field(
        None, title=N_("Họ và tên"))
    title: Annotated[Line, Field(max_length=200)] = Field(None, title=N_("Chức danh"))
    field: Annotated[Line, Field(max_length=200)] = Field(None, title=N_("Lĩnh vực"))
    phone: Annotated[str, Field(pattern=PHONE_PATTERN)] | None = Field(
        None, title=N_("Số điện thoại"),
        description=N_("chỉ gồm chữ số, khoảng trắng và + ( ) . - (3 đến 32 ký tự)."))
    user: Annotated[str, Field(max_length=80)] | None = Field(
        None, title=N_("Tài khoản"),
        description=N_("tên đăng nhập của cán bộ (để bàn điều khiển quầy nhận ra); null: không"))
    active: bool = Field(None, title=N_("Đang làm việc"))

    @field_validator("phone", "user", mode="before")
    @classmethod
    def _none_when_blank(cls, value: Any) -> Any:
        return _blank_is_none(value)


class OfficerIn(OfficerPatch):
    """A new officer: a name at least."""

    name: Annotated[Line, Field(min_length=1, max_length=200)] = Field(title=N_("Họ và tên"))


class DutyIn(Model):
    """Who goes on duty at the counter: an officer's id, or (omitted) the caller's own
    profile."""

    officer_id: int | None = Field(None, title=N_("Cán bộ"), ge=1, le=2**31 - 1)


class OfficerOut(Output):
    id: int
    name: str
    title: str
    field: str
    phone: str | None
    user: str | None = Field(description="the staff account it signs in with")
    active: bool
    photo_url: str | None = Field(description="null: no photo")
    counter: int | None = Field(description="the number of the counter it is on duty at now")


class DutyOut(Output):
    counter_id: int
    counter: int = Field(description="the counter's number")
    counter_name: str
    officer: OfficerOut | None = Field(description="null: nobody on duty there")
    since: str | None = Field(json_schema_extra={"format": "date-time"})


# ---- JSON -------------------------------------------------------------------------------

def officer_json(session: Session, officer: Officer) -> dict[str, Any]:
    user = session.get(User, officer.user_id) if officer.user_id else None
    where = duty.duty_of(session, officer.id)
    counter = session.get(QueueCounter, where.counter_id) if where else None
    return {"id": officer.id, "name": officer.name, "title": officer.title,
            "field": officer.field, "phone": officer.phone,
            "user": user.name if user else None, "active": officer.active,
            "photo_url": (f"/officers/{officer.id}/photo?v={int(officer.updated_at.timestamp())}"
                          if officer.photo_type else None),
            "counter": counter.number if counter else None}


def _audit_summary(body: dict[str, Any]) -> dict[str, str]:
    return {k: str(body[k]) for k in ("name", "title", "field", "phone", "user")
            if body.get(k)}


def _get(session: Session, officer_id: int) -> Officer:
    officer = session.get(Officer, officer_id)
    if officer is None:
        raise NotFound(N_("Không có cán bộ số %(id)s."), id=officer_id)
    return officer


def _apply(session: Session, officer: Officer, spec: OfficerPatch, given: set[str]) -> None:
    for key in ("name", "title", "field", "phone", "active"):
        if key in given and (getattr(spec, key) is not None or key == "phone"):
            setattr(officer, key, getattr(spec, key))
    if "user" in given:
        officer.user_id = None
        if spec.user:
            user = session.scalar(select(User).where(User.name == spec.user))
            if user is None:
                message = N_("Không có tài khoản %(name)s.")
                raise Invalid(message, code="unknown_user", name=spec.user,
                              fields=[FieldProblem("user", message, {"name": spec.user})])
            other = session.scalar(select(Officer).where(Officer.user_id == user.id,
                                                         Officer.id != (officer.id or 0)))
            if other is not None:
                message = N_("Tài khoản %(name)s đã gắn với cán bộ %(officer)s.")
                raise Invalid(message, code="user_taken", name=spec.user, officer=other.name,
                              fields=[FieldProblem("user", message,
                                                   {"name": spec.user, "officer": other.name})])
            officer.user_id = user.id


# ---- changes -------------------------------------------------------------------------------

def create_officer(change: Change, data: Any) -> dict[str, Any]:
    """A new officer profile (admin)."""
    change.require(ADMIN)
    spec = parse(OfficerIn, data)
    officer = Officer(name=spec.name, title="", field="", active=True, created_at=change.now,
                      updated_at=change.now)
    _apply(change.session, officer, spec, spec.model_fields_set)
    change.session.add(officer)
    change.session.flush()
    body = officer_json(change.session, officer)
    change.audit("officer.create", f"officer:{officer.id}", _audit_summary(body))
    return body


def update_officer(change: Change, officer_id: int, data: Any) -> dict[str, Any]:
    """Change some fields of a profile (admin). A new name shows at once where the
    officer is on duty; an officer made inactive goes off duty."""
    change.require(ADMIN)
    spec = parse(OfficerPatch, data)
    officer = _get(change.session, officer_id)
    before = officer_json(change.session, officer)
    _apply(change.session, officer, spec, spec.model_fields_set)
    where = duty.duty_of(change.session, officer.id)
    if where is not None:
        counter = get_counter(change.session, where.counter_id)
        if officer.active:
            counter.officer = officer.name
        else:
            duty.end_duty(change.session, counter, change.now)
    officer.updated_at = change.now
    change.session.flush()
    body = officer_json(change.session, officer)
    changed = changes(before, body)
    changed.pop("photo_url", None)
    if changed:
        change.audit("officer.update", f"officer:{officer.id}", changed)
        if where is not None:
            change.emit(QueueChanged(), DutyChanged(where.counter_id))
    return body


def set_officer_photo(change: Change, officer_id: int, content: bytes,
                      content_type: str) -> dict[str, Any]:
    """A portrait (JPEG, PNG or WebP, at most 512 KB) for the counter's tablet (admin)."""
    change.require(ADMIN)
    officer = _get(change.session, officer_id)
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind not in PHOTO_TYPES:
        raise Invalid(N_("Ảnh phải là JPEG, PNG hoặc WebP."), code="bad_photo")
    if not content or len(content) > PHOTO_MAX_BYTES:
        raise Invalid(N_("Ảnh phải nhỏ hơn %(kb)s KB."), code="bad_photo",
                      kb=PHOTO_MAX_BYTES // 1024)
    officer.photo, officer.photo_type, officer.updated_at = content, kind, change.now
    change.session.flush()
    change.audit("officer.photo", f"officer:{officer.id}", {"bytes": str(len(content))})
    _tell_counter(change, officer)
    return officer_json(change.session, officer)


def clear_officer_photo(change: Change, officer_id: int) -> dict[str, Any]:
    change.require(ADMIN)
    officer = _get(change.session, officer_id)
    if officer.photo_type:
        officer.photo, officer.photo_type, officer.updated_at = None, None, change.now
        change.audit("officer.photo", f"officer:{officer.id}", {"bytes": "0"})
        _tell_counter(change, officer)
    return officer_json(change.session, officer)


def _tell_counter(change: Change, officer: Officer) -> None:
    where = duty.duty_of(change.session, officer.id)
    if where is not None:
        change.emit(DutyChanged(where.counter_id))


def _own_officer(change: Change) -> Officer:
    """The caller's own profile, made from their account the first time they go on duty
    (an admin renames it later)."""
    user = change.session.scalar(select(User).where(User.name == change.actor.name))
    if user is None:
        raise Forbidden(N_("Chỉ cán bộ có tài khoản mới nhận ca trực tại quầy."))
    officer = change.session.scalar(select(Officer).where(Officer.user_id == user.id))
    if officer is None:
        officer = Officer(name=user.name, title="", field="", user_id=user.id, active=True,
                          created_at=change.now, updated_at=change.now)
        change.session.add(officer)
        change.session.flush()
        change.audit("officer.create", f"officer:{officer.id}",
                     {"name": officer.name, "user": user.name})
    if not officer.active:
        raise Forbidden(N_("Hồ sơ cán bộ %(name)s đang tạm ngừng; xin báo quản trị viên."),
                        name=officer.name)
    return officer


def start_duty(change: Change, counter_id: int, data: Any = None) -> dict[str, Any]:
    """An officer goes on duty at a counter: the caller's own profile (operators), or
    the officer given (admin). Returns the counter's duty."""
    change.require(OPERATORS)
    spec = parse(DutyIn, data or {})
    counter = get_counter(change.session, counter_id)
    if spec.officer_id is not None and not change.actor.may(ADMIN):
        raise Forbidden(N_("Cán bộ chỉ tự nhận ca trực của mình."))
    officer = _get(change.session, spec.officer_id) if spec.officer_id else _own_officer(change)
    if not officer.active:
        raise Invalid(N_("Cán bộ %(name)s đang tạm ngừng làm việc."), code="inactive_officer",
                      name=officer.name)
    current = duty.open_duty(change.session, counter.id)
    moved = duty.duty_of(change.session, officer.id)
    if current is None or current.officer_id != officer.id:
        duty.start_duty(change.session, officer, counter, change.now, change.actor.name)
        change.audit("duty.start", f"counter:{counter.number}", {"officer": officer.name})
        change.emit(QueueChanged(), DutyChanged(counter.id))
        if moved is not None and moved.counter_id != counter.id:
            change.emit(DutyChanged(moved.counter_id))
    return duty_json(change.session, counter)


def end_duty(change: Change, counter_id: int) -> dict[str, Any]:
    """Nobody on duty at the counter any more (its officer, or an admin)."""
    change.require(OPERATORS)
    counter = get_counter(change.session, counter_id)
    current = duty.open_duty(change.session, counter.id)
    if current is not None:
        if not change.actor.may(ADMIN) and current.officer.user_id != _user_id(change):
            raise Forbidden(N_("Cán bộ chỉ tự kết thúc ca trực của mình."))
        duty.end_duty(change.session, counter, change.now)
        change.audit("duty.end", f"counter:{counter.number}", {"officer": current.officer.name})
        change.emit(QueueChanged(), DutyChanged(counter.id))
    return duty_json(change.session, counter)


def _user_id(change: Change) -> int | None:
    return change.session.scalar(select(User.id).where(User.name == change.actor.name))


# ---- reading ---------------------------------------------------------------------------------

def duty_json(session: Session, counter: QueueCounter) -> dict[str, Any]:
    current = duty.open_duty(session, counter.id)
    return {"counter_id": counter.id, "counter": counter.number, "counter_name": counter.name,
            "officer": officer_json(session, current.officer) if current else None,
            "since": current.started_at.isoformat() if current else None}


def list_officers(session: Session) -> list[dict[str, Any]]:
    return [officer_json(session, o)
            for o in session.scalars(select(Officer).order_by(Officer.active.desc(),
                                                              Officer.name, Officer.id))]


def get_officer(session: Session, officer_id: int) -> dict[str, Any]:
    return officer_json(session, _get(session, officer_id))


def officer_photo(session: Session, officer_id: int) -> tuple[bytes, str] | None:
    """The portrait's bytes and type, or None."""
    officer = session.get(Officer, officer_id)
    if officer is None or not officer.photo_type:
        return None
    return officer.photo or b"", officer.photo_type


def duty_board(session: Session) -> list[dict[str, Any]]:
    """Every counter and who is on duty there now, by number."""
    return [duty_json(session, c)
            for c in session.scalars(select(QueueCounter).order_by(QueueCounter.number))]


def account_choices(session: Session) -> list[str]:
    """The staff accounts a profile may be tied to (active operators and admins)."""
    return list(session.scalars(select(User.name).where(User.active.is_(True),
                                                       User.role.in_(("operator", "admin")))
                                .order_by(User.name)))
