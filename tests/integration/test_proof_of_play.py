"""Proof of play: what the screens' pages reported showing becomes one row per slide
change per screen (signage.fleet → record_health), and the figures per zone and notice
for a period of office days, cut at office midnight. In-process on a fake clock (the
real Fleet, store and use cases), then on the real server with real WebSocket screens."""

from __future__ import annotations

import re
import time
import urllib.request
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from signage.accounts import add_user
from signage.clock import FakeClock
from signage.evaluation.figures import Period
from signage.store.models_fleet import Play
from signage.usecases import Actor
from signage.usecases import reports as reports_uc
from signage.usecases import screens as screens_uc
from tests.conftest import prepared_app

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def office(tmp_path):
    clock = FakeClock(datetime(2026, 11, 30, 23, 0, tzinfo=HCM))
    app = prepared_app(tmp_path / "instance", clock=clock)
    lobby = app.extensions["signage"]
    a, b = lobby.perform(screens_uc.add_screens, Actor.system(),
                         {"names": ["Tivi A", "Tivi B"], "zone": "sanh-chinh"})
    view = lobby.publisher.zone_view("sanh-chinh", clock.now())
    s1, s2 = view["playlist"]["slides"][:2]

    def at(hh_mm_ss: str, day: int) -> None:
        h, m, s = map(int, hh_mm_ss.split(":"))
        clock.set(datetime(2026, 11 if day == 30 else 12, day, h, m, s, tzinfo=HCM))

    def shows(screen: dict, slide: dict | str) -> None:
        slide_id = slide if isinstance(slide, str) else slide["id"]
        lobby.fleet.reported(screen["id"], {"showing": {"slide_id": slide_id, "title": None}})

    yield SimpleNamespace(app=app, lobby=lobby, clock=clock, a=a, b=b, s1=s1, s2=s2, at=at,
                          shows=shows)
    lobby.store.dispose()


def stats(office, since: date, until: date) -> dict:
    return office.lobby.query(reports_uc.play_stats, Period(since, until), HCM,
                              office.clock.now())


def test_one_row_per_slide_change_and_the_seconds_cut_at_office_midnight(office):
    fleet, a, b, s1, s2 = office.lobby.fleet, office.a, office.b, office.s1, office.s2
    # Given screen A showing slide 1 across office midnight, then slide 2 until it goes away
    office.at("23:59:00", 30)
    fleet.attached(a["id"], 1)
    office.shows(a, s1)
    office.at("00:00:30", 1)
    office.shows(a, s2)
    office.at("00:01:00", 1)
    office.shows(a, s2)          # its minutely report: the same slide, no new row
    office.at("00:02:00", 1)
    fleet.detached(a["id"], 1)
    # and screen B showing slide 1 for 20 s after midnight, then the idle card
    office.at("00:00:00", 1)
    fleet.attached(b["id"], 2)
    office.shows(b, s1)
    office.at("00:00:20", 1)
    office.shows(b, "idle")
    office.at("00:05:00", 1)
    fleet.flush()

    # Then the store holds one row per slide change per screen, all closed
    with office.lobby.store.read() as session:
        rows = [(r.screen_id, r.slide_id, r.ended_at is not None)
                for r in session.scalars(select(Play).order_by(Play.id))]
    assert sorted(rows) == sorted([(a["id"], s1["id"], True), (a["id"], s2["id"], True),
                                   (b["id"], s1["id"], True)])

    # And 1 December counts from its midnight: slide 1 30 s on A + 20 s on B, slide 2 90 s
    dec1 = stats(office, date(2026, 12, 1), date(2026, 12, 1))
    assert [(p["zone"], p["notice_id"], p["plays"], p["screens"], p["seconds"])
            for p in dec1["by_notice"]] == [
        ("sanh-chinh", s2["notice_id"], 1, 1, 90), ("sanh-chinh", s1["notice_id"], 2, 2, 50)]
    assert dec1["totals"] == {"seconds": 140, "plays": 3, "screens": 2}
    # while both days give slide 1 its minute before midnight too, in its own day
    both = stats(office, date(2026, 11, 30), date(2026, 12, 1))
    assert {p["notice_id"]: p["seconds"] for p in both["by_notice"]} == {
        s1["notice_id"]: 110, s2["notice_id"]: 90}
    assert [(d["date"], d["notice_id"], d["seconds"]) for d in both["by_day"]] == [
        ("2026-11-30", s1["notice_id"], 60), ("2026-12-01", s2["notice_id"], 90),
        ("2026-12-01", s1["notice_id"], 50)]


def test_a_row_left_open_counts_while_its_screen_is_heard_and_stops_when_it_was_last(office):
    fleet, a, s1 = office.lobby.fleet, office.a, office.s1
    office.at("09:00:00", 1)
    fleet.attached(a["id"], 1)
    office.shows(a, s1)
    fleet.flush()
    # While the screen is heard, the open row counts up to now
    office.at("09:01:00", 1)
    fleet.heard(a["id"])
    fleet.flush()
    assert stats(office, date(2026, 12, 1), date(2026, 12, 1))["totals"]["seconds"] == 60
    # A process that died never closed it: the screen's next report, an hour later in
    # another process, ends it when it was last heard, not when it came back
    office.at("10:00:00", 1)
    office.lobby.perform(screens_uc.record_health, Actor.system(), [{
        "id": a["id"], "last_seen_at": office.clock.now(), "health": None,
        "plays": [{"at": office.clock.now(), "slide_id": None, "title": None}]}])
    assert stats(office, date(2026, 12, 1), date(2026, 12, 1))["totals"]["seconds"] == 60


def test_the_reports_page_has_the_table_and_the_chart(office):
    fleet, a, s1 = office.lobby.fleet, office.a, office.s1
    office.at("09:00:00", 1)
    fleet.attached(a["id"], 1)
    office.shows(a, s1)
    office.at("09:03:00", 1)
    fleet.detached(a["id"], 1)
    fleet.flush()
    with office.lobby.store.write() as session:
        add_user(session, "quantri", "admin", "mat-khau-rat-dai", office.clock.now())
    client = office.app.test_client()
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/admin/login").text)[1]
    client.post("/admin/login", data={"name": "quantri", "password": "mat-khau-rat-dai",
                                      "csrf_token": token})
    page = client.get("/admin/reports?since=2026-12-01&until=2026-12-01").text
    section = page[page.index('data-test="proof-of-play"'):]
    section = section[:section.index("</section>")]
    assert "<svg" in section and 'data-test="play-csv"' in section
    assert f"<td>sanh-chinh</td><td>{s1['title']}</td><td>1</td><td>1</td><td>180</td>" in section


# ---- on the real server, with real WebSocket screens -----------------------------------------

def play_rows(live_server, zone: str) -> list[dict]:
    status, body = live_server.request("GET", "/api/v1/stats/play", role="admin")
    assert status == 200, body
    return [p for p in body["by_notice"] if p["zone"] == zone]


def test_the_seconds_screens_report_are_what_the_report_and_its_csv_say(live_server, screen):
    # Given a zone with two screens, and two notices on its playlist
    zone = "trinh-chieu"
    key_a, key_b = live_server.cli("screens", "add", "Trình chiếu A", "Trình chiếu B", "--zone",
                                   zone, "--create-zone").split()
    first, second = live_server.request("GET", "/api/v1/notices?kind=law&limit=2")[1]["items"]
    status, playlist = live_server.request("PUT", f"/api/v1/zones/{zone}/playlist", {"slides": [
        {"notice_id": first["id"], "duration": 600}, {"notice_id": second["id"], "duration": 600}]},
        role="approver")
    assert status == 200, playlist
    one, two = (s["id"] for s in playlist["slides"])
    a, b = screen(key_a), screen(key_b)

    def report(client, slide_id) -> float:
        client.send({"type": "status", "showing": {"slide_id": slide_id, "title": "x"}})
        return time.monotonic()

    # When A shows the first notice, then the second, then goes away, and B shows the first
    started_a = report(a, one)
    started_b = report(b, one)
    time.sleep(2.5)   # time on the glass is what is measured
    switched_a = report(a, two)
    time.sleep(2.0)
    a.close()
    ended_a = time.monotonic()
    b.send({"type": "status", "showing": {"slide_id": "idle", "title": None}})
    ended_b = time.monotonic()

    # Then, once the batch is written (within a second or two), the report says so
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        rows = {p["notice_id"]: p for p in play_rows(live_server, zone)}
        if second["id"] in rows and rows[first["id"]]["plays"] == 2:
            break
        time.sleep(0.2)
    expected_first = (switched_a - started_a) + (ended_b - started_b)
    expected_second = ended_a - switched_a
    assert rows[first["id"]]["screens"] == 2 and rows[second["id"]]["plays"] == 1
    # whole seconds, as the server received the reports (allowing for the loaded machine)
    assert abs(rows[first["id"]]["seconds"] - expected_first) <= 1.5, (rows, expected_first)
    assert abs(rows[second["id"]]["seconds"] - expected_second) <= 1.5, (rows, expected_second)
    # and the CSV has the same rows
    request = urllib.request.Request(
        f"{live_server.base}/api/v1/stats/play?format=csv&table=by_notice",
        headers={"Authorization": f"Bearer {live_server.token('admin')}"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        text = answer.read().decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header == ["zone", "notice_id", "kind", "title", "plays", "screens", "seconds"]
    assert f"{zone},{second['id']},law," in text
    assert f",{rows[first['id']]['plays']},2,{rows[first['id']]['seconds']}\r\n" in text
