"""REST API v1 under /api/v1: one blueprint module per resource, registered here.

Every handler is declared with `operation(...)`, which is at once its route, its
door (who may call it, the JSON body it takes, the query it reads) and its entry in
the OpenAPI document (signage.web.api.openapi), generated from the same pydantic
models the use cases validate with. A handler only translates: it calls one use
case through `perform` (or a query through `query`) and returns plain data, which is
checked against the response model it declared, so the API answers what its
document says.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from pydantic import BaseModel, TypeAdapter, ValidationError, create_model

from signage.errors import N_, BadRequest, Invalid
from signage.lobby import Lobby
from signage.usecases import Actor
from signage.validation import Output, parse
from signage.web.auth import api_actor

T = TypeVar("T")
PREFIX = "/api/v1"

# Who may call an operation: PUBLIC (anybody), STAFF (any signed-in role), or a set
# of roles (admin always may).
PUBLIC: frozenset[str] | None = None
STAFF: frozenset[str] = frozenset()


@dataclass
class Operation:
    """One API operation as the OpenAPI document describes it."""

    method: str
    rule: str
    endpoint: str
    summary: str
    description: str | None
    roles: frozenset[str] | None
    body: type[BaseModel] | Any | None
    body_required: bool
    query: type[BaseModel] | None
    responses: dict[int, Any]
    tags: tuple[str, ...]
    errors: tuple[int, ...]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> str:
        """The rule as an OpenAPI path: /notices/<int:notice_id> -> /notices/{notice_id}."""
        return re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"{\1}", self.rule)

    def path_params(self) -> list[tuple[str, str]]:
        return [(name, conv or "string")
                for conv, name in re.findall(r"<(?:([a-z_]+):)?([a-z_]+)>", self.rule)]


OPERATIONS: list[Operation] = []
_adapters: dict[Any, TypeAdapter] = {}


def _adapter(model: Any) -> TypeAdapter:
    if model not in _adapters:
        _adapters[model] = TypeAdapter(model)
    return _adapters[model]


def items_of(model: type[BaseModel], **more: Any) -> type[BaseModel]:
    """A response model {"items": [model, …], **more} named `<Model>List`."""
    return create_model(f"{model.__name__}List", __base__=Output,
                        items=(list[model], ...), **more)  # type: ignore[valid-type]


def blueprint(name: str) -> Blueprint:
    return Blueprint(f"api_{name}", f"signage.web.api.{name}", url_prefix=PREFIX)


def operation(bp: Blueprint, method: str, rule: str, *, summary: str,
              roles: frozenset[str] | set[str] | None = STAFF,
              body: Any = None, body_required: bool = True,
              query: type[BaseModel] | None = None,
              responses: dict[int, Any] | None = None,
              description: str | None = None, tags: tuple[str, ...] = (),
              errors: tuple[int, ...] = (), csv: bool = False,
              upload: tuple[str, ...] = (), binary: str | None = None) -> Callable:
    """Declare an API operation (see the module docstring).

    The view is called with the path's parameters, plus `body` (the parsed JSON, still
    raw: the use case validates it with the same model) when `body` is declared, and
    `query` (the query string validated by `query`) when that is. It returns data
    (checked against `responses[status]`), `(data, status)`, `(data, status,
    headers)`, None (204) or a Response. With `csv`, the 200 answer may also be a
    text/csv table (`format=csv`, see `csv_response`), as the document then says.
    `upload` names the media types of a raw (non-JSON) body the view reads itself. With
    `binary` (a media type, e.g. "image/jpeg"), the 200 answer is a Response of that type.
    """
    responses = responses or {200: None}
    allowed = roles if roles is None else frozenset(roles)

    def decorator(view: Callable) -> Callable:
        op = Operation(method.upper(), rule, f"{bp.name}.{view.__name__}", summary,
                       description or inspect.cleandoc(view.__doc__ or "") or None, allowed, body,
                       body_required, query, responses, tags or (bp.name.removeprefix("api_"),),
                       errors, {"csv": csv, "upload": upload, "binary": binary})
        OPERATIONS.append(op)

        @wraps(view)
        def handler(*args: Any, **kwargs: Any) -> Any:
            if allowed is not None:
                api_actor(allowed)
            if body is not None:
                kwargs["body"] = json_body(required=body_required)
            if query is not None:
                try:
                    kwargs["query"] = parse(query, request.args.to_dict())
                except Invalid as exc:  # the request itself is wrong, not data: 400
                    raise BadRequest(exc.message, code="invalid_parameter",
                                     fields=exc.fields, **exc.params) from None
            return respond(op, view(*args, **kwargs))

        bp.add_url_rule(rule, view.__name__, handler, methods=[op.method])
        return handler

    return decorator


def respond(op: Operation, result: Any) -> Any:
    if isinstance(result, Response):
        return result
    status, headers = 200 if op.method != "POST" else min(op.responses), {}
    if isinstance(result, tuple):
        result, status, *rest = result
        headers = rest[0] if rest else {}
    if result is None and status in (200, 204):
        return "", 204, headers
    model = op.responses.get(status)
    if model is not None:
        try:
            result = _adapter(model).dump_python(_adapter(model).validate_python(result),
                                                 mode="json", by_alias=True)
        except ValidationError as exc:  # a bug: the API would answer off its document
            current_app.logger.error("%s %s answered off its schema: %s", op.method, op.rule, exc)
            raise
    response = jsonify(result)
    response.status_code = status
    response.headers.extend(headers)
    return response


def csv_response(rows: list[dict[str, Any]], name: str,
                 columns: list[str] | None = None) -> Response:
    """A table as a CSV download (signage.evaluation.export), named `name`.csv."""
    from signage.evaluation.export import to_csv

    return Response(to_csv(rows, columns), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})


def json_body(required: bool = True) -> Any:
    """The request's JSON; {} for an empty optional body; BadRequest if not JSON."""
    if not required and not request.get_data():
        return {}
    data = request.get_json(silent=True)
    if data is None:
        raise BadRequest(N_("Cần gửi nội dung JSON hợp lệ (Content-Type: application/json)."),
                         code="invalid_json")
    return data


# ---- what every handler uses ---------------------------------------------------------

def lobby() -> Lobby:
    return current_app.extensions["signage"]


def actor() -> Actor:
    """Who calls: the authenticated user, or the public with its address."""
    return g.get("actor") or Actor.public("public", request.remote_addr)


def perform(usecase: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a use case as the caller (signage.lobby.Lobby.perform)."""
    return lobby().perform(usecase, actor(), *args, **kwargs)


def query(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    return lobby().query(fn, *args, **kwargs)


# ---- registration ---------------------------------------------------------------------

def register(app: Flask) -> None:
    """Register every resource's blueprint, in the order the document lists them."""
    from signage.web.api import (
        alerts,
        audit,
        counters,
        docs,
        feedback,
        images,
        kiosks,
        notices,
        office,
        officers,
        playlists,
        queue,
        ratings,
        screens,
        services,
        stats,
        tablets,
        tickets,
        tokens,
        users,
        zones,
    )

    for module in (docs, notices, images, zones, playlists, office, screens, alerts, users, tokens,
                   audit, services, counters, tickets, kiosks, queue, officers, tablets, ratings,
                   feedback, stats):
        app.register_blueprint(module.bp)
