"""/admin/playlists and /admin/office-hours: who may open them, and what they start with."""

from __future__ import annotations

import json
import re

from signage.playlists.service import get_zone
from signage.store.models import Notice
from signage.usecases import Actor
from signage.usecases.playlists import replace_playlist


def page_data(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/json" id="page-data">(.*?)</script>',
                                html, re.S)[1])


def test_an_editor_opens_the_playlist_of_the_first_zone_from_the_menu(staff, lobby):
    editor = staff("editor")
    dashboard = editor.get("/admin/").text
    assert 'href="/admin/playlists"' in dashboard and "Lịch trình chiếu" in dashboard
    assert "/admin/office-hours" not in dashboard  # admin only

    response = editor.get("/admin/playlists")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/playlists/sanh-chinh"
    page = editor.get("/admin/playlists/sanh-chinh")
    assert page.status_code == 200
    assert "Thứ tự chiếu" in page.text and "Trên màn hình lúc này" in page.text
    for day in ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"):
        assert day in page.text
    data = page_data(page.text)
    assert data["api"] == {"entries": "/api/v1/zones/sanh-chinh/playlist/entries",
                           "save": "/api/v1/zones/sanh-chinh/playlist",
                           "approve": "/api/v1/zones/sanh-chinh/playlist/approve",
                           "reject": "/api/v1/zones/sanh-chinh/playlist/reject",
                           "now": "/api/v1/zones/sanh-chinh/now",
                           "hidden": "/api/v1/zones/sanh-chinh/playlist/hidden"}
    assert data["approves"] is False  # an editor: a save waits for an approver
    assert data["words"]["weekdays_short"]["1"] == "T2" and data["words"]["weekdays_short"]["7"] == "CN"


def test_the_picker_offers_approved_notices_only(staff, lobby):
    with lobby.store.write() as session:
        draft = session.query(Notice).order_by(Notice.id).first()
        draft.status = "draft"
        draft_id = draft.id
    data = page_data(staff("editor").get("/admin/playlists/sanh-chinh").text)
    offered = {n["id"] for n in data["notices"]}
    assert draft_id not in offered and len(offered) >= 20
    assert all(3 <= n["duration"] <= 600 for n in data["notices"])


def test_the_playlist_page_of_an_unknown_zone_is_404_and_operators_may_not_open_it(staff):
    assert staff("editor").get("/admin/playlists/khong-co").status_code == 404
    assert staff("operator").get("/admin/playlists/sanh-chinh").status_code == 403


def test_office_hours_page_is_for_admins_and_starts_from_what_is_saved(staff, lobby, client):
    assert staff("editor").get("/admin/office-hours").status_code == 403
    admin = staff("admin")
    hours = {"1": [["07:30", "11:30"]], "7": [["08:00", "10:00"]]}
    saved = admin.put("/api/v1/office-hours", json={"hours": hours},
                      headers={"X-CSRFToken": admin.csrf})
    assert saved.status_code == 200

    page = admin.get("/admin/office-hours")
    assert page.status_code == 200
    assert "Không đặt giờ làm việc (màn hình luôn chiếu)" in page.text
    assert 'href="/admin/office-hours" aria-current="page"' in page.text
    data = page_data(page.text)
    assert data["hours"] == hours
    assert data["office"]["welcome_title"] == "Kính chào quý công dân"


def test_a_session_save_of_the_playlist_needs_the_csrf_token(staff, lobby):
    editor = staff("editor")
    with lobby.store.read() as session:
        first = get_zone(session, "sanh-chinh").slides[0].notice_id
    body = {"slides": [{"notice_id": first, "duration": 10, "weekdays": [1, 2, 3, 4, 5]}]}
    refused = editor.put("/api/v1/zones/sanh-chinh/playlist", json=body)
    assert refused.status_code == 400 and refused.json["error"]["code"] == "csrf_failed"
    saved = editor.put("/api/v1/zones/sanh-chinh/playlist", json=body,
                       headers={"X-CSRFToken": editor.csrf})
    # An editor's save is a proposal: the screens keep theirs until an approver says yes
    assert saved.status_code == 200
    assert saved.json["proposal"]["slides"][0]["weekdays"] == [1, 2, 3, 4, 5]
    assert saved.json["slides"][0].get("weekdays") != [1, 2, 3, 4, 5] or \
        len(saved.json["slides"]) > 1


def test_the_english_page_speaks_english(staff, lobby):
    lobby.perform(replace_playlist, Actor.system(), "sanh-chinh", {"slides": []})
    editor = staff("editor")
    editor.set_cookie("signage_lang", "en")
    page = editor.get("/admin/playlists/sanh-chinh").text
    assert "Playlists" in page and "Monday" in page
    words = page_data(page)["words"]
    assert words["weekdays_short"]["1"] == "Mon" and words["always"] == "Always"
