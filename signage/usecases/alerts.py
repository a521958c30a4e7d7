"""Emergency alerts: a message shown full-screen over everything on the lobby screens of
some zones (or all), until it expires or someone ends it.

Approvers and admins raise and end them (from /admin, the API or the CLI); each is
audited. They are rows, so an alert outlives a server restart, and part of every
screen's snapshot, so a screen that reconnects shows it again. Screens hide an alert by
themselves at its `expires_at` (on the server's clock), so no event is needed for that.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from signage.errors import N_, NotFound
from signage.events import AlertsChanged
from signage.notices.schema import Text
from signage.store.models import Zone
from signage.store.models_fleet import Alert
from signage.usecases import APPROVERS, Change
from signage.usecases.zones import ZoneSlug, zone_named
from signage.validation import Model, Output, parse

LEVELS = ("thong-tin", "canh-bao", "khan-cap")
LEVEL_NAMES = {"thong-tin": N_("Thông tin"), "canh-bao": N_("Cảnh báo"),
               "khan-cap": N_("Khẩn cấp")}
MAX_LIFETIME_S = 7 * 24 * 3600

Level = Annotated[Literal["thong-tin", "canh-bao", "khan-cap"], Field(
    title=N_("Mức độ"),
    description=N_("phải là thong-tin (thông tin), canh-bao (cảnh báo) hoặc khan-cap (khẩn cấp)."))]


class AlertIn(Model):
    """An alert to raise now."""

    text: Text = Field(title=N_("Nội dung cảnh báo"), min_length=1, max_length=500)
    level: Level = "canh-bao"
    zones: list[ZoneSlug] | None = Field(
        None, title=N_("Khu vực"), max_length=200,
        description=N_("các khu vực hiện cảnh báo; bỏ trống: mọi khu vực."))
    expires_in: int = Field(3600, title=N_("Hiện trong (giây)"), ge=10, le=MAX_LIFETIME_S,
                            description=N_("từ 10 giây đến 7 ngày."))
    chime: bool = Field(True, title=N_("Chuông báo"))
    voice: bool = Field(False, title=N_("Đọc thành tiếng"),
                        description=N_("bằng giọng đọc tiếng Việt của trình duyệt TV, nếu có."))


class AlertOut(Output):
    id: int
    text: str
    level: str
    zones: list[str] | None = Field(description="null: every zone")
    chime: bool
    voice: bool
    created_at: str
    created_by: str
    expires_at: str
    ended_at: str | None
    ended_by: str | None
    active: bool


class AlertsQuery(Model):
    """`all=true`: the last 100 alerts, ended ones too (default: the active ones)."""

    all: bool = False

    model_config = {**Model.model_config, "strict": False}


def alert_json(alert: Alert, now: datetime) -> dict[str, Any]:
    return {"id": alert.id, "text": alert.text, "level": alert.level, "zones": alert.zones,
            "chime": alert.chime, "voice": alert.voice,
            "created_at": alert.created_at.isoformat(), "created_by": alert.created_by,
            "expires_at": alert.expires_at.isoformat(),
            "ended_at": alert.ended_at.isoformat() if alert.ended_at else None,
            "ended_by": alert.ended_by,
            "active": alert.ended_at is None and alert.expires_at > now}


# ---- changes --------------------------------------------------------------------------

def raise_alert(change: Change, data: Any) -> dict[str, Any]:
    """Show an alert now on the screens of `zones` (None: every zone) for `expires_in` s."""
    change.require(APPROVERS)
    spec = parse(AlertIn, data)
    zones = None
    if spec.zones:
        zones = list(dict.fromkeys(zone_named(change.session, slug, field="zones").slug
                                   for slug in spec.zones))
    alert = Alert(text=spec.text, level=spec.level, zones=zones, chime=spec.chime,
                  voice=spec.voice, created_at=change.now, created_by=change.actor.name,
                  expires_at=change.now + timedelta(seconds=spec.expires_in))
    change.session.add(alert)
    change.session.flush()
    change.audit("alert.raise", f"alert:{alert.id}",
                 {"text": alert.text, "level": alert.level, "zones": zones,
                  "expires_in": spec.expires_in, "chime": alert.chime, "voice": alert.voice})
    change.emit(AlertsChanged(tuple(zones) if zones else None))
    return alert_json(alert, change.now)


def end_alert(change: Change, alert_id: int) -> dict[str, Any]:
    """End an alert now (its screens clear it at once). Ending one that has ended or
    expired changes nothing and writes no second audit entry."""
    change.require(APPROVERS)
    alert = change.session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(N_("Không có cảnh báo số %(id)s."), id=alert_id)
    if alert.ended_at is None and alert.expires_at > change.now:
        alert.ended_at, alert.ended_by = change.now, change.actor.name
        change.audit("alert.end", f"alert:{alert.id}", {"text": alert.text})
        change.emit(AlertsChanged(tuple(alert.zones) if alert.zones else None))
    return alert_json(alert, change.now)


# ---- reading --------------------------------------------------------------------------

def _live(now: datetime):
    return select(Alert).where(Alert.ended_at.is_(None), Alert.expires_at > now)


def list_alerts(session: Session, now: datetime, everything: bool = False) -> list[dict[str, Any]]:
    """The active alerts, newest first (`everything`: the last 100, ended ones too)."""
    query = select(Alert) if everything else _live(now)
    return [alert_json(a, now) for a in session.scalars(
        query.order_by(Alert.id.desc()).limit(100))]


def zone_alerts(session: Session, zone: Zone, now: datetime) -> list[dict[str, Any]]:
    """What a zone's screens show now, newest first: the `alerts` part of their snapshot
    and of `alerts.updated`."""
    rows = session.scalars(_live(now).order_by(Alert.id.desc()))
    return [{"id": a.id, "text": a.text, "level": a.level, "chime": a.chime, "voice": a.voice,
             "created_at": a.created_at.isoformat(), "expires_at": a.expires_at.isoformat()}
            for a in rows if a.zones is None or zone.slug in a.zones]


def snapshot_part(session: Session, zone: Zone, now: datetime) -> dict[str, Any]:
    """The "alerts" part of a screen's snapshot (registered in signage.app)."""
    return {"alerts": zone_alerts(session, zone, now)}


__all__ = ["LEVELS", "AlertIn", "AlertOut", "end_alert", "list_alerts", "raise_alert",
           "snapshot_part", "zone_alerts"]
