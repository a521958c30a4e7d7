"""The one way input is validated: pydantic models, with errors people can read.

Every use case takes its input through `parse(Model, data)`, whichever door it came
by (API JSON, an /admin form translated to the same shape, the CLI, a content file),
and the same models generate the OpenAPI schemas. A `ValidationError` becomes an
`Invalid` whose field problems carry the field's label (the model field's `title`)
and a reason in Vietnamese msgids, so each door shows it in its visitor's language.

Conventions for models (see `Model`):
- `title` of a field is its label as the office says it ("Mã thủ tục");
- `description` of a field with a pattern or a fixed set of values says what is
  allowed; it is also the reason shown when the value does not match;
- JSON types are strict (`true` is not 1, "5" is not 5): a form door converts its
  strings before calling, so a typo is refused with the field's own message.
"""

from __future__ import annotations

import types
import typing
from typing import Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from signage.errors import N_, FieldProblem, Invalid, Msg

M = TypeVar("M", bound=BaseModel)


class Model(BaseModel):
    """Base of every input model: unknown fields are refused, strings trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, strict=True,
                              populate_by_name=True)


class Output(BaseModel):
    """Base of response models: exactly the fields documented, no more."""

    model_config = ConfigDict(extra="forbid")


def fail(message: str, **params: Any) -> PydanticCustomError:
    """Raise this from a validator: `message` is a msgid, `params` fill it."""
    return PydanticCustomError("signage", "{message}", {"message": message, **params})


def parse(model: type[M], data: Any, *, context: dict[str, Any] | None = None) -> M:
    """`data` validated by `model` (an instance passes through); raises Invalid."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise Invalid(fields=explain(model, exc)) from None


def explain(model: type[BaseModel], exc: ValidationError) -> list[FieldProblem]:
    """Pydantic's errors as field problems with labels and reasons (msgids)."""
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        labels, leaf = _labels(model, loc)
        message, params = reason(error, leaf)
        path = ".".join(str(p) for p in loc) or "body"
        problems.append(FieldProblem(path, message, params, labels))
    return problems


# ---- labels along the error's path ---------------------------------------------------

def _unwrap(annotation: Any) -> Any:
    """The model inside list[X], X | None, Annotated[X, …] (or None)."""
    seen = 0
    while annotation is not None and seen < 8:
        seen += 1
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return annotation
        origin = get_origin(annotation)
        if origin is typing.Annotated:
            annotation = get_args(annotation)[0]
            continue
        args = [a for a in get_args(annotation) if a is not type(None)]
        if origin in (list, tuple, set, frozenset, Union, types.UnionType) and args:
            models = [a for a in args if _unwrap(a) is not None]
            annotation = models[0] if models else args[0]
            continue
        return None
    return None


def _labels(model: type[BaseModel], loc: tuple[Any, ...]) -> tuple[tuple[str | Msg, ...], Any]:
    """Labels of the parts of `loc`, and the last field's FieldInfo (or None)."""
    labels: list[str | Msg] = []
    current: Any = model
    info = None
    for part in loc:
        if isinstance(part, int):
            labels.append(Msg(N_("mục %(n)s"), {"n": part + 1}))
            continue
        fields = getattr(current, "model_fields", None) or {}
        info = fields.get(part) or next((f for f in fields.values() if f.alias == part), None)
        if info is None:
            labels.append(str(part))
            current = None
            continue
        labels.append(_meta(info, "title") or str(part))
        current = _unwrap(info.annotation)
    return tuple(labels), info


def _meta(info: Any, name: str) -> Any:
    """A field's `title` or `description`, also where it sits on the type inside an
    optional (`Annotated[str, Field(title=…)] | None` keeps it on the union's arm)."""
    value = getattr(info, name, None)
    if value:
        return value
    for arm in get_args(getattr(info, "annotation", None)):
        if get_origin(arm) is typing.Annotated:
            for extra in get_args(arm)[1:]:
                if getattr(extra, name, None):
                    return getattr(extra, name)
    return None


# ---- the reason, by pydantic's error type ---------------------------------------------

def reason(error: dict[str, Any], info: Any = None) -> tuple[str, dict[str, Any]]:
    """(msgid, params) for one pydantic error."""
    kind, ctx = error["type"], error.get("ctx") or {}
    hint = _meta(info, "description")
    is_text = isinstance(error.get("input"), str)
    match kind:
        case "signage":
            params = {k: v for k, v in ctx.items() if k != "message"}
            return str(ctx.get("message")), params
        case "missing":
            return N_("bắt buộc phải có."), {}
        case "string_too_short" | "too_short" if is_text or kind == "string_too_short":
            if ctx.get("min_length") == 1:
                return N_("không được để trống."), {}
            return N_("phải có ít nhất %(n)s ký tự."), {"n": ctx.get("min_length")}
        case "string_too_long" | "too_long" if is_text or kind == "string_too_long":
            return N_("dài quá %(n)s ký tự."), {"n": ctx.get("max_length")}
        case "too_short":
            return N_("phải có ít nhất %(n)s mục."), {"n": ctx.get("min_length")}
        case "too_long":
            return N_("nhiều quá %(n)s mục."), {"n": ctx.get("max_length")}
        case "string_pattern_mismatch":
            return (hint or N_("có ký tự không hợp lệ.")), {}
        case "literal_error" | "enum":
            if hint:
                return hint, {}
            return N_("phải là một trong: %(expected)s."), {"expected": ctx.get("expected")}
        case "union_tag_invalid" | "union_tag_not_found":
            return (hint or N_("không phải là loại được hỗ trợ.")), {}
        case "extra_forbidden":
            return N_("không phải là trường được phép."), {}
        case "int_parsing" | "int_type" | "int_from_float":
            return N_("phải là số nguyên."), {}
        case "float_parsing" | "float_type":
            return N_("phải là một số."), {}
        case "greater_than_equal":
            return N_("phải lớn hơn hoặc bằng %(n)s."), {"n": ctx.get("ge")}
        case "greater_than":
            return N_("phải lớn hơn %(n)s."), {"n": ctx.get("gt")}
        case "less_than_equal":
            return N_("phải nhỏ hơn hoặc bằng %(n)s."), {"n": ctx.get("le")}
        case "less_than":
            return N_("phải nhỏ hơn %(n)s."), {"n": ctx.get("lt")}
        case kind if kind.startswith("date_"):
            return N_("phải là ngày dạng YYYY-MM-DD (ví dụ: 2014-11-20)."), {}
        case kind if kind.startswith("datetime_"):
            return N_("phải là thời điểm dạng ISO 8601 (ví dụ: 2026-12-01T07:30:00+07:00)."), {}
        case "bool_parsing" | "bool_type":
            return N_("phải là đúng/sai (true/false)."), {}
        case "string_type" | "string_unicode":
            return N_("phải là chuỗi ký tự."), {}
        case "list_type" | "tuple_type" | "set_type":
            return N_("phải là một danh sách."), {}
        case "model_type" | "dict_type" | "model_attributes_type" | "dataclass_type":
            return N_("phải là một đối tượng."), {}
        case "value_error":
            return str(ctx.get("error") or error.get("msg")), {}
    return N_("không hợp lệ."), {}
