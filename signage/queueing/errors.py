"""The error a user (citizen, officer, admin) can cause in the queue."""

from __future__ import annotations

from typing import Any

# code -> the HTTP status the web layer answers with
STATUS = {
    "not_found": 404,
    "queue_empty": 404,
    "invalid": 422,
    "conflict": 409,
    "closed": 409,
    "cap_reached": 409,
    "range_exhausted": 409,
    "no_current_ticket": 409,
    "wrong_state": 409,
}


class QueueError(Exception):
    """A refusal with a stable code and a Vietnamese message (what the person reads)."""

    def __init__(self, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.code, self.message, self.extra = code, message, extra

    @property
    def status(self) -> int:
        return STATUS.get(self.code, 400)
