"""Zones, playlists and rotation: what a zone shows at a given moment."""
