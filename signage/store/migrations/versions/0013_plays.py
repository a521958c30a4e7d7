"""proof of play: what each screen's glass showed, from when to when

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 15:25:00
"""

import sqlalchemy as sa
from alembic import op

import signage.store.models

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("plays",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("screen_id", sa.Integer(), nullable=False),
    sa.Column("zone_id", sa.Integer(), nullable=True),
    sa.Column("zone_slug", sa.String(length=80), nullable=False),
    sa.Column("slide_id", sa.Integer(), nullable=True),
    sa.Column("notice_id", sa.Integer(), nullable=True),
    sa.Column("title", sa.String(length=300), nullable=False),
    sa.Column("kind", sa.String(length=16), nullable=True),
    sa.Column("started_at", signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column("ended_at", signage.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(["notice_id"], ["notices.id"], ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["screen_id"], ["screens.id"], ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["zone_id"], ["zones.id"], ondelete="SET NULL"),
    sa.PrimaryKeyConstraint("id")
    )
    with op.batch_alter_table("plays", schema=None) as batch_op:
        batch_op.create_index("ix_plays_screen_open", ["screen_id", "ended_at"], unique=False)
        batch_op.create_index("ix_plays_started", ["started_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plays", schema=None) as batch_op:
        batch_op.drop_index("ix_plays_started")
        batch_op.drop_index("ix_plays_screen_open")
    op.drop_table("plays")
