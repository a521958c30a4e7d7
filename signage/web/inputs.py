"""What the web accepts before anything looks at it: JSON a program can parse safely,
and whole numbers in paths and bodies that fit the database.

- JSON nested deeper than MAX_DEPTH, or with a whole number beyond ±(2**53 − 1) (what
  JavaScript and most clients can represent exactly, and far beyond any id here), is not
  JSON we read: `get_json` gives None and the door answers 400 `invalid_json`, where
  Python's parser would have overflowed its stack or SQLite its 64-bit integers (500).
- `<int:…>` in a route matches 1 … 2**31 − 1 only: a larger number is an unknown
  resource (404), never an overflow inside the query.

Screen and console sockets parse their messages with `loads` too.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from werkzeug.routing import IntegerConverter

MAX_DEPTH = 64
MAX_SAFE_INTEGER = 2**53 - 1
MAX_ID = 2**31 - 1


class NotOurJSON(ValueError):
    """Parsable in principle, but not what any client of ours sends."""


def _integer(text: str) -> int:
    value = int(text)
    if abs(value) > MAX_SAFE_INTEGER:
        raise NotOurJSON("a whole number too large")
    return value


def _depth_ok(text: str | bytes) -> bool:
    """Cheap pre-check of the nesting depth, before the recursive parser sees it."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    depth, in_string, escaped = 0, False, False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def loads(text: str | bytes, **kwargs: Any) -> Any:
    """json.loads for what comes from outside; raises ValueError on what we refuse."""
    if not _depth_ok(text):
        raise NotOurJSON("nested too deep")
    try:
        return json.loads(text, parse_int=_integer, **kwargs)
    except RecursionError:
        raise NotOurJSON("nested too deep") from None


class SafeJSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return loads(s, **kwargs)


class IdConverter(IntegerConverter):
    """`<int:…>`: a positive whole number that fits an id column."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 0)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


_DAY = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*")


def iso_day(text: str) -> str:
    """A day typed as Vietnamese write it (dd/mm/yyyy; d/m and . or - too) in ISO form;
    anything else unchanged, for the parser behind to read or refuse. The admin's date
    fields are text, so the browser's locale never turns 01/12 into January."""
    match = _DAY.fullmatch(text)
    return f"{match[3]}-{int(match[2]):02d}-{int(match[1]):02d}" if match else text


def register(app: Flask) -> None:
    """Call before any route is added (converters are looked up as rules are made)."""
    ensure_ascii = app.json.ensure_ascii
    app.json = SafeJSONProvider(app)
    app.json.ensure_ascii = ensure_ascii
    app.url_map.converters["int"] = IdConverter
