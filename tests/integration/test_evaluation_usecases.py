"""Citizens judge the service, through the use cases on a fake clock: officers on duty,
one rating per served ticket from the counter's tablet or the ticket's page, the
feedback box, and the figures of a seeded history across an office midnight."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from signage.clock import FakeClock
from signage.errors import Conflict, Forbidden, Invalid, InvalidState
from signage.evaluation.figures import Period
from signage.usecases import Actor
from signage.usecases import feedback as feedback_uc
from signage.usecases import officers as officers_uc
from signage.usecases import queue as queue_uc
from signage.usecases import ratings as ratings_uc
from signage.usecases import reports as reports_uc
from signage.usecases import tablets as tablets_uc
from signage.usecases import tickets as tickets_uc
from tests.conftest import make_token, prepared_app

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN = Actor("quantri", "admin")
LAN = Actor("quay1", "operator")
PUBLIC = Actor.public()


@pytest.fixture
def office(tmp_path):
    clock = FakeClock(datetime(2026, 11, 30, 7, 30, tzinfo=HCM))
    app = prepared_app(tmp_path / "instance", clock=clock)
    lobby = app.extensions["signage"]
    for name, role in (("quantri", "admin"), ("quay1", "operator"), ("quay2", "operator")):
        make_token(lobby, name, role)

    def at(hh_mm: str, day: int = 30, month: int = 11) -> None:
        hour, minute = map(int, hh_mm.split(":"))
        clock.set(datetime(2026, month, day, hour, minute, tzinfo=HCM))

    def do(actor, usecase, *args, **kw):
        return lobby.perform(usecase, actor, *args, **kw)

    def counter(number: int) -> dict:
        return next(c for c in lobby.query(queue_uc.list_counters) if c["number"] == number)

    yield SimpleNamespace(lobby=lobby, clock=clock, at=at, do=do, counter=counter)
    lobby.store.dispose()


def tablet_at(office, number: int) -> dict:
    added = office.do(ADMIN, tablets_uc.add_tablet, {"name": f"Quầy {number}", "counter": number})
    return office.lobby.query(tablets_uc.tablet_for_key, added["key"])


def take(office, service: str) -> dict:
    return office.do(PUBLIC, tickets_uc.issue_ticket, {"service": service})


def test_an_officer_signing_in_at_a_counter_goes_on_duty_there_and_leaves_the_other(office):
    lan = office.do(ADMIN, officers_uc.create_officer, {
        "name": "Nguyễn Thị Lan", "title": "Công chức Tư pháp – Hộ tịch", "field": "Hộ tịch",
        "phone": "0274 3650 123", "user": "quay1"})
    one, two = office.counter(1), office.counter(2)
    # When the officer picks counter 1 at the console, her own profile goes on duty there
    board = office.do(LAN, officers_uc.start_duty, one["id"])
    assert board["officer"]["name"] == "Nguyễn Thị Lan" and board["officer"]["counter"] == 1
    assert office.counter(1)["officer"] == "Nguyễn Thị Lan"
    # and moving to counter 2 ends her duty at counter 1
    office.do(LAN, officers_uc.start_duty, two["id"])
    assert office.counter(1)["officer"] is None
    assert office.counter(2)["officer"] == "Nguyễn Thị Lan"
    # A new name shows where she is on duty
    office.do(ADMIN, officers_uc.update_officer, lan["id"], {"name": "Nguyễn Thị Lan Anh"})
    assert office.counter(2)["officer"] == "Nguyễn Thị Lan Anh"
    # An operator cannot put somebody else on duty; an admin can
    with pytest.raises(Forbidden):
        office.do(Actor("quay2", "operator"), officers_uc.start_duty, one["id"],
                  {"officer_id": lan["id"]})
    office.do(ADMIN, officers_uc.start_duty, one["id"], {"officer_id": lan["id"]})
    assert [d["officer"]["name"] if d["officer"] else None
            for d in office.lobby.query(officers_uc.duty_board)[:2]] == ["Nguyễn Thị Lan Anh", None]


def test_an_officer_without_a_profile_gets_one_from_the_account_on_first_duty(office):
    office.do(Actor("quay2", "operator"), officers_uc.start_duty, office.counter(3)["id"])
    [officer] = office.lobby.query(officers_uc.list_officers)
    assert officer["name"] == "quay2" and officer["user"] == "quay2" and officer["counter"] == 3
    # Typing a name with no profile on the counter ends the duty and keeps the text
    office.do(ADMIN, queue_uc.update_counter, office.counter(3)["id"], {"officer": "Trần Văn Bình"})
    assert office.counter(3)["officer"] == "Trần Văn Bình"
    assert office.lobby.query(officers_uc.list_officers)[0]["counter"] is None
    # Typing the name of a profile puts that officer on duty
    office.do(ADMIN, queue_uc.update_counter, office.counter(3)["id"], {"officer": "quay2"})
    assert office.lobby.query(officers_uc.list_officers)[0]["counter"] == 3


def test_a_served_ticket_is_rated_once_from_its_counters_tablet(office):
    office.do(LAN, officers_uc.start_duty, office.counter(1)["id"])
    one, two = tablet_at(office, 1), tablet_at(office, 2)
    served = take(office, "HOTICH")
    waiting = take(office, "HOTICH")
    office.at("08:00")
    office.do(LAN, tickets_uc.call_next, one["counter_id"])
    office.at("08:05")
    office.do(LAN, tickets_uc.complete, one["counter_id"])
    # The tablet of another counter may not rate it
    with pytest.raises(InvalidState) as elsewhere:
        office.do(PUBLIC, ratings_uc.rate, {"ticket": served["id"], "score": 3}, tablet=two)
    assert elsewhere.value.code == "other_counter"
    # Its own counter's tablet may, with reasons for a low score
    rated = office.do(PUBLIC, ratings_uc.rate, {"ticket": served["id"], "score": 1,
                                                "reasons": ["thai-do", "thoi-gian"],
                                                "comment": "Chờ lâu quá"}, tablet=one)
    assert rated["counter"] == 1 and rated["officer"] == "quay1" and not rated["satisfied"]
    assert rated["reasons"] == ["thai-do", "thoi-gian"] and rated["channel"] == "tablet"
    # once
    with pytest.raises(Conflict) as again:
        office.do(PUBLIC, ratings_uc.rate, {"ticket": served["id"], "score": 3}, tablet=one)
    assert again.value.code == "already_rated"
    # A ticket never served is not rated; nor one unknown; nor without a device or token
    with pytest.raises(InvalidState) as unserved:
        office.do(PUBLIC, ratings_uc.rate, {"ticket": waiting["id"], "score": 3}, tablet=one)
    assert unserved.value.code == "not_served"
    with pytest.raises(Invalid) as unknown:
        office.do(PUBLIC, ratings_uc.rate, {"ticket": 999999, "score": 3}, tablet=one)
    assert unknown.value.field == "ticket"
    with pytest.raises(Forbidden):
        office.do(PUBLIC, ratings_uc.rate, {"ticket": served["id"], "score": 3})


def test_a_phone_rates_its_own_ticket_by_token_and_a_tablet_only_for_minutes(office):
    tablet = tablet_at(office, 1)
    first, second = take(office, "HOTICH"), take(office, "HOTICH")
    for _ in range(2):
        office.do(LAN, tickets_uc.call_next, tablet["counter_id"])
    office.do(LAN, tickets_uc.complete, tablet["counter_id"])  # "next" completed the first
    office.clock.advance(minutes=11)
    with pytest.raises(InvalidState) as late:
        office.do(PUBLIC, ratings_uc.rate, {"ticket": first["id"], "score": 2}, tablet=tablet)
    assert late.value.code == "rating_closed"
    # The citizen's own page still may, by the ticket's token, and "Hài lòng" needs no reason
    rated = office.do(PUBLIC, ratings_uc.rate, {"token": first["token"], "score": 2,
                                                "reasons": ["khac"], "comment": "ok"})
    assert rated["channel"] == "phone" and rated["satisfied"] and rated["reasons"] == []
    assert rated["comment"] is None
    with pytest.raises(Forbidden):
        office.do(PUBLIC, ratings_uc.rate, {"ticket": second["id"], "token": first["token"],
                                            "score": 2})
    # A score off the scale is refused by field
    with pytest.raises(Invalid) as off:
        office.do(PUBLIC, ratings_uc.rate, {"token": second["token"], "score": 5})
    assert off.value.field == "score"
    # Five stars as the office's setting: the same score now fits
    office.do(ADMIN, ratings_uc.update_rating_settings, {"scale": 5})
    assert office.do(PUBLIC, ratings_uc.rate, {"token": second["token"], "score": 5})["scale"] == 5


def test_the_figures_of_a_seeded_history_are_right_across_office_midnight(office):
    office.do(LAN, officers_uc.start_duty, office.counter(1)["id"])
    one, two = tablet_at(office, 1), tablet_at(office, 2)
    office.at("08:00")
    t1 = take(office, "HOTICH")
    office.at("08:01")
    t2 = take(office, "CHUNGTHUC")
    office.at("08:10")
    office.do(LAN, tickets_uc.call_next, one["counter_id"])  # t1 waited 10 min
    office.at("08:15")
    office.do(LAN, tickets_uc.complete, one["counter_id"])  # served 5 min
    office.at("08:16")
    office.do(PUBLIC, ratings_uc.rate, {"ticket": t1["id"], "score": 1,
                                        "reasons": ["thai-do", "thoi-gian"]}, tablet=one)
    office.at("09:00")
    take(office, "HOTICH")
    office.at("09:05")
    office.do(LAN, tickets_uc.call_next, one["counter_id"])  # waited 5 min
    office.at("09:06")
    office.do(LAN, tickets_uc.skip, one["counter_id"])  # no-show
    office.at("23:50")
    office.do(Actor("quay2", "operator"), tickets_uc.call_next, two["counter_id"])  # t2
    office.at("23:58")
    office.do(Actor("quay2", "operator"), tickets_uc.complete, two["counter_id"])  # 8 min
    # Four minutes later it is the next office day: the rating belongs to it
    office.at("00:02", day=1, month=12)
    office.do(PUBLIC, ratings_uc.rate, {"ticket": t2["id"], "score": 3}, tablet=two)
    office.at("00:03", day=1, month=12)
    take(office, "HOTICH")
    office.at("10:00", day=1, month=12)

    def stats(fn, since, until):
        return office.lobby.query(fn, Period(since, until), HCM)

    nov30, dec1 = date(2026, 11, 30), date(2026, 12, 1)
    queue = stats(reports_uc.queue_stats, nov30, nov30)
    assert {k: queue["totals"][k] for k in ("issued", "served", "no_show", "no_show_pct")} == {
        "issued": 3, "served": 2, "no_show": 1, "no_show_pct": 33.3}
    assert queue["totals"]["waiting"] == {"count": 3, "median_s": 600, "p90_s": 45672,
                                          "mean_s": 19280}
    assert queue["totals"]["service"]["median_s"] == 390
    assert queue["by_hour"] == [{"hour": 8, "issued": 2, "served": 1},
                                {"hour": 9, "issued": 1, "served": 0},
                                {"hour": 23, "issued": 0, "served": 1}]
    by_service = {row["code"]: row for row in queue["by_service"]}
    assert (by_service["HOTICH"]["issued"], by_service["HOTICH"]["no_show"]) == (2, 1)
    assert by_service["CHUNGTHUC"]["service_median_s"] == 480
    counters = {row["number"]: (row["calls"], row["served"]) for row in queue["by_counter"]}
    assert counters == {1: (2, 1), 2: (1, 1)}
    assert [(row["name"], row["served"]) for row in queue["by_officer"]] == [("quay1", 1)]
    assert stats(reports_uc.queue_stats, dec1, dec1)["totals"]["issued"] == 1

    day_one = stats(reports_uc.rating_stats, nov30, nov30)
    assert day_one["totals"]["count"] == 1 and day_one["totals"]["satisfied"] == 0
    assert {r["code"]: r["count"] for r in day_one["by_reason"] if r["count"]} == {
        "thai-do": 1, "thoi-gian": 1}
    assert [(o["name"], o["count"]) for o in day_one["by_officer"]] == [("quay1", 1)]
    both = stats(reports_uc.rating_stats, nov30, dec1)
    assert both["totals"]["satisfied_pct"] == 50.0
    assert [(d["date"], d["count"]) for d in both["by_day"]] == [("2026-11-30", 1),
                                                                 ("2026-12-01", 1)]
    assert [(lv["score"], lv["count"]) for lv in both["totals"]["levels"]] == [(3, 1), (2, 0),
                                                                              (1, 1)]
    assert [o["name"] for o in both["by_officer"]] == ["quay1", None]
    listed = office.lobby.query(ratings_uc.list_ratings, Period(nov30, dec1), HCM)
    assert [(r["ticket_display"], r["score"], r["officer"]) for r in listed] == [
        (t1["display"], 1, "quay1"), (t2["display"], 3, None)]


def test_feedback_is_answered_through_its_states_and_counted(office):
    ticket = take(office, "HOTICH")
    sent = office.do(PUBLIC, feedback_uc.submit_feedback, {
        "text": "Nhà vệ sinh tầng 1 hỏng vòi nước.", "contact": "0909 000 111",
        "token": ticket["token"]})
    office.do(PUBLIC, feedback_uc.submit_feedback, {"text": "Cán bộ quầy 2 rất nhiệt tình.",
                                                    "channel": "kiosk", "counter": 2})
    item = office.lobby.query(feedback_uc.get_feedback, sent["id"])
    assert item["status"] == "new" and item["channel"] == "phone" and item["ticket"] == ticket["id"]
    with pytest.raises(Invalid) as empty:
        office.do(PUBLIC, feedback_uc.submit_feedback, {"text": "   "})
    assert empty.value.field == "text"
    # An editor does not handle feedback; an approver does
    with pytest.raises(Forbidden):
        office.do(Actor("bientap", "editor"), feedback_uc.handle_feedback, sent["id"],
                  {"status": "in_progress"})
    approver = Actor("lanhdao", "approver")
    office.do(approver, feedback_uc.handle_feedback, sent["id"], {"status": "in_progress"})
    with pytest.raises(Invalid) as no_answer:
        office.do(approver, feedback_uc.handle_feedback, sent["id"], {"status": "answered"})
    assert no_answer.value.field == "answer"
    answered = office.do(approver, feedback_uc.handle_feedback, sent["id"],
                         {"answer": "Đã sửa vòi nước ngày 30/11. Cảm ơn ông/bà."})
    assert answered["status"] == "answered" and answered["handled_by"] == "lanhdao"
    listed = office.lobby.query(feedback_uc.list_feedback)
    assert listed["total"] == 2 and all(i["contact"] is None for i in listed["items"])
    counts = office.lobby.query(reports_uc.feedback_stats, Period(date(2026, 11, 30),
                                                                  date(2026, 11, 30)), HCM)
    assert counts["states"] == {"new": 1, "in_progress": 0, "answered": 1}
