"""/admin's queue pages in Debian's Chromium: an admin adds a service and a counter
serving it, and the kiosk offers the new service at once."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-rat-dai"


def shot(page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"admin-queue-{name}.png"), full_page=True)


def log_in(page, base: str, name: str) -> None:
    page.goto(f"{base}/admin/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("h1:has-text('Tổng quan')")


def test_an_admin_adds_a_service_and_a_counter_and_the_kiosk_offers_it(live_server, browser_page,
                                                                      screenshot_dir):
    page = browser_page
    base = live_server.base
    live_server.cli("users", "add", "quantri.hangdoi", "--role", "admin", "--password-stdin",
                    input=PASSWORD + "\n")
    log_in(page, base, "quantri.hangdoi")

    # Given the services page, a mistyped prefix is refused next to its field, in Vietnamese
    page.click("nav.mainnav >> text=Dịch vụ")
    page.wait_for_selector("table[data-test=services]")
    form = page.locator("form:has(button:text-is('Tạo dịch vụ'))")
    form.locator("input[name=name]").fill("Đất đai")
    form.locator("input[name=prefix]").fill("1")
    form.locator("button[type=submit]").click()
    error = page.locator("[data-test=error-prefix]")
    assert "không dùng được làm đầu số" in error.inner_text()
    assert page.get_attribute("input[name=prefix]", "aria-invalid") == "true"
    shot(page, screenshot_dir, "service-error")

    # When the admin corrects it to D and creates the service
    page.fill("input[name=prefix]", "D")
    page.fill("input[name=opens_at]", "07:00")
    page.fill("input[name=closes_at]", "17:00")
    page.click("button:text-is('Tạo dịch vụ')")
    page.wait_for_selector(".flash-success:has-text('Đã tạo dịch vụ Đất đai')")
    row = page.locator("tr[data-service]", has=page.locator("strong:text-is('Đất đai')"))
    code = row.get_attribute("data-service")
    assert "Chưa có quầy nào phục vụ" in row.inner_text()
    shot(page, screenshot_dir, "services")

    # And creates counter 7 serving it
    page.click("nav.mainnav >> text=Quầy")
    page.wait_for_selector("table[data-test=counters]")
    page.fill("input[name=number]", "7")
    page.fill("input[name=name]", "Quầy 7 – Đất đai")
    page.fill("input[name=officer]", "Nguyễn Thị Lan")
    page.check(f"input[name=services][value='{code}']")
    page.click("button:text-is('Tạo quầy')")
    page.wait_for_selector(".flash-success:has-text('Đã tạo Quầy 7 – Đất đai')")
    counter = page.locator("tr[data-counter='7']")
    assert "Đất đai" in counter.inner_text() and "Mọi khu vực" in counter.inner_text()
    shot(page, screenshot_dir, "counters")
    counter.locator("a:text-is('Sửa')").click()
    page.wait_for_selector(f"input[name=services][value='{code}']:checked")
    shot(page, screenshot_dir, "counter-edit")

    page.click("nav.mainnav >> text=Cài đặt gọi số")
    page.wait_for_selector("[data-test=sample]")
    shot(page, screenshot_dir, "settings")

    # Then the kiosk shows a "Đất đai" button with the letter D
    page.goto(f"{base}/kiosk?print=0")
    button = page.locator(f".k-service[data-service='{code}']")
    button.wait_for()
    assert button.locator(".k-service-name").inner_text() == "Đất đai"
    assert button.locator(".k-prefix").inner_text() == "D"
    assert page.locator(".k-service-name:text-is('Đất đai')").count() == 1
    shot(page, screenshot_dir, "kiosk")
