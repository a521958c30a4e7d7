"""one head: merge the feature branches 0003 (queue), 0004 (audit), 0005 (slide
schedules) and 0006 (revisions), which all branched from 0001

Revision ID: 0007
Revises: 0003, 0004, 0005, 0006
Create Date: 2026-12-02 09:00:00.000000

No schema change. From here on the history is one line: every new migration
revises the single head (tests/integration/test_migrations.py fails otherwise).
"""

revision = "0007"
down_revision = ("0003", "0004", "0005", "0006")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
