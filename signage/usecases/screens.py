"""Lobby screens (TVs): added into an existing zone with a fresh key, revoked for good."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import Session, joinedload

from signage.errors import N_, Conflict, Invalid, NotFound
from signage.evaluation import plays
from signage.events import ScreenRevoked, ScreensChanged, ScreensCommanded, ScreenshotTaken
from signage.notices.schema import Line
from signage.playlists.screens import ORIENTATIONS, new_screens
from signage.playlists.service import DEFAULT_ZONE
from signage.store.models import Screen, Zone
from signage.store.models_fleet import ScreenScreenshot, ScreenScreenshotRequest
from signage.usecases import ADMIN, APPROVERS, Change
from signage.usecases.zones import ZoneSlug, zone_named
from signage.validation import Model, Output, parse

ScreenName = Annotated[Line, Field(title=N_("Tên màn hình"), min_length=1, max_length=200)]
Orientation = Annotated[Literal["landscape", "portrait"], Field(
    title=N_("Hướng màn hình"),
    description=N_("phải là landscape (ngang) hoặc portrait (dọc)."))]


class ScreensIn(Model):
    """One screen per name, all in one zone (which must exist)."""

    names: list[ScreenName] = Field(title=N_("Tên màn hình"), min_length=1, max_length=100)
    zone: ZoneSlug = DEFAULT_ZONE
    orientation: Orientation = "landscape"


class ScreenAdded(Output):
    id: int
    name: str
    key: str = Field(description="the screen's secret, in its URL; shown once")
    zone: str
    orientation: str
    url: str


class ShowingNow(Output):
    slide_id: int | str | None = Field(description="a slide id, or \"idle\" / \"closed\"")
    title: str | None = None


class ScreenOut(Output):
    id: int
    name: str
    zone: str
    zone_name: str
    orientation: str
    revoked: bool
    revoked_at: str | None
    created_at: str | None
    connected: int = Field(description="its open sockets (0: not connected)")
    url: str
    last_seen: str | None = Field(description="the last time it was heard (now when connected)")
    stale: bool = Field(description="not heard for SIGNAGE_SCREEN_STALE_AFTER seconds "
                                    "(nor since it was added); revoked screens never are")
    showing: ShowingNow | None = Field(description="what its page last said it shows")
    client_version: str | None = Field(description="the version of the page's files it runs")
    resolution: str | None = Field(description="the display's size, e.g. 1920x1080")
    viewport: str | None = Field(description="the page's window, in CSS pixels")
    uptime_s: int | None = Field(description="seconds since its page was (re)loaded")
    reconnects_today: int | None = Field(description="socket reconnections since office midnight")
    rtt_ms: float | None = Field(description="round trip of the socket's ping, in ms")
    clock_offset_ms: float | None = Field(description="its clock minus the server's, in ms")
    sound: bool | None = Field(description="whether its sound is on (browsers need a gesture "
                                           "unless the kiosk allows autoplay)")
    screenshot_at: str | None = Field(None, description="when its last screenshot was taken")


class ScreenStatus(BaseModel):
    """What a screen's page reports about itself over its socket (docs/protocol.md,
    `status`). Telemetry, not a change anyone makes: unknown fields are ignored, and a
    report that does not fit is dropped whole."""

    model_config = ConfigDict(extra="ignore", str_max_length=300)

    client_version: str | None = Field(None, max_length=64)
    resolution: str | None = Field(None, pattern=r"^\d{1,5}x\d{1,5}$")
    viewport: str | None = Field(None, pattern=r"^\d{1,5}x\d{1,5}$")
    uptime_s: int | None = Field(None, ge=0, le=10**9)
    reconnects_today: int | None = Field(None, ge=0, le=10**6)
    rtt_ms: float | None = Field(None, ge=0, le=600_000)
    clock_offset_ms: float | None = Field(None, ge=-1e12, le=1e12)
    sound: bool | None = None
    showing: ShowingNow | None = None

    @classmethod
    def read(cls, message: dict[str, Any]) -> dict[str, Any] | None:
        """The report in `message`, cleaned; None when it does not fit."""
        try:
            return cls.model_validate(message).model_dump()
        except ValidationError:
            return None


HEALTH_FIELDS = tuple(ScreenStatus.model_fields)


class ScreenRevokedOut(Output):
    id: int
    name: str
    revoked: bool
    dropped: int = Field(0, description="sockets closed in the answering process")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def screen_json(screen: Screen) -> dict[str, Any]:
    """A screen as staff see it (with its key: only admins read this)."""
    return {"id": screen.id, "name": screen.name, "key": screen.key, "zone": screen.zone.slug,
            "zone_name": screen.zone.name, "orientation": screen.orientation,
            "revoked": screen.revoked_at is not None, "revoked_at": _iso(screen.revoked_at),
            "created_at": _iso(screen.created_at)}


def fleet_json(screen: Screen, screenshot_at: datetime | None = None) -> dict[str, Any]:
    """A screen with what was last recorded of its health (signage.fleet)."""
    return {**screen_json(screen), "last_seen_at": screen.last_seen_at,
            "created": screen.created_at, "health": screen.health or {},
            "screenshot_at": _iso(screenshot_at)}


# ---- changes --------------------------------------------------------------------------

def add_screens(change: Change, data: Any) -> list[dict[str, Any]]:
    """Add one screen per name into an existing zone; their keys, in the names' order."""
    change.require(ADMIN)
    spec = parse(ScreensIn, data)
    zone = zone_named(change.session, spec.zone, field="zone")
    screens = new_screens(change.session, spec.names, zone, spec.orientation, change.now)
    for screen in screens:
        change.audit("screen.add", f"screen:{screen.id}",
                     {"name": screen.name, "zone": zone.slug, "orientation": screen.orientation})
    change.emit(ScreensChanged())
    return [{"id": s.id, "name": s.name, "key": s.key, "zone": zone.slug,
             "orientation": s.orientation} for s in screens]


def revoke_screen(change: Change, screen_id: int) -> dict[str, Any]:
    """Revoke a screen's key: its sockets close and it can never connect again.
    Revoking twice changes nothing (and writes no second audit entry)."""
    change.require(ADMIN)
    screen = change.session.get(Screen, screen_id)
    if screen is None:
        raise NotFound(N_("Không có màn hình số %(id)s."), id=screen_id)
    if screen.revoked_at is None:
        screen.revoked_at = change.now
        change.audit("screen.revoke", f"screen:{screen.id}", {"name": screen.name})
        change.emit(ScreenRevoked(screen.id), ScreensChanged())
    return {"id": screen.id, "name": screen.name, "revoked": True}


IDENTIFY_SECONDS = 10


class ReloadIn(Model):
    """Which screens reload their page: one screen (`screen_id`), the screens of `zones`,
    or (neither) every screen."""

    screen_id: int | None = Field(None, title=N_("Màn hình"),
                                  description="the one screen; not with `zones`")
    zones: list[ZoneSlug] | None = Field(None, title=N_("Khu vực"), max_length=200)


class CommandOut(Output):
    zones: list[str]
    screen_id: int | None = Field(description="the one screen meant; null: every screen of the zones")
    command: str


def _live_screen(change: Change, screen_id: int) -> Screen:
    screen = change.session.get(Screen, screen_id)
    if screen is None or screen.revoked_at is not None:
        raise NotFound(N_("Không có màn hình số %(id)s."), id=screen_id)
    return screen


def reload_screens(change: Change, data: Any) -> dict[str, Any]:
    """One screen, the screens of some zones, or every screen reload their page now (they
    are back within seconds, from a fresh copy). Approvers and admins; audited
    `screen.reload` (target `screen:<id>`, or `screens` with the zones)."""
    change.require(APPROVERS)
    spec = parse(ReloadIn, data)
    if spec.screen_id is not None:
        if spec.zones:
            raise Invalid(N_("Chọn một màn hình hoặc các khu vực, không chọn cả hai."),
                          code="invalid_reload")
        screen = _live_screen(change, spec.screen_id)
        change.audit("screen.reload", f"screen:{screen.id}", {"name": screen.name})
        change.emit(ScreensCommanded("reload", (screen.zone.slug,), screen.id))
        return {"command": "reload", "zones": [screen.zone.slug], "screen_id": screen.id}
    if spec.zones:
        zones = list(dict.fromkeys(zone_named(change.session, z, field="zones").slug
                                   for z in spec.zones))
    else:
        zones = list(change.session.scalars(select(Zone.slug).order_by(Zone.id)))
    change.audit("screen.reload", "screens", {"zones": spec.zones or None})
    change.emit(ScreensCommanded("reload", tuple(zones)))
    return {"command": "reload", "zones": zones, "screen_id": None}


def identify_screen(change: Change, screen_id: int) -> dict[str, Any]:
    """The screen shows its name and zone full-screen for 10 s (which TV is which)."""
    change.require(ADMIN)
    screen = _live_screen(change, screen_id)
    change.audit("screen.identify", f"screen:{screen.id}", {"name": screen.name})
    change.emit(ScreensCommanded("identify", (screen.zone.slug,), screen.id,
                                 {"name": screen.name, "zone_name": screen.zone.name,
                                  "seconds": IDENTIFY_SECONDS}))
    return {"command": "identify", "zones": [screen.zone.slug], "screen_id": screen.id}


# ---- screenshots: the page draws itself (static/js/screenshot.js) and sends the picture --

SCREENSHOT_WIDTH = 480            # what the page is asked to draw (px wide)
SCREENSHOT_MAX_BYTES = 1_000_000  # what a page may send
SCREENSHOT_MAX_SIDE = 2000        # px; a 480-wide picture is far below
# A page's picture is taken only in answer to an ask still pending: within this long after
# it (the page draws and sends in a second or two; a busy TV in a few), once per ask.
SCREENSHOT_REQUEST_TTL = timedelta(seconds=60)
SCREENSHOT_FORMATS = {"JPEG", "PNG", "WEBP"}


def ask_screenshot(change: Change, screen_id: int) -> dict[str, Any]:
    """The screen's page draws what it shows and sends it back (POST /screen/<key>/
    screenshot); the fleet pages get `fleet.screenshot` when it is in."""
    change.require(ADMIN)
    screen = _live_screen(change, screen_id)
    asked = change.session.get(ScreenScreenshotRequest, screen.id)
    if asked is None:
        asked = ScreenScreenshotRequest(screen_id=screen.id)
        change.session.add(asked)
    asked.asked_at, asked.expires_at = change.now, change.now + SCREENSHOT_REQUEST_TTL
    change.audit("screen.screenshot", f"screen:{screen.id}", {"name": screen.name})
    change.emit(ScreensCommanded("screenshot", (screen.zone.slug,), screen.id,
                                 {"width": SCREENSHOT_WIDTH}))
    return {"command": "screenshot", "zones": [screen.zone.slug], "screen_id": screen.id}


def clean_screenshot(data: bytes) -> bytes:
    """The picture a page sent, checked and drawn again as a JPEG at most
    SCREENSHOT_WIDTH wide: only pixels are kept, whatever else the bytes held.
    Invalid when it is too large or not a JPEG, PNG or WebP picture."""
    from PIL import Image, UnidentifiedImageError

    if not data or len(data) > SCREENSHOT_MAX_BYTES:
        raise Invalid(N_("Ảnh chụp phải có dung lượng từ 1 byte đến %(max)s byte."),
                      max=SCREENSHOT_MAX_BYTES, code="invalid_screenshot")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in SCREENSHOT_FORMATS or max(probe.size) > SCREENSHOT_MAX_SIDE:
                raise ValueError(probe.format)
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            picture = image.convert("RGB")
    except (UnidentifiedImageError, ValueError, OSError, SyntaxError, Image.DecompressionBombError):
        raise Invalid(N_("Ảnh chụp không phải ảnh JPEG, PNG hay WebP hợp lệ."),
                      code="invalid_screenshot") from None
    if picture.width > SCREENSHOT_WIDTH:
        picture = picture.resize((SCREENSHOT_WIDTH,
                                  max(1, round(picture.height * SCREENSHOT_WIDTH / picture.width))))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=80, optimize=True)
    return out.getvalue()


def record_screenshot(change: Change, key: str, data: bytes) -> dict[str, Any]:
    """A screen's page sends the picture it took of itself (authenticated by its key), in
    answer to an ask still pending (`ask_screenshot`, within SCREENSHOT_REQUEST_TTL): it
    replaces the screen's last one and answers the ask (a second picture needs a new
    ask). Conflict `screenshot_not_requested` otherwise. Bookkeeping, no audit entry (the
    ask has one)."""
    screen = change.session.scalar(select(Screen).where(Screen.key == key,
                                                        Screen.revoked_at.is_(None)))
    if not key or screen is None:
        raise NotFound(N_("Không có màn hình với mã này (mã sai hoặc đã thu hồi)."),
                       code="unknown_screen")
    asked = change.session.get(ScreenScreenshotRequest, screen.id)
    if asked is None or asked.expires_at < change.now:
        raise Conflict(N_("Không có yêu cầu chụp màn hình nào đang chờ cho màn hình này (hoặc "
                          "yêu cầu đã hết hạn)."), code="screenshot_not_requested")
    jpeg = clean_screenshot(data)
    change.session.delete(asked)
    shot = change.session.get(ScreenScreenshot, screen.id)
    if shot is None:
        shot = ScreenScreenshot(screen_id=screen.id, taken_at=change.now,
                                content_type="image/jpeg", data=jpeg)
        change.session.add(shot)
    else:
        shot.taken_at, shot.content_type, shot.data = change.now, "image/jpeg", jpeg
    change.emit(ScreenshotTaken(screen.id, change.now.isoformat()))
    return {"screen_id": screen.id, "taken_at": change.now.isoformat(), "bytes": len(jpeg)}


def record_health(change: Change, reports: list[dict[str, Any]]) -> int:
    """Bookkeeping (no audit entry): when screens were last heard, what their pages last
    reported, and what their glass showed when (`plays`: proof of play), written in one
    batch by signage.fleet. Returns how many screens were written."""
    change.require(ADMIN)
    # One read and one batched UPDATE for the lot (after a restart, a thousand screens
    # attach within seconds), not an entity per screen.
    recorded = {sid: (seen, health) for sid, seen, health in change.session.execute(
        select(Screen.id, Screen.last_seen_at, Screen.health)
        .where(Screen.id.in_([r["id"] for r in reports])))}
    rows = []
    for report in reports:
        if report["id"] not in recorded:
            continue
        last_seen, health = recorded[report["id"]]
        # Proof of play: each change of what its glass shows (signage.evaluation.plays);
        # rare next to the health reports, so the screen is read only then.
        if report.get("plays"):
            screen = change.session.get(Screen, report["id"])
            for event in report["plays"]:
                plays.record_change(change.session, screen, event, last_seen)
        seen = report.get("last_seen_at")
        if seen is not None and (last_seen is None or seen > last_seen):
            last_seen = seen
        if report.get("health") is not None:
            health = report["health"]
        rows.append({"b_id": report["id"], "b_seen": last_seen, "b_health": health})
    if rows:
        table = Screen.__table__
        change.session.execute(
            table.update().where(table.c.id == bindparam("b_id"))
            .values(last_seen_at=bindparam("b_seen"), health=bindparam("b_health")), rows)
    return len(rows)


# ---- reading --------------------------------------------------------------------------

def list_fleet(session: Session, unseen_since: datetime | None = None) -> list[dict[str, Any]]:
    """Every screen with its recorded health, in the order they were added; with
    `unseen_since`, only the screens not revoked and not recorded seen since then (nor
    added since, when never seen): those that may be stale, without reading thousands
    of rows that cannot be (/healthz)."""
    screens = select(Screen).options(joinedload(Screen.zone)).order_by(Screen.id)
    if unseen_since is not None:
        screens = screens.where(Screen.revoked_at.is_(None), or_(
            Screen.last_seen_at < unseen_since,
            and_(Screen.last_seen_at.is_(None), Screen.created_at < unseen_since)))
    shots = {screen_id: taken_at for screen_id, taken_at in session.execute(
        select(ScreenScreenshot.screen_id, ScreenScreenshot.taken_at))}
    return [fleet_json(s, shots.get(s.id)) for s in session.scalars(screens)]


def last_screenshot(session: Session, screen_id: int) -> dict[str, Any]:
    """The last picture a screen's page took of itself: `data` (JPEG), `content_type`,
    `taken_at`. NotFound when there is no such screen or it never sent one."""
    shot = session.get(ScreenScreenshot, screen_id)
    if shot is None:
        raise NotFound(N_("Màn hình số %(id)s chưa gửi ảnh chụp nào."), id=screen_id,
                       code="no_screenshot")
    return {"data": shot.data, "content_type": shot.content_type, "taken_at": shot.taken_at}


def list_screens(session: Session) -> list[dict[str, Any]]:
    """Every screen, revoked ones too, in the order they were added."""
    return [screen_json(s) for s in session.scalars(
        select(Screen).options(joinedload(Screen.zone)).order_by(Screen.id))]


# A screen's key is checked twice on every socket (before the upgrade, and once it is
# registered): as rows of one statement built at import, not entities (a reconnect storm
# is a thousand of them in seconds).
_SCREEN_BY_KEY = (
    select(Screen.id, Screen.name, Screen.key, Zone.slug, Zone.name, Screen.orientation,
           Screen.created_at)
    .join(Zone, Screen.zone_id == Zone.id)
    .where(Screen.key == bindparam("key"), Screen.revoked_at.is_(None)))


def screen_for_key(session: Session, key: str) -> dict[str, Any] | None:
    """The screen with this key, unless revoked (what a TV's page and socket check);
    the fields of `screen_json`."""
    if not key or len(key) > 64:
        return None
    # On the session's connection: the ORM's execute costs twice as much for rows.
    row = session.connection().execute(_SCREEN_BY_KEY, {"key": key}).first()
    if row is None:
        return None
    sid, name, key, zone, zone_name, orientation, created = row
    return {"id": sid, "name": name, "key": key, "zone": zone, "zone_name": zone_name,
            "orientation": orientation, "revoked": False, "revoked_at": None,
            "created_at": _iso(created)}


ORIENTATION_CHOICES = ORIENTATIONS
