"""/api/v1/queue: the day's queue (anyone: no personal data, no tokens) and how calls
are spoken (read: anyone; change: admin)."""

from __future__ import annotations

from signage.usecases import ADMIN
from signage.usecases import queue as queue_uc
from signage.usecases import tickets as tickets_uc
from signage.web.api import PUBLIC, blueprint, lobby, operation, perform, query

bp = blueprint("queue")


@operation(bp, "GET", "/queue", summary="The queue today: counters, waiting, last calls",
           roles=PUBLIC, responses={200: tickets_uc.QueueState})
def queue_state():
    """Services with their waiting counts, counters with their current ticket, the
    waiting line in the order it will be called, set-aside tickets, the last calls."""
    clock = lobby().clock
    return query(tickets_uc.queue_state, clock.now(), clock.tz)


@operation(bp, "GET", "/queue/settings", summary="How calls are spoken and shown",
           roles=PUBLIC, responses={200: queue_uc.SpeechSettings})
def speech_settings():
    return query(queue_uc.get_speech_settings)


@operation(bp, "PUT", "/queue/settings", summary="Change how calls are spoken (admin)",
           roles=ADMIN, body=queue_uc.SpeechSettingsIn, responses={200: queue_uc.SpeechSettings})
def update_speech_settings(body):
    """The settings given change; screens use them from the next call."""
    return perform(queue_uc.update_speech_settings, body)
