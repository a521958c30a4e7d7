"""The OpenAPI 3.1 document for /api/v1, with the notice schemas taken from pydantic."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from signage.notices.schema import json_schema
from signage.version import __version__
from signage.web.admin.openapi import admin_paths, zone_create
from signage.web.queue_api import openapi_paths as queue_paths


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


# A playlist entry's schedule (signage/playlists/schedules.py); all in the office time zone.
TIME = {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "examples": ["07:30"]}
WINDOW = {"type": "array", "items": TIME, "minItems": 2, "maxItems": 2,
          "description": "[start, end): end after start, not across midnight"}
SCHEDULE_FIELDS: dict[str, Any] = {
    "starts_on": {"type": ["string", "null"], "format": "date",
                  "description": "first day shown (none: no limit)"},
    "ends_on": {"type": ["string", "null"], "format": "date",
                "description": "last day shown, inclusive"},
    "weekdays": {"type": ["array", "null"], "minItems": 1, "uniqueItems": True,
                 "items": {"type": "integer", "minimum": 1, "maximum": 7},
                 "description": "ISO weekdays, 1 = Thứ Hai … 7 = Chủ Nhật (null: every day)"},
    "windows": {"type": ["array", "null"], "minItems": 1, "items": WINDOW,
                "description": "daily time windows, e.g. [[\"07:30\", \"11:30\"]] (null: all day)"},
    "priority": {"type": "integer", "minimum": -100, "maximum": 100, "default": 0,
                 "description": "strict: only the highest priority among the entries "
                                "scheduled at a moment rotates"},
}

ERRORS = {
    "401": _json(_ref("Error"), "Thiếu hoặc sai token"),
    "403": _json(_ref("Error"), "Không đủ quyền"),
}


@lru_cache(maxsize=1)
def openapi_document() -> dict[str, Any]:
    notice_schema = json_schema()
    defs = notice_schema.pop("$defs", {})
    notice_out = {
        "allOf": [
            _ref("NoticeRecord"),
            {"type": "object", "properties": {
                "id": {"type": "integer", "readOnly": True},
                "status": {"type": "string", "readOnly": True},
                "version": {"type": "integer", "readOnly": True},
                "updated_at": {"type": "string", "format": "date-time", "readOnly": True},
            }},
        ]
    }
    id_param = {"name": "notice_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    zone_param = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "signage API",
            "version": __version__,
            "description": "Màn hình sảnh một cửa: thông báo thủ tục, tuyên truyền pháp luật, "
                           "danh sách phát theo khu vực. Lỗi: {\"error\": {\"code\", \"message\"}}.",
        },
        "servers": [{"url": "/api/v1"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                **defs,
                "NoticeRecord": notice_schema,
                "Notice": notice_out,
                "NoticeInput": {"allOf": [_ref("NoticeRecord"), {"type": "object", "properties": {
                    "zones": {"type": "array", "items": {"type": "string"},
                              "description": "POST only: append to these zones' playlists"},
                    "version": {"type": "integer",
                                "description": "PUT only: 409 if the notice has changed since"},
                }}]},
                "NoticeList": {"type": "object", "properties": {
                    "items": {"type": "array", "items": _ref("Notice")},
                    "total": {"type": "integer"}, "limit": {"type": "integer"},
                    "offset": {"type": "integer"}}},
                "Playlist": {"type": "object", "properties": {
                    "zone": {"type": "string"},
                    "slides": {"type": "array", "items": {
                        "type": "object", "required": ["notice_id"], "properties": {
                            "id": {"type": "integer", "readOnly": True},
                            "notice_id": {"type": "integer"},
                            "title": {"type": "string", "readOnly": True},
                            "kind": {"enum": ["procedure", "law"], "readOnly": True},
                            "duration": {"type": "integer", "minimum": 3, "maximum": 600,
                                         "default": 15, "description": "seconds"},
                            "position": {"type": "integer", "readOnly": True},
                            **SCHEDULE_FIELDS}}}}},
                "OfficeHours": {"type": "object", "required": ["hours"], "properties": {
                    "hours": {
                        "type": ["object", "null"],
                        "description": "ISO weekday (1 = Thứ Hai … 7 = Chủ Nhật) → opening "
                                       "windows; a weekday left out is closed all day. null: "
                                       "no office hours, screens always show the playlist.",
                        "propertyNames": {"enum": ["1", "2", "3", "4", "5", "6", "7"]},
                        "additionalProperties": {"type": "array", "minItems": 1,
                                                 "items": WINDOW},
                        "examples": [{"1": [["07:30", "11:30"], ["13:30", "17:00"]],
                                      "6": [["07:30", "11:30"]]}]}}},
                "Error": {"type": "object", "required": ["error"], "properties": {
                    "error": {"type": "object", "required": ["code", "message"], "properties": {
                        "code": {"type": "string"}, "message": {"type": "string"},
                        "details": {"type": "array", "items": {"type": "object"}}}}}},
            },
        },
        "security": [{"bearer": []}],
        "paths": {
            "/notices": {
                "get": {"summary": "List notices", "parameters": [
                    {"name": "kind", "in": "query", "schema": {"enum": ["procedure", "law"]}},
                    {"name": "q", "in": "query", "schema": {"type": "string"}},
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"name": "offset", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {"200": _json(_ref("NoticeList")), **ERRORS}},
                "post": {"summary": "Create a notice",
                         "requestBody": {"required": True, "content": {
                             "application/json": {"schema": _ref("NoticeInput")}}},
                         "responses": {"201": _json(_ref("Notice"), "Created"),
                                       "409": _json(_ref("Error"), "Code or slug taken"),
                                       "422": _json(_ref("Error"), "Invalid"), **ERRORS}},
            },
            "/notices/{notice_id}": {
                "parameters": [id_param],
                "get": {"summary": "One notice", "responses": {
                    "200": _json(_ref("Notice")), "404": _json(_ref("Error")), **ERRORS}},
                "put": {"summary": "Replace a notice (takes what GET returns)",
                        "requestBody": {"required": True, "content": {
                            "application/json": {"schema": _ref("NoticeInput")}}},
                        "responses": {"200": _json(_ref("Notice")),
                                      "404": _json(_ref("Error")),
                                      "409": _json(_ref("Error"), "Version conflict"),
                                      "422": _json(_ref("Error"), "Invalid"), **ERRORS}},
                "delete": {"summary": "Delete a notice", "responses": {
                    "204": {"description": "Deleted"}, "404": _json(_ref("Error")), **ERRORS}},
            },
            "/zones": {"get": {"summary": "Zones", "responses": {"200": _json({"type": "object"})}},
                       "post": zone_create()},
            "/zones/{slug}/playlist": {
                "parameters": [zone_param],
                "get": {"summary": "A zone's playlist", "responses": {"200": _json(_ref("Playlist"))}},
                "put": {"summary": "Replace a zone's playlist",
                        "requestBody": {"required": True, "content": {
                            "application/json": {"schema": _ref("Playlist")}}},
                        "responses": {"200": _json(_ref("Playlist")),
                                      "422": _json(_ref("Error")), **ERRORS}},
            },
            "/office-hours": {
                "get": {"summary": "Office hours (screens show a closed card outside them)",
                        "responses": {"200": _json(_ref("OfficeHours")), **ERRORS}},
                "put": {"summary": "Set or clear the office hours (admin)",
                        "requestBody": {"required": True, "content": {
                            "application/json": {"schema": _ref("OfficeHours")}}},
                        "responses": {"200": _json(_ref("OfficeHours")),
                                      "422": _json(_ref("Error"), "Invalid"), **ERRORS}},
            },
            "/screens": {
                "get": {"summary": "Screens (admin)", "responses": {"200": _json({"type": "object"})}},
                "post": {"summary": "Add screens (admin)", "requestBody": {"content": {
                    "application/json": {"schema": {"type": "object", "properties": {
                        "names": {"type": "array", "items": {"type": "string"}},
                        "zone": {"type": "string"},
                        "orientation": {"enum": ["landscape", "portrait"]}}}}}},
                    "responses": {"201": _json({"type": "object"})}},
            },
            "/openapi.json": {"get": {"summary": "This document", "security": [],
                                      "responses": {"200": _json({"type": "object"})}}},
            **admin_paths(),
            **queue_paths(),
        },
    }
