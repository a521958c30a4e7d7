"""Issue 9, "a real day in the lobby": the office page and the citizen's error pages, in
process (the browser side is tests/browser/test_lobby_day.py)."""

from __future__ import annotations

import re
import time

from signage.accounts.audit import AuditQuery, find_entries
from tests.conftest import make_token


def test_an_admin_sets_the_offices_names_address_and_hotline_on_one_page(staff, lobby):
    admin = staff("admin")
    page = admin.get("/admin/office")
    assert page.status_code == 200 and "Thông tin đơn vị" in page.text
    assert 'href="/admin/office"' in admin.get("/admin/").text   # in the navigation

    saved = admin.post("/admin/office", data={
        "csrf_token": admin.csrf, "office_name": "Trung tâm Phục vụ hành chính công",
        "ward_name": "Phường Khánh Bình", "address": "Số 1 đường ĐT 746",
        "hotline": "0274 3 650 123"})
    assert saved.status_code == 302
    assert admin.get("/api/v1/office").json == {
        "office_name": "Trung tâm Phục vụ hành chính công", "ward_name": "Phường Khánh Bình",
        "address": "Số 1 đường ĐT 746", "hotline": "0274 3 650 123", "feedback_address": "",
        "welcome_title": "Kính chào quý công dân", "welcome_text": "Chúc quý vị một ngày tốt lành."}
    with lobby.store.read() as session:
        entry = find_entries(session, AuditQuery(action="office.update"))[0][0]
    assert entry.actor == "admin-nv"
    assert "Số 1 đường ĐT 746" in str(entry.details["address"])

    # An empty address or hotline is "not shown", not an error
    admin.post("/admin/office", data={"csrf_token": admin.csrf, "address": "", "hotline": ""})
    office = admin.get("/api/v1/office").json
    assert (office["address"], office["hotline"]) == ("", "")
    assert office["ward_name"] == "Phường Khánh Bình"   # a field not sent stays


def test_the_feedback_address_round_trips_through_the_form_the_api_and_the_public_page(
        staff, lobby, client):
    admin = staff("admin")
    assert 'name="feedback_address"' in admin.get("/admin/office").text
    admin.post("/admin/office", data={"csrf_token": admin.csrf,
                                      "feedback_address": "Hộp thư: tiepnhan@khanhbinh.gov.vn"})
    assert admin.get("/api/v1/office").json["feedback_address"] == \
        "Hộp thư: tiepnhan@khanhbinh.gov.vn"
    token = make_token(lobby, "admin-api", "admin")
    patched = client.patch("/api/v1/office", json={"feedback_address": "Số 1 đường ĐT 746"},
                           headers={"Authorization": f"Bearer {token}"})
    assert patched.status_code == 200 and patched.json["feedback_address"] == "Số 1 đường ĐT 746"
    assert 'value="Số 1 đường ĐT 746"' in admin.get("/admin/office").text
    # the QR in the screens' footer leads to the public feedback box
    page = client.get("/feedback")
    assert page.status_code == 200 and "Số 1 đường ĐT 746" in page.text
    assert 'id="s-feedback-form"' in page.text
    qr = client.get("/feedback/qr.svg")
    assert qr.status_code == 200 and qr.mimetype == "image/svg+xml" and b"<svg" in qr.data


def test_a_bad_hotline_is_refused_next_to_its_field_and_nothing_changes(staff):
    admin = staff("admin")
    refused = admin.post("/admin/office", data={"csrf_token": admin.csrf,
                                                "ward_name": "Phường Mới", "hotline": "gọi tôi"})
    assert refused.status_code == 422
    assert "chỉ gồm chữ số" in re.search(r'data-test="error-hotline">([^<]+)<', refused.text)[1]
    assert 'value="Phường Mới"' in refused.text   # what was typed is kept
    assert admin.get("/api/v1/office").json["ward_name"] != "Phường Mới"


def test_only_an_admin_opens_the_office_page(staff):
    assert staff("editor").get("/admin/office").status_code == 403


def test_a_wrong_ticket_link_is_a_vietnamese_page_that_says_what_to_do(client):
    page = client.get("/t/khong-co-phieu-nay", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert "Không tìm thấy phiếu này" in page.text and "máy lấy số" in page.text
    assert "Not Found" not in page.text and '<html lang="vi"' in page.text


def test_every_page_finds_its_icon(client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.data[:4] == b"\x00\x00\x01\x00"   # an ICO


def test_the_admin_says_lich_trinh_chieu_not_a_music_players_playlist(staff):
    page = staff("admin").get("/admin/").text
    assert "Lịch trình chiếu" in page and "Danh sách phát" not in page


ENGLISH = ("Now serving", "Choose a service", "Enable sound", "Your place in the queue",
           "Done</", "Feedback</", "Send</", "Cancel</", "/ priority", "Rate our service")


def test_the_citizens_pages_speak_vietnamese_only_and_agree_on_the_wait(client):
    # Given a citizen's ticket, first in line (no wait estimated)
    ticket = client.post("/api/v1/tickets", json={"service": "HOTICH"}).json
    # Then the kiosk, the ticket's page and the screen's modules say nothing in English
    pages = [client.get("/kiosk").text, client.get(f"/t/{ticket['token']}").text,
             client.get("/static/js/queue-panel.js").text, client.get("/counter").text]
    for page in pages:
        assert not [word for word in ENGLISH if word in page]
    # and the phone says what the kiosk says when it is nearly one's turn, not "0 phút"
    status = pages[1]
    wait = status.split('id="s-wait">', 1)[1].split("<", 1)[0]
    assert wait == "Sắp đến lượt"
    assert "0 phút" not in status


def test_the_audit_log_reads_a_playlist_save_as_words_not_python(staff, approver_api):
    slides = approver_api.get("/api/v1/zones/sanh-chinh/playlist").json["slides"][:2]
    body = {"slides": [{"notice_id": s["notice_id"], "duration": 30} for s in slides]}
    body["slides"][0].update(ends_on="2027-02-28", weekdays=[1, 2, 3, 4, 5])
    assert approver_api.put("/api/v1/zones/sanh-chinh/playlist", json=body).status_code == 200
    page = staff("admin").get("/admin/audit?action=notice.schedule").text
    assert f"thông báo số {slides[0]['notice_id']} (30 giây; đến 28/02/2027; thứ 2, 3, 4, 5, 6)" in page
    assert "{&#39;notice_id&#39;" not in page and "{'notice_id'" not in page


def test_the_demo_says_how_tvs_and_phones_on_the_lan_reach_it(tmp_path):
    from tests.conftest import start_server

    server = start_server(tmp_path / "instance", args=("--demo",))
    try:
        deadline = time.monotonic() + 20
        log = tmp_path / f"server-{server.port}.log"
        while "SIGNAGE_PUBLIC_URL" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        text = log.read_text()
    finally:
        server.stop()
    assert "--host 0.0.0.0" in text and "SIGNAGE_PUBLIC_URL=http://" in text
