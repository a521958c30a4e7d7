"""The counter console's socket, WS /ws/counter, against the real `signage serve`: a real
WebSocket client, a real staff session (or an operator token), the protocol of the
screens (snapshot first, then events with seq; ping; resync), and the gate before the
upgrade."""

from __future__ import annotations

import http.cookiejar
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect as ws_connect

from tests.conftest import ScreenClient
from tests.integration.test_scale_out import cluster, pg_url  # noqa: F401 (fixtures)

PASSWORD = "mat-khau-rat-dai"
# Flask-Login's "strong" session protection ties a session to its browser: the login and
# the socket must come from the same user agent.
UA = "signage-console-test/1"


class ConsoleClient(ScreenClient):
    """A counter console's socket: the screen client's helpers, the console's handshake."""

    def __init__(self, url: str, *, cookie: str | None = None, token: str | None = None,
                 origin: str | None = None) -> None:
        self.ws = open_console(url, cookie=cookie, token=token, origin=origin)
        self.snapshot = self.recv()
        assert self.snapshot["type"] == "snapshot", self.snapshot


def open_console(url: str, *, cookie: str | None = None, token: str | None = None,
                 origin: str | None = None):
    offers = ["signage.console"] + ([f"bearer.{token}"] if token else [])
    return ws_connect(url, compression=None, open_timeout=10, max_size=2**24, legacy=True,
                      subprotocols=offers, origin=origin, user_agent_header=UA,
                      additional_headers={"Cookie": cookie} if cookie else None)


def staff_session(server, name: str, role: str) -> str:
    """Signs `name` (created with `role`) in at /admin/login; the session's Cookie header."""
    server.cli("users", "add", name, "--role", role, "--password-stdin", input=PASSWORD + "\n")
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    browser.addheaders = [("User-Agent", UA)]
    page = browser.open(server.base + "/admin/login").read().decode()
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page)[1]
    form = urllib.parse.urlencode({"name": name, "password": PASSWORD, "csrf_token": csrf})
    browser.open(server.base + "/admin/login", data=form.encode()).read()
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def access(server, headers: dict[str, str]) -> tuple[int, dict]:
    request = urllib.request.Request(server.base + "/counter/access",
                                     headers={"Accept": "application/json", "User-Agent": UA,
                                              **headers})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


@pytest.fixture(scope="module")
def operator_cookie(live_server) -> str:
    return staff_session(live_server, "canbo.quay", "operator")


@pytest.fixture
def consoles(live_server):
    """Factory: `consoles(**how)` opens a console socket; all are closed after the test."""
    opened: list[ConsoleClient] = []

    def open_one(**how) -> ConsoleClient:
        client = ConsoleClient(f"{live_server.ws_base}/ws/counter", **how)
        opened.append(client)
        return client

    yield open_one
    for client in opened:
        client.close()


def without_time(queue: dict) -> dict:
    return {k: v for k, v in queue.items() if k != "time"}


def test_an_operator_console_gets_the_queue_then_hears_a_ticket_taken_at_the_kiosk(
        live_server, operator_cookie, consoles):
    # Given an operator's console, signed in with the staff session
    console = consoles(cookie=operator_cookie)

    # Then its first message is a snapshot: protocol, seq, at, and the queue as the API has it
    snap = console.snapshot
    assert console.ws.subprotocol == "signage.console"
    assert snap["protocol"] == 1 and isinstance(snap["seq"], int)
    assert datetime.fromisoformat(snap["at"]).utcoffset() is not None
    assert snap["staff"] == {"name": "canbo.quay", "role": "operator"}
    status, queue = live_server.request("GET", "/api/v1/queue", role=None)
    assert status == 200 and without_time(snap["queue"]) == without_time(queue)

    # When a citizen takes a number at the kiosk (the API, anonymously)
    status, ticket = live_server.request("POST", "/api/v1/tickets", {"service": "HOTICH"}, role=None)
    assert status == 201

    # Then the console hears a queue.state with the ticket waiting, next in seq
    event = console.wait_for("queue.state", where=lambda m: any(
        t["id"] == ticket["id"] for t in m["queue"]["waiting"]))
    assert event["seq"] > snap["seq"] and "at" in event
    status, queue = live_server.request("GET", "/api/v1/queue", role=None)
    assert without_time(event["queue"]) == without_time(queue)


def test_events_follow_the_snapshot_one_seq_at_a_time(live_server, operator_cookie, consoles):
    # Given a console, when three tickets are taken one after another
    console = consoles(cookie=operator_cookie)
    events = []
    for _ in range(3):
        status, ticket = live_server.request("POST", "/api/v1/tickets", {"service": "CHUNGTHUC"},
                                             role=None)
        assert status == 201
        while not any(w["id"] == ticket["id"] for w in (events[-1]["queue"]["waiting"]
                                                         if events else [])):
            events.append(console.wait_for("queue.state"))
    # Then every event it got came in order, with no gap after the snapshot's seq
    seqs = [e["seq"] for e in events]
    first = console.snapshot["seq"] + 1
    assert seqs == list(range(first, first + len(seqs)))


def test_ping_gets_a_pong_and_resync_a_fresh_snapshot(live_server, operator_cookie, consoles):
    console = consoles(cookie=operator_cookie)
    console.send({"type": "ping", "id": 42})
    pong = console.wait_for("pong")
    assert pong["id"] == 42 and pong["seq"] >= console.snapshot["seq"]
    console.send({"type": "resync"})
    again = console.wait_for("snapshot")
    assert again["seq"] >= console.snapshot["seq"] and "queue" in again
    console.send({"type": "nonsense"})   # ignored, the socket stays
    console.ws.send("not json")
    console.send({"type": "ping", "id": 43})
    assert console.wait_for("pong")["id"] == 43


def test_an_api_token_does_not_open_the_console(live_server):
    # The console is the officer's own session: a token kept in a counter PC's browser
    # would outlive the shift and belong to whoever sits there.
    url = f"{live_server.ws_base}/ws/counter"
    assert refused(url, token=live_server.token("operator")) == 403


def refused(url: str, **how) -> int:
    with pytest.raises(InvalidStatus) as refusal:
        open_console(url, **how).close()
    return refusal.value.response.status_code


def test_the_console_socket_is_refused_before_the_upgrade(live_server, operator_cookie):
    url = f"{live_server.ws_base}/ws/counter"
    # Nobody signed in
    assert refused(url) == 403
    # A page from another site riding on the operator's cookie
    assert refused(url, cookie=operator_cookie, origin="http://evil.example") == 403
    # Staff who do not run counters
    editor = staff_session(live_server, "bientap.quay", "editor")
    assert refused(url, cookie=editor) == 403
    # The same origin is welcome
    open_console(url, cookie=operator_cookie, origin=live_server.base).close()


def test_counter_access_tells_signed_out_from_not_allowed(live_server, operator_cookie):
    status, body = access(live_server, {})
    assert status == 401 and body["error"]["code"] == "unauthorized"
    status, body = access(live_server, {"Authorization": f"Bearer {live_server.token('operator')}"})
    assert status == 401  # a token is not a console's sign-in
    editor = staff_session(live_server, "bientap.truycap", "editor")
    status, body = access(live_server, {"Cookie": editor})
    assert status == 403 and body["error"]["code"] == "forbidden"
    status, body = access(live_server, {"Cookie": operator_cookie})
    assert (status, body) == (200, {"name": "canbo.quay", "role": "operator"})
    # The reason reads in the visitor's language (the language switch's cookie)
    status, body = access(live_server, {"Cookie": "signage_lang=en"})
    assert status == 401 and body["error"]["message"].startswith("Sign in")


@pytest.mark.postgres
@pytest.mark.redis
def test_a_console_on_one_process_hears_a_ticket_taken_through_the_other(cluster):  # noqa: F811
    # Given two processes on one database and one Redis, and a console connected to B
    a, b = cluster
    console = ConsoleClient(f"{b.ws_base}/ws/counter", cookie=staff_session(b, "quay.b", "operator"))
    try:
        # When a citizen takes a number through A
        status, ticket = a.request("POST", "/api/v1/tickets", {"service": "HOTICH"}, role=None)
        assert status == 201
        # Then the console on B has it
        console.wait_for("queue.state", timeout=10, where=lambda m: any(
            t["id"] == ticket["id"] for t in m["queue"]["waiting"]))
    finally:
        console.close()
