"""How a call is spoken and shown: the office's settings, and the `queue.call` event.

Settings live in the `settings` table under the key "queue": `reading` ("digits" |
"number"), `zero_ten` ("lẻ" | "linh"), `thousand` ("nghìn" | "ngàn"), `sentence` (the
call's opening: "kinh_moi" | "xin_moi" | "cong_dan_to_chuc", signage.queueing.speech),
`repeat` (1–5) and `overlay_seconds` (how long the big number stands over the
rotation). Their validation is the use case's (signage.usecases.queue.SpeechSettingsIn).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.queueing.calling import CounterAction
from signage.queueing.catalog import counter_zone_slugs
from signage.queueing.speech import (
    PHRASE_TEXTS,
    SENTENCE_OPENINGS,
    call_phrase,
    call_text,
    clip_id,
    compact_phrase,
    compact_text,
)
from signage.store.models_queue import QueueCounter, QueueEvent, Ticket
from signage.store.settings import read_setting, write_setting

SETTINGS_KEY = "queue"
DEFAULTS: dict[str, Any] = {"reading": "digits", "zero_ten": "lẻ", "thousand": "nghìn",
                            "sentence": "kinh_moi", "repeat": 2, "overlay_seconds": 8}


# What the big-number card says above a recalled ticket, per call sentence.
RECALL_LEADS = {"kinh_moi": "Xin mời lại công dân có số thứ tự",
                "xin_moi": "Xin mời lại số thứ tự",
                "cong_dan_to_chuc": "Xin mời lại công dân, tổ chức có số thứ tự"}


def speech_settings(session: Session) -> dict[str, Any]:
    return read_setting(session, SETTINGS_KEY, DEFAULTS)


def store_speech_settings(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    """Store some of the settings (already validated); returns them all."""
    return write_setting(session, SETTINGS_KEY, DEFAULTS, values)


def announcement(display: str, counter_number: int, settings: dict[str, Any]) -> dict[str, Any]:
    """The spoken call: clip ids for speech.js, the same sentence as text, repeats; and
    the call as an item of a compact list (`compact`), which a screen reads instead
    when several calls wait (docs/voice.md)."""
    mode, zero_ten = settings["reading"], settings["zero_ten"]
    words = {"thousand": settings["thousand"]}
    opening = SENTENCE_OPENINGS[settings["sentence"]]
    tokens = call_phrase(display, counter_number, mode, zero_ten, sentence=settings["sentence"],
                         **words)
    letters, rest = compact_phrase(display, counter_number, mode, zero_ten, **words)
    return {
        "tokens": [clip_id(t) for t in tokens],
        "text": call_text(display, counter_number, mode, zero_ten, sentence=settings["sentence"],
                          **words),
        "repeat": settings["repeat"],
        "lead": PHRASE_TEXTS[opening],
        "compact": {
            "opening": clip_id(opening),
            "prefix": [clip_id(t) for t in letters],
            "tokens": [clip_id(t) for t in rest],
            "text": compact_text(display, counter_number, mode, zero_ten, **words),
        },
    }


def call_payload(session: Session, ticket: Ticket, counter: QueueCounter, event: QueueEvent,
                 settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """A (re)call as the screens hear it: the `queue.call` payload (docs/queue.md, "To the
    screens"), named by `call_id` (the id of its row in queue_events: the same call has
    the same id in the live event and in a snapshot's `recent_calls`)."""
    settings = settings if settings is not None else speech_settings(session)
    recall = event.kind == "recalled"
    return {
        "call_id": event.id,
        "called_at": event.at.isoformat(),
        "ticket": ticket.display,
        "ticket_id": ticket.id,
        "counter": counter.number,
        "counter_id": counter.id,
        "counter_name": counter.name,
        "officer": counter.officer,  # the officer on duty there (signage.evaluation.duty)
        "service": ticket.queue_service.code,
        "service_name": ticket.queue_service.name,
        "recall": recall,
        "overlay_seconds": settings["overlay_seconds"],
        **announcement(ticket.display, counter.number, settings),
        **({"lead": RECALL_LEADS[settings["sentence"]]} if recall else {}),
    }


def call_event(session: Session, action: CounterAction) -> tuple[tuple[str, ...], dict[str, Any]]:
    """A (re)call as the screens hear it: the zones that show the counter, and the
    `queue.call` payload. Built inside the write transaction that made the call, so it
    says exactly what was committed; published after commit."""
    ticket, counter = action.ticket, action.counter
    session.flush()  # the call's row in queue_events gets its id: the call's id
    event = session.scalar(select(QueueEvent).where(QueueEvent.ticket_id == ticket.id,
                                                    QueueEvent.kind == action.kind)
                           .order_by(QueueEvent.id.desc()).limit(1))
    return tuple(counter_zone_slugs(session, counter)), call_payload(session, ticket, counter, event)


def recent_call_payloads(session: Session, counter_ids: list[int], since: datetime
                         ) -> list[dict[str, Any]]:
    """The (re)calls at these counters since `since`, oldest first, as `queue.call`
    payloads: a screen that missed one in a gap announces it from its snapshot."""
    if not counter_ids:
        return []
    rows = session.execute(
        select(QueueEvent, Ticket, QueueCounter)
        .join(Ticket, Ticket.id == QueueEvent.ticket_id)
        .join(QueueCounter, QueueCounter.id == QueueEvent.counter_id)
        .where(QueueEvent.kind.in_(("called", "recalled")), QueueEvent.at >= since,
               QueueEvent.counter_id.in_(counter_ids))
        .order_by(QueueEvent.id)).all()
    settings = speech_settings(session) if rows else {}
    return [call_payload(session, ticket, counter, event, settings)
            for event, ticket, counter in rows]
