"""Transitional bridge: the notice routes still live on the old blueprint."""

from signage.web import notices_api  # noqa: F401  (its routes are on api_old.bp)
from signage.web.api_old import bp  # noqa: F401
