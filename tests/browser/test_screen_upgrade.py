"""The version handshake with the service worker (issue 12, item 6): a TV told by its
snapshot that the server runs other files reloads only once the new page and every file
it names are in its cache (never into a half-kept version), and the files of older
versions are pruned from the cache."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

CACHE = "signage-screen-v4"
FORGET = """async (name) => {
  const cache = await caches.open(name);
  for (const r of await cache.keys()) {
    if (new URL(r.url).pathname.startsWith('/static/v/') || r.url === location.href) await cache.delete(r);
  }
}"""
# Every versioned file the page names, and whether the cache has each, with the page itself.
KEPT = """async () => {
  const urls = [...document.querySelectorAll('link[href], script[src]')]
    .map((el) => el.href || el.src).filter((u) => new URL(u).pathname.startsWith('/static/v/'));
  const missing = [];
  for (const u of [location.href, ...urls]) if (!(await caches.match(u))) missing.push(u);
  return {files: urls.length, missing};
}"""


def open_tv(browser, live_server, name: str):
    [key] = live_server.add_screens(name, zone="nang-cap")
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(f"{live_server.base}/screen/{key}")
    page.wait_for_function("window.signageScreen && window.signageScreen.snapshots >= 1"
                           " && navigator.serviceWorker.controller !== null", timeout=20_000)
    page.wait_for_function("caches.match(location.href).then(Boolean)", polling=200, timeout=20_000)
    return context, page


def snapshot_again(page) -> None:
    """The socket drops and comes back: a new snapshot, and the handshake with it."""
    before = page.evaluate("window.signageScreen.snapshots")
    page.evaluate("window.signageScreen.socket.close()")
    page.wait_for_function(f"window.signageScreen.snapshots > {before}", timeout=20_000)


def test_a_tv_reloads_for_a_new_version_only_once_all_of_it_is_kept(live_server, browser):
    # Given a TV under its service worker, whose server now runs "other" files: the
    # page says it runs version 0, and the server's files are not in its cache yet
    context, page = open_tv(browser, live_server, "TV nâng cấp")
    page.evaluate(FORGET, CACHE)
    page.evaluate("window.__notReloaded = true;"
                  " document.getElementById('stage').dataset.clientVersion = '0'")

    # When one file of the new version cannot be fetched
    blocked = []

    def refuse(route):
        blocked.append(route.request.url)
        route.abort()

    context.route("**/static/v/*/js/alerts.js", refuse)
    snapshot_again(page)

    # Then the TV does not reload, and the new page is not kept without its files
    page.wait_for_function("window.signageScreen.update && window.signageScreen.update.state === 'failed'",
                           timeout=30_000)
    assert blocked, "the worker did not ask for the new version's files"
    assert page.evaluate("window.__notReloaded") is True
    assert page.evaluate("caches.match(location.href).then(Boolean)") is False

    # When the file can be had again, the next handshake keeps it all and then reloads
    context.unroute("**/static/v/*/js/alerts.js")
    snapshot_again(page)
    page.wait_for_function("window.__notReloaded === undefined && window.signageScreen"
                           " && window.signageScreen.connected", timeout=30_000)

    # Then the page it reloaded into and every file it names were kept before it
    kept = page.evaluate(KEPT)
    assert kept["files"] >= 10 and kept["missing"] == [], kept
    assert page.evaluate("document.fonts.check('32px \"Be Vietnam Pro\"', 'Thủ tục')")
    context.close()


def test_the_files_of_older_versions_are_pruned_from_the_cache(live_server, browser):
    # Given a TV whose cache still has the files of an older version
    context, page = open_tv(browser, live_server, "TV dọn bộ nhớ")
    old = f"{live_server.base}/static/v/0ld0ld0ld0ld/js/screen.js"
    put = ("async ([name, url]) => { const c = await caches.open(name);"
           " await c.put(url, new Response('// old')); return Boolean(await c.match(url)); }")
    assert page.evaluate(put, [CACHE, old]) is True

    # When its page loads again (it tells its worker which files it runs)
    page.reload()
    page.wait_for_function("window.signageScreen && window.signageScreen.connected")

    # Then the older version's files are gone, and the page's own are all kept
    page.wait_for_function("(url) => caches.match(url).then((r) => !r)", arg=old, polling=200,
                           timeout=20_000)
    kept = page.evaluate(KEPT)
    assert kept["missing"] == [], kept
    context.close()
