"""What one playlist entry's schedule keeps off the screens (issue 9, item 13): the
schedule dialog's warning, computed by the rotation's own rule."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from signage.playlists.rotation import Entry, OfficeHours, Schedule, hidden_by, what_to_show

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2026, 12, 2)  # a Wednesday
MORNING = ((time(7, 30), time(11, 30)),)


def entry(n: int, priority: int = 0, **schedule) -> Entry:
    return Entry(n, 10, Schedule(priority=priority, **schedule))


def test_a_raised_priority_hides_the_others_in_its_window():
    entries = [entry(1), entry(2), entry(3, 5, windows=((time(9), time(10)),))]
    assert hidden_by(entries, 2, TODAY) == [0, 1]
    assert hidden_by(entries, 0, TODAY) == []  # the ordinary ones hide nothing


def test_only_where_the_schedules_meet():
    weekend = entry(1, weekdays=frozenset({6, 7}))
    weekdays = entry(2, 5, weekdays=frozenset({1, 2, 3, 4, 5}))
    assert hidden_by([weekend, weekdays], 1, TODAY) == []
    old = entry(1, ends_on=date(2026, 12, 1))  # ended yesterday
    feb = entry(2, 5, starts_on=date(2027, 2, 1), ends_on=date(2027, 2, 28))
    later = entry(3, starts_on=date(2027, 3, 1))
    assert hidden_by([old, feb, later], 1, TODAY) == []
    assert hidden_by([old, feb, later, entry(4)], 1, TODAY) == [3]
    # A Saturday-only entry meets a 2-day range on a Saturday only.
    sat = entry(1, weekdays=frozenset({6}))
    assert hidden_by([sat, entry(2, 5, starts_on=date(2026, 12, 7),
                                 ends_on=date(2026, 12, 8))], 1, TODAY) == []
    assert hidden_by([sat, entry(2, 5, starts_on=date(2026, 12, 4),
                                 ends_on=date(2026, 12, 5))], 1, TODAY) == [0]


def test_an_equal_priority_shares_and_a_higher_one_was_hiding_them_already():
    assert hidden_by([entry(1, 5), entry(2, 5)], 1, TODAY) == []
    # Entry 0 is already hidden by entry 2 (priority 9) all the time: 1 hides nothing more.
    assert hidden_by([entry(1), entry(2, 5), entry(3, 9)], 1, TODAY) == []


def test_closed_hours_do_not_count():
    hours = OfficeHours({1: MORNING, 2: MORNING, 3: MORNING, 4: MORNING, 5: MORNING})
    evening = entry(2, 5, windows=((time(18), time(20)),))
    assert hidden_by([entry(1), evening], 1, TODAY, hours) == []
    assert hidden_by([entry(1), evening], 1, TODAY) == [0]


def test_it_agrees_with_what_the_screens_show():
    # Random playlists: an entry is reported hidden exactly when, at some sampled moment
    # of the next weeks, the rotation shows it without entry k and not with it.
    rng = random.Random(9)
    hours = OfficeHours({d: ((time(7, 30), time(11, 30)), (time(13, 30), time(17))) for d in range(1, 6)})
    for _ in range(40):
        entries = []
        for n in range(5):
            start = TODAY + timedelta(rng.randint(-5, 20)) if rng.random() < 0.4 else None
            end = start + timedelta(rng.randint(0, 10)) if start and rng.random() < 0.6 else None
            days = frozenset(rng.sample(range(1, 8), rng.randint(1, 7))) if rng.random() < 0.4 else None
            h = rng.choice([7, 9, 14, 16])
            windows = ((time(h), time(h + 1, 30)),) if rng.random() < 0.4 else None
            entries.append(entry(n, rng.choice([0, 0, 1, 5]), starts_on=start, ends_on=end,
                                 weekdays=days, windows=windows))
        k = rng.randrange(5)
        office = rng.choice([None, hours])
        seen: set[int] = set()
        others = [e for i, e in enumerate(entries) if i != k]
        back = [i for i in range(5) if i != k]
        moment = datetime.combine(TODAY, time(0, 5), tzinfo=HCM)
        while moment.date() < TODAY + timedelta(35):
            with_k = what_to_show(entries, moment, HCM, office)
            without = what_to_show(others, moment, HCM, office)
            shown = {i for i, e in enumerate(entries) if with_k and e.slide_id in with_k.active}
            if without:
                seen |= {back[others.index(e)] for e in others
                         if e.slide_id in without.active} - shown
            moment += timedelta(minutes=30)
        assert hidden_by(entries, k, TODAY, office) == sorted(seen), (entries, k)
