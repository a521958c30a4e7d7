"""/api/v1/notices: CRUD with bearer tokens, JSON errors, validation in Vietnamese, and
answers that match the published OpenAPI document."""

import pytest

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


def matches(value, schema: dict, schemas: dict, where: str = "") -> None:
    """`value` has exactly the properties `schema` publishes (required ones present, no
    others), recursively through references, unions and arrays."""
    if "$ref" in schema:
        return matches(value, schemas[schema["$ref"].rsplit("/", 1)[1]], schemas, where)
    options = schema.get("oneOf") or schema.get("anyOf")
    if options:
        if "discriminator" in schema and isinstance(value, dict):
            ref = schema["discriminator"]["mapping"][value[schema["discriminator"]["propertyName"]]]
            return matches(value, {"$ref": ref}, schemas, where)
        errors = []
        for option in options:
            try:
                return matches(value, option, schemas, where)
            except AssertionError as exc:
                errors.append(str(exc))
        raise AssertionError(f"{where}: matches none of {errors}")
    kind = schema.get("type")
    if kind == "null":
        assert value is None, where
    elif kind == "object" and "properties" in schema:
        assert isinstance(value, dict), where
        extra = set(value) - set(schema["properties"])
        assert not extra or schema.get("additionalProperties") is not False, \
            f"{where}: {sorted(extra)} not in the published schema"
        missing = set(schema.get("required", [])) - set(value)
        assert not missing, f"{where}: {sorted(missing)} missing"
        for key, item in value.items():
            if key in schema["properties"]:
                matches(item, schema["properties"][key], schemas, f"{where}.{key}")
    elif kind == "array":
        assert isinstance(value, list), where
        for i, item in enumerate(value):
            matches(item, schema.get("items", {}), schemas, f"{where}.{i}")


def test_every_notice_answer_is_what_the_published_schema_says(api, approver_api, client):
    # Given the document the API publishes
    doc = client.get("/api/v1/openapi.json").json
    schemas = doc["components"]["schemas"]

    def check(path: str, method: str, response, status: int = 200):
        assert response.status_code == status, response.json
        schema = doc["paths"][path][method]["responses"][str(status)]["content"][
            "application/json"]["schema"]
        matches(response.json, schema, schemas, f"{method} {path}")

    # When notices of both kinds are created, changed (a change pending), listed, read
    law = api.post("/api/v1/notices", json=LAW)
    check("/notices", "post", law, 201)
    procedure = approver_api.post("/api/v1/notices", json=PROCEDURE)
    check("/notices", "post", procedure, 201)
    nid = procedure.json["id"]
    changed = api.put(f"/api/v1/notices/{nid}", json={**procedure.json, "title": "Tên mới"})
    check("/notices/{notice_id}", "put", changed)
    assert changed.json["pending"]["record"]["title"] == "Tên mới"
    check("/notices", "get", api.get("/api/v1/notices?limit=500"))
    for notice_id in (nid, law.json["id"]):
        check("/notices/{notice_id}", "get", api.get(f"/api/v1/notices/{notice_id}"))
    check("/notices/{notice_id}/revisions", "get", api.get(f"/api/v1/notices/{nid}/revisions"))
    check("/notices/{notice_id}/revisions/{number}", "get",
          api.get(f"/api/v1/notices/{nid}/revisions/2"))
    check("/notices/{notice_id}/diff", "get", api.get(f"/api/v1/notices/{nid}/diff"))
    check("/notices/preview", "post", api.post("/api/v1/notices/preview", json=PROCEDURE))
    check("/notices/{notice_id}/submit", "post", api.post(f"/api/v1/notices/{nid}/submit"))
    check("/notices/{notice_id}/approve", "post",
          approver_api.post(f"/api/v1/notices/{nid}/approve"))
    # Then every answer has exactly the published fields (the notice: its record plus id,
    # status, version, updated_at and pending)
    notice = api.get(f"/api/v1/notices/{nid}").json
    with pytest.raises(AssertionError, match="not in the published schema"):
        matches({**notice, "slide": "<html>"}, {"$ref": "#/components/schemas/Notice"}, schemas)
    assert set(notice) == {*PROCEDURE, "decision", "portal_date", "level", "subjects", "agency", "summary",
                           "steps", "conditions", "result", "legal_bases", "online_url",
                           "id", "status", "version", "updated_at", "pending"}
