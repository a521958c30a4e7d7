"""The app factory. Builds settings, store, Hub, lobby and blueprints; starts no thread."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask

from signage.clock import SystemClock
from signage.config import load_settings
from signage.fleet import Fleet
from signage.lobby import Lobby
from signage.notices.render import SlideRenderer
from signage.notices.ticker import ticker_part
from signage.publishing import Publisher
from signage.queueing.views import panel as queue_panel
from signage.queueing.views import queue_state
from signage.queueing.views import snapshot_part as queue_snapshot
from signage.realtime.hub import make_hub
from signage.resources import STATIC_DIR, bundled_path
from signage.store import Store
from signage.usecases import Actor
from signage.usecases.alerts import snapshot_part as alerts_snapshot
from signage.usecases.alerts import zone_alerts
from signage.usecases.reports import results_slide
from signage.usecases.screens import record_health
from signage.usecases.tablets import counter_ids, tablet_view


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. `config` overrides settings by field name (tests use it)."""
    config = dict(config or {})
    clock = config.pop("clock", None)
    settings = load_settings(config)
    app = Flask(
        "signage",
        template_folder=str(bundled_path("templates")),
        static_folder=str(STATIC_DIR),
        static_url_path="/static",
    )
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        SEND_FILE_MAX_AGE_DEFAULT=3600,
        SOCK_SERVER_OPTIONS={
            "ping_interval": settings.ping_interval,
            "max_message_size": settings.max_message_size,
        },
    )
    app.json.ensure_ascii = False
    clock = clock or SystemClock(settings.tz)
    store = Store(settings.database_url)
    hub = make_hub(settings.redis_url, clock.now, settings.outbox_limit, settings.redis_prefix)
    publisher = Publisher(settings, store, hub, clock, SlideRenderer(bundled_path("templates")))
    publisher.snapshot_parts.append(ticker_part)  # law-outreach texts for the screens' ticker
    publisher.snapshot_parts.append(queue_snapshot)  # the screens' queue panel
    publisher.snapshot_parts.append(alerts_snapshot)  # emergency alerts over everything
    publisher.zone_alerts = zone_alerts
    publisher.queue_panel = lambda session, zone, now: queue_panel(session, zone, now, clock.tz)
    publisher.console_state = lambda session, now: queue_state(session, now, clock.tz)
    publisher.tablet_state = tablet_view  # the counters' rating tablets
    publisher.counter_ids = counter_ids
    # The results slide: last month's satisfaction, drawn from the ratings.
    publisher.slide_figures["results"] = lambda session, now: results_slide(session, now, clock.tz)
    lobby = Lobby(settings, store, publisher, clock)
    lobby.fleet = Fleet(clock.now, lambda reports: lobby.perform(record_health, Actor.system(),
                                                                 reports),
                        publisher.publish_fleet, settings.screen_stale_after)
    app.extensions["signage"] = lobby

    from signage.web import auth, register
    from signage.web.admin import i18n

    auth.init_app(app)  # staff sessions, CSRF, cookie flags
    i18n.init_app(app)  # Flask-Babel: Vietnamese, English
    register(app)
    logging.getLogger("signage").setLevel(logging.INFO)
    return app


def lobby_of(app: Flask) -> Lobby:
    return app.extensions["signage"]
