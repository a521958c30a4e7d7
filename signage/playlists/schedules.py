"""Schedules and office hours as data: validated at the edge, with Vietnamese errors.

Stored shape of a slide's schedule (all optional):
    {"starts_on": "2026-12-01", "ends_on": "2026-12-31", "weekdays": [1, 2, 3, 4, 5],
     "windows": [["07:30", "11:30"], ["13:30", "17:00"]], "priority": 0}
Office hours: {"1": [["07:30", "11:30"], ["13:30", "17:00"]], …, "6": [["07:30", "11:30"]]}
(ISO weekday → opening windows; a missing weekday is closed; no office hours at all means
the screens always show the playlist).
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

from signage.playlists.rotation import OfficeHours, Schedule, Window

WEEKDAY_NAMES = {1: "Thứ Hai", 2: "Thứ Ba", 3: "Thứ Tư", 4: "Thứ Năm", 5: "Thứ Sáu",
                 6: "Thứ Bảy", 7: "Chủ Nhật"}
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
SCHEDULE_FIELDS = ("starts_on", "ends_on", "weekdays", "windows", "priority")


class ScheduleInvalid(ValueError):
    """A schedule that cannot be used; the message is Vietnamese, for the editor."""


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)  # JSON true is not 1


def _time(text: Any, where: str) -> time:
    if not isinstance(text, str) or not _HHMM.match(text):
        raise ScheduleInvalid(f"{where}: giờ phải có dạng HH:MM (ví dụ 07:30), nhận được {text!r}.")
    hh, mm = text.split(":")
    return time(int(hh), int(mm))


def _windows(value: Any, where: str) -> list[list[str]]:
    if not isinstance(value, list) or not value:
        raise ScheduleInvalid(f"{where}: cần danh sách khung giờ [[\"07:30\", \"11:30\"], …].")
    out = []
    for i, pair in enumerate(value, start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise ScheduleInvalid(f"{where}, khung {i}: cần giờ bắt đầu và giờ kết thúc.")
        a, b = _time(pair[0], f"{where}, khung {i}"), _time(pair[1], f"{where}, khung {i}")
        if not a < b:
            raise ScheduleInvalid(f"{where}, khung {i}: giờ kết thúc phải sau giờ bắt đầu "
                                  "(khung giờ không được vắt qua nửa đêm).")
        out.append([pair[0], pair[1]])
    return out


def _date(value: Any, label: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ScheduleInvalid(f"{label}: ngày phải có dạng YYYY-MM-DD.") from None


def clean_schedule(data: dict[str, Any]) -> dict[str, Any]:
    """Validate the schedule fields of a playlist entry; returns them normalised."""
    out: dict[str, Any] = {}
    starts = _date(data["starts_on"], "Ngày bắt đầu") if data.get("starts_on") else None
    ends = _date(data["ends_on"], "Ngày kết thúc") if data.get("ends_on") else None
    if starts and ends and ends < starts:
        raise ScheduleInvalid("Ngày kết thúc phải bằng hoặc sau ngày bắt đầu.")
    out["starts_on"], out["ends_on"] = starts, ends
    weekdays = data.get("weekdays")
    if weekdays is not None:
        if (not isinstance(weekdays, list) or not weekdays
                or not all(_is_int(d) and 1 <= d <= 7 for d in weekdays)):
            raise ScheduleInvalid("Thứ trong tuần: danh sách số từ 1 (Thứ Hai) đến 7 (Chủ Nhật).")
        weekdays = sorted(set(weekdays))
    out["weekdays"] = weekdays
    out["windows"] = _windows(data["windows"], "Khung giờ") if data.get("windows") else None
    priority = data.get("priority", 0)
    if not _is_int(priority) or not -100 <= priority <= 100:
        raise ScheduleInvalid("Độ ưu tiên: số nguyên từ -100 đến 100.")
    out["priority"] = priority
    return out


def to_schedule(starts_on: date | None, ends_on: date | None, weekdays: list[int] | None,
                windows: list[list[str]] | None, priority: int) -> Schedule:
    return Schedule(
        starts_on=starts_on,
        ends_on=ends_on,
        weekdays=frozenset(weekdays) if weekdays else None,
        windows=tuple((_time(a, "windows"), _time(b, "windows")) for a, b in windows)
        if windows else None,
        priority=priority or 0,
    )


def clean_office_hours(data: Any) -> dict[str, list[list[str]]] | None:
    """Validate office hours ({"1": [["07:30","11:30"], …], …}); None or {} = always open."""
    if not data:
        return None
    if not isinstance(data, dict):
        raise ScheduleInvalid("Giờ làm việc: cần một đối tượng {thứ: [[giờ mở, giờ đóng], …]}.")
    out = {}
    for day, windows in data.items():
        if str(day) not in {"1", "2", "3", "4", "5", "6", "7"}:
            raise ScheduleInvalid(f"Giờ làm việc: thứ {day!r} không hợp lệ (1 = Thứ Hai … 7 = Chủ Nhật).")
        # "thứ 3" would read as Tuesday to a Vietnamese eye: name the day instead.
        out[str(day)] = _windows(windows, f"Giờ làm việc {WEEKDAY_NAMES[int(day)]}")
    return out


def to_office_hours(data: dict[str, list[list[str]]] | None) -> OfficeHours | None:
    if not data:
        return None
    parsed: dict[int, tuple[Window, ...]] = {}
    for day, windows in data.items():
        parsed[int(day)] = tuple((_time(a, "office"), _time(b, "office")) for a, b in windows)
    return OfficeHours(parsed)
