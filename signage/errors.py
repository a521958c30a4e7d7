"""The one hierarchy of errors a person or a program can cause.

Every refusal a use case makes is a `SignageError`: a stable `code` (what scripts
branch on), a `message` that is a Vietnamese msgid with `%(name)s` placeholders
filled from `params` (what people read, translated at the door into the visitor's
language), and `fields`, the problems by field for forms and API clients. The class
says what kind of refusal it is; the doors decide what that means on their side
(an HTTP status in signage.web.problems, an exit code in the CLI). Nothing here
knows about HTTP.

Messages are marked with `N_` so `pybabel extract` finds them (babel.cfg); a
parameter that is itself words to translate (a field's label) is passed as `Msg`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


def N_(message: str) -> str:
    """Mark a message for the translation catalogue; it is translated where it is shown."""
    return message


Translate = Callable[[str], str]


def _same(message: str) -> str:
    return message


@dataclass(frozen=True)
class Msg:
    """Words to translate given where a string would be: a parameter of another
    message, or a field's label ("mục %(n)s")."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return fill(self.msgid, self.params)

    def text(self, translate: Translate) -> str:
        return fill(self.msgid, self.params, translate)


def fill(message: str, params: dict[str, Any], translate: Translate = _same) -> str:
    """`message` translated, its placeholders filled (parameters that are `Msg`
    translated too)."""
    text = translate(message)
    if not params:
        return text
    values = {k: (v.text(translate) if isinstance(v, Msg) else v) for k, v in params.items()}
    try:
        return text % values
    except (KeyError, ValueError, TypeError):  # a translation that lost a placeholder
        return message % values


@dataclass(frozen=True)
class FieldProblem:
    """What is wrong with one field.

    `field` is its path as clients write it ("documents.0.name"); `labels` name the
    path's parts as people know them ("Thành phần hồ sơ", "mục 1", "Tên giấy tờ");
    `message` is the reason, a msgid with `params`.
    """

    field: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)
    labels: tuple[str | Msg, ...] = ()

    def text(self, translate: Translate = _same) -> str:
        reason = fill(self.message, self.params, translate)
        if not self.labels:
            return reason
        names = [label.text(translate) if isinstance(label, Msg) else translate(label)
                 for label in self.labels]
        return " › ".join(names) + ": " + reason

    def as_json(self, translate: Translate = _same) -> dict[str, str]:
        return {"field": self.field, "message": self.text(translate)}


class SignageError(Exception):
    """A refusal.

    `message` (a msgid) with `params` is what people read; without a message, the
    first field problem is. `extra` carries machine-readable details for API clients
    (e.g. {"current_version": 4}).
    """

    code = "error"

    def __init__(self, message: str | None = None, *, code: str | None = None,
                 fields: Iterable[FieldProblem] = (), extra: dict[str, Any] | None = None,
                 **params: Any) -> None:
        self.message = message
        self.params = params
        self.fields = tuple(fields)
        self.extra = dict(extra or {})
        if code:
            self.code = code
        super().__init__(self.text())

    def text(self, translate: Translate = _same) -> str:
        """The message for people, in the language `translate` gives."""
        if self.message is None:
            if not self.fields:
                return translate(N_("Yêu cầu không hợp lệ."))
            return self.fields[0].text(translate)
        return fill(self.message, self.params, translate)

    @property
    def field(self) -> str | None:
        """The field the error is about, when it is about one."""
        return self.fields[0].field if self.fields else None


class BadRequest(SignageError):
    """The request itself cannot be read (not JSON, a parameter of the wrong type)."""

    code = "bad_request"


class Invalid(SignageError):
    """Data that does not validate; `fields` says where."""

    code = "validation_failed"


class NotFound(SignageError):
    code = "not_found"


class Conflict(SignageError):
    """The change clashes with what is stored (a taken code, a number already used)."""

    code = "conflict"


class InvalidState(SignageError):
    """The thing is not in a state that allows this step (approve what is not in review)."""

    code = "invalid_state"


class Forbidden(SignageError):
    """This actor may not do this."""

    code = "forbidden"


class Unauthenticated(SignageError):
    """Nobody (valid) is asking."""

    code = "unauthorized"


class TooMany(SignageError):
    """Too many attempts or requests; `retry_after` seconds until the next may pass."""

    code = "too_many_requests"

    def __init__(self, message: str | None = None, *, retry_after: int = 60, **kw: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kw)


class TooLarge(SignageError):
    """What was sent is larger than this kind of thing may be (HTTP 413)."""

    code = "payload_too_large"


class Unavailable(SignageError):
    """A dependency (database, bus, printer) is down; the change was not made."""

    code = "unavailable"

    def __init__(self, message: str | None = None, *, retry_after: int = 5, **kw: Any) -> None:
        self.retry_after = retry_after
        super().__init__(message, **kw)


def invalid(field_name: str, message: str, *, label: str | None = None,
            code: str | None = None, **params: Any) -> Invalid:
    """An `Invalid` about one field; it reads "<label>: <reason>" (or just the reason)."""
    return Invalid(code=code, fields=[FieldProblem(field_name, message, params,
                                                   (label,) if label else ())])
