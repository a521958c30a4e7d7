"""The counter console in Debian's Chromium: live over its WebSocket, never polling; and
the office's time on every page, whatever the time zone of the machine showing it."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import start_server

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-rat-dai"
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]


def sign_in_to_the_console(page, base: str, name: str) -> None:
    page.goto(f"{base}/admin/login?next=/counter")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"{base}/counter")


def test_the_console_shows_a_kiosk_ticket_at_once_and_never_polls(live_server, browser_page,
                                                                   screenshot_dir: Path):
    # Given an operator signed in at the counter console, watching its requests and socket
    live_server.cli("users", "add", "canbo.trinhduyet", "--role", "operator", "--password-stdin",
                    input=PASSWORD + "\n")
    page = browser_page
    page.set_viewport_size({"width": 1366, "height": 900})
    requests: list[tuple[float, str]] = []
    page.on("request", lambda r: requests.append((time.monotonic(), r.url)))
    sockets: list = []   # (when it opened, the socket)
    frames_sent: list[str] = []

    def watch(ws) -> None:
        sockets.append((time.monotonic(), ws))
        ws.on("framesent", lambda payload: frames_sent.append(str(payload)))

    page.on("websocket", watch)
    sign_in_to_the_console(page, live_server.base, "canbo.trinhduyet")
    page.wait_for_selector("#c-link[data-state='online']")
    assert page.inner_text("#c-who") == "Cán bộ: canbo.trinhduyet"
    assert [ws.url.split("?")[0] for _, ws in sockets] == [f"{live_server.ws_base}/ws/counter"]
    page.select_option("#c-counter", "1")

    # When a citizen takes a hộ tịch number at the kiosk
    kiosk = page.context.new_page()
    kiosk.goto(f"{live_server.base}/kiosk?print=0")
    kiosk.click('[data-service="HOTICH"]')
    kiosk.wait_for_selector("#k-ticket-view:not([hidden])")
    number = kiosk.inner_text("#t-number")
    taken = time.monotonic()

    # Then the console lists it, pushed over its socket
    page.wait_for_selector(f"#c-waiting li:has-text('{number}')")
    print(f"kiosk ticket on the console after {time.monotonic() - taken:.3f} s (informative)")

    # And pressing N calls it; the console learns that over the socket too
    page.locator("#c-now-number").click()
    page.keyboard.press("n")
    page.wait_for_function(f"document.getElementById('c-now-number').textContent === '{number}'")
    page.wait_for_selector(f"#c-waiting li:has-text('{number}')", state="detached")
    page.screenshot(path=str(screenshot_dir / "counter-console.png"))

    # And over a long while — until the page's first heartbeat (10 s after the socket
    # opened), more than three times the old 3 s polling interval — nothing asked for the
    # queue: the only API request of the console was the call
    opened, socket = sockets[0]
    # (the first heartbeat: the quick pings right after opening only set the page's clock)
    socket.wait_for_event("framesent", timeout=30_000, predicate=lambda p: '"ping"' in str(p)
                          and time.monotonic() - opened >= 9)
    assert time.monotonic() - opened >= 9
    api_requests = [u for _, u in requests if "/api/v1/" in u]
    # (choosing counter 1 put the officer on duty there: issue 11)
    assert api_requests == [f"{live_server.base}/api/v1/counters/1/duty",
                            f"{live_server.base}/api/v1/counters/1/call-next"]
    assert len(sockets) == 1   # one socket all along: no reconnects


def test_a_console_without_a_session_asks_the_officer_to_sign_in(live_server, browser_page):
    # Given a counter PC where nobody is signed in (and an old pasted token in its storage)
    page = browser_page
    page.goto(f"{live_server.base}/counter")
    page.evaluate("localStorage.setItem('signage:operator-token', 'sgn_cu')")
    page.reload()
    # Then the sign-in box shows, no queue is shown, and no token is kept
    page.wait_for_selector("#c-auth:not([hidden])")
    assert page.get_attribute("#c-link", "data-state") == "signed-out"
    assert page.evaluate("localStorage.getItem('signage:operator-token')") is None
    assert page.locator("#c-token").count() == 0
    # When the officer signs in with their own account, the queue comes
    live_server.sign_in(page, "operator", next="/counter")
    page.wait_for_selector("#c-link[data-state='online']")
    page.wait_for_function("document.getElementById('c-counter').options.length > 0")
    assert page.locator("#c-auth").is_hidden()


def office_clock_texts(now: datetime, tz: ZoneInfo) -> tuple[set[str], set[str]]:
    """What an office clock may read around `now` (either side of a minute's turn)."""
    moments = [(now + timedelta(seconds=s)).astimezone(tz) for s in (-5, 0, 20)]
    return ({m.strftime("%H:%M") for m in moments},
            {WEEKDAYS[m.weekday()] for m in moments})


def test_every_page_shows_the_office_time_not_the_machines(tmp_path, browser):
    # Given an office set to Tokyo time (not the default zone, not the browser's), and a
    # browser whose own clock is set to California (16–17 h behind)
    tokyo = ZoneInfo("Asia/Tokyo")
    server = start_server(tmp_path / "instance", extra_env={"SIGNAGE_TIMEZONE": "Asia/Tokyo"})
    context = browser.new_context(timezone_id="America/Los_Angeles",
                                  viewport={"width": 1920, "height": 1080})
    try:
        key = server.add_screens("Múi giờ")[0]
        server.cli("users", "add", "bien.tap.gio", "--role", "editor", "--password-stdin",
                   input=PASSWORD + "\n")
        pages = {name: context.new_page() for name in ("screen", "kiosk", "preview")}
        assert pages["screen"].evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == \
            "America/Los_Angeles"

        # When the lobby screen, the kiosk and the editor's preview of the screen show the time
        pages["screen"].goto(f"{server.base}/screen/{key}")
        pages["kiosk"].goto(f"{server.base}/kiosk?print=0")
        preview = pages["preview"]
        preview.goto(f"{server.base}/admin/login?next=/admin/notices/preview")
        preview.fill("input[name=name]", "bien.tap.gio")
        preview.fill("input[name=password]", PASSWORD)
        preview.click("form.stack button[type=submit]")
        preview.wait_for_selector("#stage[data-ready='1']")
        shown = {}
        for name, clock, date in (("screen", "#clock", "#date"), ("kiosk", "#k-clock", None),
                                  ("preview", "#clock", "#date")):
            page = pages[name]
            page.wait_for_function(f"document.querySelector('{clock}').textContent !== '--:--'")
            shown[name] = (page.inner_text(clock), page.inner_text(date) if date else None)

        # Then each reads the office's hour and weekday
        hours, weekdays = office_clock_texts(datetime.now(tokyo), tokyo)
        for name, (clock, date) in shown.items():
            assert clock in hours, (name, clock, hours)
            if date:
                assert date.split(",")[0] in weekdays, (name, date, weekdays)
    finally:
        context.close()
        server.stop()
