"""Transitional bridge: the queue routes still live on the old blueprint."""

from signage.web.queue_api import bp  # noqa: F401
