"""the screen fleet: pairing codes, screen health, screenshots, emergency alerts

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 10:59:10.752792
"""

import sqlalchemy as sa
from alembic import op

import signage.store.models

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("alerts",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("text", sa.Text(), nullable=False),
    sa.Column("level", sa.String(length=16), nullable=False),
    sa.Column("zones", sa.JSON(), nullable=True),
    sa.Column("chime", sa.Boolean(), nullable=False),
    sa.Column("voice", sa.Boolean(), nullable=False),
    sa.Column("created_at", signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column("created_by", sa.String(length=80), nullable=False),
    sa.Column("expires_at", signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column("ended_at", signage.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column("ended_by", sa.String(length=80), nullable=True),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.create_index("ix_alerts_live", ["ended_at", "expires_at"], unique=False)

    op.create_table("screen_pairings",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("code", sa.String(length=8), nullable=True),
    sa.Column("secret_hash", sa.String(length=64), nullable=False),
    sa.Column("created_at", signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column("expires_at", signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column("ip", sa.String(length=64), nullable=True),
    sa.Column("screen_id", sa.Integer(), nullable=True),
    sa.Column("paired_at", signage.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column("paired_by", sa.String(length=80), nullable=True),
    sa.ForeignKeyConstraint(["screen_id"], ["screens.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id"),
    sa.UniqueConstraint("code"),
    sa.UniqueConstraint("secret_hash")
    )
    op.create_table("screen_screenshots",
    sa.Column("screen_id", sa.Integer(), nullable=False),
    sa.Column("taken_at", signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column("content_type", sa.String(length=32), nullable=False),
    sa.Column("data", sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(["screen_id"], ["screens.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("screen_id")
    )
    with op.batch_alter_table("screens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("health", sa.JSON(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table("screens", schema=None) as batch_op:
        batch_op.drop_column("health")

    op.drop_table("screen_screenshots")
    op.drop_table("screen_pairings")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_alerts_live")

    op.drop_table("alerts")
