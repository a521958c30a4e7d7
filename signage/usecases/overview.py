"""What the /admin dashboard and GET /healthz read: counts and a sign of life."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signage.accounts.audit import AuditQuery, entry_json, find_entries
from signage.store.models import Notice, Screen, Slide, Zone


def dashboard(session: Session, recent: int = 0) -> dict[str, Any]:
    """Zones with their screens and slides, notices by kind and by status, and the
    `recent` newest audit entries (0: none; only admins read the log)."""
    screens = dict(session.execute(  # type: ignore[arg-type]
        select(Screen.zone_id, func.count()).where(Screen.revoked_at.is_(None))
        .group_by(Screen.zone_id)).all())
    slides = dict(session.execute(  # type: ignore[arg-type]
        select(Slide.zone_id, func.count()).group_by(Slide.zone_id)).all())
    zones = [{"slug": z.slug, "name": z.name, "screens": screens.get(z.id, 0),
              "slides": slides.get(z.id, 0)}
             for z in session.scalars(select(Zone).order_by(Zone.id))]
    by_kind = dict(session.execute(  # type: ignore[arg-type]
        select(Notice.kind, func.count()).group_by(Notice.kind)).all())
    by_status = dict(session.execute(  # type: ignore[arg-type]
        select(Notice.status, func.count()).group_by(Notice.status)).all())
    entries = find_entries(session, AuditQuery(), limit=recent)[0] if recent else []
    return {"zones": zones, "screens_total": sum(screens.values()), "by_kind": by_kind,
            "by_status": by_status, "notices_total": sum(by_kind.values()),
            "recent": [entry_json(e) for e in entries]}
