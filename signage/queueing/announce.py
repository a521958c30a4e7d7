"""How a call is spoken: the office's settings, and the call as clip tokens and text.

Settings live in the `settings` table under the key "queue":
`reading` ("digits" | "number"), `zero_ten` ("lẻ" | "linh"), `repeat` (1–5) and
`overlay_seconds` (how long the big number stands over the rotation).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from signage.queueing.errors import QueueError
from signage.queueing.speech import call_phrase, call_text, clip_id
from signage.store.models import Setting

SETTINGS_KEY = "queue"
DEFAULTS: dict[str, Any] = {"reading": "digits", "zero_ten": "lẻ", "repeat": 2,
                            "overlay_seconds": 8}


def speech_settings(session: Session) -> dict[str, Any]:
    row = session.get(Setting, SETTINGS_KEY)
    stored = row.value if row and isinstance(row.value, dict) else {}
    return {**DEFAULTS, **{k: v for k, v in stored.items() if k in DEFAULTS}}


def set_speech_settings(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Change some of the settings (admin); returns them all."""
    if not isinstance(values, dict):
        raise QueueError("invalid", "Cần một đối tượng JSON.")
    unknown = set(values) - set(DEFAULTS)
    if unknown:
        raise QueueError("invalid", f"Cài đặt không hỗ trợ: {', '.join(sorted(unknown))}.")
    if "reading" in values and values["reading"] not in ("digits", "number"):
        raise QueueError("invalid", "reading phải là digits (đọc từng chữ số) hoặc number "
                         "(đọc thành số).", field="reading")
    if "zero_ten" in values and values["zero_ten"] not in ("lẻ", "linh"):
        raise QueueError("invalid", "zero_ten phải là \"lẻ\" hoặc \"linh\".", field="zero_ten")
    for key, lo, hi in (("repeat", 1, 5), ("overlay_seconds", 3, 60)):
        if key in values:
            value = values[key]
            if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
                raise QueueError("invalid", f"{key} phải là số nguyên từ {lo} đến {hi}.",
                                 field=key)
    merged = {**speech_settings(session), **values}
    row = session.get(Setting, SETTINGS_KEY)
    if row is None:
        session.add(Setting(key=SETTINGS_KEY, value=merged))
    else:
        row.value = merged
    return merged


def announcement(display: str, counter_number: int, settings: dict[str, Any]) -> dict[str, Any]:
    """The spoken call: clip ids for SignageSpeech, the same sentence as text, repeats."""
    mode, zero_ten = settings["reading"], settings["zero_ten"]
    tokens = call_phrase(display, counter_number, mode, zero_ten)
    return {
        "tokens": [clip_id(t) for t in tokens],
        "text": call_text(display, counter_number, mode, zero_ten),
        "repeat": settings["repeat"],
    }
