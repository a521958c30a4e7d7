"""The whole queue in Debian's Chromium: a citizen takes a number at the kiosk, the
officer presses N at the counter console, the lobby screen shows the call over the
rotation, then hands the rotation back."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
# Where the pictures go when someone wants to look at them (SIGNAGE_SCREENSHOTS=dir).
SHOTS = os.environ.get("SIGNAGE_SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))


def test_kiosk_then_counter_call_next_then_the_screens_overlay(live_server, browser_page):
    # Given a lobby screen showing its rotation and the queue panel, calls shown 3 s
    assert live_server.request("PUT", "/api/v1/queue/settings", {"overlay_seconds": 3, "repeat": 1},
                               role="admin")[0] == 200
    key = live_server.add_screens("Màn hình sảnh (trình duyệt)")[0]
    screen = browser_page
    screen.goto(f"{live_server.base}/screen/{key}")
    screen.wait_for_function("document.querySelector('#link-state').dataset.state === 'online'")
    screen.wait_for_selector("#queue-panel .qp-row")
    assert screen.locator("#call-overlay").is_hidden()
    # The sound stays off until someone touches the TV once
    unlock = screen.locator(".sound-unlock")
    assert unlock.is_visible() and "Bật âm thanh" in unlock.inner_text()
    unlock.click()
    screen.wait_for_function("document.querySelector('#stage').dataset.sound === 'on'")
    assert unlock.is_hidden()

    # When a citizen takes a hộ tịch number at the kiosk
    kiosk = screen.context.new_page()
    kiosk.set_viewport_size({"width": 1080, "height": 1920})
    kiosk.goto(f"{live_server.base}/kiosk?print=0")
    kiosk.click('[data-service="HOTICH"]')
    kiosk.wait_for_selector("#k-ticket-view:not([hidden])")
    number = kiosk.inner_text("#t-number")
    assert number.startswith("A-")
    assert kiosk.inner_text("#t-service").startswith("Hộ tịch")
    kiosk.wait_for_function("document.getElementById('t-qr').naturalWidth > 0")
    shot(kiosk, "queue-kiosk-ticket")

    # And the officer at counter 1 presses N on the console
    counter = screen.context.new_page()
    live_server.sign_in(counter, "operator", next="/counter")
    counter.select_option("#c-counter", "1")
    counter.wait_for_selector(f"#c-waiting li:has-text('{number}')")
    counter.locator("#c-now-number").click()  # focus on the console, not the counter picker
    counter.keyboard.press("n")
    counter.wait_for_function(f"document.getElementById('c-now-number').textContent === '{number}'")
    shot(counter, "queue-counter-console")

    # Then the screen shows the call over the rotation, and the panel has it
    screen.bring_to_front()
    screen.wait_for_selector(f"#call-overlay[data-ticket='{number}']", state="visible")
    assert screen.inner_text("#call-overlay .co-number") == number
    assert screen.inner_text("#call-overlay .co-counter") == "1"
    screen.wait_for_selector(f"#queue-panel .qp-row[data-counter='1'] .qp-ticket:has-text('{number}')")
    shot(screen, "queue-screen-overlay")
    # And hands the rotation back when the call has been shown and spoken
    screen.wait_for_selector("#call-overlay", state="hidden", timeout=20_000)
    assert screen.locator("#slides .slide.is-current").count() == 1
    assert screen.evaluate("window.signageScreen.queue.shown.map(c => c.ticket)") == [number]
    shot(screen, "queue-screen-panel")


def test_two_calls_at_once_are_both_shown_in_order(live_server, browser_page):
    assert live_server.request("PUT", "/api/v1/queue/settings", {"overlay_seconds": 3, "repeat": 1},
                               role="admin")[0] == 200
    key = live_server.add_screens("Màn hình dọc", zone="doc")[0]
    page = browser_page
    page.set_viewport_size({"width": 1080, "height": 1920})
    page.goto(f"{live_server.base}/screen/{key}")
    page.wait_for_selector("#queue-panel .qp-row")
    for service in ("CHUNGTHUC", "DATDAI"):
        assert live_server.request("POST", "/api/v1/tickets", {"service": service}, role=None)[0] == 201
    first = live_server.request("POST", "/api/v1/counters/3/call-next", role="operator")[1]
    second = live_server.request("POST", "/api/v1/counters/4/call-next", role="operator")[1]
    t0 = time.monotonic()
    page.wait_for_function("window.signageScreen.queue.shown.length === 2", timeout=30_000)
    print(f"second call shown after {time.monotonic() - t0:.1f} s")
    shown = page.evaluate("window.signageScreen.queue.shown.map(c => [c.ticket, c.counter])")
    assert shown == [[first["display"], 3], [second["display"], 4]]


def test_the_kiosk_warns_before_a_service_runs_out_and_turns_it_off_at_zero(live_server,
                                                                             browser_page):
    # Given a service of its own (letter Z) allowed 6 numbers a day, and a registered kiosk
    status, _ = live_server.request("POST", "/api/v1/services", {
        "code": "HETSO", "name": "Dịch vụ thử hết số", "prefix": "Z", "daily_cap": 6},
        role="admin")
    assert status == 201
    key = live_server.kiosk()["X-Kiosk-Key"]
    kiosk = browser_page
    kiosk.set_viewport_size({"width": 1080, "height": 1920})
    kiosk.goto(f"{live_server.base}/kiosk/{key}?print=0")
    button = kiosk.locator('[data-service="HETSO"]')
    assert button.locator(".k-left").is_hidden()
    # When citizens take two numbers, four are left: the button says so
    for number in ("Z-1", "Z-2"):
        button.click()
        kiosk.wait_for_function(f"document.getElementById('t-number').textContent === '{number}'")
        kiosk.click("#k-done")
    assert button.locator(".k-left").inner_text() == "Chỉ còn 4 số hôm nay"
    shot(kiosk, "queue-kiosk-running-low")
    # And once the last is taken the service is off, on this kiosk and on a fresh one
    for _ in range(4):
        live_server.request("POST", "/api/v1/tickets", {"service": "HETSO"}, role=None,
                            headers=live_server.kiosk())
    kiosk.reload()
    assert kiosk.locator('[data-service="HETSO"] .k-left').inner_text() == "Đã hết số hôm nay"
    assert kiosk.locator('[data-service="HETSO"]').is_disabled()
    assert live_server.request("PATCH", "/api/v1/services/HETSO", {"active": False},
                               role="admin")[0] == 200


SHOWN = ("(id) => window.signageScreen.queue.shown.filter((c) => c.ticket === id).length")


def test_a_call_missed_in_a_gap_is_shown_once_from_the_snapshot_and_never_twice(
        live_server, browser):
    # Given a lobby screen (calls shown 3 s), on its own page
    assert live_server.request("PUT", "/api/v1/queue/settings", {"overlay_seconds": 3, "repeat": 1},
                               role="admin")[0] == 200
    [key] = live_server.add_screens("TV lỡ cuộc gọi", zone="lo-cuoc-goi")
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    tv = context.new_page()
    tv.goto(f"{live_server.base}/screen/{key}")
    tv.wait_for_function("window.signageScreen && window.signageScreen.connected")

    def take() -> dict:
        status, ticket = live_server.request("POST", "/api/v1/tickets", {"service": "HOTICH"},
                                             role=None, headers=live_server.kiosk())
        assert status == 201
        return ticket

    def call(ticket: dict) -> None:
        assert live_server.request("POST", "/api/v1/counters/1/call", {"ticket_id": ticket["id"]},
                                   role="operator")[0] == 200

    def reconnect() -> None:
        before = tv.evaluate("window.signageScreen.snapshots")
        tv.evaluate("window.signageScreen.socket.close()")
        tv.wait_for_function(f"window.signageScreen.snapshots > {before}"
                             " && window.signageScreen.connected", timeout=20_000)

    # When a call is heard live, then the TV reconnects (its snapshot has that call too)
    heard = take()
    call(heard)
    tv.wait_for_function(f"({SHOWN})('{heard['display']}') === 1", timeout=30_000)
    reconnect()

    # And a second call is lost in a gap: the socket hears nothing, then drops
    missed = take()
    tv.evaluate("window.signageScreen.socket.onmessage = null")
    call(missed)
    reconnect()

    # Then the missed call is shown (and said) from the snapshot, once
    tv.wait_for_function(f"({SHOWN})('{missed['display']}') === 1", timeout=30_000)
    assert tv.evaluate("window.signageScreen.queue.recovered.length") == 1
    # And neither call is shown again, by another snapshot or the live event
    reconnect()
    tv.wait_for_function("!window.signageScreen.queue.busy", timeout=30_000)
    assert tv.evaluate(f"({SHOWN})('{heard['display']}')") == 1
    assert tv.evaluate(f"({SHOWN})('{missed['display']}')") == 1
    assert tv.evaluate("window.signageScreen.queue.recovered.length") == 1
    context.close()
