"""Numbering, the daily reset, the priority rule and the counter actions, on the domain
functions with a real SQLite store (no web layer); services, counters and settings are
set up through their use cases."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from signage.clock import FakeClock
from signage.errors import SignageError
from signage.queueing import calling, numbering, waits
from signage.queueing.announce import announcement, speech_settings
from signage.store import Store
from signage.store.migrate import upgrade
from signage.store.models_queue import QueueDay, QueueEvent, QueueService, Ticket
from signage.usecases import Actor, Change
from signage.usecases import queue as queue_uc

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def admin(session, now: datetime | None = None) -> Change:
    """A change made by the system (an admin) in `session`."""
    return Change(session, Actor.system(), now or datetime(2026, 3, 1, tzinfo=HCM), HCM)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 3, 10, 8, 0, tzinfo=HCM))


@pytest.fixture
def store(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'queue.db'}")
    upgrade(store)
    with store.write() as s:
        queue_uc.create_service(admin(s), {"code": "HOTICH", "name": "Hộ tịch", "prefix": "A",
                                           "range_start": 1001, "range_end": 1999})
        queue_uc.create_service(admin(s), {"code": "CHUNGTHUC", "name": "Chứng thực",
                                           "prefix": "B"})
        queue_uc.create_counter(admin(s), {"number": 1, "services": ["HOTICH"]})
        queue_uc.create_counter(admin(s), {"number": 2, "services": ["HOTICH", "CHUNGTHUC"]})
        queue_uc.create_counter(admin(s), {"number": 3, "services": ["CHUNGTHUC"]})
    yield store
    store.dispose()


def issue(store: Store, clock: FakeClock, code: str = "HOTICH", **kw) -> Ticket:
    with store.write() as s:
        return numbering.issue_ticket(s, code, clock.now(), HCM, **kw)


def act(store: Store, clock: FakeClock, fn, counter_id: int, **kw) -> calling.CounterAction:
    with store.write() as s:
        done = fn(s, counter_id, clock.now(), HCM, **kw)
        return calling.CounterAction(done.counter, done.ticket, done.kind, done.finished)


def display_of(store: Store, ticket_id: int) -> tuple[str, str]:
    with store.read() as s:
        t = s.get(Ticket, ticket_id)
        return t.display, t.status


# ---- numbering -------------------------------------------------------------------------

def test_numbers_start_at_the_range_and_count_up_per_service(store, clock):
    a1, a2 = issue(store, clock), issue(store, clock)
    b1 = issue(store, clock, "CHUNGTHUC")
    assert (a1.display, a2.display, b1.display) == ("A-1001", "A-1002", "B-1")
    assert a1.office_date.isoformat() == "2026-03-10"


def test_the_day_is_the_office_day_not_utc(store):
    # 23:30 UTC on the 9th is 06:30 on the 10th in Hồ Chí Minh City.
    clock = FakeClock(datetime(2026, 3, 9, 23, 30, tzinfo=ZoneInfo("UTC")))
    ticket = issue(store, clock)
    assert ticket.office_date.isoformat() == "2026-03-10"


def test_daily_cap_refuses_and_leaves_no_gap(store, clock):
    with store.write() as s:
        queue_uc.update_service(admin(s), "HOTICH", {"daily_cap": 2})
    issue(store, clock)
    issue(store, clock)
    with pytest.raises(SignageError) as refused:
        issue(store, clock)
    assert refused.value.code == "cap_reached"
    with store.write() as s:
        queue_uc.update_service(admin(s), "HOTICH", {"daily_cap": None})
    assert issue(store, clock).display == "A-1003"


def test_a_used_up_range_refuses_instead_of_reusing_numbers(store, clock):
    with store.write() as s:
        queue_uc.update_service(admin(s), "HOTICH", {"range_start": 1, "range_end": 2})
    issue(store, clock)
    issue(store, clock)
    with pytest.raises(SignageError) as refused:
        issue(store, clock)
    assert refused.value.code == "range_exhausted"


def left_of(store: Store, clock: FakeClock, code: str = "HOTICH") -> tuple[int, bool]:
    with store.read() as s:
        service = s.scalar(select(QueueService).where(QueueService.code == code))
        left = numbering.numbers_left(s, service, numbering.office_date(clock.now(), HCM))
        return left, numbering.running_low(service, left)


def test_numbers_left_counts_down_to_the_daily_cap_and_warns_in_its_last_tenth(store, clock):
    with store.write() as s:
        queue_uc.update_service(admin(s), "HOTICH", {"daily_cap": 60})
    assert left_of(store, clock) == (60, False)
    for _ in range(53):
        issue(store, clock)
    assert left_of(store, clock) == (7, False)
    issue(store, clock)
    assert left_of(store, clock) == (6, True)      # a tenth of 60 is 6
    for _ in range(6):
        issue(store, clock)
    assert left_of(store, clock) == (0, True)
    with pytest.raises(SignageError):
        issue(store, clock)


def test_numbers_left_follows_the_range_shared_by_a_prefix_and_warns_at_five_at_least(store, clock):
    with store.write() as s:
        queue_uc.update_service(admin(s), "HOTICH", {"range_start": 1, "range_end": 20})
        # Another service on the same letter shares the series, so the range too.
        queue_uc.create_service(admin(s), {"code": "HOTICH2", "name": "Hộ tịch (ưu tiên)",
                                           "prefix": "A", "range_start": 1, "range_end": 20})
    assert left_of(store, clock) == (20, False)
    for _ in range(10):
        issue(store, clock)
    for _ in range(4):
        issue(store, clock, "HOTICH2")
    assert left_of(store, clock) == (6, False)
    assert left_of(store, clock, "HOTICH2") == (6, False)
    issue(store, clock, "HOTICH2")
    assert left_of(store, clock) == (5, True)      # a tenth of 20 is 2: five is the floor


def test_a_day_starts_with_its_full_supply(store, clock):
    with store.write() as s:
        queue_uc.update_service(admin(s), "HOTICH", {"daily_cap": 3})
    for _ in range(3):
        issue(store, clock)
    assert left_of(store, clock) == (0, True)
    clock.advance(days=1)
    assert left_of(store, clock) == (3, True)      # 3 is under the floor of 5


def test_ticketing_hours_are_office_local(store, clock):
    with store.write() as s:
        queue_uc.update_service(admin(s), "HOTICH", {"opens_at": "07:30", "closes_at": "16:30"})
    clock.set(datetime(2026, 3, 10, 7, 29, tzinfo=HCM))
    with pytest.raises(SignageError) as refused:
        issue(store, clock)
    assert refused.value.code == "closed"
    clock.set(datetime(2026, 3, 10, 7, 30, tzinfo=HCM))
    assert issue(store, clock).display == "A-1001"
    clock.set(datetime(2026, 3, 10, 16, 30, tzinfo=HCM))
    with pytest.raises(SignageError):
        issue(store, clock)


# ---- the daily reset --------------------------------------------------------------------

def test_numbers_restart_at_local_midnight_and_yesterday_is_kept(store):
    # Given two tickets a minute before midnight, one of them still waiting
    clock = FakeClock(datetime(2026, 3, 10, 23, 59, tzinfo=HCM))
    first, second = issue(store, clock), issue(store, clock)
    act(store, clock, calling.call_next, 1)
    # When the clock crosses the office's midnight
    clock.advance(minutes=2)
    fresh = issue(store, clock)
    # Then numbering starts again, nothing is deleted, yesterday's open tickets expired
    assert fresh.display == "A-1001" and fresh.office_date.isoformat() == "2026-03-11"
    assert display_of(store, first.id) == ("A-1001", "expired")
    assert display_of(store, second.id) == ("A-1002", "expired")
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 3
        kinds = [e.kind for e in s.scalars(select(QueueEvent).where(
            QueueEvent.ticket_id == first.id).order_by(QueueEvent.id))]
    assert kinds == ["issued", "called", "expired"]


def test_the_reset_happens_once_even_after_a_restart(store, tmp_path):
    clock = FakeClock(datetime(2026, 3, 11, 0, 0, 5, tzinfo=HCM))
    with store.write() as s:
        assert numbering.open_day(s, clock.now(), HCM) is True
    with store.write() as s:
        assert numbering.open_day(s, clock.now(), HCM) is False
    # A restarted process (a new engine on the same file) does not reset again.
    again = Store(store.url)
    with again.write() as s:
        assert numbering.open_day(s, clock.now() + timedelta(hours=9), HCM) is False
        assert s.scalar(select(func.count()).select_from(QueueDay)) == 1
    again.dispose()


def test_no_call_reaches_into_yesterday(store):
    clock = FakeClock(datetime(2026, 3, 10, 16, 0, tzinfo=HCM))
    issue(store, clock)
    clock.advance(days=1)
    with pytest.raises(SignageError) as empty:
        act(store, clock, calling.call_next, 1)
    assert empty.value.code == "queue_empty"


# ---- calling ------------------------------------------------------------------------------

def test_the_priority_lane_is_served_first_then_in_order(store, clock):
    a1 = issue(store, clock)
    clock.advance(minutes=1)
    a2 = issue(store, clock)
    clock.advance(minutes=1)
    elder = issue(store, clock, priority="nguoi-cao-tuoi")
    order = [act(store, clock, calling.call_next, 1).ticket.id for _ in range(3)]
    assert order == [elder.id, a1.id, a2.id]


def test_people_ahead_follows_the_priority_rule(store, clock):
    issue(store, clock)
    issue(store, clock)
    elder = issue(store, clock, priority="uu-tien")
    late = issue(store, clock)
    with store.read() as s:
        assert waits.people_ahead(s, s.get(Ticket, elder.id)) == 0
        assert waits.people_ahead(s, s.get(Ticket, late.id)) == 3


def test_call_next_with_nobody_waiting_changes_nothing(store, clock):
    issue(store, clock)
    current = act(store, clock, calling.call_next, 1).ticket
    with pytest.raises(SignageError) as empty:
        act(store, clock, calling.call_next, 1)
    assert empty.value.code == "queue_empty"
    assert display_of(store, current.id)[1] == "called"


def test_calling_next_completes_the_previous_ticket(store, clock):
    issue(store, clock)
    issue(store, clock)
    first = act(store, clock, calling.call_next, 1).ticket
    second = act(store, clock, calling.call_next, 1)
    assert second.finished is not None and second.finished.id == first.id
    assert display_of(store, first.id)[1] == "done"


def test_a_counter_only_calls_the_services_it_serves(store, clock):
    issue(store, clock, "CHUNGTHUC")
    with pytest.raises(SignageError):
        act(store, clock, calling.call_next, 1)
    assert act(store, clock, calling.call_next, 3).ticket.display == "B-1"


def test_skip_and_hold_take_a_ticket_aside_and_it_can_be_called_back(store, clock):
    issue(store, clock)
    issue(store, clock)
    absent = act(store, clock, calling.call_next, 1).ticket
    act(store, clock, calling.skip, 1)
    papers = act(store, clock, calling.call_next, 1).ticket
    act(store, clock, calling.hold, 1)
    assert display_of(store, absent.id)[1] == "skipped"
    assert display_of(store, papers.id)[1] == "held"
    back = act(store, clock, calling.call_ticket, 2, ticket_id=papers.id)
    assert back.ticket.id == papers.id and back.ticket.status == "called"
    assert back.ticket.counter_id == 2


def test_recall_needs_a_current_ticket_and_counts_the_calls(store, clock):
    with pytest.raises(SignageError) as none:
        act(store, clock, calling.recall, 1)
    assert none.value.code == "no_current_ticket"
    issue(store, clock)
    act(store, clock, calling.call_next, 1)
    again = act(store, clock, calling.recall, 1)
    assert again.kind == "recalled" and again.ticket.calls == 2


def test_a_transferred_ticket_keeps_its_number_and_its_place(store, clock):
    early = issue(store, clock)                 # A-1001, hộ tịch
    clock.advance(minutes=5)
    later = issue(store, clock, "CHUNGTHUC")    # B-1, came after
    act(store, clock, calling.call_next, 1)
    moved = act(store, clock, calling.transfer, 1, service="CHUNGTHUC").ticket
    assert (moved.display, moved.status, moved.queue_service.code) == ("A-1001", "waiting",
                                                                        "CHUNGTHUC")
    assert act(store, clock, calling.call_next, 3).ticket.id == early.id
    assert act(store, clock, calling.call_next, 3).ticket.id == later.id


def test_a_ticket_transferred_to_a_counter_goes_only_there(store, clock):
    issue(store, clock)
    act(store, clock, calling.call_next, 1)
    act(store, clock, calling.transfer, 1, counter_number=2)
    with pytest.raises(SignageError):
        act(store, clock, calling.call_next, 1)
    assert act(store, clock, calling.call_next, 2).ticket.display == "A-1001"


# ---- waits and speech ---------------------------------------------------------------------

def test_estimated_wait_uses_recent_service_times(store, clock):
    for _ in range(3):
        issue(store, clock)
    act(store, clock, calling.call_next, 1)
    clock.advance(minutes=4)
    act(store, clock, calling.call_next, 1)      # the first took 4 minutes
    clock.advance(minutes=2)
    act(store, clock, calling.complete, 1)       # the second took 2 minutes
    waiting = [issue(store, clock) for _ in range(2)]
    with store.read() as s:
        guess = waits.estimate(s, s.get(Ticket, waiting[-1].id), clock.now())
    # 2 ahead (A-1003 and the first new one), 3 min each on average, 2 counters serve it.
    assert guess == {"people_ahead": 2, "average_service_s": 180, "estimated_wait_s": 180}


def test_the_call_is_spoken_as_the_office_set_it(store):
    with store.write() as s:
        assert speech_settings(s)["reading"] == "digits"
        queue_uc.update_speech_settings(admin(s), {"reading": "number", "zero_ten": "linh"})
    with store.read() as s:
        spoken = announcement("A-1005", 3, speech_settings(s))
    assert spoken["tokens"][:2] == ["kinh-moi-cong-dan-co-so-thu-tu", "a"]
    assert "một nghìn không trăm linh năm" in spoken["text"]
    assert spoken["tokens"][-2:] == ["den-quay-so", "ba"]


def test_a_prefix_must_be_speakable_and_codes_unique(store):
    with store.write() as s:
        with pytest.raises(SignageError) as bad:
            queue_uc.create_service(admin(s), {"code": "X1", "name": "X", "prefix": "Ä"})
        assert bad.value.code == "invalid"
        with pytest.raises(SignageError) as taken:
            queue_uc.create_service(admin(s), {"code": "HOTICH", "name": "X", "prefix": "H"})
        assert taken.value.code == "conflict"


def test_two_services_sharing_a_prefix_never_issue_the_same_display(tmp_path):
    # Given an admin who gives a new service the prefix of an existing one
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from signage import create_app
    from signage.cli import prepare
    from signage.queueing.numbering import issue_ticket

    app = create_app({"data_dir": tmp_path / "instance"})
    lobby = app.extensions["signage"]
    prepare(lobby, out=lambda *_: None)
    now = datetime(2026, 11, 26, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    lobby.perform(queue_uc.create_service, Actor.cli(),
                  {"code": "HOTICH2", "name": "Hộ tịch (quầy phụ)", "prefix": "A",
                   "range_start": 1001})
    # When both issue numbers on the same day
    displays = []
    for code in ("HOTICH", "HOTICH2", "HOTICH", "HOTICH2"):
        with lobby.store.write() as session:
            displays.append(issue_ticket(session, code, now, lobby.clock.tz).display)
    # Then every display is different: they share the series A
    assert displays == ["A-1001", "A-1002", "A-1003", "A-1004"]
    lobby.store.dispose()
