"""Rotation is a pure function of the playlist and the clock (fake clock, no waiting)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from signage.clock import FakeClock, next_office_midnight, office_day_start
from signage.playlists.rotation import Entry, what_to_show

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
PLAYLIST = [Entry(1, 10), Entry(2, 20), Entry(3, 30)]  # a 60 s cycle


def at(hh: int, mm: int, ss: float = 0) -> datetime:
    return datetime(2026, 11, 26, hh, mm, tzinfo=HCM) + timedelta(seconds=ss)


def test_the_cycle_starts_at_office_midnight():
    showing = what_to_show(PLAYLIST, at(0, 0), HCM)
    assert (showing.slide_id, showing.started, showing.until) == (1, at(0, 0), at(0, 0, 10))


def test_each_slide_holds_for_its_duration_then_the_next_follows():
    clock = FakeClock(at(9, 0, 5))
    assert what_to_show(PLAYLIST, clock.now(), HCM).slide_id == 1
    clock.advance(seconds=5)  # exactly at the boundary
    showing = what_to_show(PLAYLIST, clock.now(), HCM)
    assert (showing.slide_id, showing.started, showing.until) == (2, at(9, 0, 10), at(9, 0, 30))
    clock.advance(seconds=20)
    assert what_to_show(PLAYLIST, clock.now(), HCM).slide_id == 3
    clock.advance(seconds=30)  # 9:01:00, the cycle wraps
    assert what_to_show(PLAYLIST, clock.now(), HCM).index == 0


def test_until_of_one_slide_is_the_start_of_the_next():
    now = at(13, 37, 0.25)
    for _ in range(10):
        showing = what_to_show(PLAYLIST, now, HCM)
        following = what_to_show(PLAYLIST, showing.until, HCM)
        assert following.started == showing.until
        assert following.index == (showing.index + 1) % len(PLAYLIST)
        now = showing.until


def test_a_restarted_server_resumes_where_it_would_have_been():
    # Two independent computations of the same instant agree: no state but the clock.
    moment = at(16, 45, 42.5)
    assert what_to_show(list(PLAYLIST), moment, HCM) == what_to_show(PLAYLIST, moment, HCM)


def test_the_same_instant_gives_the_same_slide_whatever_zone_the_caller_uses():
    moment = at(8, 0, 17)
    assert what_to_show(PLAYLIST, moment.astimezone(UTC), HCM) == what_to_show(PLAYLIST, moment, HCM)


def test_the_last_slide_of_the_day_ends_at_midnight():
    # 86,400 s is not a multiple of a 7 s cycle: the last slide is cut at midnight.
    playlist = [Entry(1, 7)]
    showing = what_to_show(playlist, at(23, 59, 58), HCM)
    assert showing.until == datetime(2026, 11, 27, 0, 0, tzinfo=HCM)
    assert what_to_show(playlist, showing.until, HCM).started == showing.until


def test_midnight_is_the_office_zone_midnight_not_utc():
    # 23:30 UTC on the 26th is 06:30 on the 27th in Hồ Chí Minh City.
    moment = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)
    assert office_day_start(moment, HCM) == datetime(2026, 11, 27, tzinfo=HCM)
    assert next_office_midnight(moment, HCM) == datetime(2026, 11, 28, tzinfo=HCM)


def test_an_empty_playlist_shows_nothing():
    assert what_to_show([], at(10, 0), HCM) is None


def test_a_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        what_to_show(PLAYLIST, datetime(2026, 11, 26, 10, 0), HCM)
