"""The ticker of law-outreach texts on real screens of the real server, in Debian's
Chromium: by default one line at a time (long texts in pages that fit, never a word cut),
every page in order, nothing left running between two fades; a text an editor changes is
on the glass at once; the running strip (SIGNAGE_TICKER=scroll) still runs, and gives way
to the pages for a viewer who asked for less motion."""

from __future__ import annotations

import pytest

from tests.conftest import seed_instance, start_server

pytestmark = pytest.mark.browser

MIN_TEXT_PX = 28
SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
LONG = ("Nộp hồ sơ trực tuyến trên Cổng Dịch vụ công quốc gia hoặc VNeID, theo dõi kết quả "
        "giải quyết, nhận kết quả tại nhà qua bưu chính công ích – không phải đến nhiều lần.")
SHORT = "Có cháy gọi 114."

# Runs in the page: every page the ticker shows, as it shows it (a MutationObserver on the
# strip), and every animation seen meanwhile, sampled every 100 ms.
WATCH = r"""
() => {
  const seen = window.__ticker = { shown: [], infinite: [], properties: new Set() };
  const note = () => {
    const el = document.querySelector("#ticker .ticker-page");
    if (!el) return;
    const last = seen.shown[seen.shown.length - 1];
    const now = { text: el.textContent, index: Number(el.dataset.text), part: el.dataset.part };
    if (!last || last.text !== now.text || last.index !== now.index) seen.shown.push(now);
  };
  new MutationObserver(note).observe(document.getElementById("ticker"),
                                     { subtree: true, childList: true, characterData: true });
  note();
  setInterval(() => {
    for (const a of document.getAnimations()) {
      if (a.effect && a.effect.getComputedTiming().iterations === Infinity) {
        seen.infinite.push(a.effect.target ? a.effect.target.className : "?");
      }
      for (const frame of a.effect.getKeyframes()) {
        for (const p of Object.keys(frame)) {
          if (!["offset", "computedOffset", "easing", "composite"].includes(p)) seen.properties.add(p);
        }
      }
    }
  }, 100);
}
"""

# Runs in the page: each page of the ticker's plan drawn on the strip, and whether it fits.
FITS = r"""
() => {
  const el = document.querySelector("#ticker .ticker-page");
  const keep = [el.textContent, el.className];
  const out = window.signageScreen.ticker.pages.map((p) => {
    el.textContent = p.text;
    el.classList.toggle("is-continued", p.part < p.parts - 1);
    return { text: p.text, index: p.index, fits: el.scrollWidth <= el.clientWidth };
  });
  [el.textContent, el.className] = keep;
  return out;
}
"""


def add_law(server, zone: str, slug: str, ticker: str) -> dict:
    status, notice = server.request("POST", "/api/v1/notices", {
        "kind": "law", "title": f"Thông điệp {slug}", "slug": slug, "body": "Hãy **chấp hành**.",
        "ticker": ticker, "zones": [zone]}, role="approver")
    assert status == 201, notice
    return notice


def open_screen(browser, server, key: str, orientation: str = "landscape", **options):
    width, height = SIZES[orientation]
    context = browser.new_context(viewport={"width": width, "height": height}, **options)
    page = context.new_page()
    page.goto(f"{server.base}/screen/{key}")
    page.wait_for_function("() => window.signageScreen && window.signageScreen.ticker.texts.length > 0"
                           " && window.signageScreen.layout.settled()", timeout=30_000)
    page.evaluate("() => document.fonts.ready")
    return context, page


def add_screen(server, zone: str, orientation: str = "landscape") -> str:
    return server.cli("screens", "add", f"TV {zone} {orientation}", "--zone", zone, "--create-zone",
                      "--orientation", orientation).split()[0]


def test_the_ticker_pages_through_all_of_its_text_in_order_and_nothing_runs_forever(browser, live_server):
    # Given a zone whose ticker has a text too long for one line, then a short one, on
    # two 4-second slides
    zone = "chu-trang"
    keys = {o: add_screen(live_server, zone, o) for o in SIZES}
    first = add_law(live_server, zone, "trang-dai", LONG)
    second = add_law(live_server, zone, "trang-ngan", SHORT)
    assert live_server.request("PUT", f"/api/v1/zones/{zone}/playlist", {"slides": [
        {"notice_id": first["id"], "duration": 4}, {"notice_id": second["id"], "duration": 4}]},
        role="approver")[0] == 200

    for orientation, key in keys.items():
        context, page = open_screen(browser, live_server, key, orientation)
        try:
            # Then the long text is split into pages that each fit one line, between words
            ticker = page.evaluate("() => window.signageScreen.ticker")
            assert ticker["mode"] == "page" and ticker["texts"] == [LONG, SHORT]
            pages = page.evaluate("() => window.signageScreen.ticker.pages")
            plan = page.evaluate(FITS)
            assert all(p["fits"] for p in plan), (orientation, plan)
            longs = [p["text"] for p in pages if p["index"] == 0]
            assert len(longs) >= 2, (orientation, longs)
            assert " ".join(longs).split() == LONG.split()   # every word, whole, in order
            assert [p["text"] for p in pages if p["index"] == 1] == [SHORT]
            size = page.eval_on_selector("#ticker .ticker-page",
                                         "e => parseFloat(getComputedStyle(e).fontSize)")
            assert size >= MIN_TEXT_PX
            if orientation == "portrait":
                continue

            # When the screen rotates through the ticker's pages (and the slides change)
            page.evaluate(WATCH)
            page.wait_for_function(
                """([first, n]) => { const shown = window.__ticker.shown;
                                    const at = shown.findIndex((s) => s.text === first);
                                    return at >= 0 && shown.length - at >= n; }""",
                arg=[pages[0]["text"], len(pages) + 1], timeout=120_000, polling=500)
            seen = page.evaluate("""() => ({ shown: window.__ticker.shown, infinite: window.__ticker.infinite,
                                            properties: [...window.__ticker.properties] })""")

            # Then it showed every page in order, then the first again
            start = next(i for i, s in enumerate(seen["shown"]) if s["text"] == pages[0]["text"])
            shown = [s["text"] for s in seen["shown"][start:start + len(pages) + 1]]
            assert shown == [p["text"] for p in pages] + [pages[0]["text"]], seen["shown"]
            # and no animation ran for ever: only fades, which end (opacity)
            assert seen["infinite"] == [], seen
            assert set(seen["properties"]) <= {"opacity", "transform"}, seen
            # and the slides' bar moved in steps, not by an animation
            bar = page.evaluate("() => document.getElementById('progress').getAnimations().length")
            assert bar == 0
            page.wait_for_function("""() => {
                const t = getComputedStyle(document.getElementById('progress')).transform;
                (window.__steps = window.__steps || new Set()).add(t);
                return window.__steps.size >= 3; }""", timeout=30_000, polling=200)
            steps = page.evaluate("() => window.__steps.size")
            assert steps >= 3
        finally:
            context.close()


def test_a_ticker_text_an_editor_changes_is_on_the_glass_at_once(browser, live_server):
    # Given a screen showing a zone's ticker, standing still, below the slides
    zone = "chu-sua"
    key = add_screen(live_server, zone)
    notice = add_law(live_server, zone, "sua-chu", "Đi xe máy phải đội mũ bảo hiểm và cài quai đúng cách.")
    context, page = open_screen(browser, live_server, key)
    try:
        page.evaluate("() => { window.__same_page = true; }")
        assert "Đi xe máy phải đội mũ bảo hiểm" in page.inner_text("#ticker")
        ticker = page.locator("#ticker").bounding_box()
        slides = page.locator("#slides").bounding_box()
        assert ticker["y"] >= slides["y"] + slides["height"] - 1   # below the slides, not over them
        still = "() => document.querySelector('#ticker .ticker-page').getAnimations().length"
        assert page.evaluate(still) == 0

        # When an editor changes its text (notice.updated over the socket)
        notice["ticker"] = "Có cháy gọi 114 – cứu nạn, cứu hộ gọi 114."
        assert live_server.request("PUT", f"/api/v1/notices/{notice['id']}", notice,
                                   role="approver")[0] == 200

        # Then the screen shows the new text without a reload, and the old one is gone
        page.wait_for_function(
            "() => document.querySelector('#ticker .ticker-page').textContent.includes('cứu nạn, cứu hộ')",
            timeout=30_000)
        assert page.evaluate("() => window.signageScreen.ticker.texts") == [notice["ticker"]]
        assert "Đi xe máy" not in page.inner_text("#ticker")
        assert page.evaluate("() => window.__same_page") is True   # no reload
    finally:
        context.close()


@pytest.fixture(scope="module")
def scroll_server(tmp_path_factory):
    """A real server whose screens run the ticker as a strip (SIGNAGE_TICKER=scroll)."""
    data_dir = seed_instance(tmp_path_factory.mktemp("scroll") / "instance")
    server = start_server(data_dir, extra_env={"SIGNAGE_TICKER": "scroll"})
    yield server
    server.stop()


def test_the_scrolling_ticker_runs_unless_the_viewer_asked_for_less_motion(browser, scroll_server):
    # Given a server set to the running strip, and a zone with a ticker text
    zone = "chu-chay"
    key = add_screen(scroll_server, zone)
    add_law(scroll_server, zone, "chay-chu", "Đi xe máy phải đội mũ bảo hiểm và cài quai đúng cách.")

    # When a screen opens it, the strip moves (a compositor transform, running for ever)
    context, page = open_screen(browser, scroll_server, key)
    try:
        assert page.evaluate("() => window.signageScreen.ticker.mode") == "scroll"
        page.wait_for_selector("#ticker .ticker-item")
        size = page.eval_on_selector("#ticker .ticker-item", "e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= MIN_TEXT_PX
        x = "() => new DOMMatrix(getComputedStyle(document.querySelector('.ticker-track')).transform).m41"
        first = page.evaluate(x)
        page.wait_for_function(f"() => ({x})() < {first} - 10", timeout=10_000)
    finally:
        context.close()

    # But a TV whose browser asks for reduced motion shows the pages, without fades
    context, page = open_screen(browser, scroll_server, key, reduced_motion="reduce")
    try:
        assert page.evaluate("() => window.signageScreen.ticker.mode") == "page"
        assert page.query_selector("#ticker .ticker-track") is None
        assert "Đi xe máy phải đội mũ bảo hiểm" in page.inner_text("#ticker .ticker-page")
        assert page.evaluate("() => document.getAnimations().filter((a) => a.effect"
                             " && a.effect.getComputedTiming().iterations === Infinity).length") == 0
    finally:
        context.close()
