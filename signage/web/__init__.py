"""Blueprints: screen (+ WebSocket), API, health. Thin: HTTP in, domain calls, Hub out."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    # notices_api puts its routes on api.bp: imported before the blueprint is registered.
    from signage.web import api, errors, health, notices_api, screen  # noqa: F401

    errors.register(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(screen.bp)
    app.register_blueprint(api.bp)
    from signage.web import queue, queue_api

    app.register_blueprint(queue.bp)
    app.register_blueprint(queue_api.bp)
    from signage.web import playlists_api

    app.register_blueprint(playlists_api.bp)
    from signage.web import admin

    admin.register(app)
