"""The lobby: what the web layer and the scheduler share, and how a change reaches the glass.

Web handlers and scheduler jobs change the store through the domain packages, then
call one of the methods here, which publishes the matching event on the Hub:
`notice.updated`, `playlist.changed`, `slide`. Nothing else talks to screens.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage import __version__
from signage.clock import Clock
from signage.config import Settings
from signage.notices.render import SlideRenderer
from signage.notices.ticker import zone_ticker
from signage.playlists import service as playlists
from signage.playlists.rotation import Showing, what_to_show
from signage.realtime.hub import PROTOCOL_VERSION, Hub
from signage.store import Store
from signage.store.models import Screen, Slide, Zone

log = logging.getLogger(__name__)


class Lobby:
    def __init__(self, settings: Settings, store: Store, hub: Hub, clock: Clock,
                 renderer: SlideRenderer) -> None:
        self.settings = settings
        self.store = store
        self.hub = hub
        self.clock = clock
        self.renderer = renderer
        self.scheduler: Any = None  # set by the serve process (signage.scheduler.Rotation)
        # Features add to the snapshot: callables (session, zone, now) -> dict merged into
        # it (the queue adds "queue", notices add "ticker", …). Registered in create_app.
        self.snapshot_parts: list[Callable[[Session, Zone, datetime], dict[str, Any]]] = []
        self._html: dict[tuple[int, int, str], str] = {}

    # ---- what a screen sees ---------------------------------------------------

    def slide_html(self, notice: dict[str, Any]) -> str:
        # Rendering is the costly part of a snapshot (1,000 screens reconnecting at
        # once ask for the same slides): cache it per notice version.
        key = (notice["id"], notice["version"], str(notice["updated_at"]))
        html = self._html.get(key)
        if html is None:
            html = self.renderer.render(notice)
            if len(self._html) > 4096:
                self._html.clear()
            self._html[key] = html
        return html

    def slide_json(self, slide: playlists.PlaylistSlide) -> dict[str, Any]:
        n = slide.notice
        return {
            "id": slide.id,
            "notice_id": n["id"],
            "kind": n["kind"],
            "title": n["title"],
            "duration": slide.duration,
            "schedule": slide.schedule,
            "html": self.slide_html(n),
        }

    def zone_view(self, zone: Zone, now: datetime) -> dict[str, Any]:
        with self.store.read() as session:
            slides = playlists.playlist(session, zone)
            office = {**playlists.office(session),
                      "hours": playlists.office_hours_json(session)}
            hours = playlists.office_hours(session)
            extra: dict[str, Any] = {}
            for part in self.snapshot_parts:
                extra.update(part(session, zone, now))
        showing = what_to_show(playlists.entries(slides), now, self.clock.tz, hours)
        return {
            **extra,
            "office": office,
            "zone": {"slug": zone.slug, "name": zone.name},
            "playlist": {"slides": [self.slide_json(s) for s in slides]},
            "showing": playlists.showing_json(showing),
        }

    def snapshot(self, screen: Screen, zone: Zone, seq: int) -> dict[str, Any]:
        now = self.clock.now()
        return {
            "type": "snapshot",
            "protocol": PROTOCOL_VERSION,
            "seq": seq,
            "at": now.isoformat(),
            "server_version": __version__,
            "timezone": self.settings.timezone,
            "screen": {"name": screen.name, "orientation": screen.orientation},
            **self.zone_view(zone, now),
        }

    # ---- changes --------------------------------------------------------------

    def notice_changed(self, notice_id: int) -> None:
        """A notice was saved: every screen of every zone showing it gets the new slide."""
        with self.store.read() as session:
            rows = session.execute(
                select(Slide, Zone.slug).join(Zone, Slide.zone_id == Zone.id)
                .where(Slide.notice_id == notice_id)
            ).all()
            by_zone: dict[str, list[dict[str, Any]]] = {}
            for slide, slug in rows:
                if slide.notice.status != "approved":
                    continue
                item = playlists.PlaylistSlide.of(slide)
                by_zone.setdefault(slug, []).append(self.slide_json(item))
            tickers = {slug: zone_ticker(session, playlists.get_zone(session, slug))
                       for slug in by_zone}
        for slug, slides in by_zone.items():
            self.hub.publish(slug, "notice.updated",
                             {"notice_id": notice_id, "slides": slides, "ticker": tickers[slug]})

    def playlists_changed(self, zone_slugs: list[str]) -> None:
        """A zone's playlist changed (slide added, removed, reordered, notice deleted)."""
        now = self.clock.now()
        for slug in zone_slugs:
            with self.store.read() as session:
                zone = playlists.get_zone(session, slug)
            if zone is None:
                continue
            view = self.zone_view(zone, now)
            self.hub.publish(slug, "playlist.changed",
                             {"playlist": view["playlist"], "showing": view["showing"],
                              "office": view["office"],
                              "ticker": view.get("ticker", [])})
            if self.scheduler is not None:
                self.scheduler.reschedule(slug, publish=False)

    def show(self, zone_slug: str, showing: Showing | None) -> None:
        """Publish the rotation's `slide` event (the scheduler calls this at boundaries)."""
        self.hub.publish(zone_slug, "slide", {"showing": playlists.showing_json(showing)})
