"""The counter's rating tablet against the real `signage serve`: its socket
(`WS /ws/rate/<key>`) speaks the screens' protocol on its counter's channel — a snapshot
with the officer on duty and the scale, then `tablet.serving`, `rating.ask` when the
officer completes a ticket, `rating.done` once it is rated, `tablet.state` when the duty
or the scale changes — and is refused before the upgrade without a registered key."""

from __future__ import annotations

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.conftest import ScreenClient

COUNTER = 4  # Đất đai: no other test here takes its numbers


@pytest.fixture(scope="module")
def tablet_key(live_server) -> str:
    path = live_server.cli("tablets", "add", "Máy quầy 4", "--counter", str(COUNTER))
    return path.strip().splitlines()[-1].split("key=")[1]


@pytest.fixture
def tablets(live_server):
    opened: list[ScreenClient] = []

    def open_one(key: str) -> ScreenClient:
        client = ScreenClient(f"{live_server.ws_base}/ws/rate/{key}")
        opened.append(client)
        return client

    yield open_one
    for client in opened:
        client.close()


def counter_id(live_server, number: int) -> int:
    _, counters = live_server.request("GET", "/api/v1/counters", role=None)
    return next(c["id"] for c in counters["items"] if c["number"] == number)


def test_the_tablet_asks_for_a_rating_when_its_counter_completes_a_ticket(
        live_server, tablet_key, tablets):
    tablet = tablets(tablet_key)
    snap = tablet.snapshot
    assert snap["protocol"] == 1 and snap["counter"]["number"] == COUNTER
    assert snap["rating"]["scale"] == 3 and [lv["score"] for lv in snap["rating"]["levels"]] == [
        3, 2, 1]
    assert {r["code"] for r in snap["rating"]["reasons"]} >= {"thai-do", "thoi-gian"}
    assert snap["ask"] is None and snap["officer"] is None
    # When the officer goes on duty there, the tablet shows them
    cid = counter_id(live_server, COUNTER)
    status, _ = live_server.request("POST", f"/api/v1/counters/{cid}/duty", role="operator")
    assert status == 200
    state = tablet.wait_for("tablet.state")
    assert state["officer"]["name"].startswith("operator")
    # calls a citizen and completes
    status, ticket = live_server.request("POST", "/api/v1/tickets", {"service": "DATDAI"},
                                         role=None, headers=live_server.kiosk())
    live_server.request("POST", f"/api/v1/counters/{cid}/call-next", role="operator")
    serving = tablet.wait_for("tablet.serving")
    assert serving["serving"] == ticket["display"]
    live_server.request("POST", f"/api/v1/counters/{cid}/complete", role="operator")
    ask = tablet.wait_for("rating.ask")["ask"]
    assert ask["ticket"] == ticket["id"] and ask["display"] == ticket["display"]
    # The citizen rates on the tablet; the tablet hears it is done
    status, rated = live_server.request("POST", "/api/v1/ratings",
                                        {"ticket": ticket["id"], "score": 2}, role=None,
                                        headers={"X-Tablet-Key": tablet_key})
    assert status == 201 and rated["counter"] == COUNTER
    assert tablet.wait_for("rating.done")["ticket"] == ticket["id"]
    # A fresh snapshot asks no more about it
    tablet.send({"type": "resync"})
    again = tablet.wait_for("snapshot")
    assert again["ask"] is None and again["officer"]["name"] == state["officer"]["name"]


def test_a_new_scale_reaches_the_tablet_and_a_revoked_key_closes_it(live_server, tablets):
    status, added = live_server.request("POST", "/api/v1/tablets",
                                        {"name": "Máy phụ", "counter": 5}, role="admin")
    assert status == 201
    key = added["key"]
    tablet = tablets(key)
    live_server.request("PATCH", "/api/v1/ratings/settings", {"scale": 5}, role="admin")
    state = tablet.wait_for("tablet.state", where=lambda m: m["rating"]["scale"] == 5)
    assert [lv["score"] for lv in state["rating"]["levels"]] == [5, 4, 3, 2, 1]
    live_server.request("PATCH", "/api/v1/ratings/settings", {"scale": 3}, role="admin")
    live_server.request("DELETE", f"/api/v1/tablets/{added['id']}", role="admin")
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            tablet.recv(timeout=10)
    assert closed.value.rcvd.code == 1008
    with pytest.raises(InvalidStatus) as refused:
        ScreenClient(f"{live_server.ws_base}/ws/rate/{key}")
    assert refused.value.response.status_code == 403


def test_the_tablet_page_needs_its_key(live_server, tablet_key):
    import urllib.error
    import urllib.request

    with urllib.request.urlopen(f"{live_server.base}/rate/{COUNTER}?key={tablet_key}") as page:
        html = page.read().decode()
        assert page.headers["Referrer-Policy"] == "no-referrer"
    assert f'data-key="{tablet_key}"' in html and "js/rate.js" in html
    with pytest.raises(urllib.error.HTTPError) as unregistered:
        urllib.request.urlopen(f"{live_server.base}/rate/{COUNTER}")
    assert unregistered.value.code == 403
    assert "chưa được đăng ký" in unregistered.value.read().decode()
    with pytest.raises(urllib.error.HTTPError) as elsewhere:  # the key of another counter
        urllib.request.urlopen(f"{live_server.base}/rate/1?key={tablet_key}")
    assert elsewhere.value.code == 403
