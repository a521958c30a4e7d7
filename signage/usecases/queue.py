"""The queue's set-up: services (dịch vụ: what a number is taken for), counters (quầy:
where it is served) and how calls are spoken.

One function per change, called by every door — the API (/api/v1/services,
/counters, /queue/settings), the /admin pages, the first start's seed:

    create_service    a new service; a taken code is refused (the /admin form)
    define_service    create, or redefine the service with that code (POST /services)
    update_service    change some fields (PATCH, the edit form)
    pause_service / resume_service   the kiosk stops / starts issuing its numbers
    create_counter, define_counter, update_counter, set_counter_active   the same for counters
    update_speech_settings           how calls are read out and shown
    seed_queue        content/queue.yaml into an empty queue (first start)

The audit entry is the same from every door: a creation records a summary of what
was made; a change records what changed as {"field": "old → new"} (nothing changed:
no entry); a change of `active` alone is "<thing>.activate" / ".deactivate".

A service's code is made from its name when not given ("Đất đai" → "DATDAI", then
"DATDAI-2", …), by whichever door. Nothing is ever deleted: tickets and calls keep
pointing at services and counters (the ward's history), so they are paused instead.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, field_validator
from sqlalchemy.orm import Session

from signage.accounts import list_users
from signage.errors import N_, Conflict, FieldProblem, Forbidden, Invalid, SignageError
from signage.evaluation.duty import counter_officer_typed
from signage.events import DutyChanged, QueueChanged
from signage.notices.schema import Line, slugify
from signage.queueing import catalog, views
from signage.queueing.announce import speech_settings, store_speech_settings
from signage.queueing.numbering import office_date
from signage.queueing.seed import QUEUE_FILE, read_queue_file
from signage.queueing.speech import letter_name
from signage.queueing.waits import waiting_counts
from signage.store.models_queue import QueueCounter, QueueService
from signage.usecases import ADMIN, Change
from signage.usecases.zones import ZoneSlug, zone_named
from signage.validation import Model, Output, fail, parse

M = TypeVar("M", bound=BaseModel)

# The code the queue's API has answered input it refuses with since it was published
# (scripts branch on it); the rest of the API says "validation_failed".
INVALID = "invalid"
MAX_NUMBER = catalog.MAX_NUMBER


def parse_input(model: type[M], data: Any) -> M:
    """`parse`, refusing with the queue's code "invalid"."""
    try:
        return parse(model, data)
    except Invalid as exc:
        raise Invalid(exc.message, code=INVALID, fields=exc.fields, extra=exc.extra,
                      **exc.params) from None


# ---- what the doors send ---------------------------------------------------------------

def whole(lo: int, hi: int) -> Any:
    """A whole number from lo to hi, refused in one sentence whatever is wrong with it
    (text, a fraction, true, out of range)."""
    def check(value: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise fail(N_("phải là số nguyên từ %(lo)s đến %(hi)s."), lo=lo, hi=hi)
        return value

    return Annotated[int, Field(ge=lo, le=hi), BeforeValidator(check)]


def _speakable(prefix: str) -> str:
    prefix = prefix.upper()
    for letter in prefix:
        try:
            letter_name(letter)  # every prefix letter must be speakable on the lobby TVs
        except ValueError:
            raise fail(N_("Chữ %(letter)s không dùng được làm đầu số (chỉ chữ cái A–Z và Đ)."),
                       letter=repr(letter)) from None
    return prefix


def _blank_is_none(value: Any) -> Any:
    return None if isinstance(value, str) and not value.strip() else value


Count = whole(1, MAX_NUMBER)
Position = whole(0, MAX_NUMBER)
CounterNumber = whole(1, 999)
Repeat = whole(1, 5)
OverlaySeconds = whole(3, 60)
CODE_PATTERN = r"^[A-Za-z0-9_.-]{1,32}$"
HHMM_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
Code = Annotated[str, Field(pattern=CODE_PATTERN, max_length=32)]
Prefix = Annotated[str, Field(min_length=1, max_length=3), AfterValidator(_speakable)]
HourMinute = Annotated[str, Field(pattern=HHMM_PATTERN, examples=["07:30"])]
CODE_RULE = N_("chỉ gồm chữ không dấu, số, '.', '_', '-' (tối đa 32 ký tự).")
HHMM_RULE = N_("phải có dạng GG:PP, ví dụ 07:30.")
SERVICES_RULE = N_("là mã các dịch vụ quầy phục vụ (chữ không dấu, số, '.', '_', '-').")
ZONES_RULE = N_("là mã các khu vực có màn hình hiện quầy này (chữ thường không dấu, số và "
                "'-'); để trống: mọi khu vực.")


class ServicePatch(Model):
    """Some fields of a service (PATCH, the edit form): those given change, the others stay."""

    code: Code = Field(None, title=N_("Mã dịch vụ"), description=CODE_RULE)
    name: Annotated[Line, Field(min_length=1, max_length=200)] = Field(
        None, title=N_("Tên dịch vụ"))
    prefix: Prefix = Field(None, title=N_("Đầu số"),
                           description=N_("1 đến 3 chữ cái A–Z hoặc Đ, được đọc trên TV."))
    range_start: Count | None = Field(
        None, title=N_("Số bắt đầu"), description=N_("mỗi ngày đánh số lại từ số này"))
    range_end: Count | None = Field(None, title=N_("Số kết thúc"))
    daily_cap: Count | None = Field(
        None, title=N_("Số phiếu tối đa mỗi ngày"), description=N_("null: không giới hạn"))
    opens_at: HourMinute | None = Field(None, title=N_("Giờ bắt đầu cấp số"),
                                        description=HHMM_RULE)
    closes_at: HourMinute | None = Field(None, title=N_("Giờ ngừng cấp số"),
                                         description=HHMM_RULE)
    position: Position | None = Field(None, title=N_("Thứ tự"))
    active: bool = Field(None, title=N_("Đang cấp số"))

    @field_validator("opens_at", "closes_at", mode="before")
    @classmethod
    def _no_hours(cls, value: Any) -> Any:
        return _blank_is_none(value)


class ServiceIn(ServicePatch):
    """A service to create or define: a name and a prefix; the code is made from the name
    when not given; range 1–9999, no cap, any hour, last on the kiosk unless given."""

    code: Code | None = Field(None, title=N_("Mã dịch vụ"), description=CODE_RULE)
    name: Annotated[Line, Field(min_length=1, max_length=200)] = Field(title=N_("Tên dịch vụ"))
    prefix: Prefix = Field(title=N_("Đầu số"),
                           description=N_("1 đến 3 chữ cái A–Z hoặc Đ, được đọc trên TV."))

    @field_validator("code", mode="before")
    @classmethod
    def _no_code(cls, value: Any) -> Any:
        return _blank_is_none(value)


class CounterPatch(Model):
    """Some fields of a counter: those given change (an operator may give only `officer`)."""

    number: CounterNumber = Field(None, title=N_("Số quầy"))
    name: Annotated[Line, Field(max_length=200)] | None = Field(
        None, title=N_("Tên quầy"), description=N_("trống: giữ tên cũ (quầy mới: “Quầy N”)"))
    officer: Annotated[Line, Field(max_length=200)] | None = Field(
        None, title=N_("Cán bộ trực"))
    # The description is also the reason shown for an item of the wrong shape.
    services: list[Code] = Field(None, title=N_("Dịch vụ"), max_length=100,
                                 description=SERVICES_RULE)
    zones: list[ZoneSlug] = Field(None, title=N_("Khu vực"), max_length=100,
                                  description=ZONES_RULE)
    active: bool = Field(None, title=N_("Đang hoạt động"))

    @field_validator("officer", mode="before")
    @classmethod
    def _no_officer(cls, value: Any) -> Any:
        return _blank_is_none(value)


class CounterIn(CounterPatch):
    """A counter to create or define: its number and the services it serves."""

    number: CounterNumber = Field(title=N_("Số quầy"))
    services: list[Code] = Field(default_factory=list, title=N_("Dịch vụ"), max_length=100,
                                 description=SERVICES_RULE)


class SpeechSettingsIn(Model):
    """How calls are read out and shown; the settings given change."""

    reading: Literal["digits", "number"] = Field(
        None, title=N_("Cách đọc số"),
        description=N_("phải là digits (đọc từng chữ số) hoặc number (đọc thành số)."))
    zero_ten: Literal["lẻ", "linh"] = Field(
        None, title=N_("Cách đọc số 0 ở hàng chục"), description=N_("phải là “lẻ” hoặc “linh”."))
    thousand: Literal["nghìn", "ngàn"] = Field(
        None, title=N_("Cách đọc hàng nghìn"), description=N_("phải là “nghìn” hoặc “ngàn”."))
    sentence: Literal["kinh_moi", "xin_moi", "cong_dan_to_chuc"] = Field(
        None, title=N_("Câu gọi"),
        description=N_("phải là kinh_moi (Kính mời công dân có số thứ tự …), xin_moi (Xin mời "
                       "số thứ tự …) hoặc cong_dan_to_chuc (Kính mời công dân, tổ chức có số "
                       "thứ tự …)."))
    repeat: Repeat = Field(None, title=N_("Số lần đọc"))
    overlay_seconds: OverlaySeconds = Field(None, title=N_("Thời gian hiện số (giây)"))


# ---- what they get back -------------------------------------------------------------

class ServiceOut(Output):
    id: int
    code: str
    name: str
    prefix: str
    range_start: int
    range_end: int
    daily_cap: int | None = Field(description="null: no limit")
    opens_at: str | None = Field(description="office-local HH:MM; null: any hour")
    closes_at: str | None
    position: int = Field(description="order on the kiosk")
    active: bool = Field(description="false: paused, the kiosk issues no numbers")
    numbers_left: int | None = Field(None, description=(
        "numbers it can still issue today (the smaller of what the daily cap and the range "
        "leave); in reads only"))
    running_low: bool | None = Field(None, description=(
        "true when at most a tenth of the day's capacity (never fewer than 5) is left: "
        "the kiosk and /admin warn"))


class ServiceDefined(ServiceOut):
    created: bool = Field(description="true: created; false: the code existed, redefined")


class CounterOut(Output):
    id: int
    number: int
    name: str
    services: list[str] = Field(description="codes of the services it serves")
    officer: str | None
    zones: list[str] = Field(description="slugs of the zones showing it; empty: every zone")
    active: bool


class CounterDefined(CounterOut):
    created: bool = Field(description="true: created; false: the number existed, redefined")


class SpeechSettings(Output):
    reading: Literal["digits", "number"]
    zero_ten: Literal["lẻ", "linh"]
    thousand: Literal["nghìn", "ngàn"]
    sentence: Literal["kinh_moi", "xin_moi", "cong_dan_to_chuc"]
    repeat: int
    overlay_seconds: int


class ServicesQuery(Model):
    """?active=1 leaves out the paused services (what the kiosk offers)."""

    model_config = {**Model.model_config, "strict": False}
    active: bool = Field(False, description="1 or true: only the services issuing numbers")


# ---- the audit entry ----------------------------------------------------------------

def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return str(value)


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, str]:
    """What a change changed, as the audit page shows it: {"field": "old → new"}."""
    return {key: f"{_shown(before.get(key))} → {_shown(value)}"
            for key, value in after.items() if key != "id" and before.get(key) != value}


def _audit_change(change: Change, thing: str, target: str, changed: dict[str, str],
                  active: bool) -> None:
    if not changed:
        return
    if set(changed) == {"active"}:
        verb = "activate" if active else "deactivate"
    else:
        verb = "update"
    change.audit(f"{thing}.{verb}", target, changed)


def _service_summary(body: dict[str, Any]) -> dict[str, str]:
    summary = {"name": body["name"], "prefix": body["prefix"],
               "range": f"{body['range_start']}–{body['range_end']}"}
    if body["daily_cap"] is not None:
        summary["daily_cap"] = str(body["daily_cap"])
    if body["opens_at"] or body["closes_at"]:
        summary["hours"] = f"{body['opens_at'] or '00:00'}–{body['closes_at'] or '24:00'}"
    if not body["active"]:
        summary["active"] = "False"
    return summary


def _counter_summary(body: dict[str, Any]) -> dict[str, str]:
    summary = {"name": body["name"], "services": _shown(body["services"])}
    if body["officer"]:
        summary["officer"] = body["officer"]
    if body["zones"]:
        summary["zones"] = _shown(body["zones"])
    if not body["active"]:
        summary["active"] = "False"
    return summary


# ---- services -----------------------------------------------------------------------

def free_code(session: Session, name: str) -> str:
    """A service code made from its name ("Đất đai" → "DATDAI"), unused so far."""
    base = re.sub(r"[^A-Z0-9]", "", slugify(name).upper())[:24] if name.strip() else ""
    base = base or "DV"
    taken = catalog.service_codes(session)
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


def _taken(message: str, field: str, **params: Any) -> Conflict:
    return Conflict(message, fields=[FieldProblem(field, message, params)], **params)


def _apply_service(session: Session, service: QueueService, spec: ServicePatch,
                   given: set[str]) -> None:
    """Set the fields given (a None range or position means "as it is"), then the
    rules between fields, against what is stored."""
    for key in ServicePatch.model_fields:
        value = getattr(spec, key)
        if key not in given or (value is None and key not in ("daily_cap", "opens_at",
                                                              "closes_at")):
            continue
        if key == "code" and value != service.code:
            if catalog.find_service(session, value) is not None:
                raise _taken(N_("Đã có dịch vụ mã %(service)s."), "code", service=value)
        setattr(service, key, value)
    if service.range_end < service.range_start:
        raise Invalid(code=INVALID, fields=[FieldProblem(
            "range_end", N_("Số kết thúc phải lớn hơn hoặc bằng số bắt đầu."))])
    if service.opens_at and service.closes_at and service.closes_at <= service.opens_at:
        raise Invalid(code=INVALID, fields=[FieldProblem(
            "closes_at", N_("Giờ ngừng cấp số phải sau giờ bắt đầu."))])


def _new_service(change: Change, spec: ServiceIn) -> QueueService:
    session = change.session
    code = spec.code or free_code(session, spec.name)
    if catalog.find_service(session, code) is not None:
        raise _taken(N_("Đã có dịch vụ mã %(service)s."), "code", service=code)
    service = QueueService(code=code, created_at=change.now, active=True, daily_cap=None,
                           range_start=1, range_end=9999,
                           position=catalog.last_position(session) + 1)
    _apply_service(session, service, spec, spec.model_fields_set - {"code"})
    session.add(service)
    session.flush()
    return service


def create_service(change: Change, data: Any) -> dict[str, Any]:
    """A new service (admin). A code already taken is refused: nothing is redefined
    by surprise. Returns the service."""
    change.require(ADMIN)
    spec = parse_input(ServiceIn, data)
    body = catalog.service_json(_new_service(change, spec))
    change.audit("service.create", f"service:{body['code']}", _service_summary(body))
    change.emit(QueueChanged())
    return body


def define_service(change: Change, data: Any) -> dict[str, Any]:
    """Create the service with this code, or redefine the one that has it (admin).

    A redefinition takes the same fields as a creation and keeps what is not given;
    the numbers already issued keep theirs. Scripts can so define an office's services
    again and again. Returns the service with `created`.
    """
    change.require(ADMIN)
    spec = parse_input(ServiceIn, data)
    existing = catalog.find_service(change.session, spec.code) if spec.code else None
    if existing is None:
        return {**create_service(change, spec), "created": True}
    before = catalog.service_json(existing)
    _apply_service(change.session, existing, spec, spec.model_fields_set)
    change.session.flush()
    body = catalog.service_json(existing)
    _audit_change(change, "service", f"service:{body['code']}", changes(before, body),
                  body["active"])
    change.emit(QueueChanged())
    return {**body, "created": False}


def update_service(change: Change, code: str, data: Any) -> dict[str, Any]:
    """Change some fields of a service (admin); its numbers already issued keep their
    display. Returns the service."""
    change.require(ADMIN)
    spec = parse_input(ServicePatch, data)
    service = catalog.get_service(change.session, code)
    before = catalog.service_json(service)
    _apply_service(change.session, service, spec, spec.model_fields_set)
    change.session.flush()
    body = catalog.service_json(service)
    _audit_change(change, "service", f"service:{body['code']}", changes(before, body),
                  body["active"])
    change.emit(QueueChanged())
    return body


def pause_service(change: Change, code: str) -> dict[str, Any]:
    """The kiosk stops issuing this service's numbers; those taken are still called."""
    return update_service(change, code, {"active": False})


def resume_service(change: Change, code: str) -> dict[str, Any]:
    return update_service(change, code, {"active": True})


# ---- counters -----------------------------------------------------------------------

def _apply_counter(change: Change, counter: QueueCounter, spec: CounterPatch,
                   given: set[str]) -> None:
    session = change.session
    if "number" in given and spec.number != counter.number:
        if catalog.find_counter(session, spec.number) is not None:
            raise _taken(N_("Đã có quầy số %(number)s."), "number", number=spec.number)
        counter.number = spec.number
    if spec.name:  # empty: keep the name it has
        counter.name = spec.name
    if not counter.name:
        counter.name = f"Quầy {counter.number}"
    if "services" in given:
        services = []
        for code in dict.fromkeys(spec.services):
            service = catalog.find_service(session, code)
            if service is None:
                message = N_("Không có dịch vụ mã %(service)s.")
                # A value given for a field that names nothing: the request is invalid
                # (422), as for an unknown zone; NotFound is for the thing addressed.
                raise Invalid(message, code="unknown_service", service=code,
                              fields=[FieldProblem("services", message, {"service": code})])
            services.append(service)
        counter.services = services
    if "zones" in given:
        counter.zones = [zone_named(session, slug, field="zones")
                         for slug in dict.fromkeys(spec.zones)]
    if "active" in given:
        counter.active = spec.active
    if "officer" in given and spec.officer != counter.officer:
        if counter.id is None:
            session.add(counter)
            session.flush()
        # The officer of that name (signage.evaluation.duty) goes on duty there.
        counter_officer_typed(session, counter, spec.officer, change.now, change.actor.name)
        change.emit(DutyChanged(counter.id))


def _new_counter(change: Change, spec: CounterIn) -> QueueCounter:
    if catalog.find_counter(change.session, spec.number) is not None:
        raise _taken(N_("Đã có quầy số %(number)s."), "number", number=spec.number)
    counter = QueueCounter(number=spec.number, name="", created_at=change.now, active=True)
    _apply_counter(change, counter, spec, spec.model_fields_set | {"services"})
    change.session.add(counter)
    change.session.flush()
    return counter


def create_counter(change: Change, data: Any) -> dict[str, Any]:
    """A new counter (admin); a number already taken is refused. Returns the counter."""
    change.require(ADMIN)
    spec = parse_input(CounterIn, data)
    body = catalog.counter_json(_new_counter(change, spec))
    change.audit("counter.create", f"counter:{body['number']}", _counter_summary(body))
    change.emit(QueueChanged())
    return body


def define_counter(change: Change, data: Any) -> dict[str, Any]:
    """Create counter number N, or redefine the counter with that number (admin).

    A counter is a desk known by its number: defining it again sets its services (and
    whatever else is given) and keeps its history. Returns the counter with `created`.
    """
    change.require(ADMIN)
    spec = parse_input(CounterIn, data)
    existing = catalog.find_counter(change.session, spec.number)
    if existing is None:
        return {**create_counter(change, spec), "created": True}
    before = catalog.counter_json(existing)
    _apply_counter(change, existing, spec, spec.model_fields_set | {"services"})
    change.session.flush()
    body = catalog.counter_json(existing)
    _audit_change(change, "counter", f"counter:{body['number']}", changes(before, body),
                  body["active"])
    change.emit(QueueChanged())
    return {**body, "created": False}


def update_counter(change: Change, counter_id: int, data: Any) -> dict[str, Any]:
    """Change some fields of a counter. An admin may change anything; an operator only
    signs the officer on duty in or out (`officer`)."""
    change.require({"operator"})
    spec = parse_input(CounterPatch, data)
    if not change.actor.may(ADMIN) and spec.model_fields_set - {"officer"}:
        raise Forbidden(N_("Cán bộ một cửa chỉ được đổi cán bộ trực (officer)."))
    counter = catalog.get_counter(change.session, counter_id)
    before = catalog.counter_json(counter)
    _apply_counter(change, counter, spec, spec.model_fields_set)
    change.session.flush()
    body = catalog.counter_json(counter)
    _audit_change(change, "counter", f"counter:{body['number']}", changes(before, body),
                  body["active"])
    change.emit(QueueChanged())
    return body


def set_counter_active(change: Change, counter_id: int, active: bool) -> dict[str, Any]:
    """A counter deactivated calls no numbers and leaves the screens; it stays listed."""
    return update_counter(change, counter_id, {"active": active})


# ---- how calls are spoken -----------------------------------------------------------

def update_speech_settings(change: Change, data: Any) -> dict[str, Any]:
    """Change some of the call settings (admin); returns them all. Screens use them
    from the next call."""
    change.require(ADMIN)
    spec = parse_input(SpeechSettingsIn, data)
    before = speech_settings(change.session)
    after = store_speech_settings(change.session, spec.model_dump(include=spec.model_fields_set))
    changed = changes(before, after)
    if changed:
        change.audit("queue.settings", "queue:settings", changed)
    change.emit(QueueChanged())
    return after


# ---- the first start ------------------------------------------------------------------

def seed_queue(change: Change, content_dir: Path) -> str | None:
    """On first start (no service yet), create what content/queue.yaml lists, through
    the same validation as every door; one audit entry says so. A report, or None."""
    change.require(ADMIN)
    path = Path(content_dir) / QUEUE_FILE
    if catalog.has_services(change.session) or not path.is_file():
        return None
    data = read_queue_file(path)
    try:
        for item in data["services"]:
            _new_service(change, parse_input(ServiceIn, item))
        for item in data["counters"]:
            _new_counter(change, parse_input(CounterIn, item))
    except SignageError as exc:
        raise Invalid(N_("%(path)s: %(problem)s"), code=exc.code, path=str(path),
                      problem=exc.text()) from None
    services, counters = len(data["services"]), len(data["counters"])
    # No event: this runs before the server serves anything (signage serve's prepare).
    change.audit("queue.seed", f"file:{QUEUE_FILE}", {"services": services, "counters": counters})
    return f"hàng đợi: {services} dịch vụ, {counters} quầy"


# ---- reading ----------------------------------------------------------------------------

def list_services(session: Session, active_only: bool = False, *,
                  now: datetime | None = None, tz: ZoneInfo | None = None) -> list[dict[str, Any]]:
    """The services in kiosk order (`active_only`: those issuing numbers); given `now`,
    with the numbers each has left that office day."""
    return [_service_today(session, s, now, tz)
            for s in catalog.list_services(session, active_only=active_only)]


def get_service(session: Session, code: str, *, now: datetime | None = None,
                tz: ZoneInfo | None = None) -> dict[str, Any]:
    return _service_today(session, catalog.get_service(session, code), now, tz)


def _service_today(session: Session, service, now: datetime | None, tz: ZoneInfo | None
                   ) -> dict[str, Any]:
    body = catalog.service_json(service)
    if now is not None:
        body.update(views.supply(session, service, office_date(now, tz)))
    return body


def list_counters(session: Session) -> list[dict[str, Any]]:
    return [catalog.counter_json(c) for c in catalog.list_counters(session)]


def get_counter(session: Session, counter_id: int) -> dict[str, Any]:
    return catalog.counter_json(catalog.get_counter(session, counter_id))


def get_speech_settings(session: Session) -> dict[str, Any]:
    return speech_settings(session)


def services_sharing_prefix(session: Session, code: str) -> list[str]:
    """Names of the other active services with this one's prefix (a warning for admins:
    their numbers run on in one series). Empty for a paused service."""
    service = catalog.get_service(session, code)
    return catalog.sharing_prefix(session, service) if service.active else []


def service_rows(session: Session, now: datetime, tz: ZoneInfo) -> list[dict[str, Any]]:
    """The services page: each service, how many wait for it today, how many numbers it
    has left today, which counters serve it."""
    today = office_date(now, tz)
    waiting = waiting_counts(session, today)
    serving: dict[str, list[int]] = {}
    for counter in catalog.list_counters(session, active_only=True):
        for service in counter.services:
            serving.setdefault(service.code, []).append(counter.number)
    return [{**catalog.service_json(s), "waiting": waiting.get(s.code, 0),
             **views.supply(session, s, today), "counters": serving.get(s.code, [])}
            for s in catalog.list_services(session)]


def counter_rows(session: Session) -> list[dict[str, Any]]:
    """The counters page: each counter with its services' names and its zones' names."""
    zones = catalog.zone_names(session)
    rows = []
    for counter in catalog.list_counters(session):
        row = catalog.counter_json(counter)
        row["service_items"] = [{"code": s.code, "name": s.name, "prefix": s.prefix,
                                 "active": s.active} for s in counter.services]
        row["zone_names"] = [zones.get(slug, slug) for slug in row["zones"]]
        rows.append(row)
    return rows


def counter_choices(session: Session) -> dict[str, Any]:
    """What a counter form offers: services, zones, and operators' names for `officer`."""
    return {
        "all_services": list_services(session),
        "all_zones": [{"slug": slug, "name": name}
                      for slug, name in catalog.zone_names(session).items()],
        "officers": [u.name for u in list_users(session) if u.active and u.role == "operator"],
    }
