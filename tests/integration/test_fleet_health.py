"""Screen health: what a screen's page reports reaches GET /api/v1/screens at once, is kept
in the store, and a screen not heard for a while is flagged there and in /healthz."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect as ws_connect

from tests.conftest import prepared_app

REPORT = {"type": "status", "client_version": "abc123def456", "resolution": "1920x1080",
          "viewport": "1920x1080", "uptime_s": 42, "reconnects_today": 3, "rtt_ms": 4.5,
          "clock_offset_ms": -120, "sound": True,
          "showing": {"slide_id": 1, "title": "Đăng ký khai sinh"}}


def mine(live_server, screen_id: int) -> dict:
    status, body = live_server.request("GET", "/api/v1/screens", role="admin")
    assert status == 200
    [entry] = [s for s in body["items"] if s["id"] == screen_id]
    return entry


def screen_id_of(live_server, key: str) -> int:
    status, body = live_server.request("GET", "/api/v1/screens", role="admin")
    [entry] = [s for s in body["items"] if s["url"].endswith(key)]
    return entry["id"]


def test_a_screens_report_is_in_the_api_at_once_and_it_is_last_seen_after_it_goes(
        live_server, screen):
    [key] = live_server.add_screens("TV báo cáo")
    screen_id = screen_id_of(live_server, key)
    before = mine(live_server, screen_id)
    assert before["connected"] == 0 and before["last_seen"] is None and before["showing"] is None

    # When its page connects and reports
    tv = screen(key)
    tv.send(REPORT)
    tv.send({"type": "ping", "id": 1})
    tv.wait_for("pong")  # (the report was read before the ping was answered)

    # Then the API shows it connected, with what it reported
    entry = mine(live_server, screen_id)
    assert entry["connected"] == 1 and entry["stale"] is False and entry["last_seen"]
    assert entry["showing"] == {"slide_id": 1, "title": "Đăng ký khai sinh"}
    assert (entry["client_version"], entry["resolution"], entry["uptime_s"],
            entry["reconnects_today"], entry["rtt_ms"], entry["clock_offset_ms"],
            entry["sound"]) == ("abc123def456", "1920x1080", 42, 3, 4.5, -120, True)

    # When it goes away, it is not connected but its last report and moment stay
    tv.close()
    for _ in range(50):
        entry = mine(live_server, screen_id)
        if entry["connected"] == 0:
            break
    assert entry["connected"] == 0 and entry["last_seen"] and entry["resolution"] == "1920x1080"


def test_a_report_that_does_not_fit_is_dropped_whole(live_server, screen):
    [key] = live_server.add_screens("TV báo cáo sai")
    screen_id = screen_id_of(live_server, key)
    tv = screen(key)
    tv.send({**REPORT, "resolution": "<script>", "uptime_s": -5})
    tv.send({"type": "ping", "id": 1})
    tv.wait_for("pong")
    entry = mine(live_server, screen_id)
    assert entry["connected"] == 1 and entry["resolution"] is None and entry["showing"] is None


def test_only_an_admin_session_opens_the_fleet_socket(live_server):
    with pytest.raises(InvalidStatus) as refused:
        ws_connect(f"{live_server.ws_base}/ws/admin", open_timeout=10)
    assert refused.value.response.status_code == 403


def test_the_fleet_page_is_for_admins_and_approvers(app, lobby):
    from tests.conftest import staff_client

    assert staff_client(app, lobby, "bientap-fleet", "editor").get("/admin/fleet").status_code == 403
    page = staff_client(app, lobby, "duyet-fleet", "approver").get("/admin/fleet")
    assert page.status_code == 200
    assert 'data-test="reload-zone"' in page.text and '<option value="sanh-chinh">' in page.text
    assert '"admin": false' in page.text        # no identify or screenshot buttons for them
    assert "/admin/screens" not in page.text


# ---- in process, with a clock we move -------------------------------------------------

@pytest.fixture
def clock():
    from signage.clock import FakeClock

    return FakeClock(datetime(2026, 12, 3, 2, 0, tzinfo=UTC))


@pytest.fixture
def fleet_lobby(data_dir, clock):
    app = prepared_app(data_dir, clock=clock, screen_stale_after=300)
    yield app
    app.extensions["signage"].store.dispose()


def test_health_is_kept_in_the_store_and_a_silent_screen_is_flagged_in_healthz(fleet_lobby, clock):
    from signage.usecases import Actor
    from signage.usecases.screens import add_screens, list_fleet

    lobby = fleet_lobby.extensions["signage"]
    client = fleet_lobby.test_client()
    [heard, never] = lobby.perform(add_screens, Actor.cli(), {"names": ["TV A", "TV B"]})

    # Given a screen heard now, and one never connected
    lobby.fleet.attached(heard["id"], 1)
    lobby.fleet.reported(heard["id"], {"resolution": "1080x1920", "sound": False})
    lobby.fleet.flush()
    [row] = [s for s in lobby.query(list_fleet) if s["id"] == heard["id"]]
    assert row["health"]["online"] is True and row["health"]["resolution"] == "1080x1920"
    assert row["last_seen_at"] == clock.now()
    assert client.get("/healthz").get_json()["screens_stale_count"] == 0

    # When it goes, and six minutes pass
    lobby.fleet.detached(heard["id"], 1)
    lobby.fleet.flush()
    clock.advance(minutes=6)

    # Then both are stale: in /healthz (which stays ok: a TV is not the server) and the API
    health = client.get("/healthz")
    body = health.get_json()
    assert health.status_code == 200 and body["status"] == "ok"
    assert body["screens_stale_count"] == 2
    assert {s["name"] for s in body["screens_stale"]} == {"TV A", "TV B"}
    [entry] = [s for s in lobby.fleet.entries(lobby.query(list_fleet)) if s["id"] == heard["id"]]
    assert entry["stale"] and entry["connected"] == 0 and entry["resolution"] == "1080x1920"
    assert entry["last_seen"] == (clock.now().replace(minute=0)).isoformat()
    assert [s for s in lobby.fleet.entries(lobby.query(list_fleet))
            if s["id"] == never["id"]][0]["last_seen"] is None


def test_a_screen_another_process_holds_is_connected_until_that_process_falls_silent(
        fleet_lobby, clock):
    from signage.fleet import Fleet
    from signage.usecases import Actor
    from signage.usecases.screens import add_screens, list_fleet, record_health

    lobby = fleet_lobby.extensions["signage"]
    [tv] = lobby.perform(add_screens, Actor.cli(), {"names": ["TV bên kia"]})
    other = Fleet(clock.now, lambda r: lobby.perform(record_health, Actor.system(), r),
                  lambda items: None, 300)
    other.attached(tv["id"], 7)
    other.flush()
    here = lobby.fleet

    def entry():
        return [s for s in here.entries(lobby.query(list_fleet)) if s["id"] == tv["id"]][0]

    assert entry()["connected"] == 1
    clock.advance(seconds=60)
    assert entry()["connected"] == 1          # the other process writes every 30 s
    clock.advance(seconds=60)
    assert entry()["connected"] == 0          # it has not for two minutes: gone


def test_reload_and_identify_reach_the_screens_they_name(live_server, screen):
    keys = live_server.add_screens("Lệnh 1", "Lệnh 2", zone="lenh")
    [elsewhere] = live_server.add_screens("Lệnh khác", zone="lenh-khac")
    one, two = (screen(k) for k in keys)
    other = screen(elsewhere)
    first = screen_id_of(live_server, keys[0])
    assert one.snapshot["screen"]["id"] == first

    status, done = live_server.request("POST", f"/api/v1/screens/{first}/identify", role="admin")
    assert status == 200 and done == {"command": "identify", "zones": ["lenh"], "screen_id": first}
    for tv in (one, two):  # the zone hears it; only the screen named acts on it
        event = tv.wait_for("screen.identify")
        assert (event["screen_id"], event["name"], event["seconds"]) == (first, "Lệnh 1", 10)

    status, done = live_server.request("POST", "/api/v1/screens/reload", {"zones": ["lenh"]},
                                       role="admin")
    assert status == 200 and done["screen_id"] is None and done["zones"] == ["lenh"]
    for tv in (one, two):
        assert tv.wait_for("screen.reload")["screen_id"] is None
    other.send({"type": "ping", "id": 1})
    assert other.wait_for("pong")["type"] == "pong"  # (nothing for the other zone before it)

    assert live_server.request("POST", f"/api/v1/screens/{first}/reload", role="editor")[0] == 403
    assert live_server.request("POST", "/api/v1/screens/999999/reload", role="admin")[0] == 404
    status, audit = live_server.request("GET", f"/api/v1/audit?target=screen:{first}",
                                        role="admin")
    assert "screen.identify" in {e["action"] for e in audit["items"]}


def test_a_screen_a_zone_or_all_reload_through_one_use_case_for_approvers(live_server, screen):
    # Given two screens in one zone and one in another, all connected
    keys = live_server.add_screens("Tải 1", "Tải 2", zone="tai-a")
    [elsewhere] = live_server.add_screens("Tải khác", zone="tai-b")
    one, two, other = (screen(k) for k in (*keys, elsewhere))
    first = screen_id_of(live_server, keys[0])

    # When an approver reloads one screen through the API, its zone hears it for that screen
    status, done = live_server.request("POST", f"/api/v1/screens/{first}/reload", role="approver")
    assert status == 200 and done == {"command": "reload", "zones": ["tai-a"], "screen_id": first}
    for tv in (one, two):
        assert tv.wait_for("screen.reload")["screen_id"] == first
    # (the same through the body)
    status, done = live_server.request("POST", "/api/v1/screens/reload", {"screen_id": first},
                                       role="approver")
    assert status == 200 and done["screen_id"] == first
    for tv in (one, two):
        assert tv.wait_for("screen.reload")["screen_id"] == first

    # When the CLI reloads the other zone, only that zone hears it
    assert "tai-b" in live_server.cli("screens", "reload", "--zone", "tai-b")
    assert other.wait_for("screen.reload")["screen_id"] is None
    one.send({"type": "ping", "id": 7})
    assert one.wait_for("pong")["type"] == "pong"   # nothing else reached zone tai-a before it
    # and one screen, or all, by the CLI too
    live_server.cli("screens", "reload", str(first))
    for tv in (one, two):
        assert tv.wait_for("screen.reload")["screen_id"] == first
    live_server.cli("screens", "reload", "--all")
    for tv in (one, two, other):
        assert tv.wait_for("screen.reload")["screen_id"] is None

    # Editors and operators may not; a screen and zones at once, or no choice on the CLI, is refused
    assert live_server.request("POST", "/api/v1/screens/reload", {"zones": ["tai-a"]},
                               role="editor")[0] == 403
    assert live_server.request("POST", f"/api/v1/screens/{first}/reload", role="operator")[0] == 403
    status, body = live_server.request("POST", "/api/v1/screens/reload",
                                       {"screen_id": first, "zones": ["tai-a"]}, role="approver")
    assert status == 422 and body["error"]["code"] == "invalid_reload"
    for wrong in ((), (str(first), "--all")):
        with pytest.raises(AssertionError, match="SCREEN_ID, --zone ZONE"):
            live_server.cli("screens", "reload", *wrong)

    # Each reload is audited with who asked
    status, audit = live_server.request("GET", f"/api/v1/audit?target=screen:{first}", role="admin")
    actors = {e["actor"] for e in audit["items"] if e["action"] == "screen.reload"}
    assert "cli" in actors and any(a.startswith("approver") for a in actors)
