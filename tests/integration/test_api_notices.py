"""/api/v1/notices: CRUD with bearer tokens, JSON errors, validation in Vietnamese."""

LAW = {
    "kind": "law",
    "title": "Giữ gìn trật tự nơi công cộng",
    "body": "Không gây ồn ào, **giữ vệ sinh chung** tại nơi tiếp công dân.",
    "legal_ref": "Luật Xử lý vi phạm hành chính 2012",
}
PROCEDURE = {
    "kind": "procedure",
    "code": "9.999999",
    "title": "Thủ tục thử nghiệm",
    "field": "Hộ tịch",
    "documents": [{"name": "Tờ khai", "quantity": 1, "copy": "original", "required": True}],
    "channels": [{"channel": "truc_tiep", "deadline": "Ngay trong ngày", "fee": "Miễn phí"}],
}


def test_anonymous_requests_are_refused_with_a_json_error(client):
    response = client.get("/api/v1/notices")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    assert client.post("/api/v1/notices", json=LAW).status_code == 401


def test_a_wrong_token_is_refused(client):
    response = client.get("/api/v1/notices", headers={"Authorization": "Bearer sgn_nope"})
    assert response.status_code == 401
    assert response.json["error"]["code"] == "invalid_token"


def test_create_read_update_delete_a_law_message(api):
    created = api.post("/api/v1/notices", json=LAW)
    assert created.status_code == 201
    notice = created.json
    assert notice["kind"] == "law" and notice["title"] == LAW["title"]
    assert notice["slug"] == "giu-gin-trat-tu-noi-cong-cong"
    assert created.headers["Location"].endswith(f"/api/v1/notices/{notice['id']}")

    fetched = api.get(f"/api/v1/notices/{notice['id']}").json
    assert fetched == notice

    fetched["body"] = "Nội dung mới."
    updated = api.put(f"/api/v1/notices/{notice['id']}", json=fetched)  # PUT takes what GET returns
    assert updated.status_code == 200
    assert updated.json["body"] == "Nội dung mới." and updated.json["version"] == 2

    assert api.delete(f"/api/v1/notices/{notice['id']}").status_code == 204
    gone = api.get(f"/api/v1/notices/{notice['id']}")
    assert gone.status_code == 404 and "error" in gone.json


def test_a_procedure_carries_its_code(api):
    notice = api.post("/api/v1/notices", json=PROCEDURE).json
    assert notice["code"] == "9.999999"
    assert notice["documents"][0]["copy"] == "original"
    listed = api.get("/api/v1/notices?kind=procedure&q=9.999999").json
    assert [n["id"] for n in listed["items"]] == [notice["id"]]


def test_an_invalid_notice_is_refused_in_vietnamese_and_nothing_is_saved(api):
    before = api.get("/api/v1/notices").json["total"]
    response = api.post("/api/v1/notices", json={**PROCEDURE, "code": "", "documents": [{}]})
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "validation_failed"
    messages = " ".join(d["message"] for d in error["details"])
    assert "Mã thủ tục: không được để trống." in messages
    assert "Thành phần hồ sơ › mục 1 › Tên giấy tờ: bắt buộc phải có." in messages
    assert api.get("/api/v1/notices").json["total"] == before


def test_a_duplicate_procedure_code_is_a_conflict(api):
    assert api.post("/api/v1/notices", json=PROCEDURE).status_code == 201
    response = api.post("/api/v1/notices", json=PROCEDURE)
    assert response.status_code == 409
    assert "9.999999" in response.json["error"]["message"]


def test_a_stale_put_is_refused_with_a_version_conflict(api):
    notice = api.post("/api/v1/notices", json=LAW).json
    first = {**notice, "body": "Sửa lần một."}
    second = {**notice, "body": "Sửa lần hai, từ bản cũ."}
    assert api.put(f"/api/v1/notices/{notice['id']}", json=first).status_code == 200
    response = api.put(f"/api/v1/notices/{notice['id']}", json=second)
    assert response.status_code == 409
    assert response.json["error"]["code"] == "version_conflict"


def test_malformed_json_is_a_clear_400(api):
    response = api.post("/api/v1/notices", data="{not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_json"


def test_an_operator_cannot_edit_notices(client, lobby):
    from tests.conftest import make_token

    token = make_token(lobby, "quay1", "operator")
    response = client.post("/api/v1/notices", json=LAW, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


def test_the_openapi_document_describes_the_notice_endpoints(client):
    doc = client.get("/api/v1/openapi.json").json
    assert doc["openapi"].startswith("3.")
    assert {"get", "post"} <= set(doc["paths"]["/notices"])
    assert {"get", "put", "delete"} <= set(doc["paths"]["/notices/{notice_id}"])
    assert "Procedure" in doc["components"]["schemas"]
