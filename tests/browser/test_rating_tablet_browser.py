"""A citizen rates the service on the counter's tablet, in Debian's Chromium: the officer
completes a ticket at the console, the 10" portrait tablet asks at once (pushed, not
polled), a low score asks for reasons, the rating is stored and the tablet thanks and
idles back."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

TABLET = {"viewport": {"width": 800, "height": 1280}, "device_scale_factor": 1.5,
          "has_touch": True, "is_mobile": True}


def test_a_citizen_rates_a_completed_ticket_with_a_low_score_and_a_reason(
        live_server, browser, browser_page, screenshot_dir: Path):
    # Given a tablet registered at counter 1, open in portrait on a 10" tablet
    path = live_server.cli("tablets", "add", "Máy quầy 1", "--counter", "1").strip().splitlines()[-1]
    context = browser.new_context(**TABLET)
    tablet = context.new_page()
    tablet.goto(live_server.base + path)
    tablet.wait_for_selector("#r-link[data-state='online']")
    # and an officer signed in at the console of counter 1
    console = browser_page
    live_server.sign_in(console, "operator", "/counter")
    console.wait_for_selector("#c-link[data-state='online']")
    console.select_option("#c-counter", "1")
    tablet.wait_for_selector("#r-officer-name:text-is('operator-ui')")
    tablet.screenshot(path=str(screenshot_dir / "rate-tablet-idle.png"))

    # When a citizen's number is called and completed at the console
    status, ticket = live_server.request("POST", "/api/v1/tickets", {"service": "HOTICH"},
                                         role=None, headers=live_server.kiosk())
    assert status == 201
    console.wait_for_selector(f"#c-waiting li:has-text('{ticket['display']}')")
    console.locator("#c-now-number").click()
    console.keyboard.press("n")
    console.wait_for_function(
        f"document.getElementById('c-now-number').textContent === '{ticket['display']}'")
    tablet.wait_for_selector(f"#r-serving-number:text-is('{ticket['display']}')")
    console.keyboard.press("c")

    # Then the tablet asks at once, about that ticket, with three large choices
    tablet.wait_for_selector("#r-ask:not([hidden])")
    assert tablet.inner_text("#r-ask-number") == ticket["display"]
    levels = tablet.locator(".r-level")
    assert levels.count() == 3
    boxes = [levels.nth(i).bounding_box() for i in range(3)]
    assert all(b["height"] >= 120 and b["width"] >= 600 for b in boxes)
    assert max(b["y"] + b["height"] for b in boxes) <= 1280  # nothing to scroll
    tablet.screenshot(path=str(screenshot_dir / "rate-tablet-ask.png"))

    # When the citizen taps "Không hài lòng", then a reason and a comment, and sends
    tablet.tap(".r-level[data-score='1']")
    tablet.wait_for_selector("#r-reasons:not([hidden])")
    tablet.tap(".r-reason[data-reason='thai-do']")
    tablet.fill("#r-comment", "Cán bộ trả lời cộc lốc.")
    tablet.screenshot(path=str(screenshot_dir / "rate-tablet-reasons.png"))
    tablet.tap("#r-send")

    # Then it thanks, and the rating is stored once, with its reason and the officer
    tablet.wait_for_selector("#r-thanks:not([hidden])")
    tablet.screenshot(path=str(screenshot_dir / "rate-tablet-thanks.png"))
    status, listed = live_server.request("GET", "/api/v1/ratings", role="editor")
    mine = [r for r in listed["items"] if r["ticket"] == ticket["id"]]
    assert [(r["score"], r["reasons"], r["comment"], r["officer"]) for r in mine] == [
        (1, ["thai-do"], "Cán bộ trả lời cộc lốc.", "operator-ui")]
    # and idles back by itself
    tablet.wait_for_selector("#r-idle:not([hidden])", timeout=15_000)
    context.close()

    # And the report shows it: its reason's bar in the chart, the officer's row, the CSV
    admin = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    live_server.sign_in(admin, "admin", "/admin/reports")
    reasons = admin.locator("[data-test=chart-reasons] svg")
    assert "Thái độ của cán bộ chưa tốt" in reasons.inner_html()
    assert admin.inner_text("[data-test=ratings-count]") == "1"
    assert "operator-ui" in admin.inner_text("[data-test=by-officer]")
    admin.screenshot(path=str(screenshot_dir / "admin-reports.png"), full_page=True)
    with admin.expect_download() as download:
        admin.click("[data-test=ratings-csv]")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert ticket["display"] in text and "thai-do" in text
    admin.context.close()


def test_a_citizen_rates_and_sends_feedback_from_the_tickets_page_on_a_phone(
        live_server, browser, screenshot_dir: Path):
    # Given a ticket served at counter 3
    status, ticket = live_server.request("POST", "/api/v1/tickets", {"service": "CHUNGTHUC"},
                                         role=None, headers=live_server.kiosk())
    assert status == 201
    _, counters = live_server.request("GET", "/api/v1/counters", role=None)
    three = next(c["id"] for c in counters["items"] if c["number"] == 3)
    live_server.request("POST", f"/api/v1/counters/{three}/call-next", role="operator")
    live_server.request("POST", f"/api/v1/counters/{three}/complete", role="operator")
    # When the citizen opens the ticket's page on a phone
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True).new_page()
    phone.goto(f"{live_server.base}{ticket['status_url']}")
    # rates it "Không hài lòng" with a reason
    phone.check("input[name=score][value='1']")
    phone.check("input[name=reasons][value='thoi-gian']")
    phone.click("#s-rate-form button[type=submit]")
    phone.wait_for_selector("#s-rate-message:has-text('Cảm ơn')")
    # and writes to the feedback box
    phone.fill("#s-feedback-form textarea", "Nên có thêm ghế chờ ở khu chứng thực.")
    phone.click("#s-feedback-form button[type=submit]")
    phone.wait_for_selector("#s-feedback-message:has-text('Đã nhận góp ý')")
    phone.screenshot(path=str(screenshot_dir / "ticket-page-rated.png"), full_page=True)
    phone.context.close()
    # Then both are stored, bound to the ticket
    _, ratings = live_server.request("GET", "/api/v1/ratings", role="editor")
    mine = [r for r in ratings["items"] if r["ticket"] == ticket["id"]]
    assert [(r["channel"], r["score"], r["reasons"]) for r in mine] == [("phone", 1, ["thoi-gian"])]
    _, box = live_server.request("GET", "/api/v1/feedback", role="admin")
    assert any(i["ticket"] == ticket["id"] and i["channel"] == "phone" for i in box["items"])


def test_a_citizen_writes_to_the_feedback_box_at_the_kiosk(live_server, browser_page):
    key = live_server.kiosk()["X-Kiosk-Key"]
    kiosk = browser_page
    kiosk.set_viewport_size({"width": 1080, "height": 1920})
    kiosk.goto(f"{live_server.base}/kiosk/{key}")
    kiosk.click("#k-feedback-open")
    kiosk.fill("#k-feedback-form textarea", "Máy lấy số nên có chữ to hơn cho người cao tuổi.")
    kiosk.click("#k-feedback-form button[type=submit]")
    kiosk.wait_for_selector("#k-feedback-message:has-text('Đã nhận góp ý')")
    # and the kiosk goes back to its services by itself
    kiosk.wait_for_selector("#k-choose:not([hidden])", timeout=15_000)
    _, box = live_server.request("GET", "/api/v1/feedback", role="admin")
    assert [i["channel"] for i in box["items"]
            if i["text"].startswith("Máy lấy số nên có chữ to hơn")] == ["kiosk"]
