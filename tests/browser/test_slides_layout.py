"""Procedure and law slides in Debian's Chromium, on real screens of the real server:
every slide in both orientations is paged so nothing overflows or is clipped, text is
28 px or more in the self-hosted font, every procedure has its QR code, pages turn with
the slide's time, and hostile Markdown stays inert (the ticker: test_ticker_browser.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM  # noqa: F401  (the browser fixture checks it exists)

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
MIN_TEXT_PX = 28
SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}

# Runs in the page: every way a slide could spill, be clipped, or be too small to read.
CHECK = r"""
() => {
  const problems = [];
  const stage = document.getElementById("stage");
  const scale = stage.getBoundingClientRect().width / stage.offsetWidth;
  const inside = (r, box) => r.left >= box.left - 1 && r.top >= box.top - 1
      && r.right <= box.right + 1 && r.bottom <= box.bottom + 1;
  const meets = (a, b) => a.left < b.right - 1 && b.left < a.right - 1
      && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  const ownText = (el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.data.trim());
  const textRects = (root) => {
    const out = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (!node.data.trim() || node.parentElement.closest("svg")) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      // A glyph box is the font's full ascent + descent, taller than the line it sits on:
      // what must fit is the line box (line-height), centred on it.
      const line = parseFloat(getComputedStyle(node.parentElement).lineHeight) * scale;
      for (const r of range.getClientRects()) {
        const half = Math.min(r.height, line || r.height) / 2, mid = (r.top + r.bottom) / 2;
        out.push([node, { left: r.left, right: r.right, top: mid - half, bottom: mid + half }]);
      }
    }
    return out;
  };
  const slidesBox = document.getElementById("slides").getBoundingClientRect();
  const report = { slides: 0, procedures: 0, fixed: 0, qr: 0, pages: 0, problems };
  for (const section of document.querySelectorAll("#slides > .slide")) {
    // Paged notices, and those laid out to fit one page (the results chart: no pages).
    const article = section.querySelector("article.notice");
    if (!article) continue;
    report.slides += 1;
    const title = section.querySelector(".notice-title").textContent.trim().slice(0, 48);
    const say = (what) => problems.push(`${title}: ${what}`);
    const label = (el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`;

    if (article.querySelector(".notice-flow")) say("never laid out into pages");
    const sBox = section.getBoundingClientRect();
    if (!inside(sBox, slidesBox)) say("slide is outside the slides region");
    const cs = getComputedStyle(section);
    const pad = (side) => parseFloat(cs["padding" + side]) * scale;
    const content = { left: sBox.left + pad("Left"), right: sBox.right - pad("Right"),
                      top: sBox.top + pad("Top"), bottom: sBox.bottom - pad("Bottom") };
    const aBox = article.getBoundingClientRect();
    if (!inside(aBox, content)) say("the notice is bigger than its slide");

    // Every box stays in the notice; every text run stays in its box's column or header.
    for (const el of article.querySelectorAll("*")) {
      if (el.closest("svg") && el.tagName.toLowerCase() !== "svg") continue;
      const r = el.getBoundingClientRect();
      if (!r.width && !r.height) continue;
      if (!inside(r, aBox)) say(`${label(el)} sticks out of the slide`);
      if (ownText(el)) {
        const size = parseFloat(getComputedStyle(el).fontSize);
        if (size < __MIN__) say(`${label(el)} has ${size}px text (< __MIN__px)`);
      }
    }
    const head = article.querySelector(".notice-head");
    const quote = (node) => `"${node.data.trim().slice(0, 30)}"`;
    for (const [node, r] of textRects(head)) {
      if (!inside(r, head.getBoundingClientRect())) say(`header text ${quote(node)} overflows`);
    }

    const pagesEl = article.querySelector(".pages");
    const pages = [...article.querySelectorAll(".pages > .page")];
    const paged = Boolean(article.dataset.paginate);
    if (paged && !pages.length) say("has no page");
    if (String(pages.length || 1) !== section.dataset.pages) say("page count and data-pages differ");
    report.pages += pages.length || 1;
    if (!paged) report.fixed += 1;
    const qr = article.querySelector(".notice-qr");
    if (article.dataset.paginate === "procedure") report.procedures += 1;
    if (qr) {
      const q = qr.getBoundingClientRect();
      const svg = qr.querySelector("svg.qr-code");
      if (svg && svg.getBoundingClientRect().width >= 170 * scale && inside(q, aBox)) report.qr += 1;
      else say("QR code missing, too small or outside the slide");
    }
    pages.forEach((page, p) => {
      const pBox = page.getBoundingClientRect();
      if (!inside(pBox, pagesEl.getBoundingClientRect())) say(`page ${p + 1} is outside its area`);
      const filled = (c) => c.querySelector(".unit, .block > *:not(.block-title)");
      if (![...page.querySelectorAll(".col")].some(filled)) say(`page ${p + 1} is empty`);
      for (const col of page.querySelectorAll(".col")) {
        const cBox = col.getBoundingClientRect();
        const over = col.scrollHeight - col.clientHeight;
        if (over > 1) say(`page ${p + 1}: a column overflows by ${over}px`);
        if (col.scrollWidth > col.clientWidth + 1) say(`page ${p + 1}: a column is too wide`);
        for (const el of col.querySelectorAll("*")) {
          const r = el.getBoundingClientRect();
          if ((r.width || r.height) && !inside(r, cBox)) {
            say(`page ${p + 1}: ${label(el)} outside its column`);
          }
        }
        for (const [node, r] of textRects(col)) {
          if (!inside(r, cBox)) say(`page ${p + 1}: text ${quote(node)} outside its column`);
          if (qr && meets(r, qr.getBoundingClientRect())) {
            say(`page ${p + 1}: text ${quote(node)} under the QR code`);
          }
        }
      }
    });
  }
  return report;
}
""".replace("__MIN__", str(MIN_TEXT_PX))


def open_screen(browser, live_server, key: str, orientation: str, scale: float = 1.0):
    """A page showing screen `key` at its native size (or scaled), laid out and settled."""
    width, height = SIZES[orientation]
    context = browser.new_context(viewport={"width": int(width * scale), "height": int(height * scale)})
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if r.url.startswith(("http", "ws"))
            and not r.url.split("/")[2].startswith(("127.0.0.1", "localhost")) else None)
    page.outside_requests = outside
    page.goto(f"{live_server.base}/screen/{key}")
    page.wait_for_function(
        "() => window.signageScreen && window.signageScreen.slides.length > 0"
        " && document.querySelectorAll('#slides > .slide[data-pages]').length"
        "    === window.signageScreen.slides.length"
        " && window.signageScreen.layout.settled()", timeout=30_000)
    return context, page


def add_screen(live_server, name: str, zone: str, orientation: str) -> str:
    return live_server.cli("screens", "add", name, "--zone", zone, "--create-zone",
                           "--orientation", orientation).split()[0]


def notice_by_code(live_server, code: str) -> dict:
    items = live_server.request("GET", f"/api/v1/notices?kind=procedure&q={code}")[1]["items"]
    return next(n for n in items if n["code"] == code)


def fonts_of(page, selector: str) -> list[dict]:
    """The fonts Chromium really drew this element's text with (DevTools protocol)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, selector
    return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_every_seeded_slide_fits_without_clipping_with_its_qr_code(browser, live_server, orientation):
    # Given a screen of the shipped lobby zone, whose playlist holds every seeded notice
    key = add_screen(live_server, f"Sảnh {orientation}", "sanh-chinh", orientation)
    expected = len(live_server.request("GET", "/api/v1/zones/sanh-chinh/playlist")[1]["slides"])
    notices = live_server.request("GET", "/api/v1/notices?kind=procedure&limit=200")[1]["items"]
    with_link = sum(1 for n in notices if n.get("online_url"))

    # When Chromium shows it and slides.js has paged every slide
    context, page = open_screen(browser, live_server, key, orientation)
    try:
        report = page.evaluate(CHECK)

        # Then every slide is paged, nothing spills or is clipped, text is 28 px or more,
        # and every procedure with an online page shows its QR code
        assert report["slides"] == expected >= 25
        assert report["problems"] == []
        assert report["procedures"] >= 15 and report["qr"] == with_link >= 14
        assert report["fixed"] == 1  # the results slide (kết quả đánh giá)
        assert report["pages"] > report["slides"]  # long procedures did get split
        markers = page.eval_on_selector_all(
            ".slide[data-pages]", "els => els.filter(s => +s.dataset.pages > 1).map(s => ["
            "s.querySelector('.page-marker').textContent, `Trang ${s.dataset.page}/${s.dataset.pages}`])")
        assert markers and all(shown == expected for shown, expected in markers)

        # And the Vietnamese text is drawn with the self-hosted Be Vietnam Pro, no fallback
        assert page.evaluate("document.fonts.check('700 56px \"Be Vietnam Pro\"', 'Đăng ký khai sinh')")
        for selector in (".slide-procedure .notice-title", ".slide-procedure .doc-name",
                         ".slide-procedure .doc-note", ".slide-law .law-body p"):
            used = fonts_of(page, selector)
            assert used and all(f["familyName"].startswith("Be Vietnam Pro") and f["isCustomFont"]
                                for f in used), (selector, used)
        assert page.outside_requests == []
    finally:
        context.close()


def test_pages_turn_evenly_across_the_slides_time_on_the_glass(browser, live_server):
    # Given a zone showing only one long procedure for 12 seconds
    key = add_screen(live_server, "Lật trang", "lat-trang", "landscape")
    notice = notice_by_code(live_server, "1.001193")   # đăng ký khai sinh: several pages
    assert live_server.request("PUT", "/api/v1/zones/lat-trang/playlist", {
        "slides": [{"notice_id": notice["id"], "duration": 12}]}, role="approver")[0] == 200
    context, page = open_screen(browser, live_server, key, "landscape")
    try:
        section = ".slide.is-current"
        count = int(page.get_attribute(section, "data-pages"))
        assert count >= 2
        # When the slide is on the glass, the page shown is the one its time says
        expected = page.evaluate("""() => {
            const s = window.signageScreen.showing;
            const n = +document.querySelector('.slide.is-current').dataset.pages;
            const start = Date.parse(s.started), each = (Date.parse(s.until) - start) / n;
            return Math.min(n, Math.floor((window.signageScreen.now() - start) / each) + 1);
        }""")
        shown = int(page.get_attribute(section, "data-page"))
        assert shown in (expected, expected + 1)   # the boundary may pass while we look
        # Then the next page comes by itself, with its marker, and only it is visible
        nxt = shown % count + 1
        page.wait_for_function(f"document.querySelector('{section}').dataset.page === '{nxt}'",
                               timeout=15_000)
        assert page.inner_text(f"{section} .page-marker") == f"Trang {nxt}/{count}"
        visible = page.eval_on_selector_all(
            f"{section} .page", "ps => ps.map(p => getComputedStyle(p).opacity === '0' ? 0 : 1)")
        assert sum(visible) >= 1 and page.eval_on_selector_all(
            f"{section} .page.is-page-current", "ps => ps.length") == 1
    finally:
        context.close()


HOSTILE_BODY = "\n\n".join([
    "<script>window.__pwned = 'script'; alert('script')</script>",
    "<img src=x onerror=\"window.__pwned = 'onerror'; alert('onerror')\">",
    "<svg onload=\"window.__pwned = 'svg'\"></svg> <iframe src=\"javascript:alert('iframe')\"></iframe>",
    "[bấm vào đây](javascript:window.__pwned='link') [dữ liệu](data:text/html,<script>alert(1)</script>)",
    "![ảnh](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+) <a href=\"javascript:alert(2)\">a</a>",
    "**Nội dung vẫn đọc được.**",
])


def test_hostile_markdown_is_inert_on_the_glass(browser, live_server):
    # Given a law message whose body tries scripts, handlers, javascript: and data: URLs
    key = add_screen(live_server, "Thử độc", "thu-doc", "landscape")
    status, notice = live_server.request("POST", "/api/v1/notices", {
        "kind": "law", "title": "Thông điệp <img src=x onerror=alert(3)>", "body": HOSTILE_BODY,
        "ticker": "<script>alert(4)</script>", "zones": ["thu-doc"]}, role="approver")
    assert status == 201, notice
    dialogs: list[str] = []

    # When a screen shows it
    context, page = open_screen(browser, live_server, key, "landscape")
    try:
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.wait_for_timeout(1500)   # time for any handler that could fire to fire
        # Then nothing ran, nothing active is in the page, and the text is there to read
        assert dialogs == []
        assert page.evaluate("window.__pwned") is None
        active = page.evaluate("""() => {
            const root = document.getElementById('slides');
            const bad = [...root.querySelectorAll('script, iframe, img, object, embed, form, style')]
                .map(e => e.tagName);
            for (const el of root.querySelectorAll('*')) {
                for (const a of el.attributes) {
                    if (a.name.startsWith('on')) bad.push(a.name);
                    if (/^\\s*(javascript|data|vbscript):/i.test(a.value)) bad.push(a.name + '=' + a.value);
                }
            }
            return bad;
        }""")
        assert active == []
        assert "Nội dung vẫn đọc được." in page.inner_text("#slides")
        assert "<script>alert(4)</script>" in page.inner_text("#ticker")   # as text, inert
    finally:
        context.close()


SHOTS = [
    # (file, zone, notice: ("procedure", code) or ("law", None), orientation, page index)
    ("slide-procedure-landscape.png", "anh-1", ("procedure", "1.001193"), "landscape", 0),
    ("slide-procedure-landscape-page2.png", "anh-1", ("procedure", "1.001193"), "landscape", 1),
    ("slide-procedure-portrait.png", "anh-2", ("procedure", "1.001193"), "portrait", 0),
    ("slide-law-landscape.png", "anh-3", ("law", None), "landscape", 0),
    ("slide-law-portrait.png", "anh-4", ("law", None), "portrait", 0),
]


def test_screenshots_for_the_readme(browser, live_server, tmp_path):
    """Shows each slide of SHOTS alone at 2/3 scale, checks it and takes its picture: into
    docs/screenshots/ with SIGNAGE_UPDATE_SCREENSHOTS=1 (so a test run leaves the tree
    clean otherwise), else into a temporary folder."""
    folder = SCREENSHOTS if os.environ.get("SIGNAGE_UPDATE_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    laws = live_server.request("GET", "/api/v1/notices?kind=law")[1]["items"]
    law = next(n for n in laws if n.get("ticker") and n["slug"] == "ban-sao-khong-bat-buoc-chung-thuc") \
        if any(n["slug"] == "ban-sao-khong-bat-buoc-chung-thuc" for n in laws) else laws[0]
    ticker_law = next(n for n in laws if n.get("ticker"))
    keys: dict[str, str] = {}
    for name, zone, (kind, code), orientation, index in SHOTS:
        notice = notice_by_code(live_server, code) if kind == "procedure" else law
        if zone not in keys:
            keys[zone] = add_screen(live_server, f"Ảnh {zone}", zone, orientation)
            slides = [{"notice_id": notice["id"], "duration": 600}]
            if ticker_law["id"] != notice["id"]:   # a ticker along the bottom, as in the lobby
                slides.append({"notice_id": ticker_law["id"], "duration": 3})
            assert live_server.request("PUT", f"/api/v1/zones/{zone}/playlist", {"slides": slides},
                                       role="approver")[0] == 200
        context, page = open_screen(browser, live_server, keys[zone], orientation, scale=2 / 3)
        try:
            page.evaluate(f"""() => {{
                const s = document.querySelector('.slide[data-notice-id="{notice['id']}"]');
                document.querySelectorAll('#slides > .slide')
                    .forEach(x => x.classList.toggle('is-current', x === s));
                window.signageScreen.layout.showPage(s, {index});
            }}""")
            page.wait_for_timeout(900)   # the page and slide fades
            assert page.evaluate(CHECK)["problems"] == []
            path = folder / name
            page.screenshot(path=str(path))
            assert 20_000 < path.stat().st_size < 600_000
        finally:
            context.close()


# The results slide (kết quả đánh giá sự hài lòng): last month's ratings, as tablets at
# five counters gave them; (service, counter, scores).
RATED_LAST_MONTH = (("HOTICH", 1, (3, 3, 3, 2, 2, 1)), ("CHUNGTHUC", 3, (3, 3, 2, 1)),
                    ("DATDAI", 4, (2, 2, 1)), ("XAHOI", 5, (3, 3)), ("TRAKETQUA", 6, (3, 1)))


def rate_last_month(live_server) -> int:
    """Rated tickets in the previous office month, written through the use cases by a
    process on a fake clock (as a CLI would), its events relayed to the server. How many."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from signage import create_app
    from signage.cli import _relay_to
    from signage.clock import FakeClock
    from signage.usecases import Actor
    from signage.usecases import queue as queue_uc
    from signage.usecases import ratings as ratings_uc
    from signage.usecases import tablets as tablets_uc
    from signage.usecases import tickets as tickets_uc
    from tests.conftest import make_token

    hcm = ZoneInfo("Asia/Ho_Chi_Minh")
    first = datetime.now(hcm).replace(day=1, hour=9, minute=0, second=0, microsecond=0)
    clock = FakeClock((first - timedelta(days=1)).replace(day=15, hour=9))
    lobby = create_app({"data_dir": live_server.data_dir, "clock": clock}).extensions["signage"]
    lobby.publisher.relay = _relay_to(live_server.data_dir)
    admin, officer = Actor("quantri-kq", "admin"), Actor("quay-kq", "operator")
    make_token(lobby, admin.name, "admin")
    make_token(lobby, officer.name, "operator")
    counters = {c["number"]: c["id"] for c in lobby.query(queue_uc.list_counters)}
    count = 0
    try:
        for service, number, scores in RATED_LAST_MONTH:
            key = lobby.perform(tablets_uc.add_tablet, admin,
                                {"name": f"Bảng quầy {number}", "counter": number})["key"]
            tablet = lobby.query(tablets_uc.tablet_for_key, key)
            for score in scores:
                ticket = lobby.perform(tickets_uc.issue_ticket, Actor.public(), {"service": service})
                lobby.perform(tickets_uc.call_next, officer, counters[number])
                clock.advance(minutes=6)
                lobby.perform(tickets_uc.complete, officer, counters[number])
                lobby.perform(ratings_uc.rate, Actor.public(),
                              {"ticket": ticket["id"], "score": score}, tablet=tablet)
                count += 1
    finally:
        lobby.store.dispose()
    return count


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_the_results_slide_is_legible_with_last_months_figures(browser, live_server, tmp_path,
                                                               orientation):
    """The results chart at 1920×1080 (with the queue panel) and 1080×1920: fits, no text
    under 28 px, the figures of last month's ratings; its picture for docs/slides.md."""
    # Given last month's ratings at five counters (once for both orientations)
    if "rated" not in live_server.tokens:
        live_server.tokens["rated"] = str(rate_last_month(live_server))
    rated = int(live_server.tokens["rated"])
    items = live_server.request("GET", "/api/v1/notices?kind=results")[1]["items"]
    results = next(n for n in items if n["slug"] == "ket-qua-danh-gia-su-hai-long")
    zone = f"ket-qua-{orientation}"
    key = add_screen(live_server, f"Kết quả {orientation}", zone, orientation)
    assert live_server.request("PUT", f"/api/v1/zones/{zone}/playlist", {"slides": [
        {"notice_id": results["id"], "duration": 600}]}, role="approver")[0] == 200

    # When a screen of a zone with the results slide shows it
    context, page = open_screen(browser, live_server, key, orientation)
    try:
        page.wait_for_selector(f'.slide.is-current .results[data-count="{rated}"]', timeout=30_000)
        page.wait_for_timeout(900)   # the slide's fade-in
        report = page.evaluate(CHECK)

        # Then it fits the glass with nothing under 28 px, and says last month's figures
        assert report["problems"] == [] and report["fixed"] == 1
        assert page.inner_text(".slide.is-current .results-big") == "76,5%"   # 13 of 17
        bars = page.eval_on_selector_all(
            ".slide.is-current .results-bar", "els => els.map(e => [e.dataset.code, "
            "e.querySelector('.results-bar-value').textContent.trim()])")
        assert bars[:2] == [["HOTICH", "83,3% · 6"], ["CHUNGTHUC", "75% · 4"]] and len(bars) == 5
        folder = SCREENSHOTS if os.environ.get("SIGNAGE_UPDATE_SCREENSHOTS") == "1" else tmp_path
        path = folder / f"slide-results-{orientation}.png"
        page.screenshot(path=str(path))
        assert 20_000 < path.stat().st_size < 900_000
    finally:
        context.close()
