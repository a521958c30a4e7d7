"""The office itself: its names, address, hotline, feedback address and its welcome card (the `office`
setting) and its opening hours (the `office_hours` setting). Admin only; every zone's
screens hear of a change (OfficeChanged) at once.

Two changes: `change_office` (PATCH /api/v1/office, the /admin/office page, the
office-hours page's welcome card, `office:` in content/site.yaml) and `set_office_hours`
(PUT /api/v1/office-hours, the page, `office_hours:` in site.yaml). Setting what is
already there changes nothing and writes no audit entry.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field
from sqlalchemy.orm import Session

from signage.errors import N_
from signage.events import OfficeChanged
from signage.notices.schema import Line
from signage.playlists import service as playlists
from signage.playlists.schedules import OfficeHoursMap, TimeWindow
from signage.store.models import Setting
from signage.usecases import ADMIN, Change
from signage.validation import Model, Output, parse

OFFICE_DEFAULTS = playlists.OFFICE_DEFAULTS
LIMITS = {"ward_name": 200, "office_name": 200, "address": 300, "hotline": 32,
          "feedback_address": 300,
          **playlists.WELCOME_LIMITS}
PHONE_PATTERN = r"^(?:[0-9+().\- ]{3,32})?$"


def _text(title: str, limit: int, description: str) -> Any:
    return Field(None, title=title, max_length=limit, description=description)


class OfficeIn(Model):
    """The office's texts to change (the others stay). One line each on a TV: NFC, spaces
    folded; an empty text (or null) restores the default."""

    ward_name: Line | None = _text(N_("Tên phường, xã"), LIMITS["ward_name"],
                                   "in the screens' header")
    office_name: Line | None = _text(N_("Tên trung tâm"), LIMITS["office_name"],
                                     "in the screens' header")
    welcome_title: Line | None = _text(N_("Lời chào"), LIMITS["welcome_title"],
                                       "the card shown when nothing is scheduled")
    welcome_text: Line | None = _text(N_("Dòng phụ"), LIMITS["welcome_text"],
                                      "the line under it")
    address: Line | None = _text(N_("Địa chỉ"), LIMITS["address"],
                                 "on the screens' welcome and closed cards; empty: not shown")
    hotline: Annotated[Line, Field(pattern=PHONE_PATTERN)] | None = Field(
        None, title=N_("Đường dây nóng"), max_length=LIMITS["hotline"],
        description=N_("chỉ gồm chữ số, khoảng trắng và + ( ) . - (3 đến 32 ký tự)."))
    feedback_address: Line | None = _text(
        N_("Địa chỉ tiếp nhận phản ánh, kiến nghị"), LIMITS["feedback_address"],
        "postal or email address, in the screens' footer with a QR code to /feedback; "
        "empty: not shown")


class Office(Output):
    ward_name: str
    office_name: str
    welcome_title: str
    welcome_text: str
    address: str
    hotline: str
    feedback_address: str


class OfficeHoursIn(Model):
    """Opening hours; `{"hours": null}` (or `{}` as hours) is the way to clear them, so a
    body without `hours` (or with a misspelt key) is refused rather than clearing them."""

    hours: OfficeHoursMap


class OfficeHours(Output):
    hours: Annotated[dict[str, list[TimeWindow]] | None, Field(
        description="ISO weekday (1 = Thứ Hai … 7 = Chủ Nhật) → opening windows; null: none")]


def _setting(session: Session, key: str) -> Setting:
    row = session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=None)
        session.add(row)
    return row


# ---- changes --------------------------------------------------------------------------------

def change_office(change: Change, data: Any) -> dict[str, Any]:
    """Change some of the office's texts; the office as GET /office answers it."""
    change.require(ADMIN)
    spec = parse(OfficeIn, data)
    before = playlists.office(change.session)
    row = _setting(change.session, "office")
    stored = dict(row.value or {})
    for key in spec.model_fields_set:
        value = getattr(spec, key) or ""
        if value and value != OFFICE_DEFAULTS[key]:
            stored[key] = value
        else:
            stored.pop(key, None)
    row.value = stored  # a new dict: the JSON column sees the change
    change.session.flush()
    after = playlists.office(change.session)
    changed = {k: {"from": before[k], "to": after[k]} for k in after if before.get(k) != after[k]}
    if changed:
        change.audit("office.update", "office", changed)
        change.emit(OfficeChanged())
    return after


def set_office_hours(change: Change, data: Any) -> dict[str, Any]:
    """Set or clear (`{"hours": null}`) the opening hours; outside them screens show the
    closed card."""
    change.require(ADMIN)
    hours = parse(OfficeHoursIn, data).hours or None
    before = playlists.office_hours_json(change.session)
    if hours != before:
        _setting(change.session, "office_hours").value = hours
        change.session.flush()
        change.audit("office.hours", "office", {"from": before, "to": hours})
        change.emit(OfficeChanged())
    return {"hours": hours}


# ---- reading ---------------------------------------------------------------------------------

def office(session: Session) -> dict[str, Any]:
    return playlists.office(session)


def office_hours(session: Session) -> dict[str, Any]:
    return {"hours": playlists.office_hours_json(session)}
