"""queue: indexes for the numbers' hot reads

The estimated wait read a service's recent completed tickets by scanning every ticket
ever issued (history is never deleted, so it grew by the day); an index on (queue,
status, finished_at) reads the last 20 directly. The waiting line's index also carries
the priority and the issue time, so "people ahead" is counted from the index alone.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 18:45:00
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

LINE_BEFORE = ["office_date", "status", "queue_service_id"]
LINE_AFTER = ["office_date", "status", "queue_service_id", "priority", "issued_at"]


def upgrade() -> None:
    op.drop_index("ix_queue_tickets_waiting", table_name="queue_tickets")
    op.create_index("ix_queue_tickets_waiting", "queue_tickets", LINE_AFTER)
    op.create_index("ix_queue_tickets_done", "queue_tickets",
                    ["queue_service_id", "status", "finished_at"])


def downgrade() -> None:
    op.drop_index("ix_queue_tickets_done", table_name="queue_tickets")
    op.drop_index("ix_queue_tickets_waiting", table_name="queue_tickets")
    op.create_index("ix_queue_tickets_waiting", "queue_tickets", LINE_BEFORE)
