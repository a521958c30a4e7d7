"""Services, counters and the call settings managed from /admin (admin only), audited,
with the domain's Vietnamese messages next to the fields; the REST writes are audited too."""

from __future__ import annotations

import re

import pytest

from signage.accounts import add_token, add_user
from signage.accounts.audit import AuditQuery, find_entries
from tests.conftest import staff_client

PASSWORD = "mat-khau-rat-dai"
PAGES = ("/admin/services", "/admin/counters", "/admin/queue-settings")


@pytest.fixture
def admin(app, lobby):
    return staff_client(app, lobby, "quantri", "admin")


def form(client, url: str, **data):
    return client.post(url, data={"csrf_token": client.csrf, **data})


def audit(lobby, **query) -> list:
    with lobby.store.read() as session:
        return find_entries(session, AuditQuery(**query))[0]


def field_error(html: str, field: str) -> str:
    found = re.search(rf'data-test="error-{field}">([^<]+)<', html)
    assert found, f"no error shown next to {field}"
    return found.group(1).replace("&#39;", "'")


def active_codes(client) -> list[str]:
    return [s["code"] for s in client.get("/api/v1/services?active=1").json["items"]]


DAT_DAI = {"name": "Đất đai", "prefix": "Đ", "code": "DATDAI-P", "range_start": "1",
           "range_end": "999", "daily_cap": "", "opens_at": "07:30", "closes_at": "16:30"}


# ---- who may open the pages ------------------------------------------------------------

def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/admin/login?next="), url


def test_an_editor_is_refused_the_queue_pages_and_their_forms(app, lobby):
    editor = staff_client(app, lobby, "bientap", "editor")
    for url in PAGES:
        assert editor.get(url).status_code == 403, url
    assert form(editor, "/admin/services", **DAT_DAI).status_code == 403
    assert form(editor, "/admin/counters", number="9").status_code == 403
    assert form(editor, "/admin/services/HOTICH/active", do="pause").status_code == 403
    assert "DATDAI-P" not in active_codes(editor) and "HOTICH" in active_codes(editor)


def test_the_nav_shows_the_queue_pages_to_an_admin_only(app, lobby, admin):
    page = admin.get("/admin/").text
    for label, url in (("Dịch vụ", "/admin/services"), ("Quầy", "/admin/counters"),
                       ("Cài đặt gọi số", "/admin/queue-settings")):
        assert f'href="{url}">{label}</a>' in page
    editor = staff_client(app, lobby, "bientap", "editor")
    assert 'href="/admin/services"' not in editor.get("/admin/").text


# ---- services --------------------------------------------------------------------------

def test_an_admin_creates_a_service_and_a_counter_serving_it(admin, lobby):
    # Given the seeded office, when the admin creates a service from the page
    response = form(admin, "/admin/services", **DAT_DAI)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/services"
    listing = admin.get("/admin/services").text
    assert "Đã tạo dịch vụ Đất đai (đầu số Đ)." in listing
    assert 'data-service="DATDAI-P"' in listing and "07:30–16:30" in listing
    service = admin.get("/api/v1/services/DATDAI-P").json
    assert (service["prefix"], service["range_start"], service["range_end"]) == ("Đ", 1, 999)
    assert service["daily_cap"] is None and service["active"] is True
    # and a counter serving it, shown in one zone only, with an officer on duty
    response = form(admin, "/admin/counters", number="7", name="Quầy 7 – Đất đai",
                    officer="Nguyễn Thị Lan", services=["DATDAI-P"], zones=["sanh-chinh"])
    assert response.status_code == 302

    # Then the API sees the counter serving it, the page lists it, and both are audited
    counter = next(c for c in admin.get("/api/v1/counters").json["items"] if c["number"] == 7)
    assert counter["services"] == ["DATDAI-P"] and counter["zones"] == ["sanh-chinh"]
    assert counter["officer"] == "Nguyễn Thị Lan"
    page = admin.get("/admin/counters").text
    assert "Quầy 7 – Đất đai" in page and "Nguyễn Thị Lan" in page
    assert "Quầy 7" in admin.get("/admin/services").text  # the service says who serves it
    assert [e.action for e in audit(lobby, target="service:DATDAI-P")] == ["service.create"]
    entry = audit(lobby, target="counter:7")[0]
    assert (entry.action, entry.actor, entry.details["services"]) == (
        "counter.create", "quantri", "DATDAI-P")


def test_a_refused_service_form_shows_the_domain_message_next_to_the_field(admin, lobby):
    before = len(admin.get("/api/v1/services").json["items"])
    response = form(admin, "/admin/services", **{**DAT_DAI, "prefix": "1"})
    assert response.status_code == 422
    assert field_error(response.text, "prefix") == (
        "Chữ '1' không dùng được làm đầu số (chỉ chữ cái A–Z và Đ).")
    assert 'value="Đất đai"' in response.text  # what was typed is kept

    response = form(admin, "/admin/services", **{**DAT_DAI, "range_start": "500",
                                                 "range_end": "100"})
    assert field_error(response.text, "range_end") == (
        "Số kết thúc phải lớn hơn hoặc bằng số bắt đầu.")
    response = form(admin, "/admin/services", **{**DAT_DAI, "opens_at": "7h30"})
    assert field_error(response.text, "opens_at") == (
        "Giờ bắt đầu cấp số phải có dạng GG:PP, ví dụ 07:30.")
    response = form(admin, "/admin/services", **{**DAT_DAI, "code": "HOTICH"})
    assert response.status_code == 422
    assert field_error(response.text, "code") == "Đã có dịch vụ mã HOTICH."

    # Nothing was created, nothing recorded
    assert len(admin.get("/api/v1/services").json["items"]) == before
    assert not audit(lobby, action="service.create")


def test_a_service_code_left_empty_is_made_from_the_name_and_never_reused(admin):
    form(admin, "/admin/services", **{**DAT_DAI, "code": ""})
    form(admin, "/admin/services", **{**DAT_DAI, "code": ""})
    codes = [s["code"] for s in admin.get("/api/v1/services").json["items"]]
    # DATDAI is the seeded "Đất đai – Xây dựng – Môi trường"
    assert {"DATDAI", "DATDAI-2", "DATDAI-3"} <= set(codes)


def test_a_shared_prefix_is_created_but_warned_about(admin):
    form(admin, "/admin/services", **{**DAT_DAI, "prefix": "A"})
    page = admin.get("/admin/services").text
    assert "flash-warning" in page and "Đầu số A cũng đang dùng cho: Hộ tịch" in page


def test_pausing_a_service_hides_it_from_the_kiosk_and_resuming_brings_it_back(
        admin, client, lobby):
    form(admin, "/admin/services", **DAT_DAI)
    assert "DATDAI-P" in active_codes(client)

    response = form(admin, "/admin/services/DATDAI-P/active", do="pause")
    assert response.status_code == 302
    assert "DATDAI-P" not in active_codes(client)
    assert 'data-service="DATDAI-P"' not in client.get("/kiosk").text
    assert admin.get("/api/v1/services/DATDAI-P").json["active"] is False  # kept, not deleted
    assert "Tạm dừng" in admin.get("/admin/services").text

    form(admin, "/admin/services/DATDAI-P/active", do="resume", back="edit")
    assert "DATDAI-P" in active_codes(client)
    assert [e.action for e in audit(lobby, target="service:DATDAI-P")] == [
        "service.activate", "service.deactivate", "service.create"]


def test_editing_a_service_changes_it_and_records_what_changed(admin, lobby):
    page = admin.get("/admin/services/HOTICH").text
    assert 'name="daily_cap"' in page and 'value="1001"' in page
    response = form(admin, "/admin/services/HOTICH", code="HOTICH", name="Hộ tịch",
                    prefix="A", range_start="1001", range_end="9999", daily_cap="200",
                    position="1", opens_at="07:00", closes_at="")
    assert response.status_code == 302
    service = admin.get("/api/v1/services/HOTICH").json
    assert (service["name"], service["daily_cap"], service["opens_at"]) == ("Hộ tịch", 200, "07:00")
    entry = audit(lobby, target="service:HOTICH")[0]
    assert entry.action == "service.update"
    assert entry.details["daily_cap"] == "— → 200"
    assert entry.details["name"] == "Hộ tịch (khai sinh, kết hôn, khai tử) → Hộ tịch"

    refused = form(admin, "/admin/services/HOTICH", code="HOTICH", name="Hộ tịch", prefix="A",
                   range_start="1001", range_end="9999", daily_cap="nhiều", position="1")
    assert refused.status_code == 422
    assert field_error(refused.text, "daily_cap") == (
        "Số phiếu tối đa mỗi ngày phải là số nguyên từ 1 đến 999999.")
    assert admin.get("/admin/services/KHONGCO").status_code == 404


# ---- counters --------------------------------------------------------------------------

def test_editing_a_counter_sets_its_services_zones_and_officer_then_deactivating_keeps_it(
        admin, lobby):
    page = admin.get("/admin/counters/2").text
    assert 'value="HOTICH" checked' in page and 'value="CHUNGTHUC" checked' in page
    assert "Mọi khu vực" in page

    response = form(admin, "/admin/counters/2", number="2", name="Quầy 2", officer="Trần Văn Bình",
                    services=["CHUNGTHUC"], zones=["sanh-chinh"])
    assert response.status_code == 302
    counter = admin.get("/api/v1/counters/2").json
    assert (counter["services"], counter["zones"], counter["officer"]) == (
        ["CHUNGTHUC"], ["sanh-chinh"], "Trần Văn Bình")
    entry = audit(lobby, target="counter:2")[0]
    assert entry.action == "counter.update" and entry.details["services"] == (
        "HOTICH, CHUNGTHUC → CHUNGTHUC")

    # Clearing the zone limits shows it in every zone again
    form(admin, "/admin/counters/2", number="2", name="Quầy 2", officer="",
         services=["CHUNGTHUC"])
    assert admin.get("/api/v1/counters/2").json["zones"] == []

    form(admin, "/admin/counters/2/active", do="deactivate")
    assert admin.get("/api/v1/counters/2").json["active"] is False
    assert audit(lobby, target="counter:2")[0].action == "counter.deactivate"
    assert 'data-counter="2"' in admin.get("/admin/counters").text  # still listed


def test_a_refused_counter_form_shows_the_domain_message_next_to_the_field(admin):
    response = form(admin, "/admin/counters", number="1", services=["HOTICH"])
    assert response.status_code == 422
    assert field_error(response.text, "number") == "Đã có quầy số 1."
    assert 'value="HOTICH" checked' in response.text  # the ticked services are kept
    response = form(admin, "/admin/counters", number="mười", services=["HOTICH"])
    assert field_error(response.text, "number") == "Số quầy phải là số nguyên từ 1 đến 999."


def test_the_english_admin_reads_the_queue_rules_in_english(admin):
    form(admin, "/admin/language", lang="en", next="/admin/counters")
    taken = form(admin, "/admin/counters", number="1", services=["HOTICH"])
    assert taken.status_code == 422
    assert field_error(taken.text, "number") == "There is already a counter number 1."
    typo = form(admin, "/admin/counters", number="mười", services=["HOTICH"])
    assert field_error(typo.text, "number") == (
        "Counter number must be a whole number from 1 to 999.")
    letter = form(admin, "/admin/services", **{**DAT_DAI, "prefix": "1"})
    assert field_error(letter.text, "prefix") == (
        "The letter '1' cannot be used in a prefix (only letters A–Z and Đ).")


# ---- speech settings -------------------------------------------------------------------

def test_the_call_settings_are_saved_shown_and_audited(admin, lobby):
    page = admin.get("/admin/queue-settings").text
    assert "a, một, không, không, năm" in page and "một trăm linh năm" in page
    assert "Xin mời số thứ tự a, một, không, không, năm, đến quầy số ba." in page
    response = form(admin, "/admin/queue-settings", reading="number", zero_ten="linh",
                    repeat="3", overlay_seconds="12")
    assert response.status_code == 302
    assert admin.get("/api/v1/queue/settings").json == {
        "reading": "number", "zero_ten": "linh", "thousand": "nghìn", "sentence": "kinh_moi",
        "repeat": 3, "overlay_seconds": 12}
    page = admin.get("/admin/queue-settings").text
    assert "a, một nghìn không trăm linh năm, đến quầy số ba." in page
    # The South's "ngàn" and another opening: the sample says so at once.
    assert form(admin, "/admin/queue-settings", thousand="ngàn", sentence="cong_dan_to_chuc",
                repeat="3", overlay_seconds="12").status_code == 302
    page = admin.get("/admin/queue-settings").text
    assert ("Kính mời công dân, tổ chức có số thứ tự a, một ngàn không trăm linh năm, "
            "đến quầy số ba.") in page
    assert audit(lobby, action="queue.settings")[-1].details["reading"] == "digits → number"
    assert audit(lobby, action="queue.settings")[0].details["thousand"] == "nghìn → ngàn"

    refused = form(admin, "/admin/queue-settings", reading="number", zero_ten="linh",
                   repeat="3", overlay_seconds="90")
    assert refused.status_code == 422
    assert "từ 3 đến 60" in field_error(refused.text, "overlay_seconds")


# ---- the REST API's writes are audited too ---------------------------------------------

def test_service_counter_and_settings_writes_through_the_api_are_audited(app, lobby):
    with lobby.store.write() as session:
        add_user(session, "tichhop", "admin", PASSWORD, lobby.clock.now())
        bearer = {"Authorization": f"Bearer {add_token(session, 'tichhop', 'x', lobby.clock.now())}"}
    client = app.test_client()
    assert client.post("/api/v1/services", json={"code": "TUPHAP", "name": "Tư pháp",
                                                 "prefix": "T"}, headers=bearer).status_code == 201
    client.patch("/api/v1/services/TUPHAP", json={"active": False}, headers=bearer)
    client.post("/api/v1/counters", json={"number": 8, "services": ["TUPHAP"]}, headers=bearer)
    client.patch("/api/v1/counters/1", json={"officer": "Lê Hoa"}, headers=bearer)
    client.put("/api/v1/queue/settings", json={"repeat": 1}, headers=bearer)

    entries = audit(lobby, actor="tichhop")
    assert [(e.action, e.target) for e in reversed(entries)] == [
        ("service.create", "service:TUPHAP"), ("service.deactivate", "service:TUPHAP"),
        ("counter.create", "counter:8"), ("counter.update", "counter:1"),
        ("queue.settings", "queue:settings")]
    # The same entry as the /admin form writes: what changed, "old → new"
    assert entries[1].details == {"officer": "— → Lê Hoa"}


def numbers_left_cell(html: str, code: str) -> str:
    row = re.search(rf'data-service="{code}">(.*?)</tr>', html, re.S)
    assert row, f"no row for {code}"
    cell = re.search(r'data-test="numbers-left">(.*?)</td>', row.group(1), re.S)
    return re.sub(r"<[^>]+>", "", cell.group(1)).strip()


def test_the_services_page_warns_before_a_service_runs_out_of_numbers(admin):
    assert numbers_left_cell(admin.get("/admin/services").text, "HOTICH") == "8999"
    assert admin.patch("/api/v1/services/HOTICH", json={"daily_cap": 6},
                       headers={"X-CSRFToken": admin.csrf}).status_code == 200
    for _ in range(2):
        assert admin.post("/api/v1/tickets", json={"service": "HOTICH"}).status_code == 201
    assert numbers_left_cell(admin.get("/admin/services").text, "HOTICH") == "⚠ 4"
    for _ in range(4):
        admin.post("/api/v1/tickets", json={"service": "HOTICH"})
    assert numbers_left_cell(admin.get("/admin/services").text, "HOTICH") == "Hết số"
