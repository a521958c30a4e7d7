"""Malformed input gets a 4xx with the usual JSON error, never a 5xx, and never a crash
of the socket that received it (issue 10, item 11)."""

from __future__ import annotations

import pytest

from tests.conftest import ScreenClient

DEEP = "[" * 5000 + "]" * 5000


@pytest.mark.parametrize("path", ["/api/v1/tickets", "/api/v1/notices", "/api/v1/zones",
                                  "/api/v1/feedback"])
def test_json_nested_thousands_deep_is_a_400_for_anybody(client, api, path):
    for send in (client.post, api.post):
        answer = send(path, data=DEEP, headers={"Content-Type": "application/json"})
        assert answer.status_code in (400, 401, 403, 404, 405), answer.status_code
        if answer.status_code == 400:
            assert answer.json["error"]["code"] == "invalid_json"


def test_numbers_beyond_64_bits_are_refused_in_paths_and_bodies(api):
    huge = str(2**64)
    for path in (f"/api/v1/notices/{huge}", f"/api/v1/counters/{huge}",
                 f"/api/v1/notices/{huge}/revisions/{huge}"):
        assert api.get(path).status_code == 404, path
    answer = api.post("/api/v1/counters/1/call", json={"ticket_id": 2**64})
    assert answer.status_code in (400, 403, 422)
    raw = api.post("/api/v1/tickets", data='{"service": "HOTICH", "n": ' + huge + "}",
                   headers={"Content-Type": "application/json"})
    assert raw.status_code == 400 and raw.json["error"]["code"] == "invalid_json"


def test_a_list_where_a_name_goes_is_a_422_naming_the_field(app, lobby):
    from signage.accounts import add_token, add_user

    with lobby.store.write() as session:
        add_user(session, "qt", "admin", "mat-khau-rat-dai", lobby.clock.now())
        token = add_token(session, "qt", "t", lobby.clock.now())
    answer = app.test_client().post("/api/v1/zones", json={"name": ["Sảnh", "B"]},
                                    headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 422 and answer.json["error"]["field"] == "name"


def test_a_screen_socket_shrugs_off_deep_json_and_garbage(live_server):
    [key] = live_server.add_screens("TV rác")
    tv = ScreenClient(f"{live_server.ws_base}/ws/screen/{key}")
    try:
        for junk in (DEEP, "không phải JSON", '{"type": ' + "[" * 100 + "]" * 100 + "}",
                     '{"type": "ping", "id": ' + str(2**70) + "}"):
            tv.ws.send(junk)
        tv.send({"type": "ping", "id": 7})
        assert tv.wait_for("pong", where=lambda m: m.get("id") == 7)["id"] == 7
    finally:
        tv.close()


def test_a_counter_operator_reads_only_what_is_on_the_screens(client, lobby, api):
    from tests.conftest import make_token

    operator = {"Authorization": f"Bearer {make_token(lobby, 'quay9', 'operator')}"}
    draft = api.post("/api/v1/notices", json={"kind": "law", "title": "Nháp chưa duyệt",
                                              "body": "Nội dung nháp."}).json
    assert draft["status"] == "draft"
    listed = client.get("/api/v1/notices?limit=500", headers=operator).json["items"]
    assert listed and {n["status"] for n in listed} == {"approved"}
    assert all(n["pending"] is None for n in listed)
    assert client.get(f"/api/v1/notices/{draft['id']}", headers=operator).status_code == 404
    assert client.get("/api/v1/notices?status=draft", headers=operator).json["items"] == []
    live = listed[0]["id"]
    for path in (f"/api/v1/notices/{live}/revisions", f"/api/v1/notices/{live}/revisions/1",
                 f"/api/v1/notices/{live}/diff"):
        assert client.get(path, headers=operator).status_code == 403, path
    # An editor still sees the draft
    assert api.get(f"/api/v1/notices/{draft['id']}").status_code == 200
