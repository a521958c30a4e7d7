"""The web doors: pages, the screen socket, the REST API. They only translate: HTTP in,
one use case or query out (through the lobby), HTML or JSON back."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from signage.web import (
        admin,
        api,
        console,
        evaluation,
        fleet,
        headers,
        health,
        inputs,
        pairing,
        problems,
        queue,
        screen,
        sockets,
    )

    inputs.register(app)  # before any route: the JSON parser and the int converter
    headers.register(app)
    sockets.register(app)
    problems.register(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(screen.bp)
    app.register_blueprint(pairing.bp)
    api.register(app)
    app.register_blueprint(queue.bp)
    app.register_blueprint(evaluation.bp)
    console.register(app)
    app.register_blueprint(fleet.bp)
    admin.register(app)
