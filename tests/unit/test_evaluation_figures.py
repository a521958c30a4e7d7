"""The reports' arithmetic: office-day periods, medians and p90, distributions, and the
scale's notion of "satisfied"."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from signage.evaluation.figures import (
    Period,
    histogram,
    local_day,
    month_of,
    percent,
    previous_month,
    quantile,
    spread,
)
from signage.evaluation.scales import asks_reasons, satisfied, scale_json

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_a_period_runs_from_office_midnight_to_the_midnight_after_its_last_day():
    start, end = Period(date(2026, 11, 1), date(2026, 11, 30)).bounds(HCM)
    assert start == datetime(2026, 11, 1, tzinfo=HCM)
    assert start.astimezone(UTC) == datetime(2026, 10, 31, 17, 0, tzinfo=UTC)
    assert end == datetime(2026, 12, 1, tzinfo=HCM)
    assert Period(date(2026, 11, 1), date(2026, 11, 30)).length == 30


def test_a_moment_belongs_to_the_office_day_not_the_utc_day():
    # 17:30 UTC on the 30th is 00:30 on 1 December in Hồ Chí Minh City
    assert local_day(datetime(2026, 11, 30, 17, 30, tzinfo=UTC), HCM) == date(2026, 12, 1)
    assert local_day(datetime(2026, 11, 30, 16, 59, tzinfo=UTC), HCM) == date(2026, 11, 30)


def test_months_know_their_length_and_the_month_before():
    assert month_of(date(2028, 2, 10)) == Period(date(2028, 2, 1), date(2028, 2, 29))
    assert previous_month(date(2027, 1, 5)) == Period(date(2026, 12, 1), date(2026, 12, 31))


def test_median_and_p90_interpolate_between_ranks():
    values = [60, 120, 180, 240, 300, 360, 420, 480, 540, 600]
    assert quantile(values, 0.5) == 330
    assert quantile(values, 0.9) == 546
    assert quantile([], 0.5) is None
    assert spread([300, 100, 200]) == {"count": 3, "median_s": 200, "p90_s": 280, "mean_s": 200}
    assert spread([]) == {"count": 0, "median_s": None, "p90_s": None, "mean_s": None}


def test_durations_fall_in_minute_buckets_with_an_open_last_one():
    buckets = histogram([0, 299, 300, 3 * 3600], (0, 5, 60))
    assert buckets == [{"from_min": 0, "to_min": 5, "count": 2},
                       {"from_min": 5, "to_min": 60, "count": 1},
                       {"from_min": 60, "to_min": None, "count": 1}]


def test_satisfied_means_hai_long_or_better_on_either_scale():
    assert [satisfied(3, s) for s in (1, 2, 3)] == [False, True, True]
    assert [satisfied(5, s) for s in (1, 2, 3, 4, 5)] == [False, False, False, True, True]
    assert asks_reasons(3, 1) and not asks_reasons(5, 4)
    assert [level["label"] for level in scale_json(3)] == ["Rất hài lòng", "Hài lòng",
                                                           "Không hài lòng"]
    assert percent(2, 3) == 66.7 and percent(1, 0) is None
