"""Tables. Domain rules live in the domain packages; these are only shapes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware (UTC) datetimes out, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime, dict[str, Any]: JSON}


class Setting(Base):
    """Office-wide settings (ward name, …) as JSON values."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class Zone(Base):
    """An area of the lobby (khu vực, sảnh) whose screens show the same playlist."""

    __tablename__ = "zones"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    slides: Mapped[list[Slide]] = relationship(
        back_populates="zone", order_by="Slide.position", cascade="all, delete-orphan"
    )


class Screen(Base):
    """A lobby TV. It authenticates with its key, which is in its URL."""

    __tablename__ = "screens"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(64), unique=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id"))
    orientation: Mapped[str] = mapped_column(String(16), default="landscape")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    last_seen_at: Mapped[datetime | None] = mapped_column(default=None)
    # What its page last reported (client version, resolution, sound, …): signage.fleet.
    health: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    zone: Mapped[Zone] = relationship()


class Notice(Base):
    """A procedure notice or a law-outreach message.

    The fields anybody filters or joins on are columns; the rest of the record (the
    procedure's dossier items, channels, legal bases …) is a validated JSON document.
    """

    __tablename__ = "notices"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "procedure" | "law"
    title: Mapped[str] = mapped_column(String(300))
    code: Mapped[str | None] = mapped_column(String(64), default=None)  # mã thủ tục
    slug: Mapped[str | None] = mapped_column(String(120), default=None)  # law message key
    field: Mapped[str | None] = mapped_column(String(120), default=None)  # lĩnh vực
    record: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="approved")
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index(
            "uq_notices_procedure_code",
            "code",
            unique=True,
            sqlite_where=text("code IS NOT NULL"),
            postgresql_where=text("code IS NOT NULL"),
        ),
        Index(
            "uq_notices_law_slug",
            "slug",
            unique=True,
            sqlite_where=text("slug IS NOT NULL"),
            postgresql_where=text("slug IS NOT NULL"),
        ),
        Index("ix_notices_kind", "kind"),
    )


class Slide(Base):
    """One entry of a zone's playlist: what to show and for how long."""

    __tablename__ = "slides"
    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    notice_id: Mapped[int] = mapped_column(ForeignKey("notices.id", ondelete="CASCADE"))
    duration_s: Mapped[int] = mapped_column(Integer, default=15)
    # Schedule (all optional; see signage.playlists.rotation.Schedule).
    starts_on: Mapped[date | None] = mapped_column(Date, default=None)
    ends_on: Mapped[date | None] = mapped_column(Date, default=None)
    weekdays: Mapped[list[int] | None] = mapped_column(JSON, default=None)  # ISO 1..7
    windows: Mapped[list[list[str]] | None] = mapped_column(JSON, default=None)  # [["07:30","11:30"]]
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    zone: Mapped[Zone] = relationship(back_populates="slides")
    notice: Mapped[Notice] = relationship()

    __table_args__ = (Index("ix_slides_zone_position", "zone_id", "position"),)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # admin | editor | approver | operator
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(Base):
    """A bearer token for the REST API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)
    # None: never expires (the integrator chose so when it was issued).
    expires_at: Mapped[datetime | None] = mapped_column(default=None)
    user: Mapped[User] = relationship()


def load_feature_models() -> None:
    """Import every `signage/store/models_*.py` (a feature's tables) so metadata is whole."""
    import importlib
    import pkgutil

    import signage.store as package

    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("models_"):
            importlib.import_module(f"signage.store.{info.name}")
