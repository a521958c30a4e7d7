"""The screen fleet's tables: pairing codes, the pages' last screenshots (and the asks
pending), emergency alerts.

Shapes only; the rules live in signage.usecases.fleet and signage.usecases.alerts.
(A screen's last reported health is a column of `screens`, signage.store.models.)
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from signage.store.models import Base, utcnow


class ScreenPairing(Base):
    """A TV showing a pairing code at /screen, waiting for an admin to name it.

    The TV proves it is the one that asked with a secret kept in a cookie (only its
    SHA-256 is stored). Pairing creates the screen and links it here; the code is then
    cleared, so it can never pair twice.
    """

    __tablename__ = "screen_pairings"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str | None] = mapped_column(String(8), unique=True, default=None)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    ip: Mapped[str | None] = mapped_column(String(64), default=None)
    screen_id: Mapped[int | None] = mapped_column(
        ForeignKey("screens.id", ondelete="CASCADE"), default=None)
    paired_at: Mapped[datetime | None] = mapped_column(default=None)
    paired_by: Mapped[str | None] = mapped_column(String(80), default=None)


class ScreenScreenshot(Base):
    """The last picture a screen's page took of itself (one per screen, replaced)."""

    __tablename__ = "screen_screenshots"
    screen_id: Mapped[int] = mapped_column(
        ForeignKey("screens.id", ondelete="CASCADE"), primary_key=True)
    taken_at: Mapped[datetime] = mapped_column()
    content_type: Mapped[str] = mapped_column(String(32))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ScreenScreenshotRequest(Base):
    """An admin asked this screen for a picture of itself: its page's answer is taken
    until `expires_at`, once (signage.usecases.screens.record_screenshot)."""

    __tablename__ = "screen_screenshot_requests"
    screen_id: Mapped[int] = mapped_column(
        ForeignKey("screens.id", ondelete="CASCADE"), primary_key=True)
    asked_at: Mapped[datetime] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()


class Alert(Base):
    """An emergency alert shown full-screen over everything on the screens of some zones
    (`zones` None: every zone) until it expires or someone ends it. Never deleted."""

    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(16))  # thong-tin | canh-bao | khan-cap
    zones: Mapped[list[str] | None] = mapped_column(JSON, default=None)
    chime: Mapped[bool] = mapped_column(default=True)
    voice: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by: Mapped[str] = mapped_column(String(80))
    expires_at: Mapped[datetime] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_by: Mapped[str | None] = mapped_column(String(80), default=None)

    __table_args__ = (Index("ix_alerts_live", "ended_at", "expires_at"),)


__all__ = ["Alert", "ScreenPairing", "ScreenScreenshot"]


class Play(Base):
    """Proof of play: one slide on one screen's glass, from when its page reported it
    until the next one started or the screen went away (`ended_at` null: still on).

    Recorded from the pages' own `status` reports (signage.fleet), so it is what the
    glass showed, not what the rotation planned. The notice and its title are kept as
    they were, so a report still reads after the playlist or the notice changed.
    """

    __tablename__ = "plays"
    id: Mapped[int] = mapped_column(primary_key=True)
    screen_id: Mapped[int] = mapped_column(ForeignKey("screens.id", ondelete="CASCADE"))
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id", ondelete="SET NULL"),
                                                default=None)
    zone_slug: Mapped[str] = mapped_column(String(80))
    slide_id: Mapped[int | None] = mapped_column(default=None)
    notice_id: Mapped[int | None] = mapped_column(
        ForeignKey("notices.id", ondelete="SET NULL"), default=None)
    title: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str | None] = mapped_column(String(16), default=None)
    started_at: Mapped[datetime] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (
        Index("ix_plays_started", "started_at"),
        Index("ix_plays_screen_open", "screen_id", "ended_at"),
    )
