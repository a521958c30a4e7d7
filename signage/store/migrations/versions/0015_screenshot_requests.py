"""screenshot requests: a screen's page may send a picture only when one was asked

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 18:45:00
"""

import sqlalchemy as sa
from alembic import op

import signage.store.models

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("screen_screenshot_requests",
    sa.Column("screen_id", sa.Integer(), nullable=False),
    sa.Column("asked_at", signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column("expires_at", signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["screen_id"], ["screens.id"], ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("screen_id")
    )


def downgrade() -> None:
    op.drop_table("screen_screenshot_requests")
