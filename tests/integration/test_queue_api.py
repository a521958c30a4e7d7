"""The queue's REST API in the app: who may do what, the shapes integrators rely on,
the first-run seed, the screens' snapshot part, and the ESC/POS printer (a real TCP
socket on 127.0.0.1, refused or listening)."""

from __future__ import annotations

import socket
import threading

import pytest

from tests.conftest import make_token


@pytest.fixture
def operator(lobby):
    return {"Authorization": f"Bearer {make_token(lobby, 'quay1', 'operator')}"}


@pytest.fixture
def admin(lobby):
    return {"Authorization": f"Bearer {make_token(lobby, 'quantri', 'admin')}"}


def take(client, service: str = "HOTICH", **extra):
    return client.post("/api/v1/tickets", json={"service": service, **extra})


def test_first_run_loads_the_wards_services_and_counters(client):
    services = client.get("/api/v1/services").get_json()["items"]
    counters = client.get("/api/v1/counters").get_json()["items"]
    assert {"code": "HOTICH", "prefix": "A"}.items() <= services[0].items()
    assert all(s["opens_at"] is None and s["closes_at"] is None for s in services)
    assert counters[0]["number"] == 1 and counters[0]["services"] == ["HOTICH"]
    assert all({"id", "number", "services"} <= c.keys() for c in counters)


def test_a_kiosk_takes_a_number_without_any_token(client):
    response = take(client)
    assert response.status_code == 201
    body = response.get_json()
    assert body["display"] == "A-1001" and body["number"] == 1001 and body["id"] > 0
    assert body["people_ahead"] == 0 and body["status"] == "waiting"
    assert body["status_url"] == f"/t/{body['token']}"
    assert client.get(body["status_url"]).status_code == 200
    assert client.get(f"/t/{body['token']}/qr.svg").data.startswith(b"<svg")


def test_the_kiosk_hears_how_many_numbers_are_left_before_they_run_out(client, admin):
    # Given hộ tịch capped at 8 numbers a day (a tenth is under 5: warn from 5 left)
    assert client.patch("/api/v1/services/HOTICH", json={"daily_cap": 8},
                        headers=admin).status_code == 200
    listed = {s["code"]: s for s in client.get("/api/v1/services?active=1").get_json()["items"]}
    assert (listed["HOTICH"]["numbers_left"], listed["HOTICH"]["running_low"]) == (8, False)
    # Each number issued says what is left, and warns in the last five
    seen = [(b["numbers_left"], b["running_low"])
            for b in (take(client).get_json() for _ in range(8))]
    assert seen == [(7, False), (6, False), (5, True), (4, True), (3, True), (2, True), (1, True),
                    (0, True)]
    one = client.get("/api/v1/services/HOTICH").get_json()
    assert (one["numbers_left"], one["running_low"]) == (0, True)
    assert take(client).get_json()["error"]["code"] == "cap_reached"
    # The counter console's state carries it too
    state = client.get("/api/v1/queue", headers=admin).get_json()
    assert {s["code"]: s["numbers_left"] for s in state["services"]}["HOTICH"] == 0


def test_unknown_service_and_bad_priority_are_json_errors(client):
    assert take(client, "NOPE").get_json()["error"]["code"] == "not_found"
    bad = take(client, priority="vip")
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "invalid"
    # Only a priority group's key (or null): `true` names no group
    vague = take(client, priority=True)
    assert vague.status_code == 422 and vague.get_json()["error"]["field"] == "priority"
    assert take(client, priority=None).get_json()["priority"] is None


def test_a_queue_rule_reads_in_the_language_the_client_asks_for(client, operator, admin):
    # Given nobody waiting: Vietnamese by default, English when asked
    default = client.post("/api/v1/counters/1/call-next", headers=operator).get_json()
    assert default["error"]["message"] == "Không còn công dân nào đang chờ ở Quầy 1 – Hộ tịch."
    english = client.post("/api/v1/counters/1/call-next",
                          headers={**operator, "Accept-Language": "en-GB,en;q=0.8"})
    assert english.status_code == 404
    assert english.get_json()["error"] == {
        "code": "queue_empty", "counter": 1,
        "message": "Nobody is waiting at Quầy 1 – Hộ tịch any more."}
    # and a paused service refuses a number in the kiosk's language
    client.patch("/api/v1/services/HOTICH", json={"active": False}, headers=admin)
    closed = client.post("/api/v1/tickets", json={"service": "HOTICH"},
                         headers={"Accept-Language": "en"})
    assert closed.status_code == 409 and closed.get_json()["error"]["code"] == "closed"
    assert closed.get_json()["error"]["message"] == (
        "The service Hộ tịch (khai sinh, kết hôn, khai tử) is not issuing numbers for now.")
    assert "đang tạm ngừng cấp số" in take(client).get_json()["error"]["message"]
    # as does the validation of what was sent
    invalid = client.post("/api/v1/tickets", json={"service": "CHUNGTHUC", "priority": "vip"},
                          headers={"Accept-Language": "en"}).get_json()["error"]
    assert invalid["message"].startswith("Priority group: must be the key of a priority group")


def test_counter_actions_need_an_operator_and_admin_passes(client, api, operator, admin):
    take(client)
    take(client)
    assert client.post("/api/v1/counters/1/call-next").status_code == 401
    assert api.post("/api/v1/counters/1/call-next").status_code == 403  # an editor
    first = client.post("/api/v1/counters/1/call-next", headers=operator).get_json()
    assert first["display"] == "A-1001" and first["status"] == "called" and first["counter"] == 1
    assert first["ticket"]["id"] == first["id"]
    second = client.post("/api/v1/counters/2/call-next", headers=admin)
    assert second.status_code == 200 and second.get_json()["display"] == "A-1002"


def test_call_next_with_nobody_waiting_is_a_4xx_json_error(client, operator):
    response = client.post("/api/v1/counters/1/call-next", headers=operator)
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "queue_empty"


def test_recall_skip_hold_call_transfer_complete(client, operator):
    for _ in range(3):
        take(client)
    post = lambda path, **kw: client.post(f"/api/v1/counters/{path}", headers=operator, **kw)  # noqa: E731
    a1 = post("1/call-next").get_json()
    assert post("1/recall").get_json()["calls"] == 2
    assert post("1/hold").get_json()["status"] == "held"
    a2 = post("1/call-next").get_json()
    assert post("1/skip").get_json()["status"] == "skipped"
    back = post("2/call", json={"ticket_id": a1["id"]}).get_json()
    assert back["display"] == a1["display"] and back["counter"] == 2
    moved = post("2/transfer", json={"service": "CHUNGTHUC"}).get_json()
    assert moved["status"] == "waiting" and moved["queue_service"] == "CHUNGTHUC"
    assert post("3/call-next").get_json()["display"] == a1["display"]
    done = post("3/complete").get_json()
    assert done["status"] == "done"
    assert post("3/complete").get_json()["error"]["code"] == "no_current_ticket"
    state = client.get("/api/v1/queue").get_json()
    assert [t["display"] for t in state["set_aside"]] == [a2["display"]]
    assert state["waiting_total"] == 1
    assert "token" not in str(state)


def test_services_and_counters_are_created_by_admin_with_few_fields(client, api, admin):
    body = {"code": "CUTRU", "name": "Cư trú", "prefix": "K"}
    assert client.post("/api/v1/services", json=body).status_code == 401
    assert api.post("/api/v1/services", json=body).status_code == 403
    created = client.post("/api/v1/services", json=body, headers=admin)
    assert created.status_code == 201
    service = created.get_json()
    assert service["daily_cap"] is None and service["opens_at"] is None
    counter = client.post("/api/v1/counters", json={"number": 12, "services": ["CUTRU"]},
                          headers=admin)
    assert counter.status_code == 201
    assert counter.get_json()["services"] == ["CUTRU"] and counter.get_json()["name"] == "Quầy 12"
    # Defining counter 12 again redefines it (a desk is known by its number)
    again = client.post("/api/v1/counters", json={"number": 12, "services": ["HOTICH"]},
                        headers=admin)
    assert again.status_code == 201 and again.get_json()["created"] is False
    assert again.get_json()["id"] == counter.get_json()["id"]
    assert again.get_json()["services"] == ["HOTICH"]
    assert take(client, "CUTRU").get_json()["display"] == "K-1"


def test_an_operator_may_only_change_the_officer_on_duty(client, operator):
    ok = client.patch("/api/v1/counters/1", json={"officer": "Nguyễn Thị Lan"}, headers=operator)
    assert ok.status_code == 200 and ok.get_json()["officer"] == "Nguyễn Thị Lan"
    refused = client.patch("/api/v1/counters/1", json={"services": []}, headers=operator)
    assert refused.status_code == 403


def test_the_screen_snapshot_has_a_queue_part(lobby, client, operator):
    take(client)
    client.post("/api/v1/counters/3/call-next", headers=operator)  # counter 3: not hộ tịch
    client.post("/api/v1/counters/1/call-next", headers=operator)

    view = lobby.publisher.zone_view("sanh-chinh", lobby.clock.now())
    queue = view["queue"]
    assert [c["ticket"] for c in queue["counters"]][:2] == ["A-1001", None]
    assert queue["last_calls"][0] == {**queue["last_calls"][0], "ticket": "A-1001", "counter": 1}
    assert queue["speech"]["reading"] == "digits"


# ---- ESC/POS ------------------------------------------------------------------------------

def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again on return: connecting is refused


def printer_app(data_dir, spec: str):
    from signage import create_app
    from signage.cli import prepare

    app = create_app({"data_dir": data_dir, "testing": True, "escpos": spec})
    prepare(app.extensions["signage"], out=lambda *_: None)
    return app


def test_a_failed_print_is_reported_and_leaves_no_ghost_number(tmp_path):
    pytest.importorskip("escpos")
    app = printer_app(tmp_path / "instance", f"network:127.0.0.1:{closed_port()}")
    client = app.test_client()
    lobby = app.extensions["signage"]
    operator = {"Authorization": f"Bearer {make_token(lobby, 'quay1', 'operator')}"}
    response = take(client)
    assert response.status_code == 503
    error = response.get_json()["error"]
    assert error["code"] == "print_failed" and "in được" in error["message"]
    assert error["ticket"]["status"] == "void"
    # The number is not waiting anywhere, and is not issued again
    assert client.post("/api/v1/counters/1/call-next", headers=operator).status_code == 404
    assert client.get("/api/v1/queue").get_json()["waiting_total"] == 0
    assert take(client, print=False).get_json()["display"] == "A-1002"
    lobby.store.dispose()


def test_a_ticket_goes_to_the_escpos_printer_after_it_is_committed(tmp_path):
    pytest.importorskip("escpos")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    received = bytearray()

    def printer() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.settimeout(10)
            while chunk := conn.recv(65536):
                received.extend(chunk)

    thread = threading.Thread(target=printer, daemon=True)
    thread.start()
    app = printer_app(tmp_path / "instance", f"network:127.0.0.1:{listener.getsockname()[1]}")
    response = take(app.test_client(), priority="nguoi-cao-tuoi")
    thread.join(10)
    listener.close()
    assert response.status_code == 201
    body = response.get_json()
    assert body["printed"] == "escpos" and body["status"] == "waiting"
    assert b"A-1001" in received and b"Ho tich" in received and b"Nguoi cao tuoi" in received
    assert received.startswith(b"\x1b@") or b"\x1b" in received[:8]   # ESC/POS commands
    assert b"\x1dV" in received                                       # paper cut
    app.extensions["signage"].store.dispose()


# ---- the counter console with a staff session ----------------------------------------------

def test_an_officer_signed_in_uses_the_console_with_the_session_and_csrf(client, lobby):
    import re

    from signage.accounts import add_user

    with lobby.store.write() as session:
        add_user(session, "quay2", "operator", "mat-khau-rat-dai", lobby.clock.now())
    login = client.get("/admin/login?next=/counter").text
    token = re.search(r'name="csrf-token" content="([^"]+)"', login).group(1)
    signed_in = client.post("/admin/login", data={"name": "quay2", "password": "mat-khau-rat-dai",
                                                  "csrf_token": token, "next": "/counter"})
    assert signed_in.status_code == 302 and signed_in.headers["Location"].endswith("/counter")
    page = client.get("/counter").text
    assert 'data-auth="session"' in page
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    take(client)
    refused = client.post("/api/v1/counters/2/call-next")
    assert refused.status_code == 400 and refused.get_json()["error"]["code"] == "csrf_failed"
    called = client.post("/api/v1/counters/2/call-next", headers={"X-CSRFToken": csrf})
    assert called.status_code == 200 and called.get_json()["display"] == "A-1001"


def test_pages_for_kiosk_counter_and_a_citizen(client):
    kiosk = client.get("/kiosk")
    assert kiosk.status_code == 200 and 'data-service="HOTICH"' in kiosk.text
    assert "Người cao tuổi" in kiosk.text
    counter = client.get("/counter")
    assert counter.status_code == 200 and 'data-auth="none"' in counter.text
    assert client.get("/t/not-a-token").status_code == 404
    ticket = take(client).get_json()
    page = client.get(f"/t/{ticket['token']}").text
    assert ticket["display"] in page and "Đang chờ" in page


def test_the_openapi_document_lists_the_queue(client):
    document = client.get("/api/v1/openapi.json").get_json()
    paths, schemas = document["paths"], document["components"]["schemas"]
    assert {"/tickets", "/counters/{counter_id}/call-next", "/queue", "/services"} <= paths.keys()
    # generated from the models the handlers validate with and answer by
    ticket_in = paths["/tickets"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert ticket_in == {"$ref": "#/components/schemas/TicketIn"}
    priority = schemas["TicketIn"]["properties"]["priority"]["anyOf"]
    assert {"enum": ["nguoi-cao-tuoi", "nguoi-khuyet-tat", "phu-nu-mang-thai", "nuoi-con-nho",
                     "nguoi-co-cong", "uu-tien"], "type": "string"} in priority
    issued = paths["/tickets"]["post"]["responses"]["201"]["content"]["application/json"]
    assert issued["schema"] == {"$ref": "#/components/schemas/IssuedTicket"}
    assert schemas["IssuedTicket"]["additionalProperties"] is False
    call_next = paths["/counters/{counter_id}/call-next"]["post"]
    assert {"200", "401", "403", "404", "409"} <= call_next["responses"].keys()
    assert paths["/queue"]["get"]["security"] == []
