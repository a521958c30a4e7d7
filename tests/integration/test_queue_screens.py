"""Calls reach the lobby screens over their real WebSockets (against `signage serve`):
every zone showing the counter gets `queue.call` with what to say; an admin can limit
a counter to some zones."""

from __future__ import annotations


def test_a_call_reaches_every_screen_with_its_speech(live_server, screen):
    # Given two screens in two zones, connected
    hall = screen(live_server.add_screens("Sảnh chính 1")[0])
    upstairs = screen(live_server.add_screens("Tầng 2", zone="tang-2")[0])
    assert hall.snapshot["queue"]["counters"][0]["number"] == 1
    # When a citizen takes a hộ tịch number and counter 1 calls next
    status, ticket = live_server.request("POST", "/api/v1/tickets", {"service": "HOTICH"},
                                         role=None)
    assert status == 201
    status, called = live_server.request("POST", "/api/v1/counters/1/call-next", role="operator")
    assert status == 200 and called["id"] == ticket["id"]
    # Then both screens get the call, with the clips and the sentence to speak
    for s in (hall, upstairs):
        call = s.wait_for("queue.call")
        assert call["ticket"] == ticket["display"] and call["counter"] == 1
        assert call["tokens"][0] == "kinh-moi-cong-dan-co-so-thu-tu"
        assert call["tokens"][-2:] == ["den-quay-so", "mootj"]
        assert call["text"].startswith("Kính mời công dân có số thứ tự")
        assert call["recall"] is False and call["repeat"] == 2
        panel = s.wait_for("queue.updated", where=lambda m: any(
            c["ticket"] == ticket["display"] for c in m["queue"]["counters"]))
        assert panel["queue"]["last_calls"][0]["ticket"] == ticket["display"]


def test_a_counter_limited_to_a_zone_is_only_announced_there(live_server, screen):
    hall = screen(live_server.add_screens("Sảnh chính 2")[0])
    upstairs = screen(live_server.add_screens("Tầng 2 (b)", zone="tang-2")[0])
    status, _ = live_server.request("PATCH", "/api/v1/counters/4", {"zones": ["tang-2"]},
                                    role="admin")
    assert status == 200
    live_server.request("POST", "/api/v1/tickets", {"service": "DATDAI"}, role=None)
    live_server.request("POST", "/api/v1/tickets", {"service": "TRAKETQUA"}, role=None)
    # When counter 4 (tầng 2 only) calls, then counter 6 (every zone) calls
    assert live_server.request("POST", "/api/v1/counters/4/call-next", role="operator")[0] == 200
    assert live_server.request("POST", "/api/v1/counters/6/call-next", role="operator")[0] == 200
    # Then upstairs hears both, in order; the hall hears only counter 6
    assert upstairs.wait_for("queue.call")["counter"] == 4
    assert upstairs.wait_for("queue.call")["counter"] == 6
    assert hall.wait_for("queue.call")["counter"] == 6
    assert 4 not in [c["number"] for c in hall.wait_for("queue.updated")["queue"]["counters"]]
    live_server.request("PATCH", "/api/v1/counters/4", {"zones": []}, role="admin")
