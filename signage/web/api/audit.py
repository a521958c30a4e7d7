"""Transitional: routes still elsewhere (see users.py, services.py, playlists.py)."""

from signage.web.api import blueprint

bp = blueprint("audit")
