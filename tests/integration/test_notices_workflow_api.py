"""/api/v1 notice workflow: editors draft and submit, approvers approve or reject, history,
diff, restore, live preview — and who may do which."""

from __future__ import annotations

import pytest

from signage.accounts import add_user
from tests.integration.test_admin_auth import PASSWORD, csrf_of, log_in

LAW = {"kind": "law", "title": "Giữ gìn trật tự nơi công cộng",
       "body": "Không gây ồn ào, **giữ vệ sinh chung**.", "ticker": "Giữ trật tự chung."}
PROCEDURE = {
    "kind": "procedure", "code": "9.100001", "title": "Cấp bản sao trích lục hộ tịch",
    "field": "Hộ tịch",
    "documents": [{"name": "Tờ khai cấp bản sao trích lục"},
                  {"name": "Giấy ủy quyền", "required": False, "note": "Khi nhờ người khác nộp"}],
    "channels": [{"channel": "truc_tiep", "deadline": "Ngay trong ngày", "fee": "8.000 đồng"}],
}


def on_lobby_screens(client, headers, notice_id: int) -> list[str]:
    """Titles of this notice as the lobby's screens show it (approved entries of the playlist)."""
    slides = client.get("/api/v1/zones/sanh-chinh/playlist", headers=headers).json["slides"]
    return [s["title"] for s in slides
            if s["notice_id"] == notice_id and s["notice_status"] == "approved"]


def test_an_editors_notice_reaches_the_screens_only_once_approved(client, api, approver_api):
    # Given an editor who creates a procedure on the lobby's playlist
    created = api.post("/api/v1/notices", json={**PROCEDURE, "zones": ["sanh-chinh"]})
    assert created.status_code == 201
    notice = created.json
    assert notice["status"] == "draft" and notice["pending"]["status"] == "draft"
    assert notice["pending"]["author"] == "editor1"
    assert notice["pending"]["record"]["documents"][1]["name"] == "Giấy ủy quyền"
    # Then no screen shows the draft
    assert on_lobby_screens(client, api.headers, notice["id"]) == []

    # When the editor submits it
    submitted = api.post(f"/api/v1/notices/{notice['id']}/submit")
    assert submitted.status_code == 200 and submitted.json["status"] == "review"
    assert on_lobby_screens(client, api.headers, notice["id"]) == []
    listed = api.get("/api/v1/notices?status=review").json
    assert [n["id"] for n in listed["items"]] == [notice["id"]]
    assert "record" not in listed["items"][0]["pending"]

    # When an approver approves it
    approved = approver_api.post(f"/api/v1/notices/{notice['id']}/approve",
                                 json={"revision": 1})
    assert approved.status_code == 200
    assert approved.json["status"] == "approved" and approved.json["pending"] is None
    # Then it is on the lobby's screens
    assert on_lobby_screens(client, api.headers, notice["id"]) == [PROCEDURE["title"]]


def test_an_edit_waits_in_review_while_the_approved_version_stays_on_screen(client, api,
                                                                            approver_api):
    live = approver_api.post("/api/v1/notices", json={**LAW, "zones": ["sanh-chinh"]}).json
    assert live["status"] == "approved" and live["version"] == 1

    # When an editor changes it and sends it for review (PUT takes what GET returns)
    fetched = api.get(f"/api/v1/notices/{live['id']}").json
    assert fetched["pending"] is None
    edited = api.put(f"/api/v1/notices/{live['id']}?submit=true",
                     json={**fetched, "title": "Giữ gìn trật tự, vệ sinh nơi công cộng"})
    assert edited.status_code == 200
    # Then GET shows the approved version with the change pending, and screens keep it
    body = edited.json
    assert body["status"] == "approved" and body["title"] == LAW["title"] and body["version"] == 1
    assert body["pending"]["status"] == "review"
    assert body["pending"]["record"]["title"] == "Giữ gìn trật tự, vệ sinh nơi công cộng"
    assert on_lobby_screens(client, api.headers, live["id"]) == [LAW["title"]]

    # When the approver rejects it without a reason, it is refused in Vietnamese
    refused = approver_api.post(f"/api/v1/notices/{live['id']}/reject", json={"reason": ""})
    assert refused.status_code == 422
    assert refused.json["error"]["code"] == "reason_required"
    assert "lý do" in refused.json["error"]["message"]
    # With a reason it goes back to the editor, and the screens still show the approved one
    rejected = approver_api.post(f"/api/v1/notices/{live['id']}/reject",
                                 json={"reason": "Tiêu đề quá dài cho màn hình."})
    assert rejected.status_code == 200
    assert rejected.json["pending"]["status"] == "rejected"
    assert rejected.json["pending"]["reason"] == "Tiêu đề quá dài cho màn hình."
    assert on_lobby_screens(client, api.headers, live["id"]) == [LAW["title"]]


def test_an_editor_may_not_approve_reject_or_take_a_notice_off_the_screens(api, approver_api):
    live = approver_api.post("/api/v1/notices", json=LAW).json
    api.put(f"/api/v1/notices/{live['id']}?submit=true", json={**live, "body": "Nội dung khác."})
    for path, body in (("approve", {}), ("reject", {"reason": "Không"})):
        response = api.post(f"/api/v1/notices/{live['id']}/{path}", json=body)
        assert response.status_code == 403, path
        assert response.json["error"]["code"] == "forbidden"
    deleted = api.delete(f"/api/v1/notices/{live['id']}")
    assert deleted.status_code == 403 and "phê duyệt" in deleted.json["error"]["message"]
    assert approver_api.delete(f"/api/v1/notices/{live['id']}").status_code == 204


def test_a_session_write_without_the_csrf_token_is_refused_and_anonymous_writes_too(client,
                                                                                   lobby):
    with lobby.store.write() as session:
        add_user(session, "duyet", "approver", PASSWORD, lobby.clock.now())
    for path in ("/api/v1/notices", "/api/v1/notices/1/approve", "/api/v1/notices/1/reject",
                 "/api/v1/notices/1/submit", "/api/v1/notices/preview",
                 "/api/v1/notices/1/revisions/1/restore"):
        assert client.post(path, json=LAW).status_code == 401, path
    log_in(client, "duyet")
    refused = client.post("/api/v1/notices", json=LAW)
    assert refused.status_code == 400 and refused.json["error"]["code"] == "csrf_failed"
    token = csrf_of(client.get("/admin/").text)
    done = client.post("/api/v1/notices", json=LAW, headers={"X-CSRFToken": token})
    assert done.status_code == 201 and done.json["status"] == "approved"


def test_history_diff_and_restore(api, approver_api):
    # Given a notice approved twice, then changed by an editor
    first = approver_api.post("/api/v1/notices", json=PROCEDURE).json
    nid = first["id"]
    second = approver_api.put(f"/api/v1/notices/{nid}", json={
        **first, "documents": [*PROCEDURE["documents"], {"name": "Giấy tờ tùy thân"}]}).json
    api.put(f"/api/v1/notices/{nid}", json={**second, "title": "Cấp bản sao trích lục"})

    history = api.get(f"/api/v1/notices/{nid}/revisions").json
    assert history["live"] == 2
    assert [(r["number"], r["status"], r["author"]) for r in history["items"]] == [
        (3, "draft", "editor1"), (2, "approved", "duyet1"), (1, "approved", "duyet1")]
    assert "record" not in history["items"][0]
    one = api.get(f"/api/v1/notices/{nid}/revisions/1").json
    assert one["record"]["title"] == PROCEDURE["title"]
    assert api.get(f"/api/v1/notices/{nid}/revisions/9").status_code == 404

    # The default diff is the live version against the pending one
    pending = api.get(f"/api/v1/notices/{nid}/diff").json
    assert (pending["from"], pending["to"]) == (2, 3)
    assert [c["label"] for c in pending["changes"]] == ["Tên"]
    added = api.get(f"/api/v1/notices/{nid}/diff?from=1&to=2").json["changes"]
    assert added[0]["label"] == "Thành phần hồ sơ"
    assert {"op": "insert", "text": "Giấy tờ tùy thân — 01 bản chính; bắt buộc"} in added[0]["ops"]

    # Restore by the editor: a new revision in review; by the approver: live at once
    restored = api.post(f"/api/v1/notices/{nid}/revisions/1/restore")
    assert restored.status_code == 200
    assert restored.json["pending"]["number"] == 4 and restored.json["pending"]["status"] == "review"
    assert len(restored.json["documents"]) == 3   # the live one is untouched
    live = approver_api.post(f"/api/v1/notices/{nid}/revisions/1/restore").json
    assert live["pending"] is None and len(live["documents"]) == 2 and live["version"] == 3


def test_the_live_preview_validates_and_renders_without_saving(api):
    before = api.get("/api/v1/notices").json["total"]
    good = api.post("/api/v1/notices/preview", json=PROCEDURE).json
    assert good["valid"] is True and good["problems"] == []
    assert PROCEDURE["title"] in good["html"] and "Tờ khai cấp bản sao trích lục" in good["html"]
    assert 'data-paginate="procedure"' in good["html"]
    bad = api.post("/api/v1/notices/preview", json={**PROCEDURE, "code": "",
                                                    "documents": [{"name": ""}]}).json
    assert bad["valid"] is False
    assert {p["field"] for p in bad["problems"]} == {"code", "documents.0.name"}
    assert PROCEDURE["title"] in bad["html"]
    # A code another notice holds is a problem too, except the notice's own
    code = api.get("/api/v1/notices?kind=procedure&limit=1").json["items"][0]
    clash = api.post("/api/v1/notices/preview", json={**PROCEDURE, "code": code["code"]}).json
    assert clash["problems"][0]["field"] == "code"
    mine = api.post("/api/v1/notices/preview",
                    json={**PROCEDURE, "code": code["code"], "id": code["id"]}).json
    assert mine["valid"] is True
    assert api.get("/api/v1/notices").json["total"] == before


@pytest.mark.parametrize("query, expect", [("status=approved", True), ("status=draft", False)])
def test_the_list_filters_by_status_field_and_zone(api, query, expect):
    draft = api.post("/api/v1/notices", json={**PROCEDURE, "zones": ["sanh-chinh"]}).json
    ids = {n["id"] for n in api.get(f"/api/v1/notices?{query}&limit=500").json["items"]}
    assert (draft["id"] in ids) is (not expect)
    by_field = api.get("/api/v1/notices?field=Hộ tịch&zone=sanh-chinh&limit=500").json["items"]
    assert draft["id"] in {n["id"] for n in by_field}
    assert all(n["field"] == "Hộ tịch" for n in by_field)
    assert api.get("/api/v1/notices?status=bogus").status_code == 400


def test_the_openapi_document_has_the_workflow(client):
    doc = client.get("/api/v1/openapi.json").json
    for path in ("/notices/{notice_id}/submit", "/notices/{notice_id}/approve",
                 "/notices/{notice_id}/reject", "/notices/{notice_id}/revisions",
                 "/notices/{notice_id}/revisions/{number}",
                 "/notices/{notice_id}/revisions/{number}/restore",
                 "/notices/{notice_id}/diff", "/notices/preview"):
        assert path in doc["paths"], path
    schemas = doc["components"]["schemas"]
    # A notice is one of the two kinds, each its record plus the state and `pending`
    for ref in schemas["Notice"]["oneOf"]:
        notice = schemas[ref["$ref"].rsplit("/", 1)[1]]["properties"]
        assert {"id", "status", "version", "updated_at", "pending"} <= set(notice)
        assert {"$ref": "#/components/schemas/Pending"} in notice["pending"]["anyOf"]
    assert {"Revision", "Pending", "FieldChange", "Procedure"} <= set(schemas)
    params = {p["name"] for p in doc["paths"]["/notices"]["get"]["parameters"]}
    assert {"status", "field", "zone", "q", "kind"} <= params
