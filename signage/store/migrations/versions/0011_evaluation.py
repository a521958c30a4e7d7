"""officers, duty, ratings, rating tablets, feedback

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 10:57:40.493674

Counters whose officer on duty was a name typed in (queue_counters.officer) get an
officer profile of that name, on duty there from this upgrade on.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import signage.store.models

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# Partial indexes: at most one open duty per counter and per officer.
OPEN = {"sqlite_where": sa.text("ended_at IS NULL"), "postgresql_where": sa.text("ended_at IS NULL")}


def upgrade() -> None:
    op.create_table('officers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('field', sa.String(length=200), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('photo', sa.LargeBinary(), nullable=True),
    sa.Column('photo_type', sa.String(length=32), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id')
    )
    op.create_table('rating_tablets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('created_at', signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', signage.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_seen_at', signage.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['counter_id'], ['queue_counters.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    op.create_table('feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=True),
    sa.Column('ticket_id', sa.Integer(), nullable=True),
    sa.Column('counter_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('handled_by', sa.String(length=80), nullable=True),
    sa.Column('answered_at', signage.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['counter_id'], ['queue_counters.id'], ),
    sa.ForeignKeyConstraint(['ticket_id'], ['queue_tickets.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index('ix_feedback_created', ['created_at'], unique=False)
        batch_op.create_index('ix_feedback_status', ['status', 'created_at'], unique=False)

    op.create_table('officer_duty',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('started_at', signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', signage.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('started_by', sa.String(length=80), nullable=True),
    sa.ForeignKeyConstraint(['counter_id'], ['queue_counters.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('officer_duty', schema=None) as batch_op:
        batch_op.create_index('ix_officer_duty_counter', ['counter_id', 'started_at'], unique=False)
        batch_op.create_index('uq_officer_duty_open_counter', ['counter_id'], unique=True, **OPEN)
        batch_op.create_index('uq_officer_duty_open_officer', ['officer_id'], unique=True, **OPEN)

    op.create_table('ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('scale', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('at', signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['counter_id'], ['queue_counters.id'], ),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], ),
    sa.ForeignKeyConstraint(['service_id'], ['queue_services.id'], ),
    sa.ForeignKeyConstraint(['ticket_id'], ['queue_tickets.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('ticket_id')
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index('ix_ratings_at', ['at'], unique=False)

    _officers_from_counters()


def _officers_from_counters() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC)
    officers = sa.table("officers", sa.column("id"), sa.column("name"), sa.column("title"),
                        sa.column("field"), sa.column("active"), sa.column("created_at"),
                        sa.column("updated_at"))
    duty = sa.table("officer_duty", sa.column("officer_id"), sa.column("counter_id"),
                    sa.column("started_at"), sa.column("started_by"))
    rows = bind.execute(sa.text("SELECT id, officer FROM queue_counters "
                                "WHERE officer IS NOT NULL AND officer <> '' ORDER BY id")).all()
    for counter_id, name in rows:
        officer_id = bind.execute(officers.insert().values(
            name=name, title="", field="", active=True, created_at=now, updated_at=now)
            .returning(officers.c.id)).scalar_one()
        bind.execute(duty.insert().values(officer_id=officer_id, counter_id=counter_id,
                                          started_at=now, started_by="migration 0011"))


def downgrade() -> None:
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index('ix_ratings_at')

    op.drop_table('ratings')
    with op.batch_alter_table('officer_duty', schema=None) as batch_op:
        batch_op.drop_index('uq_officer_duty_open_officer', **OPEN)
        batch_op.drop_index('uq_officer_duty_open_counter', **OPEN)
        batch_op.drop_index('ix_officer_duty_counter')

    op.drop_table('officer_duty')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_status')
        batch_op.drop_index('ix_feedback_created')

    op.drop_table('feedback')
    op.drop_table('rating_tablets')
    op.drop_table('officers')
