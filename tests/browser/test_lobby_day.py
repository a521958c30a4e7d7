"""Issue 9, "a real day in the lobby", in Debian's Chromium: what a new user met, walked
again on one real server (one per module: the lean way)."""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
# Pictures for people to look at (SIGNAGE_SCREENSHOTS=dir); docs/screenshots is refreshed so.
SHOTS = Path(os.environ["SIGNAGE_SCREENSHOTS"]) if os.environ.get("SIGNAGE_SCREENSHOTS") else None


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


def test_six_calls_at_once_are_shown_on_one_board_and_the_last_is_said_within_15_s(
        live_server, tv_context):
    # Given a lobby TV with its sound on, and people waiting for all six counters
    assert live_server.request("PUT", "/api/v1/queue/settings",
                               {"overlay_seconds": 8, "repeat": 2}, role="admin")[0] == 200
    key = live_server.add_screens("TV sáu quầy", zone="sau-quay")[0]
    tv = tv_context.new_page()
    tv.goto(f"{live_server.base}/screen/{key}")
    tv.wait_for_function("document.querySelector('#link-state').dataset.state === 'online'")
    tv.wait_for_selector("#queue-panel .qp-row")
    tv.click(".sound-unlock")
    tv.wait_for_function("document.querySelector('#stage').dataset.sound === 'on'")
    for service in ("HOTICH", "HOTICH", "CHUNGTHUC", "DATDAI", "XAHOI", "TRAKETQUA"):
        status, _ = live_server.request("POST", "/api/v1/tickets", {"service": service}, role=None,
                                        headers=live_server.kiosk())
        assert status == 201

    # When the six officers press "next" at the same moment
    live_server.token("operator")
    pressed: dict[str, float] = {}

    def press(counter: int) -> None:
        at = time.time() * 1000
        status, call = live_server.request("POST", f"/api/v1/counters/{counter}/call-next",
                                           role="operator")
        assert status == 200, call
        pressed[call["display"]] = at

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(press, range(1, 7)))

    # Then they stand together on one board, none dropped, in the order they came
    tv.wait_for_selector("#call-overlay .co-board .co-row", timeout=10_000)
    rows = tv.eval_on_selector_all("#call-overlay .co-row", "rs => rs.map(r => r.dataset.ticket)")
    tv.screenshot(path=str(SHOTS / "queue-screen-board.png")) if SHOTS else None
    tv.wait_for_function("window.signageScreen.queue.spoken.length >= 6", timeout=30_000)
    shown = tv.evaluate("window.signageScreen.queue.shown.map(c => c.ticket)")
    spoken = tv.evaluate("window.signageScreen.queue.spoken")
    assert sorted(shown) == sorted(pressed) and len(shown) == 6
    assert [s["ticket"] for s in spoken[:6]] == shown      # voice and board in one order (FIFO)
    assert len(rows) >= 5                                   # shown together, not one by one
    # And the last of them starts being said within 15 s of its press
    last = spoken[5]
    waited = (last["at"] - pressed[last["ticket"]]) / 1000
    print(f"sixth call said {waited:.1f} s after its press; each: "
          + ", ".join(f"{(s['at'] - pressed[s['ticket']]) / 1000:.1f}" for s in spoken[:6]))
    assert waited <= 15
    # And the rotation comes back when the board has been read
    tv.wait_for_selector("#call-overlay", state="hidden", timeout=40_000)


ONE_LINE = """el => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
  const box = el.getBoundingClientRect();
  return {lines: tops.size, text: el.textContent, right: box.right, width: innerWidth,
          overflow: el.scrollWidth > el.clientWidth + 1, sw: el.scrollWidth, cw: el.clientWidth,
          fs: getComputedStyle(el).fontSize};
}"""


@pytest.mark.parametrize("width", [360, 390, 768, 1080, 1920])
def test_the_ticket_number_stands_on_one_line_at_every_width(live_server, browser, width):
    # Given the longest number a service can give: three letters and six digits
    status, _ = live_server.request("POST", "/api/v1/services", {
        "code": "DAIDAI", "name": "Dịch vụ số dài", "prefix": "ĐKX", "range_start": 100001,
        "range_end": 999999}, role="admin")
    assert status in (200, 201)
    height = {360: 780, 390: 844, 768: 1024, 1080: 1920, 1920: 1080}[width]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        # When a citizen takes it at the kiosk
        page.goto(f"{live_server.base}/kiosk?print=0")
        page.click('[data-service="DAIDAI"]')
        page.wait_for_selector("#k-ticket-view:not([hidden])")
        page.evaluate("document.fonts.ready.then(() => true)")   # measured in its own font
        kiosk = page.eval_on_selector("#t-number", ONE_LINE)
        token = page.evaluate("document.getElementById('t-qr').src").split("/t/")[1].split("/")[0]
        # and follows it on their phone
        page.goto(f"{live_server.base}/t/{token}")
        page.evaluate("document.fonts.ready.then(() => true)")
        phone = page.eval_on_selector("#s-number", ONE_LINE)
        page.screenshot(path=str(SHOTS / f"ticket-phone-{width}.png")) if SHOTS else None
    finally:
        context.close()

    # Then on both the number is one line, inside the screen, not clipped
    for seen in (kiosk, phone):
        assert seen["text"].startswith("ĐKX-")
        assert seen["lines"] == 1, seen
        assert not seen["overflow"] and seen["right"] <= seen["width"], repr(sorted(seen.items()))
