"""Schedules and office hours as data: validated at the edge (signage.validation), and
turned into the rotation's values.

Stored shape of a slide's schedule (all optional):
    {"starts_on": "2026-12-01", "ends_on": "2026-12-31", "weekdays": [1, 2, 3, 4, 5],
     "windows": [["07:30", "11:30"], ["13:30", "17:00"]], "priority": 0}
Office hours: {"1": [["07:30", "11:30"], ["13:30", "17:00"]], …, "6": [["07:30", "11:30"]]}
(ISO weekday → opening windows; a missing weekday is closed; no office hours at all means
the screens always show the playlist).

The rules are checked on the raw input, before the fields' types, so each refusal
says what is wrong in the office's words ("Khung giờ, khung 2: giờ phải có dạng HH:MM
…", "Thứ Hai, khung 1: …" — a weekday by its name: "thứ 3" would read as Tuesday to a
Vietnamese eye).
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from signage.errors import N_, Msg
from signage.playlists.rotation import OfficeHours, Schedule, Window
from signage.validation import Model, fail

WEEKDAY_NAMES = {1: N_("Thứ Hai"), 2: N_("Thứ Ba"), 3: N_("Thứ Tư"), 4: N_("Thứ Năm"),
                 5: N_("Thứ Sáu"), 6: N_("Thứ Bảy"), 7: N_("Chủ Nhật")}
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
SCHEDULE_FIELDS = ("starts_on", "ends_on", "weekdays", "windows", "priority")
PRIORITY_RANGE = (-100, 100)

TimeOfDay = Annotated[str, Field(pattern=_HHMM.pattern, examples=["07:30"])]
TimeWindow = Annotated[list[TimeOfDay], Field(
    min_length=2, max_length=2,
    description="[start, end) in the office time zone: end after start, not across midnight")]
Weekday = Annotated[int, Field(ge=1, le=7)]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # JSON true is not 1


def _time(text: Any, where: Msg, n: int) -> time:
    if not isinstance(text, str) or not _HHMM.match(text):
        raise fail(N_("%(where)s, khung %(n)s: giờ phải có dạng HH:MM (ví dụ 07:30), nhận được "
                      "%(value)s."), where=where, n=n, value=repr(text))
    hh, mm = text.split(":")
    return time(int(hh), int(mm))


def check_windows(value: Any, where: Msg) -> list[list[str]]:
    """Time windows [["07:30", "11:30"], …], each ending after it starts (raises fail)."""
    if not isinstance(value, list) or not value:
        raise fail(N_("%(where)s: cần danh sách khung giờ [[\"07:30\", \"11:30\"], …]."),
                   where=where)
    out = []
    for n, pair in enumerate(value, start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise fail(N_("%(where)s, khung %(n)s: cần giờ bắt đầu và giờ kết thúc."),
                       where=where, n=n)
        if not _time(pair[0], where, n) < _time(pair[1], where, n):
            raise fail(N_("%(where)s, khung %(n)s: giờ kết thúc phải sau giờ bắt đầu (khung giờ "
                          "không được vắt qua nửa đêm)."), where=where, n=n)
        out.append([pair[0], pair[1]])
    return out


def _date(value: Any, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise fail(N_("%(label)s: ngày phải có dạng YYYY-MM-DD."), label=Msg(label)) from None


def check_schedule(data: dict[str, Any]) -> dict[str, Any]:
    """The schedule fields of `data`, checked and normalised (an empty value is none;
    weekdays sorted, once each); raises fail() with the first problem."""
    out: dict[str, Any] = {}
    starts = _date(data["starts_on"], N_("Ngày bắt đầu")) if data.get("starts_on") else None
    ends = _date(data["ends_on"], N_("Ngày kết thúc")) if data.get("ends_on") else None
    if starts and ends and ends < starts:
        raise fail(N_("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."))
    out["starts_on"], out["ends_on"] = starts, ends
    weekdays = data.get("weekdays")
    if weekdays is not None:
        if (not isinstance(weekdays, list) or not weekdays
                or not all(_is_int(d) and 1 <= d <= 7 for d in weekdays)):
            raise fail(N_("Thứ trong tuần: danh sách số từ 1 (Thứ Hai) đến 7 (Chủ Nhật)."))
        weekdays = sorted(set(weekdays))
    out["weekdays"] = weekdays
    out["windows"] = (check_windows(data["windows"], Msg(N_("Khung giờ")))
                      if data.get("windows") else None)
    priority = data.get("priority", 0)
    low, high = PRIORITY_RANGE
    if not _is_int(priority) or not low <= priority <= high:
        raise fail(N_("Độ ưu tiên: số nguyên từ -100 đến 100."))
    out["priority"] = priority
    return out


class ScheduleFields(Model):
    """When a playlist entry is shown (all optional; all in the office time zone)."""

    starts_on: date | None = Field(None, title=N_("Ngày bắt đầu"), strict=False,
                                   description="first day shown (none: no limit)")
    ends_on: date | None = Field(None, title=N_("Ngày kết thúc"), strict=False,
                                 description="last day shown, inclusive")
    weekdays: list[Weekday] | None = Field(
        None, title=N_("Thứ trong tuần"), min_length=1,
        description="ISO weekdays, 1 = Thứ Hai … 7 = Chủ Nhật (null: every day)")
    windows: list[TimeWindow] | None = Field(
        None, title=N_("Khung giờ"), min_length=1,
        description="daily time windows, e.g. [[\"07:30\", \"11:30\"]] (null: all day)")
    priority: int = Field(0, title=N_("Độ ưu tiên"), ge=PRIORITY_RANGE[0], le=PRIORITY_RANGE[1],
                          description="strict: only the highest priority among the entries "
                                      "scheduled at a moment rotates")

    @model_validator(mode="before")
    @classmethod
    def _rules(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise fail(N_("cần một đối tượng."))
        return {**data, **check_schedule(data)}

    def schedule(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in SCHEDULE_FIELDS}


def check_office_hours(data: Any) -> dict[str, list[list[str]]] | None:
    """Office hours ({"1": [["07:30","11:30"], …], …}) checked; None or {} = always open."""
    if not data:
        return None
    if not isinstance(data, dict):
        raise fail(N_("cần một đối tượng {thứ: [[giờ mở, giờ đóng], …]}."))
    out = {}
    for day, windows in data.items():
        if str(day) not in {"1", "2", "3", "4", "5", "6", "7"}:
            raise fail(N_("thứ %(day)s không hợp lệ (1 = Thứ Hai … 7 = Chủ Nhật)."),
                       day=repr(day))
        out[str(day)] = check_windows(windows, Msg(WEEKDAY_NAMES[int(day)]))
    return out


OfficeHoursMap = Annotated[
    dict[str, list[TimeWindow]] | None,
    BeforeValidator(check_office_hours),
    Field(title=N_("Giờ làm việc"),
          description="ISO weekday (1 = Thứ Hai … 7 = Chủ Nhật) → opening windows; a weekday "
                      "left out is closed all day. null (or {}): no office hours, screens "
                      "always show the playlist.",
          examples=[{"1": [["07:30", "11:30"], ["13:30", "17:00"]], "6": [["07:30", "11:30"]]}]),
]


def _parse_time(text: str) -> time:
    hh, mm = text.split(":")
    return time(int(hh), int(mm))


def to_schedule(starts_on: date | None, ends_on: date | None, weekdays: list[int] | None,
                windows: list[list[str]] | None, priority: int) -> Schedule:
    return Schedule(
        starts_on=starts_on,
        ends_on=ends_on,
        weekdays=frozenset(weekdays) if weekdays else None,
        windows=tuple((_parse_time(a), _parse_time(b)) for a, b in windows) if windows else None,
        priority=priority or 0,
    )


def to_office_hours(data: dict[str, list[list[str]]] | None) -> OfficeHours | None:
    if not data:
        return None
    parsed: dict[int, tuple[Window, ...]] = {}
    for day, windows in data.items():
        parsed[int(day)] = tuple((_parse_time(a), _parse_time(b)) for a, b in windows)
    return OfficeHours(parsed)
