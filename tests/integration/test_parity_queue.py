"""The queue's set-up through the API and the /admin forms, and the counter console's way
into the counter actions: the same change leaves the same rows and the same audit
entries whichever door it came by; the same mistake gets the same message."""

from __future__ import annotations

import re

SET_UP = ["queue_services", "queue_counters", "queue_counter_services", "queue_counter_zones",
          "settings"]
TICKETS = ["queue_tickets", "queue_events", "queue_days", "queue_sequences", "queue_counters"]

# The new service's code is made from its name by either door: the seed has DATDAI.
NEW_CODE = "DATDAI-2"
NEW_COUNTER = 7  # the seed has six


def test_a_service_created_changed_paused_and_resumed_is_the_same_through_api_and_form(parity):
    def api(d):
        created = d.api("POST", "/api/v1/services", {
            "name": "Đất đai", "prefix": "Đ", "range_start": 1, "range_end": 999,
            "opens_at": "07:30", "closes_at": "16:30"})
        assert created.status_code == 201 and created.json["code"] == NEW_CODE, created.json
        changed = d.api("PATCH", f"/api/v1/services/{NEW_CODE}",
                        {"name": "Đất đai – phụ", "daily_cap": 200, "closes_at": None})
        assert changed.status_code == 200, changed.json
        assert d.api("PATCH", f"/api/v1/services/{NEW_CODE}", {"active": False}).status_code == 200
        assert d.api("PATCH", f"/api/v1/services/{NEW_CODE}", {"active": True}).status_code == 200

    def form(d):
        created = d.form("/admin/services", code="", name="Đất đai", prefix="Đ",
                         range_start="1", range_end="999", daily_cap="", opens_at="07:30",
                         closes_at="16:30")
        assert created.status_code == 302, created.text
        edit = d.client.get(f"/admin/services/{NEW_CODE}").text
        position = re.search(r'name="position" value="(\d+)"', edit)[1]
        changed = d.form(f"/admin/services/{NEW_CODE}", code=NEW_CODE, name="Đất đai – phụ",
                         prefix="Đ", range_start="1", range_end="999", daily_cap="200",
                         position=position, opens_at="07:30", closes_at="")
        assert changed.status_code == 302, changed.text
        assert d.form(f"/admin/services/{NEW_CODE}/active", do="pause").status_code == 302
        assert d.form(f"/admin/services/{NEW_CODE}/active", do="resume").status_code == 302

    results = parity({"api": api, "form": form}, tables=SET_UP)
    results.assert_same()
    assert results["api"]["audit"] == [
        ("service.create", f"service:{NEW_CODE}",
         {"name": "Đất đai", "prefix": "Đ", "range": "1–999", "hours": "07:30–16:30"}),
        ("service.update", f"service:{NEW_CODE}",
         {"name": "Đất đai → Đất đai – phụ", "daily_cap": "— → 200",
          "closes_at": "16:30 → —"}),
        ("service.deactivate", f"service:{NEW_CODE}", {"active": "True → False"}),
        ("service.activate", f"service:{NEW_CODE}", {"active": "False → True"}),
    ]


def test_a_counter_created_changed_and_deactivated_is_the_same_through_api_and_form(parity):
    def api(d):
        created = d.api("POST", "/api/v1/counters", {
            "number": NEW_COUNTER, "name": "Quầy 7 – Đất đai", "officer": "Nguyễn Thị Lan",
            "services": ["DATDAI"], "zones": ["sanh-chinh"]})
        assert created.status_code == 201 and created.json["created"] is True, created.json
        counter_id = created.json["id"]
        changed = d.api("PATCH", f"/api/v1/counters/{counter_id}",
                        {"officer": None, "services": ["DATDAI", "HOTICH"], "zones": []})
        assert changed.status_code == 200, changed.json
        assert d.api("PATCH", f"/api/v1/counters/{counter_id}",
                     {"active": False}).status_code == 200

    def form(d):
        created = d.form("/admin/counters", number=str(NEW_COUNTER), name="Quầy 7 – Đất đai",
                         officer="Nguyễn Thị Lan", services=["DATDAI"], zones=["sanh-chinh"])
        assert created.status_code == 302, created.text
        counter_id = re.search(rf'data-counter="{NEW_COUNTER}"[\s\S]*?/admin/counters/(\d+)',
                               d.client.get("/admin/counters").text)[1]
        changed = d.form(f"/admin/counters/{counter_id}", number=str(NEW_COUNTER),
                         name="Quầy 7 – Đất đai", officer="", services=["DATDAI", "HOTICH"])
        assert changed.status_code == 302, changed.text
        assert d.form(f"/admin/counters/{counter_id}/active",
                      do="deactivate").status_code == 302

    results = parity({"api": api, "form": form}, tables=SET_UP)
    results.assert_same()
    assert results["form"]["audit"] == [
        ("counter.create", f"counter:{NEW_COUNTER}",
         {"name": "Quầy 7 – Đất đai", "services": "DATDAI", "officer": "Nguyễn Thị Lan",
          "zones": "sanh-chinh"}),
        ("counter.update", f"counter:{NEW_COUNTER}",
         {"officer": "Nguyễn Thị Lan → —", "services": "DATDAI → DATDAI, HOTICH",
          "zones": "sanh-chinh → —"}),
        ("counter.deactivate", f"counter:{NEW_COUNTER}", {"active": "True → False"}),
    ]


def test_the_call_settings_are_the_same_through_api_and_form(parity):
    settings = {"reading": "number", "zero_ten": "linh", "repeat": 3, "overlay_seconds": 12}
    results = parity({
        "api": lambda d: d.api("PUT", "/api/v1/queue/settings", settings),
        "form": lambda d: d.form("/admin/queue-settings",
                                 **{k: str(v) for k, v in settings.items()}),
    }, tables=SET_UP)
    results.assert_same()
    assert results["api"]["audit"] == [("queue.settings", "queue:settings", {
        "reading": "digits → number", "zero_ten": "lẻ → linh", "repeat": "2 → 3",
        "overlay_seconds": "8 → 12"})]


def test_the_same_mistake_is_refused_with_the_same_reason_and_changes_nothing(parity):
    seen = {}

    def api(d):
        prefix = d.api("POST", "/api/v1/services", {"name": "Tư pháp", "prefix": "1"})
        taken = d.api("PATCH", "/api/v1/counters/2", {"number": 1})
        zone = d.api("PATCH", "/api/v1/counters/2", {"zones": ["khong-co"]})
        seen["api"] = [(r.status_code, r.json["error"]["code"], r.json["error"]["message"])
                       for r in (prefix, taken, zone)]

    def form(d):
        prefix = d.form("/admin/services", code="", name="Tư pháp", prefix="1",
                        range_start="1", range_end="9999")
        taken = d.form("/admin/counters/2", number="1", name="Quầy 2",
                       services=["HOTICH"])
        zone = d.form("/admin/counters/2", number="2", name="Quầy 2", services=["HOTICH"],
                      zones=["khong-co"])
        seen["form"] = [r.status_code for r in (prefix, taken, zone)], \
            [r.text.replace("&#39;", "'") for r in (prefix, taken, zone)]

    results = parity({"api": api, "form": form}, tables=SET_UP)
    results.assert_same()
    assert results["api"]["audit"] == []
    (prefix, taken, zone) = seen["api"]
    assert prefix[:2] == (422, "invalid")
    assert prefix[2] == "Đầu số: Chữ '1' không dùng được làm đầu số (chỉ chữ cái A–Z và Đ)."
    assert taken == (409, "conflict", "Đã có quầy số 1.")
    assert zone[:2] == (422, "unknown_zone") and "Không có khu vực khong-co" in zone[2]
    statuses, pages = seen["form"]
    assert statuses == [422, 422, 422]
    assert "Chữ '1' không dùng được làm đầu số (chỉ chữ cái A–Z và Đ)." in pages[0]
    assert "Đã có quầy số 1." in pages[1]
    assert "Không có khu vực khong-co" in pages[2]


def test_the_console_session_and_a_bearer_token_act_at_a_counter_alike(parity):
    """The counter console signs in with the staff session (cookie + X-CSRFToken);
    integrators use a bearer token: the same door, the same use cases."""
    def scenario(send):
        def run(d):
            for service in ("HOTICH", "HOTICH", "HOTICH", "CHUNGTHUC"):
                issued = d.client.post("/api/v1/tickets", json={"service": service})
                assert issued.status_code == 201, issued.json
            first = send(d, "1/call-next").json
            assert first["display"] == "A-1001" and first["action"] == "called"
            assert send(d, "1/recall").json["calls"] == 2
            assert send(d, "1/hold").json["status"] == "held"
            assert send(d, "1/call-next").json["finished"] is None
            assert send(d, "1/skip").json["status"] == "skipped"
            assert send(d, "2/call", {"ticket_id": first["id"]}).json["counter"] == 2
            moved = send(d, "2/transfer", {"service": "CHUNGTHUC"}).json
            assert moved["queue_service"] == "CHUNGTHUC"
            assert send(d, "3/call-next").json["id"] == first["id"]
            assert send(d, "3/complete").json["status"] == "done"
            refused = send(d, "3/complete")
            assert refused.status_code == 409 and refused.json["error"]["code"] == \
                "no_current_ticket"
        return run

    def bearer(d, action, body=None):
        return d.api("POST", f"/api/v1/counters/{action}", body or {})

    def session(d, action, body=None):
        return d.client.post(f"/api/v1/counters/{action}", json=body or {},
                             headers={"X-CSRFToken": d.csrf})

    results = parity({"bearer": scenario(bearer), "console": scenario(session)}, tables=TICKETS)
    results.assert_same()
    events = [(e["kind"], e["actor"]) for e in results["console"]["state"]["queue_events"]]
    assert ("called", "quantri") in events and ("transferred", "quantri") in events
