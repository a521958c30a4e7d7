"""The screen fleet in Chromium: a new TV pairs by code from /admin and shows its zone;
revoked, it shows a code again."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_a_new_tv_is_paired_from_admin_and_shows_its_zone_then_revoked_shows_a_code(
        live_server, browser, browser_page, screenshot_dir):
    # Given a new TV on /screen
    tv = browser_page
    tv.goto(f"{live_server.base}/screen")
    tv.wait_for_function("document.querySelector('#link-state').dataset.state === 'online'")
    code = tv.inner_text("#code")
    assert len(code.replace(" ", "")) == 6
    tv.screenshot(path=str(screenshot_dir / "screen-pairing.png"))

    # When an admin types the code in /admin → Màn hình
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    admin = context.new_page()
    live_server.sign_in(admin, "admin", "/admin/screens")
    form = admin.locator("[data-test=pair-screen] form")
    form.locator("input[name=code]").fill(code.lower())
    form.locator("input[name=name]").fill("TV ghép trong trình duyệt")
    form.locator("button[type=submit]").click()
    admin.wait_for_selector(".flash-success")

    # Then the TV goes to its page by itself and shows the zone's slides
    tv.wait_for_url("**/screen/*", timeout=10_000)
    tv.wait_for_selector(".slide.is-current .notice-title")
    key = tv.url.rsplit("/", 1)[1]

    # And when the admin revokes it, it shows a pairing code again
    row = admin.locator("tr", has_text="TV ghép trong trình duyệt")
    admin.once("dialog", lambda dialog: dialog.accept())
    row.locator("button", has_text="Thu hồi").click()
    tv.wait_for_url(f"{live_server.base}/screen", timeout=10_000)
    tv.wait_for_selector("#code")
    assert tv.inner_text("#code") != code
    assert key not in tv.url
    context.close()
