"""Schedules in the rotation: date ranges, ISO weekdays, daily windows, priority, office hours."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from signage.errors import Invalid
from signage.playlists.rotation import Entry, OfficeHours, Schedule, what_to_show
from signage.playlists.schedules import ScheduleFields
from signage.usecases.office import OfficeHoursIn
from signage.validation import parse

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
THURSDAY = date(2026, 11, 26)


def at(hh: int, mm: int, ss: int = 0, day: date = THURSDAY) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=HCM)


MORNING = Schedule(windows=((time(9, 0), time(9, 30)),))
PLAYLIST = [Entry(1, 10), Entry(2, 10), Entry(3, 10, MORNING)]


def test_a_windowed_slide_appears_and_disappears_at_its_minutes():
    assert 3 not in what_to_show(PLAYLIST, at(8, 59, 59), HCM).active
    assert what_to_show(PLAYLIST, at(8, 59, 59), HCM).until == at(9, 0)
    at_nine = what_to_show(PLAYLIST, at(9, 0), HCM)
    assert at_nine.active == (1, 2, 3)
    assert (at_nine.slide_id, at_nine.started) == (1, at(9, 0))  # the cycle restarts at 09:00
    last = what_to_show(PLAYLIST, at(9, 29, 55), HCM)
    assert last.until == at(9, 30)  # cut at the window's end, not at the slide's
    assert 3 not in what_to_show(PLAYLIST, at(9, 30), HCM).active


def test_strict_priority_shows_only_the_most_urgent_active_slides():
    urgent = Entry(9, 20, Schedule(windows=((time(14, 0), time(14, 15)),), priority=10))
    playlist = [*PLAYLIST, urgent]
    during = what_to_show(playlist, at(14, 5), HCM)
    assert (during.active, during.slide_id) == ((9,), 9)
    assert what_to_show(playlist, at(14, 15), HCM).active == (1, 2)


def test_weekdays_are_iso_monday_one_to_sunday_seven():
    weekend = Entry(4, 10, Schedule(weekdays=frozenset({6, 7})))
    playlist = [Entry(1, 10), weekend]
    assert what_to_show(playlist, at(10, 0), HCM).active == (1,)  # Thursday
    saturday = THURSDAY + timedelta(days=2)
    assert what_to_show(playlist, at(10, 0, day=saturday), HCM).active == (1, 4)


def test_a_date_range_is_inclusive_and_reckoned_in_the_office_zone():
    campaign = Entry(5, 10, Schedule(starts_on=date(2026, 11, 27), ends_on=date(2026, 11, 30)))
    playlist = [Entry(1, 10), campaign]
    assert what_to_show(playlist, at(23, 59, 59), HCM).active == (1,)
    # midnight of the 27th in Hồ Chí Minh City is still the 26th in UTC
    assert what_to_show(playlist, datetime(2026, 11, 27, tzinfo=HCM), HCM).active == (1, 5)
    assert 5 in what_to_show(playlist, at(23, 0, day=date(2026, 11, 30)), HCM).active
    assert 5 not in what_to_show(playlist, at(0, 0, day=date(2026, 12, 1)), HCM).active


def test_nothing_scheduled_is_a_default_card_with_a_time_to_look_again():
    playlist = [Entry(3, 10, MORNING)]
    showing = what_to_show(playlist, at(7, 0), HCM)
    assert showing.slide_id is None and not showing.closed
    assert showing.until == at(9, 0)


def test_outside_office_hours_the_screens_show_closed_until_opening():
    hours = OfficeHours({4: ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 0)))})
    lunch = what_to_show(PLAYLIST, at(12, 0), HCM, hours)
    assert lunch.closed and lunch.slide_id is None and lunch.until == at(13, 30)
    assert what_to_show(PLAYLIST, at(13, 30), HCM, hours).slide_id == 1
    friday_closed_all_day = what_to_show(PLAYLIST, at(10, 0, day=THURSDAY + timedelta(days=1)),
                                         HCM, hours)
    assert friday_closed_all_day.closed


def clean_schedule(data: dict) -> dict:
    return parse(ScheduleFields, data).schedule()


def clean_office_hours(hours) -> dict | None:
    return parse(OfficeHoursIn, {"hours": hours}).hours


def test_schedule_input_is_validated_in_vietnamese():
    assert clean_schedule({"weekdays": [5, 1, 1], "windows": [["07:30", "11:30"]]})["weekdays"] == [1, 5]
    with pytest.raises(Invalid, match="giờ kết thúc phải sau giờ bắt đầu"):
        clean_schedule({"windows": [["22:00", "06:00"]]})
    with pytest.raises(Invalid, match="HH:MM"):
        clean_schedule({"windows": [["7h30", "11:30"]]})
    with pytest.raises(Invalid, match="1 \\(Thứ Hai\\) đến 7 \\(Chủ Nhật\\)"):
        clean_schedule({"weekdays": [0]})
    with pytest.raises(Invalid, match="Ngày kết thúc phải bằng hoặc sau"):
        clean_schedule({"starts_on": "2026-12-31", "ends_on": "2026-12-01"})
    with pytest.raises(Invalid, match="thứ '8'"):
        clean_office_hours({"8": [["07:30", "11:30"]]})


def test_office_hours_name_the_weekday_and_are_never_cleared_by_accident():
    with pytest.raises(Invalid) as error:
        clean_office_hours({"7": [["07:30", "11:30"], ["13:00", "12:00"]]})
    assert str(error.value) == ("Giờ làm việc: Chủ Nhật, khung 2: giờ kết thúc phải sau giờ bắt "
                                "đầu (khung giờ không được vắt qua nửa đêm).")
    assert clean_office_hours(None) is None and clean_office_hours({}) is None
    # A body without `hours`, or with a misspelt key, is refused: it never clears them
    for body in ({}, {"hour": None}, {"hours": None, "extra": 1}):
        with pytest.raises(Invalid):
            parse(OfficeHoursIn, body)
