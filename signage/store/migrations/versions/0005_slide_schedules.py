"""slide schedules: date range, ISO weekdays, daily windows, priority

Revision ID: 0005
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("slides") as batch:
        batch.add_column(sa.Column("starts_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("ends_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("weekdays", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("windows", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("slides") as batch:
        for column in ("priority", "windows", "weekdays", "ends_on", "starts_on"):
            batch.drop_column(column)
