"""What registered devices share — ticket kiosks and counters' rating tablets, like the
lobby screens, prove themselves with a key in their page's address: finding one by its
key, and noting when it was last seen (to the minute: not a write per request)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

D = TypeVar("D")

SEEN_PRECISION_S = 60
KEY_MAX = 64


def device_for_key(session: Session, model: type[D], key: str | None) -> D | None:
    """The device of `model` with this key, unless revoked (None for no key at all)."""
    if not key or len(key) > KEY_MAX:
        return None
    return session.scalar(_by_key(model), {"key": key})


_BY_KEY: dict[type, Any] = {}


def _by_key(model: type) -> Any:
    """The lookup statement of a model, built once (asked on every number a kiosk takes)."""
    statement = _BY_KEY.get(model)
    if statement is None:
        column: Any = model
        statement = _BY_KEY[model] = select(model).where(
            column.key == bindparam("key"), column.revoked_at.is_(None))
    return statement


def note_seen(device: Any, now: datetime) -> None:
    """Set `last_seen_at` when it is a minute old or more (bookkeeping, no audit entry)."""
    if device is not None and (device.last_seen_at is None or (
            now - device.last_seen_at).total_seconds() >= SEEN_PRECISION_S):
        device.last_seen_at = now
