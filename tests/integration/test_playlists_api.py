"""Playlists with schedules, office hours, the welcome card and "what is on screen now",
through /api/v1 — with Vietnamese errors for what an editor can get wrong."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from signage.accounts.audit import AuditQuery, find_entries
from signage.clock import FakeClock
from signage.playlists import service as playlists
from signage.store.models import Notice
from tests.conftest import make_token, prepared_app

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
THURSDAY_8AM = datetime(2026, 11, 26, 8, 0, tzinfo=HCM)  # ISO weekday 4


@pytest.fixture
def clocked(tmp_path):
    """An app on the shipped content whose clock the test moves; bearer headers per role."""
    clock = FakeClock(THURSDAY_8AM)
    app = prepared_app(tmp_path / "instance", clock=clock)
    lobby = app.extensions["signage"]
    client = app.test_client()
    client.clock = clock
    client.lobby = lobby
    client.as_ = {role: {"Authorization": f"Bearer {make_token(lobby, role + '1', role)}"}
                  for role in ("editor", "approver", "admin", "operator")}
    yield client
    lobby.store.dispose()


def notice_ids(lobby, n: int) -> list[int]:
    with lobby.store.read() as session:
        return list(session.scalars(select(Notice.id).where(Notice.status == "approved")
                                    .order_by(Notice.id)))[:n]


def put_playlist(client, slides, role="approver", zone="sanh-chinh"):
    return client.put(f"/api/v1/zones/{zone}/playlist", json={"slides": slides},
                      headers=client.as_[role])


# ---- schedules on the playlist ---------------------------------------------------------------

def test_an_approver_saves_order_durations_and_schedules_and_reads_them_back(clocked):
    a, b, c = notice_ids(clocked.lobby, 3)
    # When an approver saves three entries, the last with a full schedule
    saved = put_playlist(clocked, [
        {"notice_id": b, "duration": 20},
        {"notice_id": a, "duration": 12, "weekdays": [6, 7]},
        {"notice_id": c, "duration": 30, "starts_on": "2026-12-01", "ends_on": "2026-12-31",
         "weekdays": [5, 1, 2, 3, 4], "windows": [["07:30", "11:30"], ["13:30", "17:00"]],
         "priority": 5},
    ])

    # Then the playlist keeps that order and the schedules, normalised
    assert saved.status_code == 200
    got = clocked.get("/api/v1/zones/sanh-chinh/playlist", headers=clocked.as_["editor"]).json
    assert [(s["notice_id"], s["duration"], s["position"]) for s in got["slides"]] == [
        (b, 20, 1), (a, 12, 2), (c, 30, 3)]
    last = got["slides"][2]
    assert {k: last[k] for k in ("starts_on", "ends_on", "weekdays", "windows", "priority")} == {
        "starts_on": "2026-12-01", "ends_on": "2026-12-31", "weekdays": [1, 2, 3, 4, 5],
        "windows": [["07:30", "11:30"], ["13:30", "17:00"]], "priority": 5}
    assert got["slides"][0]["weekdays"] is None and got["slides"][0]["priority"] == 0


BAD_SCHEDULES = [
    ({"windows": [["11:30", "07:30"]]},
     "Slide 2: Khung giờ, khung 1: giờ kết thúc phải sau giờ bắt đầu (khung giờ không được vắt "
     "qua nửa đêm)."),
    ({"windows": [["07:30", "11:30"], ["7:30", "9:00"]]},
     "Slide 2: Khung giờ, khung 2: giờ phải có dạng HH:MM (ví dụ 07:30), nhận được '7:30'."),
    ({"windows": [["07:30"]]}, "Slide 2: Khung giờ, khung 1: cần giờ bắt đầu và giờ kết thúc."),
    ({"weekdays": [0, 8]}, "Slide 2: Thứ trong tuần: danh sách số từ 1 (Thứ Hai) đến 7 (Chủ Nhật)."),
    ({"weekdays": []}, "Slide 2: Thứ trong tuần: danh sách số từ 1 (Thứ Hai) đến 7 (Chủ Nhật)."),
    ({"starts_on": "01/12/2026"}, "Slide 2: Ngày bắt đầu: ngày phải có dạng YYYY-MM-DD."),
    ({"starts_on": "2026-12-31", "ends_on": "2026-12-01"},
     "Slide 2: Ngày kết thúc phải bằng hoặc sau ngày bắt đầu."),
    ({"priority": 1000}, "Slide 2: Độ ưu tiên: số nguyên từ -100 đến 100."),
    ({"duration": 1}, "Slide 2: thời lượng phải từ 3 đến 600 giây."),
]


def test_a_bad_schedule_is_refused_in_vietnamese_naming_the_entry(clocked):
    a, b = notice_ids(clocked.lobby, 2)
    before = clocked.get("/api/v1/zones/sanh-chinh/playlist", headers=clocked.as_["editor"]).json
    for schedule, message in BAD_SCHEDULES:
        # When the second entry has a bad schedule
        response = put_playlist(clocked, [{"notice_id": a, "duration": 10},
                                          {"notice_id": b, "duration": 10, **schedule}])

        # Then the answer says which entry and why, and nothing was saved
        assert response.status_code == 422, schedule
        error = response.json["error"]
        assert (error["code"], error["message"]) == ("validation_failed", message)
        assert error["field"].startswith("slides.1")
        after = clocked.get("/api/v1/zones/sanh-chinh/playlist", headers=clocked.as_["editor"]).json
        assert after == before, schedule


def test_an_operator_may_not_change_a_playlist_and_an_anonymous_caller_may_not_read_now(clocked):
    [a] = notice_ids(clocked.lobby, 1)
    assert put_playlist(clocked, [{"notice_id": a}], role="operator").status_code == 403
    assert clocked.get("/api/v1/zones/sanh-chinh/now").status_code == 401
    assert clocked.get("/api/v1/zones/sanh-chinh/playlist/entries").status_code == 401
    assert clocked.patch("/api/v1/office", json={"welcome_title": "x"}).status_code == 401


# ---- entries waiting for approval survive an editor's save -----------------------------------

def test_entries_of_notices_not_yet_approved_are_listed_for_editing_and_kept_on_save(clocked):
    # Given a zone showing two notices, one of which goes back to draft
    a, b = notice_ids(clocked.lobby, 2)
    put_playlist(clocked, [{"notice_id": a, "duration": 10},
                           {"notice_id": b, "duration": 25, "windows": [["09:00", "10:00"]]}])
    with clocked.lobby.store.write() as session:
        session.get(Notice, b).status = "draft"

    # Then the screens leave it out, while the API's playlist keeps it (marked), so a PUT of
    # what GET returned cannot drop it, and the editor's list has it too
    with clocked.lobby.store.read() as session:
        zone = playlists.get_zone(session, "sanh-chinh")
        assert [s.notice["id"] for s in playlists.playlist(session, zone)] == [a]
    shown = clocked.get("/api/v1/zones/sanh-chinh/playlist", headers=clocked.as_["editor"]).json
    assert [(s["notice_id"], s["notice_status"]) for s in shown["slides"]] == [
        (a, "approved"), (b, "draft")]
    entries = clocked.get("/api/v1/zones/sanh-chinh/playlist/entries",
                          headers=clocked.as_["editor"]).json["slides"]
    assert [(s["notice_id"], s["notice_status"]) for s in entries] == [(a, "approved"), (b, "draft")]

    # When the editor's list is saved back as it came (reversed)
    keys = ("notice_id", "duration", "starts_on", "ends_on", "weekdays", "windows", "priority")
    body = [{k: s[k] for k in keys} for s in reversed(entries)]
    assert put_playlist(clocked, body).status_code == 200

    # Then the draft's entry is still there, with its schedule
    again = clocked.get("/api/v1/zones/sanh-chinh/playlist/entries",
                        headers=clocked.as_["editor"]).json["slides"]
    assert [(s["notice_id"], s["duration"], s["windows"]) for s in again] == [
        (b, 25, [["09:00", "10:00"]]), (a, 10, None)]


# ---- what is on screen now -------------------------------------------------------------------

def test_now_follows_the_clock_through_a_scheduled_window(clocked):
    # Given a notice always on, and one from 09:00 to 09:30 with a higher priority
    a, b = notice_ids(clocked.lobby, 2)
    put_playlist(clocked, [{"notice_id": a, "duration": 10},
                           {"notice_id": b, "duration": 10, "windows": [["09:00", "09:30"]],
                            "priority": 5}])
    slide_ids = [s["id"] for s in clocked.get("/api/v1/zones/sanh-chinh/playlist",
                                              headers=clocked.as_["editor"]).json["slides"]]

    def now():
        response = clocked.get("/api/v1/zones/sanh-chinh/now", headers=clocked.as_["operator"])
        assert response.status_code == 200
        return response.json

    # At 08:00 the first rotates alone
    at_eight = now()
    assert at_eight["state"] == "slide" and at_eight["slide"]["notice_id"] == a
    assert [s["id"] for s in at_eight["active"]] == [slide_ids[0]]
    assert at_eight["at"].startswith("2026-11-26T08:00:00")
    assert at_eight["showing"]["until"] == "2026-11-26T08:00:10+07:00"

    # At 09:00 sharp the scheduled one takes over (strict priority), until 09:30
    clocked.clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=HCM))
    at_nine = now()
    assert at_nine["slide"]["notice_id"] == b and at_nine["slide"]["title"]
    assert [s["id"] for s in at_nine["active"]] == [slide_ids[1]]

    clocked.clock.set(datetime(2026, 11, 26, 9, 30, tzinfo=HCM))
    assert now()["slide"]["notice_id"] == a


def test_now_says_closed_outside_office_hours_and_welcome_when_nothing_is_scheduled(clocked):
    [a] = notice_ids(clocked.lobby, 1)
    put_playlist(clocked, [{"notice_id": a, "duration": 10, "weekdays": [1]}])  # Mondays only
    now = clocked.get("/api/v1/zones/sanh-chinh/now", headers=clocked.as_["editor"]).json
    # Thursday: nothing scheduled, the welcome card
    assert now["state"] == "welcome" and now["slide"] is None and now["active"] == []

    # Office hours on Mondays only: on a Thursday the screens are closed
    hours = {"hours": {"1": [["07:30", "11:30"]]}}
    assert clocked.put("/api/v1/office-hours", json=hours, headers=clocked.as_["admin"]).status_code == 200
    now = clocked.get("/api/v1/zones/sanh-chinh/now", headers=clocked.as_["editor"]).json
    assert now["state"] == "closed" and now["showing"]["closed"] is True and now["slide"] is None

    # An empty playlist with no office hours: the welcome card, no showing at all
    clocked.put("/api/v1/office-hours", json={"hours": None}, headers=clocked.as_["admin"])
    put_playlist(clocked, [])
    now = clocked.get("/api/v1/zones/sanh-chinh/now", headers=clocked.as_["editor"]).json
    assert now == {"zone": "sanh-chinh", "at": now["at"], "state": "welcome", "showing": None,
                   "slide": None, "active": []}


def test_now_of_an_unknown_zone_is_404_in_vietnamese(clocked):
    response = clocked.get("/api/v1/zones/khong-co/now", headers=clocked.as_["editor"])
    assert response.status_code == 404
    assert response.json["error"]["message"].startswith("Không có khu vực khong-co.")


# ---- office hours ---------------------------------------------------------------------------------

def test_office_hours_round_trip_and_clear(clocked):
    hours = {"1": [["07:30", "11:30"], ["13:30", "17:00"]], "6": [["07:30", "11:30"]]}
    admin = clocked.as_["admin"]
    assert clocked.get("/api/v1/office-hours", headers=admin).json == {"hours": None}

    saved = clocked.put("/api/v1/office-hours", json={"hours": hours}, headers=admin)
    assert saved.status_code == 200 and saved.json == {"hours": hours}
    assert clocked.get("/api/v1/office-hours", headers=clocked.as_["editor"]).json == {"hours": hours}
    view = clocked.lobby.publisher.zone_view("sanh-chinh", clocked.clock.now())
    assert view["office"]["hours"] == hours

    for cleared in (None, {}):
        response = clocked.put("/api/v1/office-hours", json={"hours": cleared}, headers=admin)
        assert response.json == {"hours": None}
        assert clocked.get("/api/v1/office-hours", headers=admin).json == {"hours": None}


BAD_HOURS = [
    ({"8": [["07:30", "11:30"]]}, "Giờ làm việc: thứ '8' không hợp lệ (1 = Thứ Hai … 7 = Chủ Nhật)."),
    ({"1": [["17:00", "07:30"]]}, "Giờ làm việc: Thứ Hai, khung 1: giờ kết thúc phải sau giờ bắt đầu"),
    ({"1": [["25:00", "26:00"]]}, "giờ phải có dạng HH:MM"),
    ({"1": []}, "Giờ làm việc: Thứ Hai: cần danh sách khung giờ"),
    (["07:30", "11:30"], "Giờ làm việc: cần một đối tượng"),
]


def test_bad_office_hours_are_refused_in_vietnamese(clocked):
    for hours, message in BAD_HOURS:
        response = clocked.put("/api/v1/office-hours", json={"hours": hours},
                               headers=clocked.as_["admin"])
        assert response.status_code == 422, hours
        assert message in response.json["error"]["message"]
    assert clocked.get("/api/v1/office-hours", headers=clocked.as_["admin"]).json == {"hours": None}


def test_only_an_admin_sets_office_hours_and_the_welcome_card(clocked):
    editor = clocked.as_["editor"]
    assert clocked.put("/api/v1/office-hours", json={"hours": None}, headers=editor).status_code == 403
    assert clocked.patch("/api/v1/office", json={"welcome_title": "x"}, headers=editor).status_code == 403


# ---- the welcome card --------------------------------------------------------------------------

def test_the_welcome_card_is_set_reaches_the_snapshot_and_an_empty_text_restores_the_default(clocked):
    admin = clocked.as_["admin"]
    before = clocked.get("/api/v1/office", headers=admin).json
    assert before["welcome_title"] == "Kính chào quý công dân"

    # When an admin sets the texts (spaces folded, NFC)
    changed = clocked.patch("/api/v1/office", headers=admin, json={
        "welcome_title": "  Phường Khánh Bình\n kính chào quý công dân ",
        "welcome_text": unicodedata.normalize("NFD", "Xin mời lấy số thứ tự tại ki-ốt.")})
    assert changed.status_code == 200
    assert changed.json["welcome_title"] == "Phường Khánh Bình kính chào quý công dân"
    assert changed.json["welcome_text"] == "Xin mời lấy số thứ tự tại ki-ốt."
    assert changed.json["ward_name"] == before["ward_name"]

    # Then a screen's snapshot carries them, and the change is in the audit log
    office = clocked.lobby.publisher.zone_view("sanh-chinh", clocked.clock.now())["office"]
    assert office["welcome_title"] == "Phường Khánh Bình kính chào quý công dân"
    with clocked.lobby.store.read() as session:
        [entry] = find_entries(session, AuditQuery(action="office.update", actor="admin1"))[0]
        assert entry.actor == "admin1" and entry.target == "office"
        assert entry.details["welcome_title"] == {
            "from": "Kính chào quý công dân", "to": "Phường Khánh Bình kính chào quý công dân"}

    # And an empty text goes back to the default
    reset = clocked.patch("/api/v1/office", json={"welcome_title": ""}, headers=admin).json
    assert reset["welcome_title"] == "Kính chào quý công dân"
    assert reset["welcome_text"] == "Xin mời lấy số thứ tự tại ki-ốt."


def test_bad_welcome_texts_are_refused_in_vietnamese(clocked):
    for body, message in [
        ({"welcome_title": "x" * 81}, "Lời chào: dài quá 80 ký tự."),
        ({"welcome_text": 5}, "Dòng phụ: phải là chuỗi ký tự."),
        ({"logo": "/static/logo.png"}, "logo: không phải là trường được phép."),
    ]:
        response = clocked.patch("/api/v1/office", json=body, headers=clocked.as_["admin"])
        assert response.status_code == 422 and response.json["error"]["message"] == message
    assert clocked.get("/api/v1/office", headers=clocked.as_["admin"]).json["welcome_title"] == (
        "Kính chào quý công dân")


def test_the_office_names_are_set_the_same_way(clocked):
    # The header's names are office settings too (content/site.yaml `office:`)
    changed = clocked.patch("/api/v1/office", json={"ward_name": "  Phường  Khánh Bình "},
                            headers=clocked.as_["admin"])
    assert changed.status_code == 200 and changed.json["ward_name"] == "Phường Khánh Bình"
    view = clocked.lobby.publisher.zone_view("sanh-chinh", clocked.clock.now())
    assert view["office"]["ward_name"] == "Phường Khánh Bình"


# ---- the OpenAPI document -----------------------------------------------------------------------

def test_the_openapi_document_describes_schedules_office_hours_and_now(clocked):
    doc = clocked.get("/api/v1/openapi.json").json
    schemas = doc["components"]["schemas"]

    def schema(ref: dict) -> dict:
        return schemas[ref["$ref"].rsplit("/", 1)[1]]

    put = doc["paths"]["/zones/{slug}/playlist"]["put"]
    body = schema(put["requestBody"]["content"]["application/json"]["schema"])
    item = schema(body["properties"]["slides"]["items"])["properties"]
    assert {"starts_on", "ends_on", "weekdays", "windows", "priority", "duration"} <= set(item)
    answer = schema(put["responses"]["200"]["content"]["application/json"]["schema"])
    assert {"starts_on", "windows", "notice_status"} <= set(
        schema(answer["properties"]["slides"]["items"])["properties"])
    assert {"get", "put"} <= set(doc["paths"]["/office-hours"])
    assert "get" in doc["paths"]["/zones/{slug}/now"]
    assert "get" in doc["paths"]["/zones/{slug}/playlist/entries"]
    assert {"get", "patch"} <= set(doc["paths"]["/office"])
    hours = schemas["OfficeHoursIn"]["properties"]["hours"]
    assert {"object", "null"} == {t.get("type") for t in hours["anyOf"]}
    assert schemas["OfficeHoursIn"]["required"] == ["hours"]


def test_an_empty_or_misspelt_office_hours_body_never_clears_them(clocked):
    admin = clocked.as_["admin"]
    hours = {"1": [["07:30", "11:30"]]}
    assert clocked.put("/api/v1/office-hours", json={"hours": hours}, headers=admin).status_code == 200
    for body in ({}, {"hour": None}, {"Hours": hours}):
        response = clocked.put("/api/v1/office-hours", json=body, headers=admin)
        assert response.status_code == 422, body
        assert response.json["error"]["code"] == "validation_failed"
    assert clocked.get("/api/v1/office-hours", headers=admin).json == {"hours": hours}
    assert "Giờ làm việc: bắt buộc phải có." in clocked.put(
        "/api/v1/office-hours", json={}, headers=admin).json["error"]["message"]


def test_what_an_entry_would_hide_is_answered_by_the_rotation_rule_and_saves_nothing(clocked):
    a, b, c = notice_ids(clocked.lobby, 3)
    slides = [{"notice_id": a, "duration": 10}, {"notice_id": b, "duration": 10},
              {"notice_id": c, "duration": 10, "priority": 5, "windows": [["09:00", "10:00"]]}]
    before = clocked.get("/api/v1/zones/sanh-chinh/playlist", headers=clocked.as_["editor"]).json
    answer = clocked.post("/api/v1/zones/sanh-chinh/playlist/hidden",
                          json={"slides": slides, "index": 2}, headers=clocked.as_["editor"])
    assert answer.status_code == 200, answer.json
    with clocked.lobby.store.read() as session:
        titles = {n.id: n.title for n in session.scalars(select(Notice))}
    assert answer.json["items"] == [{"index": 0, "notice_id": a, "title": titles[a]},
                                    {"index": 1, "notice_id": b, "title": titles[b]}]
    none = clocked.post("/api/v1/zones/sanh-chinh/playlist/hidden",
                        json={"slides": slides, "index": 0}, headers=clocked.as_["editor"])
    assert none.json["items"] == []
    bad = clocked.post("/api/v1/zones/sanh-chinh/playlist/hidden",
                       json={"slides": slides, "index": 3}, headers=clocked.as_["editor"])
    assert bad.status_code == 422
    assert clocked.get("/api/v1/zones/sanh-chinh/playlist",
                       headers=clocked.as_["editor"]).json == before
    assert clocked.post("/api/v1/zones/sanh-chinh/playlist/hidden",
                        json={"slides": slides, "index": 2},
                        headers=clocked.as_["operator"]).status_code == 403
