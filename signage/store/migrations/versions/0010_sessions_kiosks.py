"""server-side staff sessions, token expiry, registered kiosks, playlist proposals

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-02 14:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

import signage.store.models

revision = "0010"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", signage.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", signage.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", signage.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ended_by", sa.String(length=16), nullable=True),
        sa.Column("agent_hash", sa.String(length=64), nullable=False),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_staff_sessions_user", ["user_id", "ended_at"], unique=False)
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", signage.store.models.UTCDateTime(timezone=True),
                                      nullable=True))
    op.create_table(
        "queue_kiosks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("created_at", signage.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", signage.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_seen_at", signage.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "playlist_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("zone_id", sa.Integer(), nullable=False),
        sa.Column("entries", sa.JSON(), nullable=False),
        sa.Column("author", sa.String(length=80), nullable=False),
        sa.Column("created_at", signage.store.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.Column("decided_at", signage.store.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["zone_id"], ["zones.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("playlist_proposals", schema=None) as batch_op:
        batch_op.create_index("ix_playlist_proposals_zone_status", ["zone_id", "status"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("playlist_proposals", schema=None) as batch_op:
        batch_op.drop_index("ix_playlist_proposals_zone_status")
    op.drop_table("playlist_proposals")
    op.drop_table("queue_kiosks")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
    with op.batch_alter_table("staff_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_staff_sessions_user")
    op.drop_table("staff_sessions")
