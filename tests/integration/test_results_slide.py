"""The "Kết quả đánh giá sự hài lòng" slide on the lobby TVs: last month's satisfaction
per service and overall, from a seeded history on a fake clock (ratings at office
midnight belong to the month that starts there), turned over by the scheduler's
midnight job and published to the screens through the Hub."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from signage.clock import FakeClock
from signage.notices.schema import parse_notice, record_json
from signage.scheduler import Rotation
from signage.usecases import Actor
from signage.usecases import notices as notices_uc
from signage.usecases import officers as officers_uc
from signage.usecases import queue as queue_uc
from signage.usecases import ratings as ratings_uc
from signage.usecases import tablets as tablets_uc
from signage.usecases import tickets as tickets_uc
from signage.usecases.playlists import replace_playlist
from tests.conftest import make_token, prepared_app
from tests.wire import attach_listener

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
ADMIN = Actor("quantri", "admin")
LAN = Actor("quay1", "operator")
PUBLIC = Actor.public()
ZONE = "sanh-chinh"


@pytest.fixture
def office(tmp_path):
    clock = FakeClock(datetime(2026, 10, 31, 22, 0, tzinfo=HCM))
    app = prepared_app(tmp_path / "instance", clock=clock)
    lobby = app.extensions["signage"]
    for name, role in (("quantri", "admin"), ("quay1", "operator")):
        make_token(lobby, name, role)
    lobby.publisher.start()
    rotation = Rotation(lobby)
    rotation.scheduler.start(paused=True)  # jobs get run times; the test runs them
    rotation.add_jobs()
    counter = next(c for c in lobby.query(queue_uc.list_counters) if c["number"] == 2)
    lobby.perform(officers_uc.start_duty, LAN, counter["id"])
    added = lobby.perform(tablets_uc.add_tablet, ADMIN, {"name": "Quầy 2", "counter": 2})
    tablet = lobby.query(tablets_uc.tablet_for_key, added["key"])

    def rated(when: datetime, service: str, score: int) -> None:
        """A ticket of `service` served at counter 2 just before `when`, rated at `when`
        on the counter's tablet."""
        clock.set(when - timedelta(minutes=3))
        ticket = lobby.perform(tickets_uc.issue_ticket, PUBLIC, {"service": service})
        lobby.perform(tickets_uc.call_next, LAN, counter["id"])
        lobby.perform(tickets_uc.complete, LAN, counter["id"])
        clock.set(when)
        lobby.perform(ratings_uc.rate, PUBLIC, {"ticket": ticket["id"], "score": score},
                      tablet=tablet)

    yield SimpleNamespace(app=app, lobby=lobby, clock=clock, rotation=rotation, rated=rated)
    rotation.shutdown()
    lobby.store.dispose()


def results_html(lobby) -> str:
    """The results slide as the zone's screens get it in their snapshot now."""
    view = lobby.publisher.zone_view(ZONE, lobby.clock.now())
    [slide] = [s for s in view["playlist"]["slides"] if s["kind"] == "results"]
    return slide["html"]


def figures(html: str) -> dict:
    """What the slide says, read back from its markup."""
    head = re.search(r'data-month="([\d-]+)" data-count="(\d+)"', html)
    overall = re.search(r'results-overall" data-satisfied-pct="([\d.]+)"', html)
    bars = re.findall(r'data-code="(\w*)" data-satisfied-pct="([\d.]+)" data-count="(\d+)"', html)
    big = re.search(r'<p class="results-big">([^<]+)</p>', html)
    return {"month": head[1], "count": int(head[2]),
            "overall": float(overall[1]) if overall else None,
            "big": big[1] if big else None,
            "services": {code: (float(pct), int(n)) for code, pct, n in bars}}


def test_a_ward_without_ratings_last_month_says_so_instead_of_an_empty_chart(office):
    office.clock.set(datetime(2026, 11, 5, 9, 0, tzinfo=HCM))
    html = results_html(office.lobby)
    assert figures(html)["month"] == "2026-10" and figures(html)["count"] == 0
    assert "Tháng 10/2026 chưa có lượt đánh giá nào." in html
    assert "results-bar" not in html and "results-big" not in html


def test_last_months_figures_per_service_are_right_and_turn_over_at_office_midnight(office):
    rated = office.rated
    # Given ratings either side of two office midnights
    rated(datetime(2026, 10, 31, 23, 59, 30, tzinfo=HCM), "HOTICH", 1)     # October
    rated(datetime(2026, 11, 1, 0, 0, 0, tzinfo=HCM), "CHUNGTHUC", 3)      # November, at 00:00
    rated(datetime(2026, 11, 15, 10, 0, tzinfo=HCM), "HOTICH", 3)
    rated(datetime(2026, 11, 15, 10, 30, tzinfo=HCM), "HOTICH", 2)
    rated(datetime(2026, 11, 16, 9, 0, tzinfo=HCM), "CHUNGTHUC", 1)
    rated(datetime(2026, 11, 30, 23, 59, 59, tzinfo=HCM), "HOTICH", 1)     # November
    rated(datetime(2026, 12, 1, 0, 0, 0, tzinfo=HCM), "HOTICH", 3)         # December, at 00:00

    # When a screen asks during December, the slide shows November
    office.clock.set(datetime(2026, 12, 5, 9, 0, tzinfo=HCM))
    html = results_html(office.lobby)
    assert figures(html) == {
        "month": "2026-11", "count": 5, "overall": 60.0, "big": "60%",
        "services": {"HOTICH": (66.7, 3), "CHUNGTHUC": (50.0, 2)}}
    assert "Tháng 11/2026 · 5 lượt đánh giá" in html
    assert re.search(r"Rất hài lòng</span><span class=\"results-level-value\">40%", html)
    assert re.search(r"Không hài lòng</span><span class=\"results-level-value\">40%", html)

    # The scheduler reads the figures again just after each office midnight
    job = office.rotation.scheduler.get_job("figures:midnight")
    assert job.next_run_time.astimezone(HCM).time() == time(0, 0, 1)
    screen = attach_listener(office.lobby.publisher.hub, ZONE)
    # a new day of the same month changes nothing: nothing is sent
    office.clock.set(datetime(2026, 12, 6, 0, 0, 1, tzinfo=HCM))
    assert office.lobby.publisher.refresh_figures() == []
    # the 1st of January turns it over: the screens get December's figures live
    office.clock.set(datetime(2027, 1, 1, 0, 0, 1, tzinfo=HCM))
    job.func(*job.args)
    updated = screen.next_of("notice.updated")
    [slide] = updated["slides"]
    assert slide["kind"] == "results"
    assert figures(slide["html"]) == {"month": "2026-12", "count": 1, "overall": 100.0,
                                      "big": "100%", "services": {"HOTICH": (100.0, 1)}}
    # and a screen connecting afterwards gets the same in its snapshot
    assert figures(results_html(office.lobby))["month"] == "2026-12"


def test_an_admin_puts_a_results_slide_on_a_playlist_like_any_notice(office):
    office.clock.set(datetime(2026, 12, 5, 9, 0, tzinfo=HCM))
    made = office.lobby.perform(notices_uc.create_notice, ADMIN, {
        "kind": "results", "title": "Người dân đánh giá Bộ phận một cửa", "services": 3,
        "note": "Đường dây nóng: 0274 3650 123"})
    assert made["slug"] == "nguoi-dan-danh-gia-bo-phan-mot-cua" and made["status"] == "approved"
    office.lobby.perform(replace_playlist, ADMIN, ZONE,
                         {"slides": [{"notice_id": made["id"], "duration": 20}]})
    view = office.lobby.publisher.zone_view(ZONE, office.clock.now())
    [slide] = view["playlist"]["slides"]
    assert slide["kind"] == "results" and slide["duration"] == 20
    assert "Người dân đánh giá Bộ phận một cửa" in slide["html"]
    assert "Đường dây nóng: 0274 3650 123" in slide["html"]


def test_the_record_validates_and_round_trips():
    record = parse_notice({"kind": "results"})
    assert record_json(record) == {"kind": "results", "slug": "ket-qua-danh-gia-su-hai-long",
                                   "title": "Kết quả đánh giá sự hài lòng", "note": "",
                                   "services": 5}
    assert parse_notice(record_json(record)) == record


def test_done_when_a_rating_from_the_tablet_is_in_the_report_csv_api_and_next_months_slide(
        office):
    """Issue 11's "done when", through the HTTP doors on a controllable clock: a ticket
    completed at the counter and rated on its tablet (X-Tablet-Key) in November is in
    /admin/reports, its CSV and the API in November, and on the TVs' results slide in
    December."""
    from signage.accounts import add_user

    lobby, clock = office.lobby, office.clock
    client = office.app.test_client()
    admin_key = make_token(lobby, "quantri-dw", "admin")
    staff = {"Authorization": f"Bearer {admin_key}"}
    added = lobby.perform(tablets_uc.add_tablet, ADMIN, {"name": "Quầy 3", "counter": 3})
    counter = next(c for c in lobby.query(queue_uc.list_counters) if c["number"] == 3)
    # Given a ticket served to the end at counter 3 on 20 November
    clock.set(datetime(2026, 11, 20, 9, 0, tzinfo=HCM))
    ticket = lobby.perform(tickets_uc.issue_ticket, PUBLIC, {"service": "CHUNGTHUC"})
    lobby.perform(tickets_uc.call_next, LAN, counter["id"])
    clock.set(datetime(2026, 11, 20, 9, 7, tzinfo=HCM))
    lobby.perform(tickets_uc.complete, LAN, counter["id"])
    # When the citizen rates it on the counter's tablet, low, with a reason
    rated = client.post("/api/v1/ratings", json={"ticket": ticket["id"], "score": 1,
                                                 "reasons": ["thai-do"]},
                        headers={"X-Tablet-Key": added["key"]})
    assert rated.status_code == 201, rated.json
    # Then it is in the API's figures and list, and their CSV
    period = "since=2026-11-01&until=2026-11-30"
    stats = client.get(f"/api/v1/stats/ratings?{period}", headers=staff).json
    assert stats["totals"]["count"] == 1 and stats["by_reason"][3] == {
        "code": "thai-do", "label": "Thái độ của cán bộ chưa tốt", "count": 1}
    listed = client.get(f"/api/v1/ratings?{period}", headers=staff).json["items"]
    assert [(r["ticket"], r["score"], r["reasons"]) for r in listed] == [
        (ticket["id"], 1, ["thai-do"])]
    csv = client.get(f"/api/v1/ratings?{period}&format=csv", headers=staff)
    assert csv.status_code == 200 and f",{ticket['display']}," in csv.get_data(as_text=True)
    # and on the report page
    with lobby.store.write() as session:
        add_user(session, "baocao", "admin", "mat-khau-rat-dai", clock.now())
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/admin/login").text)[1]
    client.post("/admin/login", data={"name": "baocao", "password": "mat-khau-rat-dai",
                                      "csrf_token": token})
    page = client.get(f"/admin/reports?{period}").text
    assert re.search(r'data-test="ratings-count">1<', page)
    # And in December the TVs' results slide shows November with it
    clock.set(datetime(2026, 12, 1, 0, 0, 1, tzinfo=HCM))
    assert figures(results_html(lobby)) == {
        "month": "2026-11", "count": 1, "overall": 0.0, "big": "0%",
        "services": {"CHUNGTHUC": (0.0, 1)}}
