"""Zones (khu vực): the areas of the lobby whose screens show the same playlist.

Creating a zone is its own, explicit action: nothing else creates one (a screen,
a counter or a content file naming an unknown zone is refused), so a typo never
becomes an empty zone that shows only the welcome card.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, field_validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from signage.errors import N_, Conflict, FieldProblem, Invalid, NotFound
from signage.events import ZoneChanged
from signage.notices.schema import Line, slugify
from signage.store.models import Screen, Zone
from signage.usecases import ADMIN, Change
from signage.validation import Model, Output, parse

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
ZoneSlug = Annotated[str, Field(
    title=N_("Mã khu vực"), pattern=SLUG_PATTERN, max_length=64,
    description=N_("chỉ gồm chữ thường không dấu, số và '-' (tối đa 64 ký tự), "
                   "ví dụ sanh-chinh."))]
ZoneName = Annotated[Line, Field(title=N_("Tên khu vực"), min_length=1, max_length=200)]


class ZoneIn(Model):
    """A new zone; its slug (used in URLs and the API) is made from the name if not given."""

    name: ZoneName
    slug: ZoneSlug | None = None

    @field_validator("slug", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value


class ZoneRename(Model):
    name: ZoneName


class ZoneOut(Output):
    id: int
    slug: str
    name: str
    screens: int = Field(0, description="screens in the zone (not revoked)")


def zone_json(zone: Zone, screens: int = 0) -> dict[str, Any]:
    return {"id": zone.id, "slug": zone.slug, "name": zone.name, "screens": screens}


UNKNOWN_ZONE = N_("Không có khu vực %(slug)s. Hãy tạo khu vực trước (Quản trị › Khu vực, "
                  "POST /api/v1/zones, hoặc --create-zone ở dòng lệnh).")


def zone_named(session: Session, slug: Any, field: str | None = None) -> Zone:
    """The zone with this slug, or the one error every door gives for an unknown zone:
    code "unknown_zone", as NotFound when the zone is the thing addressed, as Invalid
    (about `field`) when it is a value given for a field."""
    zone = session.scalar(select(Zone).where(Zone.slug == slug)) if isinstance(slug, str) else None
    if zone is None:
        if field is None:
            raise NotFound(UNKNOWN_ZONE, code="unknown_zone", slug=slug)
        raise Invalid(code="unknown_zone",
                      fields=[FieldProblem(field, UNKNOWN_ZONE, {"slug": slug})])
    return zone


# ---- changes --------------------------------------------------------------------------

def create_zone(change: Change, data: Any) -> dict[str, Any]:
    change.require(ADMIN)
    spec = parse(ZoneIn, data)
    slug = spec.slug or slugify(spec.name)[:64].strip("-") or "khu-vuc"
    if change.session.scalar(select(Zone.id).where(Zone.slug == slug)) is not None:
        raise Conflict(N_("Khu vực %(slug)s đã có."), slug=slug, extra={"field": "slug"})
    zone = Zone(slug=slug, name=spec.name, created_at=change.now)
    change.session.add(zone)
    change.session.flush()
    change.audit("zone.create", f"zone:{slug}", {"name": spec.name})
    return zone_json(zone)


def rename_zone(change: Change, slug: str, data: Any) -> dict[str, Any]:
    change.require(ADMIN)
    spec = parse(ZoneRename, data)
    zone = zone_named(change.session, slug)
    before, zone.name = zone.name, spec.name
    if before != spec.name:
        change.audit("zone.rename", f"zone:{slug}", {"from": before, "to": spec.name})
        change.emit(ZoneChanged(slug))
    return zone_json(zone, _screen_counts(change.session).get(zone.id, 0))


# ---- reading --------------------------------------------------------------------------

def _screen_counts(session: Session) -> dict[int, int]:
    return dict(session.execute(  # type: ignore[arg-type]
        select(Screen.zone_id, func.count()).where(Screen.revoked_at.is_(None))
        .group_by(Screen.zone_id)).all())


def list_zones(session: Session) -> list[dict[str, Any]]:
    """Every zone with how many screens it has, in the order they were made."""
    counts = _screen_counts(session)
    return [zone_json(z, counts.get(z.id, 0))
            for z in session.scalars(select(Zone).order_by(Zone.id))]


def zone_exists(session: Session, slug: str) -> bool:
    return session.scalar(select(Zone.id).where(Zone.slug == slug)) is not None
