"""Never blank: a TV that reloads while the server is down still opens its page."""

import pytest

from tests.conftest import start_server

pytestmark = pytest.mark.browser


def test_a_screen_reloaded_while_the_server_is_down_shows_its_last_slides(tmp_path, browser_page):
    # Given a screen that has been open once with the server up
    server = start_server(tmp_path / "instance")
    key = server.add_screens("Khởi động lại")[0]
    page = browser_page
    page.goto(f"{server.base}/screen/{key}")
    page.wait_for_selector(".slide.is-current .notice-title")
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()  # now under the service worker: the page and its files are kept
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.wait_for_selector(".slide.is-current .notice-title")
    title = page.inner_text(".slide.is-current .notice-title")

    # When the server goes away and the TV reloads the page
    server.stop()
    page.reload()

    # Then it opens from its own copy, shows slides, and says discreetly it is offline
    page.wait_for_selector(".slide.is-current .notice-title")
    assert page.locator(".slide .notice-title").count() >= 5
    assert title  # (any slide: the rotation has moved on meanwhile)
    page.wait_for_function("document.querySelector('#link-state').dataset.state === 'offline'",
                           timeout=10_000)
    assert page.evaluate("document.fonts.check('32px \"Be Vietnam Pro\"', 'Thủ tục')")


def test_a_screen_opens_from_its_copy_when_the_server_accepts_but_never_answers(tmp_path,
                                                                                browser_page):
    import socket
    import threading
    import time

    # Given a screen opened once (only once: its first load is kept, no reload needed)
    server = start_server(tmp_path / "instance")
    key = server.add_screens("Máy chủ im lặng")[0]
    page = browser_page
    page.goto(f"{server.base}/screen/{key}")
    page.wait_for_selector(".slide.is-current .notice-title")
    deadline = time.monotonic() + 20
    while not page.evaluate("caches.match(location.href).then((r) => Boolean(r))"):
        assert time.monotonic() < deadline, "the page was not kept by its service worker"
        page.wait_for_timeout(200)

    # When the server is replaced by one that accepts connections and never answers
    port = server.port
    server.stop()
    hole = socket.create_server(("127.0.0.1", port))
    held = []
    threading.Thread(target=lambda: [held.append(hole.accept()) for _ in iter(int, 1)],
                     daemon=True).start()
    try:
        # Then the TV reloading its page still opens it, from its copy, within seconds
        t0 = time.monotonic()
        page.reload(timeout=30_000)
        page.wait_for_selector(".slide.is-current .notice-title", timeout=30_000)
        print(f"opened from its copy after {time.monotonic() - t0:.1f} s")
        assert page.locator(".slide .notice-title").count() >= 5
    finally:
        hole.close()
