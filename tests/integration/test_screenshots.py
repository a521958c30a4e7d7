"""Screenshots of the screens (issue 12): an admin asks, the screen named hears
`screen.screenshot`, its page sends a picture authenticated by its key, and the server keeps
the last one, checked and re-encoded, for GET /api/v1/screens/<id>/screenshot."""

from __future__ import annotations

import io
import urllib.error
import urllib.request

from PIL import Image

from tests.integration.test_fleet_health import screen_id_of


def picture(width: int = 960, height: int = 540, fmt: str = "PNG") -> bytes:
    """A picture that is not one colour: a gradient with a block."""
    image = Image.new("RGB", (width, height))
    image.putdata([(x * 255 // width, y * 255 // height, 90) for y in range(height)
                   for x in range(width)])
    image.paste((250, 250, 250), (width // 4, height // 4, width // 2, height // 2))
    out = io.BytesIO()
    image.save(out, fmt)
    return out.getvalue()


def upload(live_server, key: str, body: bytes, content_type: str = "image/png",
           headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    req = urllib.request.Request(f"{live_server.base}/screen/{key}/screenshot", data=body,
                                 method="POST",
                                 headers={"Content-Type": content_type, **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def fetch_picture(live_server, screen_id: int):
    req = urllib.request.Request(f"{live_server.base}/api/v1/screens/{screen_id}/screenshot",
                                 headers={"Authorization": f"Bearer {live_server.token('admin')}"})
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def test_the_screen_named_is_asked_and_its_picture_is_kept_checked_and_served(live_server, screen):
    keys = live_server.add_screens("Chụp 1", "Chụp 2", zone="chup")
    one, two = (screen(k) for k in keys)
    first = screen_id_of(live_server, keys[0])
    assert fetch_picture(live_server, first)[0] == 404   # none yet

    # When an admin asks the first screen for a picture
    status, done = live_server.request("POST", f"/api/v1/screens/{first}/screenshot", role="admin")
    assert status == 200 and done == {"command": "screenshot", "zones": ["chup"], "screen_id": first}
    for tv in (one, two):  # the zone hears it (its seq); only the screen named acts on it
        event = tv.wait_for("screen.screenshot")
        assert (event["screen_id"], event["width"]) == (first, 480)

    # And its page sends what it drew
    status, body = upload(live_server, keys[0], picture())
    assert status == 201, body

    # Then the API serves it as a JPEG, drawn again at 480 px wide, never as HTML
    status, headers, data = fetch_picture(live_server, first)
    assert status == 200 and headers["Content-Type"] == "image/jpeg"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("JPEG", (480, 270))
        low, high = image.convert("L").getextrema()
        assert high - low > 100                            # the pixels came through
    status, listing = live_server.request("GET", "/api/v1/screens", role="admin")
    [entry] = [s for s in listing["items"] if s["id"] == first]
    assert entry["screenshot_at"]

    # Asking is for admins, about a screen that exists; it is audited
    assert live_server.request("POST", f"/api/v1/screens/{first}/screenshot", role="editor")[0] == 403
    assert live_server.request("POST", "/api/v1/screens/999999/screenshot", role="admin")[0] == 404
    status, audit = live_server.request("GET", f"/api/v1/audit?target=screen:{first}", role="admin")
    assert "screen.screenshot" in {e["action"] for e in audit["items"]}


def test_what_is_not_a_picture_of_a_live_screen_is_refused(live_server):
    keys = live_server.add_screens("Chụp sai", "Chụp thu hồi", zone="chup-sai")
    key, revoked = keys
    screen_id = screen_id_of(live_server, key)
    assert live_server.request("POST", f"/api/v1/screens/{screen_id}/screenshot",
                               role="admin")[0] == 200   # asked: only the pictures are wrong
    html = b"<!doctype html><script>alert(1)</script>"
    assert upload(live_server, key, html, "image/jpeg")[0] == 422          # not a picture
    assert upload(live_server, key, b"\x89PNG\r\n\x1a\n" + b"\0" * 64)[0] == 422   # broken
    gif = io.BytesIO()
    Image.new("RGB", (20, 20), (9, 9, 9)).save(gif, "GIF")
    assert upload(live_server, key, gif.getvalue(), "image/gif")[0] == 422   # not a kind kept
    assert upload(live_server, key, picture(2400, 100))[0] == 422           # far too large
    assert upload(live_server, key, b"\xff\xd8" + b"x" * 1_100_000)[0] == 422   # over 1 MB
    assert upload(live_server, "khong-co-ma-nay", picture())[0] == 404      # no such key
    assert upload(live_server, key, picture(),
                  headers={"Origin": "http://evil.example"})[0] == 403      # another site
    assert fetch_picture(live_server, screen_id)[0] == 404                  # nothing kept

    revoked_id = screen_id_of(live_server, revoked)
    assert live_server.request("DELETE", f"/api/v1/screens/{revoked_id}", role="admin")[0] == 200
    assert upload(live_server, revoked, picture())[0] == 404

    # A refused picture left the ask pending; the first good one answers it, and a page
    # cannot flood the store: a second picture for the same ask is refused
    assert upload(live_server, key, picture(480, 270, "JPEG"), "image/jpeg")[0] == 201
    status, body = upload(live_server, key, picture(480, 270, "JPEG"), "image/jpeg")
    assert status == 409 and "yêu cầu chụp màn hình".encode() in body


def test_a_picture_nobody_asked_for_is_refused(live_server):
    # Given a live screen nobody asked for a picture
    [key] = live_server.add_screens("Chụp không hỏi", zone="chup-khong-hoi")
    screen_id = screen_id_of(live_server, key)

    # When its page (or anyone with its key) sends one, it is refused and nothing is kept
    status, body = upload(live_server, key, picture())
    assert status == 409 and "yêu cầu chụp màn hình".encode() in body
    assert fetch_picture(live_server, screen_id)[0] == 404

    # Once an admin asks, the answer is taken
    assert live_server.request("POST", f"/api/v1/screens/{screen_id}/screenshot",
                               role="admin")[0] == 200
    assert upload(live_server, key, picture())[0] == 201


def test_an_ask_expires(data_dir):
    from datetime import UTC, datetime

    import pytest

    from signage.clock import FakeClock
    from signage.errors import Conflict
    from signage.usecases import Actor
    from signage.usecases.screens import (
        SCREENSHOT_REQUEST_TTL,
        add_screens,
        ask_screenshot,
        record_screenshot,
    )
    from tests.conftest import prepared_app, seed_instance

    clock = FakeClock(datetime(2026, 12, 3, 2, 0, tzinfo=UTC))
    lobby = prepared_app(seed_instance(data_dir), clock=clock).extensions["signage"]
    [added] = lobby.perform(add_screens, Actor.cli(), {"names": ["Hết hạn"]})
    tv = Actor.public("screen")

    # An ask answered just within its time is taken
    lobby.perform(ask_screenshot, Actor.cli(), added["id"])
    clock.advance(seconds=SCREENSHOT_REQUEST_TTL.total_seconds())
    assert lobby.perform(record_screenshot, tv, added["key"], picture())["screen_id"] == added["id"]

    # One answered after it is refused
    lobby.perform(ask_screenshot, Actor.cli(), added["id"])
    clock.advance(seconds=SCREENSHOT_REQUEST_TTL.total_seconds() + 1)
    with pytest.raises(Conflict) as refused:
        lobby.perform(record_screenshot, tv, added["key"], picture())
    assert refused.value.code == "screenshot_not_requested"
    lobby.store.dispose()


def test_the_cli_asks_and_writes_the_picture_once_it_is_in(live_server, screen, tmp_path):
    import threading

    [key] = live_server.add_screens("Chụp từ dòng lệnh", zone="chup-cli")
    tv = screen(key)
    screen_id = screen_id_of(live_server, key)
    out = tmp_path / "tv.jpg"
    done: list[str] = []
    asking = threading.Thread(target=lambda: done.append(live_server.cli(
        "screens", "screenshot", str(screen_id), "--out", str(out), "--wait", "60")))
    asking.start()
    # The TV hears the ask (through the serving process) and its page answers
    assert tv.wait_for("screen.screenshot", timeout=30)["screen_id"] == screen_id
    assert upload(live_server, key, picture())[0] == 201
    asking.join(90)
    assert done and done[0].strip() == str(out)
    with Image.open(out) as image:
        assert (image.format, image.width) == ("JPEG", 480)
