"""A zone's playlist as an editor proposes it, waiting for an approver.

The playlist in `slides` is what the screens rotate through (the approved one). An
editor's change is a proposal here, as an editor's notice edit is a revision: the
screens keep the approved playlist until an approver approves (then the proposal's
entries replace the zone's slides) or sends it back with a reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from signage.store.models import Base, Zone, utcnow

# pending: waits for an approver; approved: became the playlist; rejected: sent back;
# superseded: a newer proposal or an approver's own save replaced it first.
PROPOSAL_STATUSES = ("pending", "approved", "rejected", "superseded")


class PlaylistProposal(Base):
    __tablename__ = "playlist_proposals"
    id: Mapped[int] = mapped_column(primary_key=True)
    zone_id: Mapped[int] = mapped_column(ForeignKey("zones.id", ondelete="CASCADE"))
    # The entries as PUT takes them: [{"notice_id", "duration", schedule…}, …].
    entries: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    decided_by: Mapped[str | None] = mapped_column(String(80), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    zone: Mapped[Zone] = relationship()

    __table_args__ = (Index("ix_playlist_proposals_zone_status", "zone_id", "status"),)
