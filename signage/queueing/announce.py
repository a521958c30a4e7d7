"""How a call is spoken and shown: the office's settings, and the `queue.call` event.

Settings live in the `settings` table under the key "queue": `reading` ("digits" |
"number"), `zero_ten` ("lẻ" | "linh"), `repeat` (1–5) and `overlay_seconds` (how long
the big number stands over the rotation). Their validation is the use case's
(signage.usecases.queue.SpeechSettingsIn).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from signage.queueing.calling import CounterAction
from signage.queueing.catalog import counter_zone_slugs
from signage.queueing.speech import call_phrase, call_text, clip_id
from signage.store.settings import read_setting, write_setting

SETTINGS_KEY = "queue"
DEFAULTS: dict[str, Any] = {"reading": "digits", "zero_ten": "lẻ", "repeat": 2,
                            "overlay_seconds": 8}


def speech_settings(session: Session) -> dict[str, Any]:
    return read_setting(session, SETTINGS_KEY, DEFAULTS)


def store_speech_settings(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Store some of the settings (already validated); returns them all."""
    return write_setting(session, SETTINGS_KEY, DEFAULTS, values)


def announcement(display: str, counter_number: int, settings: dict[str, Any]) -> dict[str, Any]:
    """The spoken call: clip ids for SignageSpeech, the same sentence as text, repeats."""
    mode, zero_ten = settings["reading"], settings["zero_ten"]
    tokens = call_phrase(display, counter_number, mode, zero_ten)
    return {
        "tokens": [clip_id(t) for t in tokens],
        "text": call_text(display, counter_number, mode, zero_ten),
        "repeat": settings["repeat"],
    }


def call_event(session: Session, action: CounterAction) -> tuple[tuple[str, ...], dict[str, Any]]:
    """A (re)call as the screens hear it: the zones that show the counter, and the
    `queue.call` payload (docs/queue.md, "To the screens"). Built inside the write
    transaction that made the call, so it says exactly what was committed; published
    after commit."""
    ticket, counter = action.ticket, action.counter
    settings = speech_settings(session)
    return tuple(counter_zone_slugs(session, counter)), {
        "ticket": ticket.display,
        "ticket_id": ticket.id,
        "counter": counter.number,
        "counter_id": counter.id,
        "counter_name": counter.name,
        "service": ticket.queue_service.code,
        "service_name": ticket.queue_service.name,
        "recall": action.kind == "recalled",
        "overlay_seconds": settings["overlay_seconds"],
        **announcement(ticket.display, counter.number, settings),
    }
