"""Emergency alerts: raised by approvers and admins (API, CLI, /admin), audited, pushed to
the screens of their zones at once, part of every snapshot while active, ended by one
call or by their expiry."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import prepared_app


def test_an_alert_reaches_the_screens_of_its_zone_and_ends_with_one_call(live_server, screen):
    # Given two screens in one zone and one in another
    keys = live_server.add_screens("Cảnh báo 1", "Cảnh báo 2", zone="canh-bao-a")
    [other_key] = live_server.add_screens("Cảnh báo khác", zone="canh-bao-b")
    tvs = [screen(k) for k in keys]
    other = screen(other_key)

    # When an approver raises an alert for the first zone
    status, alert = live_server.request("POST", "/api/v1/alerts", {
        "text": "Mất điện tạm thời. Đề nghị giữ trật tự.", "level": "khan-cap",
        "zones": ["canh-bao-a"], "expires_in": 600}, role="approver")

    # Then both of its screens get it at once, and the other zone's screen does not
    assert status == 201 and alert["active"] and alert["zones"] == ["canh-bao-a"]
    for tv in tvs:
        event = tv.wait_for("alerts.updated")
        assert [a["id"] for a in event["alerts"]] == [alert["id"]]
        assert event["alerts"][0]["level"] == "khan-cap"
    # (a new screen of the zone has it in its snapshot; the other zone's has none)
    assert [a["id"] for a in screen(keys[0]).snapshot["alerts"]] == [alert["id"]]
    assert alert["id"] not in [a["id"] for a in screen(other_key).snapshot["alerts"]]
    other.send({"type": "ping", "id": 1})
    assert other.wait_for("pong")  # (and no alerts.updated came before it)

    # When it is ended
    status, ended = live_server.request("DELETE", f"/api/v1/alerts/{alert['id']}", role="approver")
    assert status == 200 and not ended["active"] and ended["ended_by"]
    for tv in tvs:
        assert tv.wait_for("alerts.updated")["alerts"] == []
    status, listed = live_server.request("GET", "/api/v1/alerts", role="approver")
    assert alert["id"] not in [a["id"] for a in listed["items"]]
    status, everything = live_server.request("GET", "/api/v1/alerts?all=true", role="approver")
    assert alert["id"] in [a["id"] for a in everything["items"]]
    status, audit = live_server.request("GET", "/api/v1/audit?target=alert:" + str(alert["id"]),
                                        role="admin")
    assert sorted(e["action"] for e in audit["items"]) == ["alert.end", "alert.raise"]


def test_editors_cannot_raise_alerts_and_bad_input_is_refused_by_field(live_server):
    body = {"text": "Thử", "level": "canh-bao"}
    assert live_server.request("POST", "/api/v1/alerts", body, role="editor")[0] == 403
    status, refused = live_server.request("POST", "/api/v1/alerts", {
        "text": "Thử", "level": "rat-nguy-hiem", "expires_in": 5}, role="admin")
    assert status == 422
    fields = {d["field"] for d in refused["error"]["details"]}
    assert {"level", "expires_in"} <= fields
    status, refused = live_server.request("POST", "/api/v1/alerts", {
        "text": "Thử", "zones": ["khong-co-khu-nay"]}, role="admin")
    assert status == 422 and refused["error"]["code"] == "unknown_zone"


def test_alerts_from_the_command_line(live_server, screen):
    [key] = live_server.add_screens("Cảnh báo dòng lệnh", zone="canh-bao-cli")
    tv = screen(key)
    alert_id = int(live_server.cli("alerts", "raise", "Diễn tập phòng cháy lúc 10 giờ",
                                   "--level", "thong-tin", "--zone", "canh-bao-cli",
                                   "--expires-in", "120").strip().splitlines()[-1])
    assert tv.wait_for("alerts.updated", timeout=15)["alerts"][0]["id"] == alert_id
    assert f"{alert_id}\tthong-tin\tactive" in live_server.cli("alerts", "list")
    live_server.cli("alerts", "end", str(alert_id))
    assert tv.wait_for("alerts.updated", timeout=15)["alerts"] == []


# ---- in process, with a clock we move -------------------------------------------------

@pytest.fixture
def clock():
    from signage.clock import FakeClock

    return FakeClock(datetime(2026, 12, 3, 2, 0, tzinfo=UTC))


@pytest.fixture
def alert_lobby(data_dir, clock):
    app = prepared_app(data_dir, clock=clock)
    lobby = app.extensions["signage"]
    yield lobby
    lobby.store.dispose()


def test_an_alert_expires_by_itself_and_ending_it_twice_is_one_audit_entry(alert_lobby, clock):
    from signage.store.models import Zone
    from signage.usecases import Actor
    from signage.usecases.accounts import audit_log
    from signage.usecases.alerts import end_alert, list_alerts, raise_alert, zone_alerts

    admin = Actor("quantri", "admin")
    short = alert_lobby.perform(raise_alert, admin, {"text": "Ngắn", "expires_in": 60})
    long = alert_lobby.perform(raise_alert, admin, {"text": "Dài", "expires_in": 3600,
                                                     "level": "thong-tin"})

    def shown():
        with alert_lobby.store.read() as session:
            zone = session.query(Zone).filter_by(slug="sanh-chinh").one()
            return [a["text"] for a in zone_alerts(session, zone, clock.now())]

    assert shown() == ["Dài", "Ngắn"]          # every zone: no zones given
    clock.advance(seconds=61)
    assert shown() == ["Dài"]
    assert [a["id"] for a in alert_lobby.query(list_alerts, clock.now())] == [long["id"]]
    # ending an expired one changes nothing; ending twice audits once
    assert alert_lobby.perform(end_alert, admin, short["id"])["ended_at"] is None
    alert_lobby.perform(end_alert, admin, long["id"])
    alert_lobby.perform(end_alert, admin, long["id"])
    assert shown() == []
    page = alert_lobby.query(audit_log, {"action": "alert.end"}, clock.tz)
    assert [e["target"] for e in page["items"]] == [f"alert:{long['id']}"]
