"""WebSocket frames written by hand (RFC 6455 §5.2), so one event is encoded once.

A server-to-client frame is not masked and, with permessage-deflate refused, carries
no per-connection state: the same bytes are correct on every socket. That is what
makes one encode per event possible, whatever the number of screens.
"""

from __future__ import annotations

import json
import struct
from typing import Any

OP_TEXT = 0x1
OP_BINARY = 0x2
OP_CLOSE = 0x8


class Deflated(bytes):
    """A message's JSON compressed with raw DEFLATE (RFC 1951), sent as a binary frame;
    only to a socket that announced it inflates it (a screen's `?snapshot=deflate-raw`)."""


def _frame(opcode: int, payload: bytes) -> bytes:
    n = len(payload)
    head = 0x80 | opcode  # FIN + opcode
    if n < 126:
        return struct.pack("!BB", head, n) + payload
    if n < 1 << 16:
        return struct.pack("!BBH", head, 126, n) + payload
    return struct.pack("!BBQ", head, 127, n) + payload


def text_frame(text: str) -> bytes:
    return _frame(OP_TEXT, text.encode("utf-8"))


def text_frame_bytes(payload: bytes) -> bytes:
    """A text frame of already encoded (UTF-8) text."""
    return _frame(OP_TEXT, payload)


def binary_frame(payload: bytes) -> bytes:
    return _frame(OP_BINARY, payload)


def json_frame(message: dict[str, Any]) -> bytes:
    return text_frame(dumps(message))


def close_frame(code: int, reason: str = "") -> bytes:
    return _frame(OP_CLOSE, struct.pack("!H", code) + reason.encode("utf-8")[:120])


def dumps(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"), default=str)
