"""Issue 9, "a real day in the lobby": the office page and the citizen's error pages, in
process (the browser side is tests/browser/test_lobby_day.py)."""

from __future__ import annotations

import re

import pytest

from signage.accounts import add_user
from signage.accounts.audit import AuditQuery, find_entries

PASSWORD = "mat-khau-rat-dai"


@pytest.fixture
def staff(app, lobby):
    def log_in(role: str):
        name = f"{role}-office"
        with lobby.store.write() as session:
            add_user(session, name, role, PASSWORD, lobby.clock.now())
        client = app.test_client()
        token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/admin/login").text)[1]
        client.post("/admin/login", data={"name": name, "password": PASSWORD, "csrf_token": token})
        client.csrf = re.search(r'name="csrf-token" content="([^"]+)"',
                                client.get("/admin/").text)[1]
        return client
    return log_in


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
        "address": "Số 1 đường ĐT 746", "hotline": "0274 3 650 123",
        "welcome_title": "Kính chào quý công dân", "welcome_text": "Chúc quý vị một ngày tốt lành."}
    with lobby.store.read() as session:
        entry = find_entries(session, AuditQuery(action="office.update"))[0][0]
    assert entry.actor == "admin-office"
    assert "Số 1 đường ĐT 746" in str(entry.details["address"])

    # An empty address or hotline is "not shown", not an error
    admin.post("/admin/office", data={"csrf_token": admin.csrf, "address": "", "hotline": ""})
    office = admin.get("/api/v1/office").json
    assert (office["address"], office["hotline"]) == ("", "")
    assert office["ward_name"] == "Phường Khánh Bình"   # a field not sent stays


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
