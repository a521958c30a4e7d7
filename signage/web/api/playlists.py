"""Transitional bridge: the playlist routes still live on the old blueprint."""

from signage.web.playlists_api import bp  # noqa: F401
