"""A `queue.call` lost in a gap is recovered from the resync snapshot (issue 12): the
snapshot's `queue.recent_calls` has the zone's calls of the last minute, each with what
the page needs to show and say it, named by the same `call_id` as the live event."""

from __future__ import annotations

from tests.integration import test_fleet_health

# The in-process lobby on a clock we move (fixtures shared with the fleet's tests).
clock = test_fleet_health.clock
fleet_lobby = test_fleet_health.fleet_lobby

SAYING = ("ticket", "ticket_id", "counter", "counter_id", "recall", "tokens", "text", "lead",
          "compact", "repeat", "overlay_seconds", "called_at", "call_id")


def test_a_call_missed_while_away_is_in_the_snapshot_as_the_live_event_had_it(live_server, screen):
    # Given two TVs of a zone, one of which drops off
    keys = live_server.add_screens("TV ở lại", "TV rớt mạng", zone="lo-goi")
    present = screen(keys[0])
    away = screen(keys[1])
    away.close()

    # When counter 2 calls a number and then recalls it while the second TV is away
    status, ticket = live_server.request("POST", "/api/v1/tickets", {"service": "HOTICH"},
                                         role=None, headers=live_server.kiosk())
    assert status == 201
    assert live_server.request("POST", "/api/v1/counters/2/call",
                               {"ticket_id": ticket["id"]}, role="operator")[0] == 200
    assert live_server.request("POST", "/api/v1/counters/2/recall", role="operator")[0] == 200
    called = present.wait_for("queue.call", where=lambda m: m["ticket_id"] == ticket["id"])
    recalled = present.wait_for("queue.call", where=lambda m: m["ticket_id"] == ticket["id"])

    # Then the TV that comes back finds both calls in its snapshot, oldest first, with the
    # same ids and everything needed to show and say them
    back = screen(keys[1])
    recent = [c for c in back.snapshot["queue"]["recent_calls"] if c["ticket_id"] == ticket["id"]]
    assert [c["call_id"] for c in recent] == [called["call_id"], recalled["call_id"]]
    assert called["call_id"] < recalled["call_id"]
    for live, kept in zip((called, recalled), recent, strict=True):
        assert {k: kept.get(k) for k in SAYING} == {k: live.get(k) for k in SAYING}
    assert (recent[0]["recall"], recent[1]["recall"]) == (False, True)
    assert recent[0]["tokens"][-2:] == ["den-quay-so", "hai"]
    assert recent[1]["lead"].startswith("Xin mời lại")

    # And a resync on a live socket gives the same (the page keeps each id once)
    present.send({"type": "resync"})
    again = present.wait_for("snapshot")
    assert [c["call_id"] for c in again["queue"]["recent_calls"]
            if c["ticket_id"] == ticket["id"]] == [called["call_id"], recalled["call_id"]]


# ---- in process, with a clock we move: only the last minute's calls ---------------------

def test_the_snapshot_carries_the_calls_of_the_last_minute_only(fleet_lobby, clock):
    from signage.usecases import Actor
    from signage.usecases.tickets import call_next, issue_ticket

    lobby = fleet_lobby.extensions["signage"]
    staff = Actor("nv", "operator")
    issue_ticket_ids = [lobby.perform(issue_ticket, Actor.public("kiosk"), {"service": "HOTICH"})["id"]
                        for _ in range(2)]
    lobby.perform(call_next, staff, 1)
    clock.advance(seconds=45)
    lobby.perform(call_next, staff, 1)

    def recent() -> list[int]:
        view = lobby.publisher.zone_view("sanh-chinh", clock.now())
        return [c["ticket_id"] for c in view["queue"]["recent_calls"]]

    assert recent() == issue_ticket_ids                 # both, oldest first
    clock.advance(seconds=20)                           # the first is 65 s old now
    assert recent() == issue_ticket_ids[1:]
    clock.advance(seconds=60)
    assert recent() == []
