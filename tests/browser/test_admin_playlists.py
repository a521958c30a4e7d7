"""/admin/playlists and /admin/office-hours in Debian's Chromium, and a real screen following them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-rat-dai"
ZONE = "lich-chieu"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="module")
def zone(live_server) -> list[dict]:
    """A zone of our own whose playlist is two approved law messages (from content/)."""
    for name, role in (("bien.tap", "editor"), ("quan.tri", "admin")):
        live_server.cli("users", "add", name, "--role", role, "--password-stdin",
                        input=PASSWORD + "\n")
    status, _ = live_server.request("POST", "/api/v1/zones", {"name": "Sảnh lịch chiếu",
                                                              "slug": ZONE}, role="admin")
    assert status == 201
    items = live_server.request("GET", "/api/v1/notices?kind=law&limit=50")[1]["items"]
    laws = [n for n in items if n["status"] == "approved"][:2]
    assert len(laws) == 2
    return laws


def set_playlist(live_server, slides: list[dict]) -> None:
    status, body = live_server.request("PUT", f"/api/v1/zones/{ZONE}/playlist", {"slides": slides},
                                       role="admin")
    assert status == 200, body


def playlist(live_server) -> list[dict]:
    return live_server.request("GET", f"/api/v1/zones/{ZONE}/playlist")[1]["slides"]


def log_in(page, base: str, name: str) -> None:
    page.goto(f"{base}/admin/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("h1:has-text('Tổng quan')")


def titles(page) -> list[str]:
    return page.locator(".pl-item .pl-title").all_inner_texts()


def test_an_editor_reorders_by_drag_and_drop_schedules_an_entry_and_saves(live_server, zone,
                                                                          browser_page,
                                                                          screenshot_dir: Path):
    first, second = zone
    set_playlist(live_server, [{"notice_id": first["id"], "duration": 10},
                               {"notice_id": second["id"], "duration": 10}])
    page = browser_page
    page.set_viewport_size({"width": 1440, "height": 1000})

    # Given an editor on the zone's playlist, reached from the menu
    log_in(page, live_server.base, "bien.tap")
    page.click("nav.mainnav >> text=Lịch trình chiếu")
    page.click(f".zone-tabs a[href='/admin/playlists/{ZONE}']")
    page.wait_for_selector(".pl-item >> nth=1")
    assert titles(page) == [first["title"], second["title"]]

    # When they drag the second entry above the first
    items = page.locator(".pl-item")
    items.nth(1).drag_to(items.nth(0), source_position={"x": 12, "y": 20},
                         target_position={"x": 12, "y": 4})

    # Then the list shows the new order, not yet saved
    assert titles(page) == [second["title"], first["title"]]
    assert "chưa lưu" in page.inner_text("[data-role=status]")

    # When they give the (new) first entry weekdays Monday–Friday and a morning window
    items.nth(0).locator("[data-act=edit]").click()
    dialog = page.locator("dialog[open]")
    dialog.locator("input[name=weekday][value='6']").uncheck()
    dialog.locator("input[name=weekday][value='7']").uncheck()
    dialog.locator("[data-act=add-window]").click()
    dialog.locator("[data-role=start]").fill("07:30")
    dialog.locator("[data-role=end]").fill("11:30")
    dialog.locator("input[name=duration]").fill("20")
    shot_dialog = screenshot_dir / "admin-playlist-schedule.png"
    page.screenshot(path=str(shot_dialog))
    dialog.locator("[data-test=apply]").click()
    assert page.locator("dialog[open]").count() == 0
    assert items.nth(0).locator(".pl-schedule").inner_text() == "T2–T6 · 07:30–11:30"
    assert items.nth(0).locator(".pl-duration").inner_text() == "20 giây"

    # And give the second a window that ends before it starts, and save
    items.nth(1).locator("[data-act=edit]").click()
    dialog.locator("[data-act=add-window]").click()
    dialog.locator("[data-role=start]").fill("17:00")
    dialog.locator("[data-role=end]").fill("08:00")
    dialog.locator("[data-test=apply]").click()
    page.click("[data-test=save]")

    # Then the API's Vietnamese error stands next to that entry, and nothing was saved
    error = items.nth(1).locator(".pl-error")
    error.wait_for()
    assert "giờ kết thúc phải sau giờ bắt đầu" in error.inner_text()
    assert [s["notice_id"] for s in playlist(live_server)] == [first["id"], second["id"]]

    # When they remove that window with the keyboard-reachable buttons and save again
    items.nth(1).locator("[data-act=edit]").click()
    dialog.locator("[data-act=remove-window]").click()
    dialog.locator("[data-test=apply]").click()
    page.click("[data-test=save]")
    page.wait_for_selector("[data-role=status][data-kind=ok]")

    # Then it waits for approval: the screens keep the approved order meanwhile
    assert "Đã gửi duyệt" in page.inner_text("[data-role=status]")
    assert page.is_visible("[data-test=proposal]")
    assert [s["notice_id"] for s in playlist(live_server)] == [first["id"], second["id"]]

    # When an admin opens the page and approves it
    approver = page.context.browser.new_context(viewport={"width": 1440, "height": 1000},
                                                bypass_csp=True).new_page()
    log_in(approver, live_server.base, "quan.tri")
    approver.goto(f"{live_server.base}/admin/playlists/{ZONE}")
    approver.wait_for_selector("[data-test=proposal]:not([hidden])")
    assert "bien.tap" in approver.inner_text("[data-test=proposal]")
    approver.screenshot(path=str(screenshot_dir / "admin-playlist-proposal.png"), full_page=True)
    approver.click("[data-test=approve]")
    approver.wait_for_selector("[data-role=status][data-kind=ok]")
    approver.context.close()

    # Then the API has the new order and the schedule
    page.reload()
    page.wait_for_selector(".pl-item >> nth=1")
    saved = playlist(live_server)
    assert [s["notice_id"] for s in saved] == [second["id"], first["id"]]
    assert saved[0]["weekdays"] == [1, 2, 3, 4, 5] and saved[0]["windows"] == [["07:30", "11:30"]]
    assert saved[0]["duration"] == 20 and saved[1]["windows"] is None

    # And the ↓ / ↑ buttons move an entry from the keyboard
    page.locator(".pl-item").nth(0).locator("[data-act=down]").focus()
    page.keyboard.press("Enter")
    assert titles(page) == [first["title"], second["title"]]
    assert page.evaluate("document.activeElement.dataset.act") == "up"
    page.keyboard.press("Enter")
    assert titles(page) == [second["title"], first["title"]]
    page.wait_for_selector("[data-test=now] p")
    page.screenshot(path=str(screenshot_dir / "admin-playlist.png"), full_page=True)


def test_an_admin_sets_office_hours_and_a_screen_closes_then_opens_again(live_server, zone,
                                                                        browser_page,
                                                                        screenshot_dir: Path):
    first, second = zone
    set_playlist(live_server, [{"notice_id": first["id"], "duration": 10},
                               {"notice_id": second["id"], "duration": 10}])
    key = live_server.add_screens("TV lịch chiếu", zone=ZONE)[0]
    tv = browser_page.context.new_page()
    tv.goto(f"{live_server.base}/screen/{key}")
    tv.wait_for_selector(".slide.is-current .notice-title")

    # Given an admin on the office hours page
    page = browser_page
    page.set_viewport_size({"width": 1440, "height": 1000})
    log_in(page, live_server.base, "quan.tri")
    page.click("nav.mainnav >> text=Giờ làm việc")
    page.wait_for_selector("tr[data-day]")
    # (the page checks its mode once it has read the hours: wait for that, not the table)
    page.wait_for_selector("[data-test=hours-none]:checked", timeout=30_000)

    # When they open the office on one weekday only, not today's (in the office's zone)
    other_day = datetime.now(HCM).isoweekday() % 7 + 1
    page.check("[data-test=hours-set]")
    page.click(f"[data-test=day-{other_day}] [data-act=add-window]")
    page.click(f"[data-test=day-{other_day}] [data-act=add-window]")
    page.click("[data-test=save-hours]")
    page.wait_for_selector("[data-role=hours-status][data-kind=ok]")
    assert page.is_hidden(f"[data-test=day-{other_day}] [data-role=closed-day]")
    assert live_server.request("GET", "/api/v1/office-hours")[1]["hours"] == {
        str(other_day): [["07:30", "11:30"], ["13:30", "17:00"]]}
    page.screenshot(path=str(screenshot_dir / "admin-office-hours.png"), full_page=True)

    # Then the screen shows the closed card
    tv.wait_for_function("document.querySelector('#stage').dataset.currentSlide === 'closed'")
    assert "Ngoài giờ làm việc" in tv.inner_text(".slide.is-current h1")
    # and, from its next snapshot on, the opening hours under it
    tv.reload()
    tv.wait_for_function("document.querySelector('#stage').dataset.currentSlide === 'closed'")
    day_name = ["", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"][other_day]
    assert tv.inner_text(".slide.is-current .office-hours") == f"{day_name} 07:30–11:30, 13:30–17:00"
    tv.wait_for_timeout(800)  # let the cross-fade finish
    tv.screenshot(path=str(screenshot_dir / "screen-closed.png"))

    # When the admin clears the office hours
    page.check("[data-test=hours-none]")
    page.click("[data-test=save-hours]")
    page.wait_for_selector("[data-role=hours-status]:has-text('luôn chiếu')")

    # Then the slides come back
    tv.wait_for_function(
        "!['closed', 'idle'].includes(document.querySelector('#stage').dataset.currentSlide)")
    tv.wait_for_selector(".slide.is-current .notice-title")
    assert live_server.request("GET", "/api/v1/office-hours")[1] == {"hours": None}

    # And the welcome card, shown when nothing is scheduled, says what the admin wrote
    page.fill("input[name=welcome_title]", "Phường Khánh Bình kính chào quý công dân")
    assert page.inner_text("[data-role=preview-title]") == "Phường Khánh Bình kính chào quý công dân"
    page.click("[data-test=save-welcome]")
    page.wait_for_selector("[data-role=welcome-status][data-kind=ok]")
    set_playlist(live_server, [{"notice_id": first["id"], "duration": 10, "weekdays": [other_day]}])
    tv.reload()  # screens take the office's texts from a new snapshot
    tv.wait_for_function("document.querySelector('#stage').dataset.currentSlide === 'idle'")
    assert tv.inner_text(".slide.is-current h1") == "Phường Khánh Bình kính chào quý công dân"
    assert tv.inner_text(".slide.is-current p") == "Chúc quý vị một ngày tốt lành."
    tv.close()


def test_the_schedule_dialog_is_dd_mm_yyyy_in_an_american_browser_and_warns_what_it_hides(
        live_server, zone, browser, screenshot_dir: Path):
    # Issue 9, item 13: an <input type="date"> follows the browser's locale (02/28/2027 in
    # an American Chromium) while the list says 28/02; a raised priority hid every other
    # entry of the window without a word.
    first, second = zone
    set_playlist(live_server, [{"notice_id": first["id"], "duration": 10,
                                "ends_on": "2027-02-28"},
                               {"notice_id": second["id"], "duration": 10}])
    context = browser.new_context(locale="en-US", viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    try:
        assert page.evaluate("new Date(Date.UTC(2027, 1, 28, 12)).toLocaleDateString()") \
            == "2/28/2027"  # the browser really is American
        log_in(page, live_server.base, "bien.tap")
        page.goto(f"{live_server.base}/admin/playlists/{ZONE}")
        page.wait_for_selector(".pl-item >> nth=1")
        assert "28/02/2027" in page.locator(".pl-item .pl-schedule").nth(0).inner_text()

        # The dialog shows the stored date as dd/mm/yyyy …
        page.locator(".pl-item").nth(0).locator("[data-act=edit]").click()
        dialog = page.locator("#entry-dialog")
        assert dialog.locator("[name=ends_on]").input_value() == "28/02/2027"
        assert dialog.locator("[data-role=dialog-hides]").is_hidden()

        # … and warns, naming it, that priority 5 takes the other entry off the screens.
        dialog.locator("[name=starts_on]").fill("01/02/2027")
        dialog.locator("[name=priority]").fill("5")
        warning = dialog.locator("[data-role=dialog-hides]")
        warning.wait_for(state="visible", timeout=15_000)
        assert second["title"] in warning.inner_text()
        assert first["title"] not in warning.locator("ul").inner_text()
        page.screenshot(path=str(screenshot_dir / "admin-schedule-dialog.png"))

        # A day that does not exist is refused in words, in the dialog.
        dialog.locator("[name=ends_on]").fill("31/02/2027")
        dialog.locator("[data-test=apply]").click()
        error = dialog.locator("[data-role=dialog-error]")
        error.wait_for(state="visible")
        assert "ngày/tháng/năm" in error.inner_text() and "Đến ngày" in error.inner_text()

        # Times too are 24-hour text, not an <input type="time"> showing "07:30 AM"; an
        # unreadable one is refused in words, "7h30" is read as 07:30.
        dialog.locator("[data-act=add-window]").click()
        start = dialog.locator("[data-role=start]")
        assert start.get_attribute("type") == "text" and start.input_value() == "07:30"
        start.fill("7:3")
        dialog.locator("[data-test=apply]").click()
        error.filter(has_text="24 giờ").wait_for()
        start.fill("7h30")

        # 28/02/2027 is taken as the 28th of February, and saved so.
        dialog.locator("[name=ends_on]").fill("28/02/2027")
        dialog.locator("[data-test=apply]").click()
        dialog.wait_for(state="hidden")
        schedule = page.locator(".pl-item .pl-schedule").nth(0).inner_text()
        assert "01/02/2027" in schedule and "28/02/2027" in schedule and "5" in schedule
        assert "07:30–11:30" in schedule
        page.click("[data-role=save]")
        page.locator("[data-role=status]", has_text="gửi duyệt").wait_for(timeout=15_000)
        status, body = live_server.request("GET", f"/api/v1/zones/{ZONE}/playlist/entries")
        proposed = body["proposal"]["slides"][0]
        assert (proposed["starts_on"], proposed["ends_on"], proposed["priority"],
                proposed["windows"]) == ("2027-02-01", "2027-02-28", 5, [["07:30", "11:30"]])

        # Back at priority 0 nothing is hidden, and the warning goes.
        page.locator(".pl-item").nth(0).locator("[data-act=edit]").click()
        dialog.locator("[name=priority]").fill("3")
        dialog.locator("[data-role=dialog-hides]").wait_for(state="visible", timeout=15_000)
        dialog.locator("[name=priority]").fill("0")
        dialog.locator("[data-role=dialog-hides]").wait_for(state="hidden", timeout=15_000)
    finally:
        context.close()
