"""OpenAPI paths and schemas of the notice workflow: review, history, preview
(merged into signage.web.openapi's document; the handlers are in signage.web.notices_api)."""

from __future__ import annotations

from typing import Any


def notice_paths() -> dict[str, Any]:
    """The review, history and preview paths (merged into signage.web.openapi's document)."""
    def ref(name: str) -> dict[str, str]:
        return {"$ref": f"#/components/schemas/{name}"}

    def ok(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
        return {"description": description, "content": {"application/json": {"schema": schema}}}

    def body(schema: dict[str, Any], required: bool = True) -> dict[str, Any]:
        return {"required": required, "content": {"application/json": {"schema": schema}}}

    error = ref("Error")
    notice_id = {"name": "notice_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    number = {"name": "number", "in": "path", "required": True, "schema": {"type": "integer"}}
    denied = {"401": ok(error, "Thiếu hoặc sai token / chưa đăng nhập"),
              "403": ok(error, "Không đủ quyền")}
    step_errors = {"404": ok(error), "409": ok(error, "The notice's state does not allow it "
                                                      "(code invalid_state / not_pending)"),
                   **denied}
    which = {"type": "object", "properties": {"revision": {
        "type": "integer", "description": "the pending revision's number (optional check)"}}}
    submit = {"name": "submit", "in": "query", "schema": {"type": "boolean"},
              "description": "an editor's save goes to review at once (else it is a draft)"}
    rules = ("An approver's or admin's save is approved at once and on the screens within a "
             "second; an editor's save is a new revision (draft, or review with ?submit=true) "
             "and the live version stays on the screens; see `pending`.")
    query = [{"name": name, "in": "query", "schema": schema, "description": text}
             for name, schema, text in (
                 ("kind", {"enum": ["procedure", "law"]}, ""),
                 ("q", {"type": "string"}, "title, code, slug or lĩnh vực contains"),
                 ("status", {"enum": ["approved", "draft", "review", "rejected"]},
                  "approved: on the screens; review: a revision waits for approval (chờ "
                  "duyệt); draft / rejected: the newest revision is one"),
                 ("field", {"type": "string"}, "lĩnh vực, exactly"),
                 ("zone", {"type": "string"}, "on this zone's playlist (slug)"),
                 ("limit", {"type": "integer", "maximum": 500}, ""),
                 ("offset", {"type": "integer"}, ""))]
    return {
        "/notices": {
            "get": {"summary": "List notices (`pending` without its record)",
                    "parameters": query,
                    "responses": {"200": ok(ref("NoticeList")), **denied}},
            "post": {"summary": "Create a notice", "description": rules,
                     "parameters": [submit],
                     "requestBody": body(ref("NoticeInput")),
                     "responses": {"201": ok(ref("Notice"), "Created"),
                                   "409": ok(error, "Code or slug taken"),
                                   "422": ok(error, "Invalid: `details` are [{field, message}]"),
                                   **denied}},
        },
        "/notices/{notice_id}": {
            "parameters": [notice_id],
            "get": {"summary": "One notice: the live record, `status`, `version`, `pending`",
                    "responses": {"200": ok(ref("Notice")), "404": ok(error), **denied}},
            "put": {"summary": "Replace a notice (takes what GET returns)",
                    "description": rules + " `version` and `pending` as read by GET guard "
                                           "against overwriting a change made meanwhile (409).",
                    "parameters": [submit],
                    "requestBody": body(ref("NoticeInput")),
                    "responses": {"200": ok(ref("Notice")), "404": ok(error),
                                  "409": ok(error, "Version conflict, or code taken"),
                                  "422": ok(error, "Invalid"), **denied}},
            "delete": {"summary": "Delete a notice (one on the screens: approver or admin)",
                       "responses": {"204": {"description": "Deleted"}, "404": ok(error),
                                     **denied}},
        },
        "/notices/{notice_id}/submit": {"parameters": [notice_id], "post": {
            "summary": "Send the pending draft (or a rejected revision, as a new one) for "
                       "approval (editor)",
            "requestBody": body(which, False),
            "responses": {"200": ok(ref("Notice")), **step_errors}}},
        "/notices/{notice_id}/approve": {"parameters": [notice_id], "post": {
            "summary": "Approve the revision in review: it is on the screens at once "
                       "(approver, admin)",
            "requestBody": body(which, False),
            "responses": {"200": ok(ref("Notice")),
                          "409": ok(error, "Nothing in review, or the code is now taken"),
                          "404": ok(error), **denied}}},
        "/notices/{notice_id}/reject": {"parameters": [notice_id], "post": {
            "summary": "Send the revision in review back with a reason (approver, admin); "
                       "the live version stays on the screens",
            "requestBody": body({"type": "object", "required": ["reason"], "properties": {
                "reason": {"type": "string", "minLength": 1, "maxLength": 2000},
                "revision": which["properties"]["revision"]}}),
            "responses": {"200": ok(ref("Notice")),
                          "422": ok(error, "No reason (code reason_required)"),
                          **step_errors}}},
        "/notices/{notice_id}/revisions": {"parameters": [notice_id], "get": {
            "summary": "A notice's revisions, newest first; `live` is the number on the screens",
            "responses": {"200": ok({"type": "object", "properties": {
                "notice_id": {"type": "integer"},
                "live": {"type": ["integer", "null"]},
                "items": {"type": "array", "items": ref("Revision")}}}),
                "404": ok(error), **denied}}},
        "/notices/{notice_id}/revisions/{number}": {"parameters": [notice_id, number], "get": {
            "summary": "One revision with its whole record",
            "responses": {"200": ok(ref("Revision")), "404": ok(error), **denied}}},
        "/notices/{notice_id}/revisions/{number}/restore": {
            "parameters": [notice_id, number], "post": {
                "summary": "A new revision with this one's record: by an editor it goes to "
                           "review, by an approver or admin it is live at once",
                "responses": {"200": ok(ref("Notice")), "409": ok(error, "Code taken"),
                              "404": ok(error), **denied}}},
        "/notices/{notice_id}/diff": {"parameters": [notice_id], "get": {
            "summary": "What changed between two revisions, field by field",
            "parameters": [
                {"name": "from", "in": "query", "schema": {"type": "integer"},
                 "description": "default: the live revision when one is pending, else the "
                                "one before `to`"},
                {"name": "to", "in": "query", "schema": {"type": "integer"},
                 "description": "default: the pending revision, else the newest"}],
            "responses": {"200": ok({"type": "object", "properties": {
                "notice_id": {"type": "integer"},
                "from": {"type": ["integer", "null"]}, "to": {"type": ["integer", "null"]},
                "changes": {"type": "array", "items": ref("Change")}}}),
                "404": ok(error), **denied}}},
        "/notices/preview": {"post": {
            "summary": "Validate a record as typed and render its slide; saves nothing",
            "description": "Takes what PUT takes (an `id` names the notice being edited, for "
                           "the code check). Answers the schema's Vietnamese problems and the "
                           "slide HTML (templates/slides) drawn from what there is.",
            "requestBody": body(ref("NoticeInput")),
            "responses": {"200": ok({"type": "object", "properties": {
                "valid": {"type": "boolean"},
                "problems": {"type": "array", "items": {"type": "object", "properties": {
                    "field": {"type": "string", "examples": ["documents.0.name"]},
                    "message": {"type": "string"}}}},
                "kind": {"enum": ["procedure", "law"]}, "title": {"type": "string"},
                "html": {"type": "string"},
                "office": {"type": "object"}}}), **denied}}},
    }


def notice_schemas() -> dict[str, Any]:
    """Schemas the paths above (and the notice's `pending`) refer to."""
    when = {"type": ["string", "null"], "format": "date-time"}
    return {
        "Notice": {"allOf": [
            {"$ref": "#/components/schemas/NoticeRecord"},
            {"type": "object", "properties": {
                "id": {"type": "integer", "readOnly": True},
                "status": {"enum": ["approved", "draft", "review", "rejected"], "readOnly": True,
                           "description": "approved: a version is on the screens (the record "
                                          "is that version); otherwise the state of the newest "
                                          "revision, and the record is that working copy"},
                "version": {"type": "integer", "readOnly": True,
                            "description": "counts changes to the record shown here"},
                "updated_at": {"type": "string", "format": "date-time", "readOnly": True},
                "pending": {"$ref": "#/components/schemas/Pending"}}}]},
        "Revision": {"type": "object", "properties": {
            "number": {"type": "integer", "description": "1, 2, … per notice"},
            "status": {"enum": ["draft", "review", "approved", "rejected", "superseded"]},
            "author": {"type": "string"}, "created_at": when, "submitted_at": when,
            "decided_by": {"type": ["string", "null"]}, "decided_at": when,
            "reason": {"type": ["string", "null"], "description": "why it was rejected"},
            "record": {"$ref": "#/components/schemas/NoticeRecord",
                       "description": "only on GET …/revisions/{number}"}}},
        "Pending": {"type": ["object", "null"],
                    "description": "The newest revision when it is not on the screens: a "
                                   "draft, one in review, or one sent back (with `reason`). "
                                   "Lists leave out `record`.",
                    "properties": {
                        "number": {"type": "integer"},
                        "status": {"enum": ["draft", "review", "rejected"]},
                        "author": {"type": "string"}, "created_at": when,
                        "submitted_at": when, "decided_by": {"type": ["string", "null"]},
                        "reason": {"type": ["string", "null"]},
                        "record": {"$ref": "#/components/schemas/NoticeRecord"}}},
        "Change": {"type": "object", "properties": {
            "field": {"type": "string"}, "label": {"type": "string",
                                                   "description": "Vietnamese field name"},
            "before": {"type": "string"}, "after": {"type": "string"},
            "mode": {"enum": ["words", "lines"]},
            "ops": {"type": "array", "items": {"type": "object", "properties": {
                "op": {"enum": ["equal", "delete", "insert"]}, "text": {"type": "string"}}}}}},
    }
