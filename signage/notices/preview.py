"""The live preview of a notice being typed: validate it, and still draw what there is.

An editor's form is incomplete most of the time (no channel yet, an empty dossier
row). The preview answers the schema's problems by field (signage.errors.FieldProblem,
shown in the editor's language by the door) and a record the slide templates can draw
anyway: a valid record as it is, else a lenient copy where what the validator refused
is dropped or given its default. The lenient copy only ever holds plain text (the
templates escape it; a law message's Markdown goes through the same sanitiser as on
the screens), channel and copy names the templates know, and an image or link only if
it passes the schema's own check — so the preview, like a screen, loads nothing from
outside hosts.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from signage.errors import FieldProblem, Invalid
from signage.notices.schema import (
    CHANNELS,
    RESULTS_TITLE,
    LawMessage,
    Procedure,
    parse_notice,
    record_json,
    slugify,
)

_COPIES = ("original", "copy", "either")


def _text(value: Any, limit: int = 8000) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _rows(value: Any) -> list[dict[str, Any]]:
    return [row for row in value if isinstance(row, dict)] if isinstance(value, list) else []


def _checked(model: type[Procedure] | type[LawMessage], name: str, value: str) -> str:
    """`value` if the schema accepts it for `name` (links and images), else ""."""
    if not value:
        return ""
    try:
        return str(model.__pydantic_validator__.validate_assignment(
            model.model_construct(), name, value).__dict__[name])
    except ValidationError:
        return ""


def _quantity(value: Any) -> int:
    try:
        return max(1, min(50, int(value)))
    except (TypeError, ValueError):
        return 1


def lenient_record(data: dict[str, Any]) -> dict[str, Any]:
    """What the slide templates need, from an unvalidated form (see the module docstring)."""
    if data.get("kind") == "results":
        services = data.get("services")
        return {
            "kind": "results",
            "slug": _text(data.get("slug"), 120),
            "title": _text(data.get("title"), 120) or RESULTS_TITLE,
            "note": _text(data.get("note"), 200),
            "services": services if isinstance(services, int) and 2 <= services <= 6 else 5,
        }
    if data.get("kind") == "law":
        return {
            "kind": "law",
            "slug": _text(data.get("slug"), 120),
            "title": _text(data.get("title"), 300),
            "body": _text(data.get("body")),
            "legal_ref": _text(data.get("legal_ref"), 300),
            "image": _checked(LawMessage, "image", _text(data.get("image"), 300)),
            "ticker": _text(data.get("ticker"), 200),
        }
    return {
        "kind": "procedure",
        **{name: _text(data.get(name)) for name in (
            "code", "decision", "title", "field", "level", "subjects", "agency", "summary",
            "conditions", "result")},
        "steps": [s for s in data.get("steps") or [] if isinstance(s, str)][:30]
        if isinstance(data.get("steps"), list) else [],
        "channels": [{
            "channel": row.get("channel"),
            "deadline": _text(row.get("deadline")),
            "fee": _text(row.get("fee")),
            "note": _text(row.get("note")),
        } for row in _rows(data.get("channels")) if row.get("channel") in CHANNELS][:3],
        "documents": [{
            "name": _text(row.get("name"), 500),
            "form": _text(row.get("form"), 300),
            "quantity": _quantity(row.get("quantity")),
            "copy": row.get("copy") if row.get("copy") in _COPIES else "original",
            "required": row.get("required") is not False,
            "note": _text(row.get("note")),
        } for row in _rows(data.get("documents"))][:60],
        "legal_bases": [{
            "number": _text(row.get("number"), 80),
            "summary": _text(row.get("summary"), 500),
            "issued": row.get("issued") if isinstance(row.get("issued"), str) else None,
            "issuer": _text(row.get("issuer"), 300),
        } for row in _rows(data.get("legal_bases"))][:30],
        "online_url": _checked(Procedure, "online_url", _text(data.get("online_url"), 500)),
    }


def preview_record(data: Any) -> tuple[dict[str, Any], list[FieldProblem]]:
    """(a record the slide templates can draw, the schema's problems — [] when valid)."""
    if not isinstance(data, dict):
        data = {}
    try:
        return record_json(parse_notice(data)), []
    except Invalid as exc:
        record = lenient_record(data)
        if record["kind"] in ("law", "results") and not record["slug"] and record["title"]:
            record["slug"] = slugify(record["title"])
        problems = list(exc.fields) or [FieldProblem("notice", exc.message or "", exc.params)]
        return record, problems
