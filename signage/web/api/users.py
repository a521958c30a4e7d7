"""Transitional bridge: users and audit still live on the old admin API blueprint."""

from signage.web.admin.api import bp  # noqa: F401
