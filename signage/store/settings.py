"""Office settings kept as one JSON value per key in the `settings` table, read with
their defaults (a key never stored, or stored before a setting existed, reads as the
defaults) and written by merging."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from signage.store.models import Setting


def read_setting(session: Session, key: str, defaults: dict[str, Any]) -> dict[str, Any]:
    """The stored values of `key` over `defaults` (unknown stored names are ignored)."""
    row = session.get(Setting, key)
    stored = row.value if row and isinstance(row.value, dict) else {}
    return {**defaults, **{k: v for k, v in stored.items() if k in defaults}}


def write_setting(session: Session, key: str, defaults: dict[str, Any],
                  values: dict[str, Any]) -> dict[str, Any]:
    """Store some values of `key` (already validated); returns them all."""
    merged = {**read_setting(session, key, defaults),
              **{k: v for k, v in values.items() if k in defaults}}
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=merged))
    else:
        row.value = merged  # a new dict: the JSON column sees the change
    return merged
