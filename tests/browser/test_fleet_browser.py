"""The screen fleet in Chromium: a new TV pairs by code from /admin and shows its zone;
revoked, it shows a code again."""

from __future__ import annotations

import io

import pytest
from PIL import Image

pytestmark = pytest.mark.browser


def test_a_new_tv_is_paired_from_admin_and_shows_its_zone_then_revoked_shows_a_code(
        live_server, browser, browser_page, screenshot_dir):
    # Given a new TV on /screen
    tv = browser_page
    tv.goto(f"{live_server.base}/screen")
    tv.wait_for_function("document.querySelector('#link-state').dataset.state === 'online'")
    code = tv.inner_text("#code")
    assert len(code.replace(" ", "")) == 6
    tv.screenshot(path=str(screenshot_dir / "screen-pairing.png"))
    # and the code fits whole on a portrait TV and on a phone-sized window too
    for width, height in ((1080, 1920), (390, 844)):
        tv.set_viewport_size({"width": width, "height": height})
        box = tv.locator(".pairing-code").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, (width, box)
        tv.screenshot(path=str(screenshot_dir / f"screen-pairing-{width}.png"))
    tv.set_viewport_size({"width": 1920, "height": 1080})

    # When an admin types the code in /admin → Màn hình
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    admin = context.new_page()
    live_server.sign_in(admin, "admin", "/admin/screens")
    form = admin.locator("[data-test=pair-screen] form")
    form.locator("input[name=code]").fill(code.lower())
    form.locator("input[name=name]").fill("TV ghép trong trình duyệt")
    form.locator("button[type=submit]").click()
    admin.wait_for_selector(".flash-success")

    # Then the TV goes to its page by itself and shows the zone's slides
    tv.wait_for_url("**/screen/*", timeout=10_000)
    tv.wait_for_selector(".slide.is-current .notice-title")
    key = tv.url.rsplit("/", 1)[1]

    # And when the admin revokes it, it shows a pairing code again
    row = admin.locator("tr", has_text="TV ghép trong trình duyệt")
    admin.once("dialog", lambda dialog: dialog.accept())
    row.locator("button", has_text="Thu hồi").click()
    tv.wait_for_url(f"{live_server.base}/screen", timeout=10_000)
    tv.wait_for_selector("#code")
    assert tv.inner_text("#code") != code
    assert key not in tv.url
    context.close()


def test_the_fleet_page_follows_a_screen_live(live_server, browser, browser_page, screenshot_dir):
    # Given an admin on the fleet page and a screen that has never connected
    [key] = live_server.add_screens("TV theo dõi", zone="theo-doi")
    admin = browser_page
    live_server.sign_in(admin, "admin", "/admin/fleet")
    card = admin.locator(".fleet-card", has_text="TV theo dõi")
    card.wait_for()
    assert "Chưa từng kết nối" in card.inner_text()

    # When the TV opens its page
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    tv = context.new_page()
    tv.goto(f"{live_server.base}/screen/{key}")
    tv.wait_for_selector(".slide.is-current")

    # Then its card says so within seconds, with what it shows and its resolution
    admin.wait_for_function(
        "[...document.querySelectorAll('.fleet-card')].some(c => c.textContent.includes('TV theo dõi')"
        " && c.querySelector('.dot-on') && c.textContent.includes('1920x1080'))", timeout=10_000)
    assert "Đang kết nối" in card.locator("[data-test=fleet-state]").inner_text()
    admin.screenshot(path=str(screenshot_dir / "admin-fleet.png"), full_page=True)

    # And "Nhận diện" shows the TV's name over everything; "Tải lại" reloads its page
    card.locator("button[data-command=identify]").click()
    tv.wait_for_function("document.querySelector('#identify-overlay') && "
                         "!document.querySelector('#identify-overlay').hidden", timeout=5_000)
    assert "TV theo dõi" in tv.inner_text("#identify-overlay")
    tv.evaluate("window.__notReloaded = true")
    card.locator("button[data-command=reload]").click()
    tv.wait_for_function("window.__notReloaded === undefined && window.signageScreen "
                         "&& window.signageScreen.connected", timeout=10_000)

    # When the TV goes away, the card says it is not connected (and since when)
    context.close()
    admin.wait_for_function(
        "[...document.querySelectorAll('.fleet-card')].some(c => c.textContent.includes('TV theo dõi')"
        " && c.querySelector('.dot-off'))", timeout=10_000)
    assert "Lần cuối" in card.locator("[data-test=fleet-state]").inner_text()


# Makes the first page load look older than the server: the attribute is changed as the
# parser inserts #stage, before the page's module runs (later loads are left alone).
OLDER_PAGE = """
(() => {
  const loads = Number(sessionStorage.getItem("test:loads") || 0) + 1;
  sessionStorage.setItem("test:loads", String(loads));
  if (loads > 1) return;
  new MutationObserver((_, observer) => {
    const stage = document.getElementById("stage");
    if (stage) { stage.setAttribute("%s", "0"); observer.disconnect(); }
  }).observe(document, {childList: true, subtree: true});
})();
"""


@pytest.mark.parametrize("attribute", ["data-protocol", "data-client-version"])
def test_a_page_older_than_its_server_reloads_itself_once(live_server, browser, attribute):
    # Given a screen page that is older than its server (a lower protocol, or other files)
    [key] = live_server.add_screens(f"TV cũ {attribute}")
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.add_init_script(OLDER_PAGE % attribute)
    page = context.new_page()
    page.goto(f"{live_server.base}/screen/{key}")
    # Then, told by the snapshot that the server is newer, it reloads, once, and runs
    page.wait_for_function("Number(sessionStorage.getItem('test:loads')) === 2 && window.signageScreen"
                           " && window.signageScreen.connected", timeout=40_000)
    page.wait_for_timeout(1000)
    assert page.evaluate("Number(sessionStorage.getItem('test:loads'))") == 2
    assert page.get_attribute("#stage", attribute) != "0"
    context.close()


def test_the_fleet_page_shows_the_picture_a_tv_took_of_itself(live_server, browser, browser_page,
                                                               screenshot_dir):
    # Given a TV showing its zone, and an admin on the fleet page
    [key] = live_server.add_screens("TV chụp ảnh", zone="chup-anh")
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    tv = context.new_page()
    tv.goto(f"{live_server.base}/screen/{key}")
    tv.wait_for_function("window.signageScreen && window.signageScreen.connected")
    tv.wait_for_selector(".slide.is-current")
    loaded = "performance.getEntriesByType('resource').some(e => e.name.includes('modern-screenshot'))"
    assert not tv.evaluate(loaded)   # the drawing library is not part of the first load
    admin = browser_page
    live_server.sign_in(admin, "admin", "/admin/fleet")
    card = admin.locator(".fleet-card", has_text="TV chụp ảnh")
    card.wait_for()

    # When the admin asks for a screenshot
    card.locator("button[data-command=screenshot]").click()

    # Then the card shows, live, the picture the TV drew of itself
    admin.wait_for_function(
        "[...document.querySelectorAll('.fleet-card')].some(c => c.textContent.includes('TV chụp ảnh')"
        " && c.querySelector('img[data-test=fleet-screenshot]')"
        " && c.querySelector('img[data-test=fleet-screenshot]').complete"
        " && c.querySelector('img[data-test=fleet-screenshot]').naturalWidth > 0)", timeout=30_000)
    assert tv.evaluate(loaded)       # loaded when asked
    src = card.locator("img[data-test=fleet-screenshot]").get_attribute("src")
    answer = admin.request.get(f"{live_server.base}{src}")
    assert answer.ok and answer.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(answer.body())) as image:
        assert image.format == "JPEG" and image.width == 480
        assert 250 <= image.height <= 290                    # the 16:9 stage, downscaled
        grey = image.convert("L")
        low, high = grey.getextrema()
        assert high - low > 80, (low, high)                  # not a blank picture
        assert len(grey.getcolors(256)) > 16                 # text and colours, not one flat fill
    (screenshot_dir / "screen-self-portrait.jpg").write_bytes(answer.body())
    admin.screenshot(path=str(screenshot_dir / "admin-fleet-screenshot.png"), full_page=True)
    context.close()


def test_an_approver_reloads_one_zone_from_the_fleet_page_and_not_the_others(
        live_server, browser, browser_page, screenshot_dir):
    import json

    from tests.integration.test_fleet_health import screen_id_of

    # Given two TVs of one zone and one of another, their real pages connected
    keys = live_server.add_screens("TV vùng A 1", "TV vùng A 2", zone="vung-a")
    [key_b] = live_server.add_screens("TV vùng B", zone="vung-b")
    id_b = screen_id_of(live_server, key_b)
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    tvs = []
    reloads_heard_by_b: list[int | None] = []
    for key in (*keys, key_b):
        tv = context.new_page()
        if key == key_b:   # every frame B's page receives, across its sockets
            tv.on("websocket", lambda ws: ws.on("framereceived", lambda frame: (
                reloads_heard_by_b.append(json.loads(frame)["screen_id"])
                if isinstance(frame, str) and '"screen.reload"' in frame else None)))
        tv.goto(f"{live_server.base}/screen/{key}")
        tv.wait_for_function("window.signageScreen && window.signageScreen.connected",
                             timeout=30_000)
        tv.evaluate("window.__notReloaded = true")
        tvs.append(tv)
    a1, a2, b = tvs

    # and an approver on the fleet page, seeing the three connected
    approver = browser_page
    fleet_frames: list[str] = []
    approver.on("websocket", lambda ws: ws.on("framereceived", lambda frame: (
        fleet_frames.append(frame) if isinstance(frame, str) else None)))
    live_server.sign_in(approver, "approver", "/admin/fleet")
    for name in ("TV vùng A 1", "TV vùng A 2", "TV vùng B"):
        approver.locator(".fleet-card", has_text=name).locator(".dot-on").wait_for(timeout=30_000)
    # (their socket's snapshot lists the screens without their addresses: a key is a
    # screen's credential, the admins' business)
    snapshot = next(json.loads(f) for f in fleet_frames if '"snapshot"' in f)
    assert snapshot["screens"] and all("url" not in s for s in snapshot["screens"])
    assert not any(key in frame for frame in fleet_frames for key in (*keys, key_b))
    # (approvers reload; identify and screenshots stay the admins')
    assert approver.locator("button[data-command=identify]").count() == 0

    # When they pick zone A, press "Tải lại khu vực" and confirm
    asked: list[str] = []
    approver.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    approver.select_option("[data-test=reload-zone]", "vung-a")
    approver.screenshot(path=str(screenshot_dir / "admin-fleet-reload-zone.png"), full_page=True)
    approver.click("[data-test=reload-zone-button]")

    # Then both TVs of zone A reload their page and come back connected
    for tv in (a1, a2):
        tv.wait_for_function("window.__notReloaded === undefined && window.signageScreen "
                             "&& window.signageScreen.connected", timeout=30_000)
    assert asked and "vung-a" in asked[0] and "Tải lại trang trên mọi màn hình" in asked[0]
    approver.locator("#fleet-message", has_text="vung-a").wait_for()
    # and zone B's TV did not: still the same page, and no reload order reached it
    assert b.evaluate("window.__notReloaded") is True
    assert reloads_heard_by_b == []

    # When B is then reloaded by its own card, that order is the first B hears (so none
    # for zone A came before it on B's socket)
    approver.locator(".fleet-card", has_text="TV vùng B").locator(
        "button[data-command=reload]").click()
    b.wait_for_function("window.__notReloaded === undefined && window.signageScreen "
                        "&& window.signageScreen.connected", timeout=30_000)
    assert reloads_heard_by_b[:1] == [id_b]
    context.close()
