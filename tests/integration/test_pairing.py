"""Pairing a new TV: /screen shows a code, an admin types it (API, CLI, /admin), the TV is
told over its socket and becomes the screen; codes expire; a revoked screen shows a code
again."""

from __future__ import annotations

import json
import re
import urllib.request
from datetime import UTC, datetime

import pytest
from websockets.sync.client import connect as ws_connect

from signage.playlists.pairing import CODE_ALPHABET
from tests.conftest import prepared_app

CODE = re.compile(rf'data-test="pairing-code">([{CODE_ALPHABET}]{{3}} [{CODE_ALPHABET}]{{3}})<')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get_screen_page(base: str, cookie: str | None = None, path: str = "/screen"):
    """GET without following redirects: (status, body, Set-Cookie value, Location)."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    try:
        with opener.open(request, timeout=10) as r:
            status, body, headers = r.status, r.read().decode(), r.headers
    except urllib.error.HTTPError as e:
        status, body, headers = e.code, e.read().decode(), e.headers
    set_cookie = headers.get("Set-Cookie")
    return status, body, set_cookie.split(";")[0] if set_cookie else cookie, headers.get("Location")


def code_on(body: str) -> str:
    match = CODE.search(body)
    assert match, "no pairing code on the page"
    return match.group(1)


def pairing_socket(live_server, cookie: str):
    ws = ws_connect(f"{live_server.ws_base}/ws/pair", additional_headers={"Cookie": cookie},
                    open_timeout=10, legacy=True)
    return ws, json.loads(ws.recv(timeout=5))


def test_a_new_tv_shows_a_code_and_becomes_the_screen_the_admin_names(live_server):
    # Given a new TV that opened /screen
    status, body, cookie, _ = get_screen_page(live_server.base)
    assert status == 200 and cookie.startswith("signage_pairing=")
    code = code_on(body)
    # (a reload shows the same code)
    assert code_on(get_screen_page(live_server.base, cookie)[1]) == code
    ws, snapshot = pairing_socket(live_server, cookie)
    assert snapshot["type"] == "snapshot" and snapshot["pairing"]["code"] == code

    # When an admin types it, in lower case with a dash, through the API
    status, paired = live_server.request("POST", "/api/v1/screens/pair", {
        "code": code.lower().replace(" ", "-"), "name": "TV ghép mã", "zone": "sanh-chinh"},
        role="admin")

    # Then the TV hears it, and /screen now takes it to its new page
    assert status == 201, paired
    event = json.loads(ws.recv(timeout=5))
    assert event["type"] == "screen.paired" and event["seq"] == snapshot["seq"] + 1
    ws.close()
    status, _, _, location = get_screen_page(live_server.base, cookie)
    assert status == 303 and location.endswith(paired["url"].split("127.0.0.1")[1].split("/", 1)[1])
    status, screens = live_server.request("GET", "/api/v1/screens", role="admin")
    [mine] = [s for s in screens["items"] if s["id"] == paired["id"]]
    assert (mine["name"], mine["zone"]) == ("TV ghép mã", "sanh-chinh")
    status, audit = live_server.request("GET", "/api/v1/audit?action=screen.pair", role="admin")
    assert [e["target"] for e in audit["items"]] == [f"screen:{paired['id']}"]

    # And the code is spent
    status, again = live_server.request("POST", "/api/v1/screens/pair", {
        "code": code, "name": "TV khác", "zone": "sanh-chinh"}, role="admin")
    assert status == 422 and again["error"]["code"] == "unknown_pairing_code"
    assert again["error"]["field"] == "code"


def test_a_wrong_code_or_a_non_admin_is_refused(live_server):
    status, body = live_server.request("POST", "/api/v1/screens/pair", {
        "code": "AAAAAA", "name": "TV", "zone": "sanh-chinh"}, role="admin")
    assert status == 422 and body["error"]["code"] == "unknown_pairing_code"
    code = code_on(get_screen_page(live_server.base)[1])
    status, body = live_server.request("POST", "/api/v1/screens/pair", {
        "code": code, "name": "TV", "zone": "sanh-chinh"}, role="editor")
    assert status == 403


def test_pairing_from_the_command_line_reaches_the_waiting_tv(live_server):
    status, body, cookie, _ = get_screen_page(live_server.base)
    ws, snapshot = pairing_socket(live_server, cookie)
    out = live_server.cli("screens", "pair", code_on(body), "--name", "TV dòng lệnh",
                          "--zone", "sanh-chinh", "--orientation", "portrait")
    screen_id = int(out.strip().splitlines()[-1])
    event = json.loads(ws.recv(timeout=15))
    assert event["type"] == "screen.paired"
    ws.close()
    status, screens = live_server.request("GET", "/api/v1/screens", role="admin")
    [mine] = [s for s in screens["items"] if s["id"] == screen_id]
    assert mine["orientation"] == "portrait"


def test_a_revoked_screen_goes_back_to_showing_a_code(live_server):
    # Given a paired TV
    _, body, cookie, _ = get_screen_page(live_server.base)
    _, paired = live_server.request("POST", "/api/v1/screens/pair", {
        "code": code_on(body), "name": "TV sẽ thu hồi", "zone": "sanh-chinh"}, role="admin")
    key_path = "/screen/" + paired["url"].rsplit("/", 1)[1]
    assert get_screen_page(live_server.base, cookie, key_path)[0] == 200
    # When it is revoked
    live_server.request("DELETE", f"/api/v1/screens/{paired['id']}", role="admin")
    # Then its page sends it to /screen, which shows a new code (and a new cookie)
    status, _, _, location = get_screen_page(live_server.base, cookie, key_path)
    assert status in (302, 303) and location.endswith("/screen")
    status, body, new_cookie, _ = get_screen_page(live_server.base, cookie)
    assert status == 200 and code_on(body) and new_cookie != cookie
    # and its pairing socket, opened with the old cookie, says it has expired
    ws, snapshot = pairing_socket(live_server, cookie)
    assert snapshot["pairing"] == {"state": "expired"}
    ws.close()


# ---- in process, with a clock we move -------------------------------------------------

@pytest.fixture
def clock():
    from signage.clock import FakeClock

    return FakeClock(datetime(2026, 12, 3, 2, 0, tzinfo=UTC))


@pytest.fixture
def fleet_app(data_dir, clock):
    app = prepared_app(data_dir, clock=clock)
    yield app
    app.extensions["signage"].store.dispose()


def test_a_code_expires_and_the_tv_then_gets_a_new_one(fleet_app, clock):
    from signage.errors import Invalid
    from signage.usecases import Actor
    from signage.usecases.pairing import pair_screen

    client = fleet_app.test_client()
    first = code_on(client.get("/screen").get_data(as_text=True))
    clock.advance(minutes=9)
    assert code_on(client.get("/screen").get_data(as_text=True)) == first
    clock.advance(minutes=2)
    second = code_on(client.get("/screen").get_data(as_text=True))
    assert second != first
    lobby = fleet_app.extensions["signage"]
    with pytest.raises(Invalid) as refused:
        lobby.perform(pair_screen, Actor.cli(), {"code": first, "name": "TV", "zone": "sanh-chinh"})
    assert refused.value.code == "unknown_pairing_code"
    lobby.perform(pair_screen, Actor.cli(), {"code": second, "name": "TV", "zone": "sanh-chinh"})
    assert client.get("/screen").status_code == 303


def test_one_address_asking_codes_in_a_loop_is_told_to_wait(fleet_app):
    statuses = [fleet_app.test_client().get("/screen").status_code for _ in range(12)]
    assert statuses[:10] == [200] * 10 and statuses[-1] == 429


def test_codes_have_no_look_alikes():
    from signage.playlists.pairing import new_code

    for lookalike in "0ODQ1ILJ2Z5S8BUVG":
        assert lookalike not in CODE_ALPHABET
    assert all(len(new_code()) == 6 for _ in range(100))
