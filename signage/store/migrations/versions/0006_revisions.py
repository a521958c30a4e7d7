"""notice revisions: working copies, approval, history

Revision ID: 0006
Revises: 0001
Create Date: 2026-11-28 09:00:00.000000

Every existing notice gets one revision (number 1) holding its current record: an
approved notice's is approved (it is what the screens show); a notice that was not
approved keeps its state (draft, review, rejected; anything else becomes a draft).
"""

import sqlalchemy as sa
from alembic import op

import signage.store.models

revision = '0006'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notice_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('record', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('author', sa.String(length=80), nullable=False),
    sa.Column('created_at', signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', signage.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.String(length=80), nullable=True),
    sa.Column('decided_at', signage.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['notice_id'], ['notices.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('notice_id', 'number', name='uq_notice_revisions_number')
    )
    with op.batch_alter_table('notice_revisions', schema=None) as batch_op:
        batch_op.create_index('ix_notice_revisions_status', ['status'], unique=False)

    # Backfill: one revision per notice, its current record (plain SQL, SQLite and PostgreSQL).
    op.execute(
        "INSERT INTO notice_revisions (notice_id, number, record, status, author, created_at, "
        "submitted_at, decided_by, decided_at, reason) "
        "SELECT id, 1, record, "
        "CASE WHEN status IN ('approved', 'draft', 'review', 'rejected') THEN status "
        "WHEN status = 'pending' THEN 'review' ELSE 'draft' END, "
        "'system', updated_at, NULL, "
        "CASE WHEN status = 'approved' THEN 'system' ELSE NULL END, "
        "CASE WHEN status = 'approved' THEN updated_at ELSE NULL END, NULL "
        "FROM notices"
    )


def downgrade() -> None:
    with op.batch_alter_table('notice_revisions', schema=None) as batch_op:
        batch_op.drop_index('ix_notice_revisions_status')

    op.drop_table('notice_revisions')
