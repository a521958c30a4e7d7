"""How a change reaches the glass: the only module that talks to the Hub.

Use cases record domain events (signage.events) on their `Change`; after commit,
`Lobby.perform` hands them to `Publisher.publish`, which reads what the screens need
and publishes the matching protocol events (docs/protocol.md):

    NoticeChanged   -> notice.updated   (the zones showing it)
    PlaylistChanged -> playlist.changed (those zones; the rotation is rescheduled)
    ZoneChanged     -> zone.updated     (that zone: its slug and name, nothing more)
    OfficeChanged   -> office.updated   (every zone: the office's names, welcome card and
                                         hours) + slide (what to show now: the hours may
                                         have opened or closed the screens)
    QueueCalled     -> queue.call       (at once) + the queue refresh below
    QueueChanged    -> queue.updated per zone and queue.state for counter consoles,
                       coalesced: a burst of tickets makes one refresh a moment later
    ScreenRevoked   -> that screen's sockets close (1008)
    ScreenPaired    -> screen.paired on the waiting TV's pairing channel (it goes to its page)
    ScreensChanged  -> fleet.changed to the admins' fleet pages (they read the fleet again)
    AlertsChanged   -> alerts.updated (those zones, or every zone: the zone's active alerts)
    ScreensCommanded -> screen.reload / screen.identify / screen.screenshot (those zones;
                       `screen_id` names the one screen meant, null every screen of the zone)
    ScreenshotTaken -> fleet.screenshot to the admins' fleet pages (they show the new picture)
    CounterActed    -> tablet.serving, and rating.ask when a ticket was served to the end
                       (the counter's rating tablets; no read: the use case built them)
    TicketRated     -> rating.done (the counter's tablets), and the results slides'
                       figures read again (notice.updated where they changed)
    DutyChanged     -> tablet.state (that counter's tablets: the officer on duty)
    RatingSettingsChanged, OfficeChanged -> tablet.state (every counter's tablets)
    TabletRevoked   -> that tablet's sockets close (1008)

Health reports of screens (signage.fleet) reach the fleet pages through `publish_fleet`.

Slides whose figures come from the data (the results slide: last month's ratings) are
rendered with `slide_figures`; `refresh_figures` (after a rating; the scheduler: each
office midnight, and hourly) reads them again and sends `notice.updated` to the zones showing such a
slide when they changed.

The scheduler publishes the rotation's `slide` through `show`. The WebSocket doors
(screens, counter consoles) attach their sockets through `attach`/`start`/`detach`
and never see the Hub either.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import zlib
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.clock import Clock
from signage.events import (
    AlertsChanged,
    CounterActed,
    DutyChanged,
    Event,
    NoticeChanged,
    OfficeChanged,
    PlaylistChanged,
    QueueCalled,
    QueueChanged,
    RatingSettingsChanged,
    ScreenPaired,
    ScreenRevoked,
    ScreensChanged,
    ScreensCommanded,
    ScreenshotTaken,
    TabletRevoked,
    TicketRated,
    ZoneChanged,
)
from signage.notices.render import SlideRenderer
from signage.notices.ticker import zone_ticker
from signage.playlists import service as playlists
from signage.playlists.rotation import Showing, what_to_show, with_next
from signage.realtime.fanout import Peer
from signage.realtime.frames import Deflated, dumps
from signage.realtime.hub import CONTROL, PROTOCOL_VERSION, Hub
from signage.resources import static_version
from signage.store import Store
from signage.store.models import Notice, Slide, Zone
from signage.version import __version__

log = logging.getLogger(__name__)

# The channel counter consoles subscribe to (a name no zone slug can have).
CONSOLES = "@consoles"
# The channel admins' fleet pages listen on (signage.web.fleet).
FLEET = "@fleet"
# A counter's rating tablets listen on "@tablet:<counter id>".
TABLETS = "@tablet:"
QUEUE_REFRESH_DELAY_S = 0.2
SNAPSHOT_TTL_S = 30.0
QUEUE_REFRESH_SHARE = 9  # wait at least 9× the last refresh's time before the next
QUEUE_REFRESH_MAX_DELAY_S = 1.0

__all__ = ["CONSOLES", "FLEET", "PROTOCOL_VERSION", "Connection", "Publisher", "pairing_channel",
           "tablet_channel"]


def _deflate(data: bytes, final: bool = True) -> bytes:
    """Raw DEFLATE (no zlib header: the page's DecompressionStream("deflate-raw")); not
    `final`: flushed to a byte boundary with the stream left open, for more to follow."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if final
                                                        else zlib.Z_SYNC_FLUSH)


def _deflated_tail(body: bytes, deflated: list[bytes]) -> bytes:
    """A zone body's compressed tail (everything after its opening brace), made once per
    build and kept in `deflated` (a race makes it twice: harmless)."""
    if not deflated:
        deflated.append(_deflate(body[1:]))
    return deflated[0]


def pairing_channel(pairing_id: int) -> str:
    """The channel a TV showing a pairing code listens on (no zone slug starts with @)."""
    return f"@pair:{pairing_id}"


def tablet_channel(counter_id: int) -> str:
    """The channel a counter's rating tablets listen on."""
    return f"{TABLETS}{counter_id}"


class Connection:
    """One socket attached to a channel (a zone's screen, or a counter console)."""

    def __init__(self, publisher: Publisher, peer: Peer,
                 snapshot: Callable[[int], dict[str, Any] | bytes]) -> None:
        self._publisher = publisher
        self.peer = peer
        self._snapshot = snapshot

    def start(self) -> None:
        """Send a snapshot, then live events (again on a client's "resync")."""
        self._publisher.hub.start(self.peer, self._snapshot)

    def reply(self, type: str, data: dict[str, Any] | None = None) -> None:
        self._publisher.hub.reply(self.peer, type, data)

    def drop(self, code: int, reason: str = "") -> None:
        """Close the socket from our side (the handler's receive then ends)."""
        self._publisher.hub.drop(self.peer, code, reason)

    def close(self) -> None:
        self._publisher.hub.disconnect(self.peer)


class Publisher:
    def __init__(self, settings: Any, store: Store, hub: Hub, clock: Clock,
                 renderer: SlideRenderer) -> None:
        self.settings = settings
        self.store = store
        self.hub = hub
        self.clock = clock
        self.renderer = renderer
        # Called with a zone slug after its playlist changed (the rotation's scheduler
        # reschedules it); set by the serve process.
        self.on_playlist_changed: Callable[[str], None] | None = None
        # Features add to the snapshot: callables (session, zone, now) -> dict merged
        # into it (the queue adds "queue", notices add "ticker"). Registered in create_app.
        self.snapshot_parts: list[Callable[[Session, Zone, datetime], dict[str, Any]]] = []
        # The counter consoles' snapshot and queue.state: (session, now) -> dict.
        self.console_state: Callable[[Session, datetime], dict[str, Any]] | None = None
        self.queue_panel: Callable[[Session, Zone, datetime], dict[str, Any]] | None = None
        # A zone's active emergency alerts: (session, zone, now) -> list (signage.app).
        self.zone_alerts: Callable[[Session, Zone, datetime], list[dict[str, Any]]] | None = None
        # A counter's rating tablet: (session, counter id, now) -> its view; and the ids
        # of every counter (to tell them all of a new scale). Registered in create_app.
        self.tablet_state: Callable[[Session, int, datetime], dict[str, Any]] | None = None
        self.counter_ids: Callable[[Session], list[int]] | None = None
        # In a process that serves no screens (the CLI on the embedded default), events
        # are handed to the serving process instead (signage.relay).
        self.relay: Callable[[list[Event]], None] | None = None
        # Slide kinds drawn from the data: kind -> (session, now) -> the figures the
        # template gets as `f` (signage.app registers the results slide's).
        self.slide_figures: dict[str, Callable[[Session, datetime], dict[str, Any]]] = {}
        # kind -> (office day, figures, their digest): read once a day, or on refresh.
        self._figures: dict[str, tuple[date, dict[str, Any], str]] = {}
        self._figures_lock = threading.Lock()
        self._html: dict[tuple[Any, ...], str] = {}
        # zone -> ((seq, epoch), expires at (monotonic), the encoded view, the same
        # deflated or None until a screen asked for it): _zone_body.
        self._snapshots: dict[str, tuple[tuple[int, str], float, bytes, list[bytes]]] = {}
        self._snapshot_locks: dict[str, threading.Lock] = {}
        self.snapshot_builds = 0  # how many zone views were built for snapshots
        # How many times sockets were looked for to close (a revocation): counted before
        # looking, so a socket door that reads it, checks a key, registers its socket
        # and reads it again knows whether a revocation may have missed that socket.
        self.drops = 0
        self.closing = False  # close_all was called: the server is stopping
        self._queue_dirty = threading.Event()
        self._queue_thread: threading.Thread | None = None
        self._queue_lock = threading.Lock()
        hub.on_control = self._on_control

    def _on_control(self, message: dict[str, Any]) -> None:
        if message.get("type") == "screen.revoked":
            self.drop_screen(message.get("screen_id"), "revoked")
        elif message.get("type") == "tablet.revoked":
            self._drop(lambda info: info.get("tablet_id") == message.get("tablet_id"), "revoked")

    # ---- events after commit ----------------------------------------------------------

    def publish(self, events: Iterable[Event]) -> None:
        """Publish what a committed change did. Never raises: the change stands, and a
        screen that missed an event catches up from its next snapshot."""
        events = list(dict.fromkeys(events))  # in order, duplicates merged
        if self.relay is not None:
            self.relay(events)
            return
        zones: list[str] = []
        office = False
        rated = False  # the results slides' figures are read again
        tablets: set[int | None] = set()  # counters whose tablets redraw (None: all)
        for event in events:
            try:
                match event:
                    case QueueCalled(zones=call_zones, call=call):
                        for slug in call_zones:
                            self.hub.publish(slug, "queue.call", call)
                        self.queue_changed()
                    case QueueChanged():
                        self.queue_changed()
                    case NoticeChanged(notice_id=notice_id):
                        self.notice_changed(notice_id)
                    case PlaylistChanged(zones=changed):
                        zones.extend(changed)
                    case ZoneChanged(zone=slug):
                        self.zone_changed(slug)
                    case OfficeChanged():
                        office = True
                    case ScreenRevoked(screen_id=screen_id):
                        # Every process closes its sockets of the screen (signage.realtime:
                        # the control channel reaches them all).
                        self.hub.publish(CONTROL, "screen.revoked", {"screen_id": screen_id})
                    case CounterActed(counter_id=counter_id, serving=serving, ask=ask):
                        channel = tablet_channel(counter_id)
                        self.hub.publish(channel, "tablet.serving", {"serving": serving})
                        if ask is not None:
                            self.hub.publish(channel, "rating.ask", {"ask": ask})
                    case TicketRated(counter_id=counter_id, ticket_id=ticket_id):
                        self.hub.publish(tablet_channel(counter_id), "rating.done",
                                         {"ticket": ticket_id})
                        rated = True
                    case DutyChanged(counter_id=counter_id):
                        tablets.add(counter_id)
                    case RatingSettingsChanged():
                        tablets.add(None)
                    case TabletRevoked(tablet_id=tablet_id):
                        self.hub.publish(CONTROL, "tablet.revoked", {"tablet_id": tablet_id})
                    case ScreenPaired(pairing_id=pairing_id):
                        self.hub.publish(pairing_channel(pairing_id), "screen.paired")
                    case ScreensChanged():
                        self.hub.publish(FLEET, "fleet.changed")
                    case ScreenshotTaken(screen_id=screen_id, taken_at=taken_at):
                        self.hub.publish(FLEET, "fleet.screenshot",
                                         {"screen_id": screen_id, "screenshot_at": taken_at})
                    case AlertsChanged(zones=alert_zones):
                        self.alerts_changed(alert_zones)
                    case ScreensCommanded(command=command, zones=command_zones,
                                          screen_id=screen_id, data=data):
                        for slug in command_zones:
                            self.hub.publish(slug, f"screen.{command}",
                                             {"screen_id": screen_id, **data})
            except Exception:
                log.exception("publishing %r failed; screens resync from their next snapshot",
                              event)
        if office:
            tablets.add(None)
            try:
                self.office_changed()
            except Exception:
                log.exception("publishing the office's change failed")
        if tablets:
            try:
                self.tablets_changed(None if None in tablets else sorted(tablets))
            except Exception:
                log.exception("publishing the tablets' state failed")
        if rated:
            try:
                self.refresh_figures()
            except Exception:
                log.exception("refreshing the results slides failed")
        if zones:
            try:
                self.playlists_changed(list(dict.fromkeys(zones)))
            except Exception:
                log.exception("publishing playlist changes of %s failed", zones)

    # ---- what a screen sees -----------------------------------------------------------

    def figures(self, kind: str, now: datetime | None = None) -> tuple[dict[str, Any] | None, str]:
        """(the figures a slide of this kind is drawn with, their digest); (None, "")
        for the kinds an editor writes whole. Read once per office day (or on refresh)."""
        if kind not in self.slide_figures:
            return None, ""
        now = now or self.clock.now()
        cached = self._figures.get(kind)
        if cached is not None and cached[0] == now.astimezone(self.clock.tz).date():
            return cached[1], cached[2]
        return self._read_figures(kind, now)[1:]

    def _read_figures(self, kind: str, now: datetime) -> tuple[date, dict[str, Any], str]:
        with self._figures_lock:
            with self.store.read() as session:
                figures = self.slide_figures[kind](session, now)
            digest = hashlib.sha256(dumps(figures).encode()).hexdigest()[:16]
            entry = (now.astimezone(self.clock.tz).date(), figures, digest)
            self._figures[kind] = entry
            return entry

    def refresh_figures(self) -> list[int]:
        """Read the data-drawn slides' figures again; where they changed, the zones
        showing such a slide get it redrawn (notice.updated). The notices sent."""
        now = self.clock.now()
        sent: list[int] = []
        for kind in list(self.slide_figures):
            before = self._figures.get(kind)
            after = self._read_figures(kind, now)
            if before is not None and before[2] == after[2]:
                continue
            with self.store.read() as session:
                ids = list(session.scalars(
                    select(Notice.id).where(Notice.kind == kind, Notice.status == "approved")
                    .where(Notice.id.in_(select(Slide.notice_id))).order_by(Notice.id)))
            for notice_id in ids:
                self.notice_changed(notice_id)
            sent += ids
        return sent

    def render_slide(self, notice: dict[str, Any]) -> str:
        """A notice's slide HTML now (not cached: the editor's preview)."""
        return self.renderer.render(notice, self.figures(notice["kind"])[0])

    def slide_html(self, notice: dict[str, Any]) -> str:
        # Rendering is the costly part of a snapshot (1,000 screens reconnecting at
        # once ask for the same slides): cache it per notice version (and figures).
        figures, digest = self.figures(notice["kind"])
        key = (notice["id"], notice["version"], str(notice["updated_at"]), digest)
        html = self._html.get(key)
        if html is None:
            html = self.renderer.render(notice, figures)
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

    def zone_view(self, zone_slug: str, now: datetime) -> dict[str, Any] | None:
        """What a zone's screens show at `now` (None: no such zone)."""
        with self.store.read() as session:
            zone = playlists.get_zone(session, zone_slug)
            if zone is None:
                return None
            slides = playlists.playlist(session, zone)
            office = {**playlists.office(session),
                      "hours": playlists.office_hours_json(session)}
            hours = playlists.office_hours(session)
            extra = self._parts(session, zone, now)
        ring = playlists.entries(slides)
        showing = with_next(what_to_show(ring, now, self.clock.tz, hours), ring, self.clock.tz,
                            hours)
        return {
            **extra,
            "office": office,
            "zone": {"slug": zone.slug, "name": zone.name},
            "playlist": {"slides": [self.slide_json(s) for s in slides]},
            "showing": playlists.showing_json(showing),
        }

    def _parts(self, session: Session, zone: Zone, now: datetime) -> dict[str, Any]:
        extra: dict[str, Any] = {}
        for part in self.snapshot_parts:
            extra.update(part(session, zone, now))
        return extra

    def zone_parts(self, zone_slug: str) -> dict[str, Any] | None:
        """What the features add to a zone's screens now (queue panel, ticker …), without
        the slides: the notice editor's preview takes the same room with them, so it
        pages a notice as the zone's TVs do. None: no such zone."""
        with self.store.read() as session:
            zone = playlists.get_zone(session, zone_slug)
            return None if zone is None else self._parts(session, zone, self.clock.now())

    def screen_snapshot(self, screen: dict[str, Any], seq: int, deflate: bool = False) -> bytes:
        """The first message a screen gets (and again on resync), as encoded JSON, or
        with `deflate` that JSON compressed with raw DEFLATE (`Deflated`: a binary frame).

        What the zone shows is built and encoded once per (zone, seq, epoch) and shared
        by every screen of the zone (`_zone_body`), and so is its compressed form: after
        a restart 1,000 TVs asking at once cost one build, not 1,000. Only the few fields
        of the screen itself and the moment are encoded per screen; compressed, they are
        a DEFLATE stream flushed to a byte boundary that the zone's compressed stream
        continues (RFC 1951 blocks may follow one another whoever made them)."""
        now = self.clock.now()
        epoch = self.hub.epoch
        head = dumps({
            "type": "snapshot",
            "protocol": PROTOCOL_VERSION,
            "seq": seq,
            "epoch": epoch,
            "at": now.isoformat(),
            "server_version": __version__,
            # The page compares it with its own and reloads when older (static/js/screen.js).
            "client_version": static_version(),
            "timezone": self.settings.timezone,
            "screen": {"id": screen["id"], "name": screen["name"],
                       "orientation": screen["orientation"]},
        }).encode()
        body, deflated = self._zone_body(screen["zone"], seq, epoch, now)
        if body == b"{}":
            return Deflated(_deflate(head)) if deflate else head
        if not deflate:
            return head[:-1] + b"," + body[1:]
        return Deflated(_deflate(head[:-1] + b",", final=False) + _deflated_tail(body, deflated))

    def warm(self) -> int:
        """Build every zone's snapshot now, plain and compressed (the serving process,
        before it takes connections): after a restart the first of 1,000 TVs knocking
        would otherwise wait for the first build (slides rendered, QR codes: 0.3–0.7 s of
        CPU), and the handshakes behind it too. How many zones."""
        now = self.clock.now()
        slugs = self.zone_slugs()
        for slug in slugs:
            body, deflated = self._zone_body(slug, self.hub.current_seq(slug), self.hub.epoch, now)
            if body != b"{}":
                _deflated_tail(body, deflated)
        return len(slugs)

    def _zone_body(self, zone: str, seq: int, epoch: str, now: datetime
                   ) -> tuple[bytes, list[bytes]]:
        """The zone's view as JSON, cached per (zone, seq, epoch), and a list that holds
        its compressed tail (everything after the opening brace) once it was made.

        Every change a screen must see is an event of its zone, which moves the seq, so
        the view built at a seq stays right for that seq: a screen given it hears every
        later event. A cached view is rebuilt after SNAPSHOT_TTL_S anyway, for what
        changes with no event (an alert's expiry). One build at a time per zone: the
        others wait for it rather than build the same thing."""
        key = (seq, epoch)

        def cached() -> tuple[bytes, list[bytes]] | None:
            hit = self._snapshots.get(zone)
            return (hit[2], hit[3]) if hit and hit[0] == key and time.monotonic() < hit[1] \
                else None

        if (hit := cached()) is not None:
            return hit
        with self._snapshot_locks.setdefault(zone, threading.Lock()):
            if (hit := cached()) is not None:
                return hit
            body = dumps(self.zone_view(zone, now) or {}).encode()
            self._snapshots[zone] = (key, time.monotonic() + SNAPSHOT_TTL_S, body, [])
            self.snapshot_builds += 1
            return body, self._snapshots[zone][3]

    def zone_slugs(self) -> list[str]:
        with self.store.read() as session:
            return playlists.zone_slugs(session)

    # ---- changes ----------------------------------------------------------------------

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
        """These zones show something else: send each its playlist, office and zone."""
        now = self.clock.now()
        for slug in zone_slugs:
            view = self.zone_view(slug, now)
            if view is None:
                continue
            self.hub.publish(slug, "playlist.changed",
                             {"playlist": view["playlist"], "showing": view["showing"],
                              "office": view["office"], "zone": view["zone"],
                              "ticker": view.get("ticker", [])})
            if self.on_playlist_changed is not None:
                self.on_playlist_changed(slug)

    def zone_changed(self, slug: str) -> None:
        """A zone's own fields changed: a small event, not its whole playlist."""
        with self.store.read() as session:
            zone = playlists.get_zone(session, slug)
            brief = {"slug": zone.slug, "name": zone.name} if zone else None
        if brief is not None:
            self.hub.publish(slug, "zone.updated", {"zone": brief})

    def office_changed(self) -> None:
        """The office's names, welcome card or hours changed: every zone gets the office
        (small), and the slide it should show now (the hours may have closed or opened
        the screens); the rotation is rescheduled."""
        now = self.clock.now()
        with self.store.read() as session:
            office = {**playlists.office(session), "hours": playlists.office_hours_json(session)}
            showing = {slug: playlists.current(session, playlists.get_zone(session, slug),
                                               now, self.clock.tz)
                       for slug in playlists.zone_slugs(session)}
        for slug, now_showing in showing.items():
            self.hub.publish(slug, "office.updated", {"office": office})
            self.show(slug, now_showing)
            if self.on_playlist_changed is not None:
                self.on_playlist_changed(slug)

    def show(self, zone_slug: str, showing: Showing | None) -> None:
        """Publish the rotation's `slide` event (the scheduler calls this at boundaries)."""
        self.hub.publish(zone_slug, "slide", {"showing": playlists.showing_json(showing)})

    def drop_screen(self, screen_id: int, reason: str) -> int:
        """Close this process's sockets of a screen (1008); how many there were."""
        return self._drop(lambda info: info.get("screen_id") == screen_id, reason)

    def _drop(self, which: Callable[[dict[str, Any]], bool], reason: str) -> int:
        self.drops += 1
        dropped = 0
        for peer in self.hub.peers():
            if which(peer.info):
                self.hub.drop(peer, 1008, reason)
                dropped += 1
        return dropped

    def alerts_changed(self, zone_slugs: tuple[str, ...] | None) -> None:
        """Send these zones (None: every zone) their active alerts, whole (idempotent)."""
        if self.zone_alerts is None:
            return
        now = self.clock.now()
        with self.store.read() as session:
            slugs = list(zone_slugs) if zone_slugs else playlists.zone_slugs(session)
            views = {slug: self.zone_alerts(session, zone, now) for slug in slugs
                     if (zone := playlists.get_zone(session, slug)) is not None}
        for slug, alerts in views.items():
            self.hub.publish(slug, "alerts.updated", {"alerts": alerts})

    def publish_fleet(self, screens: list[dict[str, Any]]) -> None:
        """Health of some screens, for the admins' fleet pages (signage.fleet coalesces)."""
        self.hub.publish(FLEET, "fleet.updated", {"screens": screens})

    def tablets_changed(self, counter_ids: list[int] | None) -> None:
        """Send these counters' tablets (None: every counter's) their whole view again."""
        if self.tablet_state is None:
            return
        now = self.clock.now()
        with self.store.read() as session:
            if counter_ids is None:
                counter_ids = self.counter_ids(session) if self.counter_ids else []
            views = {cid: self.tablet_state(session, cid, now) for cid in counter_ids}
        for counter_id, view in views.items():
            self.hub.publish(tablet_channel(counter_id), "tablet.state", view)

    # ---- the queue: coalesced refreshes -------------------------------------------------

    def queue_changed(self) -> None:
        """Something in the queue changed: send the panels and consoles again, soon, once."""
        self._queue_dirty.set()
        if self._queue_thread is None:
            with self._queue_lock:
                if self._queue_thread is None:
                    self._queue_thread = threading.Thread(
                        target=self._queue_refresher, name="queue-refresh", daemon=True)
                    self._queue_thread.start()

    def _queue_refresher(self) -> None:
        took = 0.0
        while True:
            self._queue_dirty.wait()
            # Coalesce: whatever changes during the delay goes out in this one refresh.
            # Under a burst (kiosks at hundreds of numbers a second) the delay grows with
            # what a refresh costs, so refreshing never takes more than a tenth of the
            # time: the numbers themselves come first, the panels follow within a second.
            time.sleep(min(QUEUE_REFRESH_MAX_DELAY_S,
                           max(QUEUE_REFRESH_DELAY_S, QUEUE_REFRESH_SHARE * took)))
            self._queue_dirty.clear()
            started = time.monotonic()
            try:
                self.publish_queue()
            except Exception:  # never let the refresher die; the next change retries
                log.exception("queue refresh failed")
            took = time.monotonic() - started

    def publish_queue(self) -> None:
        now = self.clock.now()
        with self.store.read() as session:
            panels = {}
            if self.queue_panel is not None:
                zones = list(session.scalars(select(Zone).order_by(Zone.id)))
                panels = {z.slug: self.queue_panel(session, z, now) for z in zones}
            # Always, not only when this process has consoles: with Redis, the consoles
            # listening may all be connected to other processes.
            state = None
            if self.console_state is not None:
                state = self.console_state(session, now)
        for slug, panel in panels.items():
            self.hub.publish(slug, "queue.updated", {"queue": panel})
        if state is not None:
            self.hub.publish(CONSOLES, "queue.state", {"queue": state})

    # ---- sockets ------------------------------------------------------------------------

    def attach(self, ws: Any, channel: str, info: dict[str, Any],
               snapshot: Callable[[int], dict[str, Any] | bytes]) -> Connection:
        """Adopt a WebSocket into a channel (a zone slug, or CONSOLES)."""
        return Connection(self, self.hub.connect(ws, channel, info), snapshot)

    def connected_screens(self) -> int:
        return sum(1 for p in self.hub.peers() if p.info.get("screen_id") is not None)

    def connected_by_screen(self) -> dict[int, int]:
        """How many open sockets each screen has (in this process)."""
        counts: dict[int, int] = {}
        for peer in self.hub.peers():
            sid = peer.info.get("screen_id")
            if sid is not None:
                counts[sid] = counts.get(sid, 0) + 1
        return counts

    def connected_by_zone(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for peer in self.hub.peers():
            if peer.info.get("screen_id") is not None:
                counts[peer.zone] = counts.get(peer.zone, 0) + 1
        return counts

    def bus_check(self) -> None:
        """Raise if the bus cannot carry events now (Redis down); the in-process Hub can."""
        ping = getattr(self.hub, "ping", None)
        if ping is not None:
            ping()

    @property
    def bus(self) -> str:
        """Which Hub carries the events ("LocalHub" or "RedisHub")."""
        return type(self.hub).__name__

    def start(self) -> None:
        """In the serving process: the fan-out writer and (Redis) the subscriber thread."""
        self.hub.fanout.start()
        if hasattr(self.hub, "start_listening"):
            self.hub.start_listening()

    def close_all(self, code: int = 1001, reason: str = "") -> None:
        """Close every socket (the server is stopping); `closing` from now on: the doors
        turn new screens away, which would otherwise hold the stopping worker until its
        graceful timeout (TVs knock again within a quarter of a second)."""
        self.closing = True
        self.hub.close_all(code, reason)
