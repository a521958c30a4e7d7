"""The evaluation's /admin pages, signed in as an admin: officers (profile, portrait,
duty), the counters' rating tablets and the scale — the same use cases as the API."""

from __future__ import annotations

import io
import re

import pytest

from signage.accounts import add_user
from tests.conftest import log_in
from tests.integration.test_evaluation_api import PNG

PASSWORD = "mat-khau-rat-dai"


@pytest.fixture
def admin(app, lobby):
    with lobby.store.write() as session:
        add_user(session, "quantri", "admin", PASSWORD, lobby.clock.now())
        add_user(session, "quay1", "operator", PASSWORD, lobby.clock.now())
    return log_in(app, "quantri")


def form(client, url: str, **data):
    return client.post(url, data={"csrf_token": client.csrf, **data})


def test_an_admin_adds_an_officer_with_a_portrait_and_puts_them_on_duty(admin):
    assert "Cán bộ" in admin.get("/admin/").text  # in the navigation
    made = form(admin, "/admin/officers", name="Nguyễn Thị Lan", title="Công chức Tư pháp",
                field="Hộ tịch", phone="0274 3650 123", user="quay1")
    assert made.status_code == 302
    page_url = made.headers["Location"]
    officer_id = int(page_url.rstrip("/").split("/")[-1])
    bad = form(admin, "/admin/officers", name="Trần Bình", phone="gọi tôi")
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.text
    photo = admin.post(page_url, data={"csrf_token": admin.csrf, "do": "photo",
                                       "photo": (io.BytesIO(PNG), "lan.png", "image/png")},
                       content_type="multipart/form-data")
    assert photo.status_code == 302
    page = admin.get(page_url).text
    assert f'src="/officers/{officer_id}/photo' in page
    form(admin, page_url, do="duty", counter="2")
    assert admin.get("/api/v1/counters/2").get_json()["officer"] == "Nguyễn Thị Lan"
    listed = admin.get("/admin/officers").text
    assert "Quầy 2" in listed and "quay1" in listed
    form(admin, page_url, do="profile", name="Nguyễn Thị Lan", title="", field="", phone="",
         user="quay1")  # active left unchecked: off duty
    assert admin.get("/api/v1/counters/2").get_json()["officer"] is None


def test_an_admin_registers_a_tablet_sees_its_address_once_and_sets_five_stars(admin):
    added = form(admin, "/admin/tablets", name="Máy quầy 3", counter="3")
    assert added.status_code == 200
    url = re.search(r'data-test="tablet-url">([^<]+)<', added.text)[1]
    assert re.fullmatch(r"http://localhost/rate/3\?key=[\w-]+", url)
    assert admin.get(url.replace("http://localhost", "")).status_code == 200
    assert form(admin, "/admin/tablets/settings", scale="5", timeout_s="45").status_code == 302
    assert admin.get("/api/v1/ratings/settings").get_json() == {"scale": 5, "timeout_s": 45}
    refused = form(admin, "/admin/tablets/settings", scale="4", timeout_s="45")
    assert refused.status_code == 422
    tablet_id = re.search(r'data-tablet-id="(\d+)"', admin.get("/admin/tablets").text)[1]
    form(admin, f"/admin/tablets/{tablet_id}/revoke")
    assert admin.get(url.replace("http://localhost", "")).status_code == 403


def test_the_report_draws_its_charts_and_links_its_csv_and_the_inbox_answers(admin, lobby):
    from signage.usecases import Actor
    from signage.usecases import feedback as feedback_uc

    sent = lobby.perform(feedback_uc.submit_feedback, Actor.public(),
                         {"text": "Thiếu chỗ để xe.", "contact": "0909 123 456"})
    page = admin.get("/admin/reports")
    assert page.status_code == 200
    assert page.text.count("<svg") >= 4 and 'data-test="ratings-csv"' in page.text
    assert "Không hài lòng" in page.text  # the scale's levels on the chart
    # dates are typed and shown day first, whatever the browser's locale (issue 9, item 13)
    typed = admin.get("/admin/reports?since=1/11/2026&until=30/11/2026").text
    assert "Báo cáo từ 01/11/2026 đến 30/11/2026" in typed
    assert 'name="since" value="01/11/2026"' in typed and 'type="date"' not in typed
    bad = admin.get("/admin/reports?since=2026-12-02&until=2026-11-01")
    assert bad.status_code == 200 and "phải sau hoặc bằng ngày bắt đầu" in bad.text
    inbox = admin.get("/admin/feedback")
    assert "Thiếu chỗ để xe." in inbox.text and "0909 123 456" in inbox.text
    form(admin, f"/admin/feedback/{sent['id']}", status="new", was="new",
         answer="Đã bố trí thêm bãi xe phía sau.")
    answered = admin.get("/admin/feedback?status=answered").text
    assert "Đã bố trí thêm bãi xe phía sau." in answered
