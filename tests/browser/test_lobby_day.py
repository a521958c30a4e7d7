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
    # (the sound button, shown until someone touches the TV, covers no slide text)
    assert tv.is_visible(".sound-unlock")
    overlap = tv.evaluate("(() => { const a = document.querySelector('.sound-unlock')"
                          ".getBoundingClientRect(), b = document.getElementById('slides')"
                          ".getBoundingClientRect(); return a.bottom > b.top && a.top < b.bottom"
                          " && a.right > b.left && a.left < b.right; })()")
    assert overlap is False

    # When an admin fills in /admin → Thông tin đơn vị and saves
    admin = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    live_server.sign_in(admin, "admin", "/admin/office")
    admin.fill("input[name=office_name]", "Trung tâm Phục vụ hành chính công phường Khánh Bình")
    admin.fill("input[name=ward_name]", "Ủy ban nhân dân phường Khánh Bình")
    admin.fill("input[name=address]", "Số 1 đường ĐT 746, phường Khánh Bình")
    admin.fill("input[name=hotline]", "0274 3 650 123")
    admin.fill("input[name=feedback_address]", "tiepnhan@khanhbinh.gov.vn")
    admin.click("form[data-test=office-form] button[type=submit]")
    admin.wait_for_selector(".flash-success")

    # Then the TV's header and welcome card say so without a reload, the API too
    tv.wait_for_function("document.querySelector('#office-name').textContent.includes('Khánh Bình')",
                         timeout=5_000)
    assert tv.inner_text("#ward-name") == "Ủy ban nhân dân phường Khánh Bình"
    assert tv.is_visible("#office-hotline") and "0274 3 650 123" in tv.inner_text("#office-hotline")
    footer = tv.inner_text("#contact-bar")   # the footer: feedback address, hotline, QR
    assert "tiepnhan@khanhbinh.gov.vn" in footer and "0274 3 650 123" in footer
    assert tv.evaluate("document.querySelector('.contact-qr').naturalWidth") > 0
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


def settled_screen(browser, live_server, orientation: str):
    key = live_server.cli("screens", "add", f"TV {orientation}", "--zone", "sanh-chinh",
                          "--orientation", orientation).split()[0]
    size = {"landscape": (1920, 1080), "portrait": (1080, 1920)}[orientation]
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(f"{live_server.base}/screen/{key}")
    page.wait_for_function(
        "() => window.signageScreen && window.signageScreen.slides.length > 0"
        " && document.querySelectorAll('#slides > .slide[data-pages]').length"
        "    === window.signageScreen.slides.length"
        " && window.signageScreen.layout.settled()", timeout=30_000)
    return context, page


def test_the_editors_preview_pages_a_notice_as_the_lobby_tv_does(live_server, browser):
    # Given the lobby's TVs, landscape and portrait, with their queue panel and ticker
    seen = {}
    for orientation in ("landscape", "portrait"):
        context, tv = settled_screen(browser, live_server, orientation)
        assert tv.is_visible("#queue-panel") and tv.is_visible("#ticker")
        seen[orientation] = tv.evaluate(
            "Object.fromEntries([...document.querySelectorAll('#slides > .slide[data-notice-id]')]"
            ".map(s => [s.dataset.noticeId, +s.dataset.pages]))")
        context.close()
    # the longest procedures and a few law messages
    notices = live_server.request("GET", "/api/v1/notices?limit=200")[1]["items"]
    procedures = sorted((n for n in notices if n["kind"] == "procedure"),
                        key=lambda n: -seen["landscape"][str(n["id"])])[:3]
    laws = [n for n in notices if n["kind"] == "law"][:3]

    # When an editor opens each in the notice editor
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    live_server.sign_in(page, "editor", "/admin/notices")
    try:
        for notice in procedures + laws:
            page.goto(f"{live_server.base}/admin/notices/{notice['id']}")
            shown = {}
            for orientation in ("landscape", "portrait"):
                page.click(f"[data-orientation={orientation}]")
                # the frame laid the slide out in its box, with its fonts
                page.wait_for_function(
                    f"(() => {{ const f = document.querySelector('iframe[data-frame={orientation}]');"
                    " const s = f.contentDocument && f.contentDocument.getElementById('preview-slide');"
                    " return s && s.dataset.layout && !s.dataset.layout.startsWith('0x')"
                    " && f.contentDocument.fonts.status === 'loaded'"
                    " && f.dataset.pages === s.dataset.pages; })()", timeout=20_000)
                shown[orientation] = int(page.get_attribute(f"iframe[data-frame={orientation}]",
                                                            "data-pages"))
            # Then the preview has as many pages as the lobby's TVs in each orientation
            expected = {o: seen[o][str(notice["id"])] for o in ("landscape", "portrait")}
            assert shown == expected, (notice["title"], shown, expected)
        assert "Sảnh chính" in page.inner_text("[data-preview-zone]")
        assert max(seen["landscape"][str(n["id"])] for n in procedures) >= 3
    finally:
        context.close()


SENTENCE = ("Người dân cần mang theo giấy tờ tùy thân và các giấy tờ liên quan khi đến làm thủ tục "
            "tại bộ phận một cửa của phường để được hướng dẫn đầy đủ và nhanh chóng.")

PAGES_CHECK = """() => {
  const out = {splits: [], lone: [], tight: 0, small: [], fills: []};
  for (const slide of document.querySelectorAll('#slides > .slide[data-pages]')) {
    const pages = [...slide.querySelectorAll('.pages > .page')];
    for (const [i, page] of pages.entries()) {
      page.classList.add('is-page-current');   // measured as shown
      for (const part of page.querySelectorAll('.is-split, .is-cont')) {
        if (part.classList.contains('block-title')) continue;
        const tops = new Set();
        const walker = document.createTreeWalker(part, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
          const r = document.createRange(); r.selectNodeContents(walker.currentNode);
          for (const box of r.getClientRects()) if (box.width > 0) tops.add(Math.round(box.top));
        }
        if (tops.size < 2)
          out.splits.push([slide.dataset.noticeId, i + 1, part.textContent.trim().slice(0, 30)]);
      }
      const units = [...page.querySelectorAll('.block > :not(.block-title)')];
      if (i > 0 && units.length && units.every(u => u.closest('.block-ref, .block-source, .block-legal')))
        out.lone.push([slide.dataset.noticeId, i + 1, page.textContent.trim().slice(0, 60)]);
      if (page.classList.contains('is-tight')) {
        out.tight += 1;
        for (const el of page.querySelectorAll('*')) {
          if (el.childNodes.length && [...el.childNodes].some(n => n.nodeType === 3 && n.data.trim())
              && parseFloat(getComputedStyle(el).fontSize) < 28) out.small.push(el.textContent.slice(0, 40));
        }
      }
      if (i === pages.length - 1) {
        let used = 0, room = 0;
        for (const col of page.children) { room += col.clientHeight; let b = 0;
          for (const c of col.children) b = Math.max(b, c.offsetTop - col.offsetTop + c.offsetHeight);
          used += b; }
        out.fills.push([pages.length, Math.round(100 * used / room)]);
      }
      if (i > 0) page.classList.remove('is-page-current');
    }
  }
  return out;
}"""


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_pages_never_strand_a_word_or_a_lone_reference(live_server, browser, orientation):
    # Given law messages of growing length, each with its one-line legal reference, on a
    # zone's playlist (so that some end just past a page), and a TV of that zone
    zone = f"trang-{orientation}"
    key = live_server.cli("screens", "add", f"TV {zone}", "--zone", zone, "--create-zone",
                          "--orientation", orientation).split()[0]
    ids = []
    for n in range(2, 16):
        # n short paragraphs, then a long one (cut across pages): some messages end just
        # past a page, their reference or a paragraph alone on the next one
        body = "\n\n".join([SENTENCE] * n + ([" ".join([SENTENCE] * 6)] if n % 4 == 0 else []))
        status, notice = live_server.request("POST", "/api/v1/notices", {
            "kind": "law", "title": f"Trang thử {orientation} {n}", "slug": f"trang-{orientation}-{n}",
            "body": body, "legal_ref": "Điều 5 Luật Tiếp công dân 2013", "zones": [zone]},
            role="approver")
        assert status == 201, notice
        ids.append(notice["id"])
    size = {"landscape": (1920, 1080), "portrait": (1080, 1920)}[orientation]
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    try:
        page.goto(f"{live_server.base}/screen/{key}")
        page.wait_for_function(
            "() => window.signageScreen && window.signageScreen.slides.length >= 14"
            " && document.querySelectorAll('#slides > .slide[data-pages]').length"
            "    === window.signageScreen.slides.length && window.signageScreen.layout.settled()",
            timeout=30_000)
        report = page.evaluate(PAGES_CHECK)
        pages = page.evaluate("[...document.querySelectorAll('#slides > .slide[data-pages]')]"
                              ".map(s => +s.dataset.pages)")
    finally:
        context.close()

    # Then no cut leaves fewer than two lines on either page, no page holds only the
    # reference, and the short last pages that joined the page before are still ≥ 28 px
    assert report["splits"] == [], "\n".join(map(str, report["splits"]))
    assert report["lone"] == [], report["lone"]
    assert report["small"] == []
    print("last pages [pages, % full]:", report["fills"])
    assert max(pages) >= 3
    if orientation == "landscape":   # these lengths make a short last page there
        assert report["tight"] >= 1


def test_the_counter_console_transfers_as_an_officer_expects(live_server, browser):
    # Given an officer at counter 2 with a hộ tịch citizen in front of them
    assert live_server.request("POST", "/api/v1/tickets", {"service": "HOTICH"}, role=None,
                               headers=live_server.kiosk())[0] == 201
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        live_server.sign_in(page, "operator", next="/counter")
        page.wait_for_selector("#c-counter option", state="attached")
        labels = page.eval_on_selector_all("#c-counter option", "os => os.map(o => o.textContent)")
        assert "Quầy 1 – Hộ tịch" in labels and not any(t.startswith("1 —") for t in labels)
        page.select_option("#c-counter", "2")
        page.wait_for_selector("#c-waiting li")
        page.click("[data-action='call-next']")
        page.wait_for_selector("#c-waiting li", state="detached")
        page.wait_for_function("document.getElementById('c-now-number').textContent.startsWith('A-')")

        # When they open "Chuyển…"
        page.click("[data-action='transfer']")
        # Then it offers another place than the ticket's own service, fits its card, and
        # Esc closes it
        assert page.eval_on_selector("#c-transfer-to", "s => s.value") != "service:HOTICH"
        fits = page.evaluate("(() => { const f = document.getElementById('c-transfer')"
                             ".getBoundingClientRect(), c = document.querySelector('.c-now')"
                             ".getBoundingClientRect(); return f.right <= c.right + 1; })()")
        assert fits
        page.keyboard.press("Escape")
        assert page.is_hidden("#c-transfer")
        # and after a transfer the console is ready for the next, not "never called"
        page.click("[data-action='transfer']")
        page.click("#c-transfer button[type=submit]")
        page.wait_for_function("document.getElementById('c-now-service').textContent"
                               ".startsWith('Sẵn sàng')")
        assert "Chưa gọi" not in page.inner_text(".c-now")
        # idle: a calm line, not a big red dash
        assert page.eval_on_selector("#c-now-number",
                                     "e => parseFloat(getComputedStyle(e).fontSize)") < 60
    finally:
        context.close()
