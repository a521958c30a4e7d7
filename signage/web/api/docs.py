"""GET /api/v1/openapi.json: the OpenAPI 3.1 document, generated from the operations.

Each operation (signage.web.api.operation) names the pydantic models it takes and
answers; their JSON schemas land in `components.schemas`, so the document and the
validation are one thing.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from flask import jsonify
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from signage.version import __version__
from signage.web.api import OPERATIONS, PUBLIC, Operation, blueprint

bp = blueprint("docs")

REF = "#/components/schemas/{model}"
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": {"type": "string", "examples": ["validation_failed", "not_found"]},
            "message": {"type": "string",
                        "description": "for people, in the language of Accept-Language "
                                       "(Vietnamese by default)"},
            "field": {"type": "string", "description": "the field the error is about"},
            "details": {"type": "array", "items": {
                "type": "object", "properties": {"field": {"type": "string"},
                                                 "message": {"type": "string"}}}},
        },
        "additionalProperties": True,
    }},
}
ERROR_TEXT = {
    400: "Yêu cầu không đọc được (không phải JSON, tham số sai kiểu)",
    401: "Thiếu hoặc sai token / chưa đăng nhập",
    403: "Không đủ quyền",
    404: "Không tìm thấy",
    409: "Xung đột với dữ liệu đã có, hoặc sai trạng thái",
    413: "Dữ liệu gửi lên quá lớn",
    422: "Dữ liệu không hợp lệ",
    429: "Quá nhiều yêu cầu",
    503: "Một thành phần (cơ sở dữ liệu, Redis, máy in) tạm thời không sẵn sàng",
}


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())


def _models(op: Operation) -> list[tuple[Any, str]]:
    found: list[tuple[Any, str]] = []
    if isinstance(op.body, type) and issubclass(op.body, BaseModel):
        found.append((op.body, "validation"))
    for model in op.responses.values():
        if isinstance(model, type) and issubclass(model, BaseModel):
            found.append((model, "serialization"))
    return found


def _schema_of(model: Any, mode: str, names: dict[tuple[Any, str], dict[str, Any]]) -> Any:
    if model is None:
        return None
    if (model, mode) in names:
        return names[(model, mode)]
    from pydantic import TypeAdapter

    return TypeAdapter(model).json_schema(mode=mode, ref_template=REF)  # type: ignore[arg-type]


def _query_params(model: type[BaseModel]) -> list[dict[str, Any]]:
    schema = model.model_json_schema(ref_template=REF)
    required = set(schema.get("required", []))
    return [{"name": name, "in": "query", "required": name in required, "schema": prop,
             **({"description": prop["description"]} if "description" in prop else {})}
            for name, prop in schema.get("properties", {}).items()]


@lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    pairs = list(dict.fromkeys(m for op in OPERATIONS for m in _models(op)))
    names, defs = models_json_schema(pairs, ref_template=REF)  # type: ignore[arg-type]
    schemas: dict[str, Any] = {"Error": ERROR_SCHEMA, **defs.get("$defs", {})}
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        item: dict[str, Any] = {"summary": op.summary, "operationId": op.endpoint.split(".")[-1]
                                if not _duplicate_id(op) else op.endpoint.replace(".", "_"),
                                "tags": list(op.tags)}
        if op.description:
            item["description"] = op.description
        params = [{"name": name, "in": "path", "required": True,
                   "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}
                   if conv == "int" else {"type": "string", "maxLength": 200}}
                  for name, conv in op.path_params()]
        if op.query is not None:
            params += _query_params(op.query)
        if params:
            item["parameters"] = params
        if op.roles is PUBLIC:
            item["security"] = []
        if op.extra.get("upload"):
            item["requestBody"] = {"required": True, "content": {
                kind: {"schema": {"type": "string", "format": "binary"}}
                for kind in op.extra["upload"]}}
        if op.body is not None:
            item["requestBody"] = {"required": op.body_required, "content": {
                "application/json": {"schema": _schema_of(op.body, "validation", names)}}}
        responses: dict[str, Any] = {}
        for status, model in sorted(op.responses.items()):
            if status == 200 and op.extra.get("binary"):
                responses["200"] = {"description": "OK", "content": {
                    op.extra["binary"]: {"schema": {"type": "string", "format": "binary"}}}}
                continue
            if status == 204 or model is None and status != 200:
                responses[str(status)] = {"description": "No content"}
                continue
            schema = _schema_of(model, "serialization", names) if model is not None else {}
            responses[str(status)] = {"description": "OK" if status < 300 else "",
                                      "content": {"application/json": {"schema": schema}}}
            if status == 200 and op.extra.get("csv"):
                responses["200"]["content"]["text/csv"] = {"schema": {"type": "string"}}
        for status in _error_statuses(op):
            responses.setdefault(str(status), {
                "description": ERROR_TEXT[status],
                "content": {"application/json": {"schema": {"$ref": REF.format(model="Error")}}}})
        item["responses"] = responses
        paths.setdefault(op.path, {})[op.method.lower()] = item
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "signage API",
            "version": __version__,
            "description": "Màn hình sảnh một cửa: thông báo thủ tục, tuyên truyền pháp luật, "
                           "lịch trình chiếu theo khu vực, xếp hàng. Lỗi: {\"error\": {\"code\", "
                           "\"message\"}}, message theo Accept-Language (mặc định tiếng Việt).",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "API token (signage tokens add), or "
                                           "the staff session cookie plus X-CSRFToken on "
                                           "writes"}},
            "schemas": schemas,
        },
        "paths": paths,
    }


def _duplicate_id(op: Operation) -> bool:
    name = op.endpoint.split(".")[-1]
    return sum(1 for o in OPERATIONS if o.endpoint.split(".")[-1] == name) > 1


def _error_statuses(op: Operation) -> list[int]:
    statuses = set(op.errors)
    if op.body is not None or op.query is not None:
        statuses |= {400, 422}
    if op.path_params():
        statuses.add(404)
    if op.roles is not PUBLIC:
        statuses |= {401, 403}
    return sorted(statuses)
