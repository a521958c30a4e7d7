"""Issue 9, "a real day in the lobby", in Debian's Chromium: what a new user met, walked
again on one real server (one per module: the lean way)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def tv_context(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    yield context
    context.close()


def test_the_office_names_address_and_hotline_are_set_in_admin_and_on_the_glass_at_once(
        live_server, browser, tv_context):
    # Given a TV on a zone with nothing scheduled (it shows the welcome card)
    key = live_server.add_screens("TV chào mừng", zone="chao-mung")[0]
    tv = tv_context.new_page()
    tv.goto(f"{live_server.base}/screen/{key}")
    tv.wait_for_function("document.querySelector('#link-state').dataset.state === 'online'")
    tv.evaluate("window.__sameDocument = true")
    assert tv.is_hidden("#office-hotline")

    # When an admin fills in /admin → Thông tin đơn vị and saves
    admin = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    live_server.sign_in(admin, "admin", "/admin/office")
    admin.fill("input[name=office_name]", "Trung tâm Phục vụ hành chính công phường Khánh Bình")
    admin.fill("input[name=ward_name]", "Ủy ban nhân dân phường Khánh Bình")
    admin.fill("input[name=address]", "Số 1 đường ĐT 746, phường Khánh Bình")
    admin.fill("input[name=hotline]", "0274 3 650 123")
    admin.click("form[data-test=office-form] button[type=submit]")
    admin.wait_for_selector(".flash-success")

    # Then the TV's header and welcome card say so without a reload, the API too
    tv.wait_for_function("document.querySelector('#office-name').textContent.includes('Khánh Bình')",
                         timeout=5_000)
    assert tv.inner_text("#ward-name") == "Ủy ban nhân dân phường Khánh Bình"
    assert tv.is_visible("#office-hotline") and "0274 3 650 123" in tv.inner_text("#office-hotline")
    tv.wait_for_function("(document.querySelector('.slide.is-current .office-contact') || {})"
                         ".textContent?.includes('ĐT 746')", timeout=5_000)
    assert tv.evaluate("window.__sameDocument") is True
    office = live_server.request("GET", "/api/v1/office")[1]
    assert office["address"] == "Số 1 đường ĐT 746, phường Khánh Bình"
    assert office["hotline"] == "0274 3 650 123"
    # and the header still fits its band (one line each)
    box = tv.evaluate("(() => { const m = document.querySelector('.masthead');"
                      " return [m.scrollHeight, m.clientHeight]; })()")
    assert box[0] <= box[1]
    hotline, line = tv.evaluate("['#office-hotline', '.ward-line'].map(s => "
                                "document.querySelector(s).getBoundingClientRect().right)")
    assert hotline <= line + 1   # the hotline is read in full, never cut

    # When the hotline is not a phone number, the form says so next to it and keeps the rest
    admin.fill("input[name=hotline]", "gọi cho tôi")
    admin.click("form[data-test=office-form] button[type=submit]")
    assert "chỉ gồm chữ số" in admin.inner_text("[data-test=error-hotline]")
    assert live_server.request("GET", "/api/v1/office")[1]["hotline"] == "0274 3 650 123"
    admin.context.close()
