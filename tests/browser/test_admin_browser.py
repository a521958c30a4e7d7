"""/admin in Debian's Chromium: log in, add a screen and see its key, revoke it, switch language."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-rat-dai"


@pytest.fixture(scope="module")
def admin_name(live_server) -> str:
    live_server.cli("users", "add", "quantri.vien", "--role", "admin", "--password-stdin",
                    input=PASSWORD + "\n")
    return "quantri.vien"


def shot(page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"admin-{name}.png"), full_page=True)


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def log_in(page, base: str, name: str) -> None:
    page.goto(f"{base}/admin/")
    assert "/admin/login" in page.url
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("h1:has-text('Tổng quan')")


def test_an_admin_logs_in_adds_a_screen_sees_its_key_and_revokes_it(live_server, admin_name,
                                                                   browser_page, screenshot_dir):
    page = browser_page
    base = live_server.base
    page.goto(f"{base}/admin/login")
    shot(page, screenshot_dir, "login")

    # Given an admin who logs in
    log_in(page, base, admin_name)
    assert page.evaluate("getComputedStyle(document.body).fontFamily").startswith(
        "\"Be Vietnam Pro\"")
    shot(page, screenshot_dir, "dashboard")

    # When they add a screen
    page.click("nav.mainnav >> text=Màn hình")
    page.fill("input[name=name]", "TV cạnh quầy số 1")
    page.check("input[value=portrait]")
    page.click("text=Thêm màn hình >> nth=-1")
    key = page.inner_text("[data-test=screen-key]").strip()
    url = page.inner_text("[data-test=screen-url]").strip()
    shot(page, screenshot_dir, "screen-added")

    # Then its key and address are shown, and the address opens the screen
    assert len(key) >= 20 and url.endswith(f"/screen/{key}")
    assert status_of(f"{base}/screen/{key}") == 200
    row = page.locator("tr", has_text="TV cạnh quầy số 1")
    assert "Không kết nối" in row.inner_text()

    # When they revoke it (and confirm)
    page.once("dialog", lambda dialog: dialog.accept())
    row.locator("button", has_text="Thu hồi").click()
    page.wait_for_selector(".flash-success")

    # Then it is marked revoked and its key opens nothing but a pairing code
    assert "Đã thu hồi" in page.locator("tr", has_text="TV cạnh quầy số 1").inner_text()
    with urllib.request.urlopen(f"{base}/screen/{key}", timeout=10) as revoked:
        assert revoked.url == f"{base}/screen"
    shot(page, screenshot_dir, "screens")


def test_the_language_switches_to_english_and_back(live_server, admin_name, browser_page,
                                                   screenshot_dir):
    page = browser_page
    log_in(page, live_server.base, admin_name)
    page.click("nav.mainnav >> text=Người dùng")
    page.wait_for_selector("h1:has-text('Người dùng')")

    page.click(".langswitch button[value=en]")
    page.wait_for_selector("h1:has-text('Users')")
    assert page.get_attribute("html", "lang") == "en"
    assert page.is_visible("nav.mainnav >> text=Overview")
    shot(page, screenshot_dir, "users-en")

    page.click("nav.mainnav >> text=Audit log")
    page.wait_for_selector("table[data-test=audit]")
    shot(page, screenshot_dir, "audit-en")

    page.click(".langswitch button[value=vi]")
    page.wait_for_selector("h1:has-text('Nhật ký hoạt động')")
    assert page.get_attribute("html", "lang") == "vi"
    page.click("nav.mainnav >> text=Khu vực")
    page.wait_for_selector("table[data-test=zones]")
    shot(page, screenshot_dir, "zones")

    # And logging out from the user menu ends the session
    page.click("details.usermenu summary")
    page.click("[data-test=logout]")
    page.wait_for_selector("h1:has-text('Đăng nhập')")
    page.goto(f"{live_server.base}/admin/users")
    assert "/admin/login" in page.url
