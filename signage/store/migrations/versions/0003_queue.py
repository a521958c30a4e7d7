"""queue: services, counters, office days, number sequences, tickets, events

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-26 21:28:55.510422
"""

import sqlalchemy as sa
from alembic import op

import signage.store.models

revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('queue_counters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('officer', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('number')
    )
    op.create_table('queue_days',
    sa.Column('office_date', sa.Date(), nullable=False),
    sa.Column('opened_at', signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expired', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('office_date')
    )
    op.create_table('queue_services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('prefix', sa.String(length=4), nullable=False),
    sa.Column('range_start', sa.Integer(), nullable=False),
    sa.Column('range_end', sa.Integer(), nullable=False),
    sa.Column('daily_cap', sa.Integer(), nullable=True),
    sa.Column('opens_at', sa.String(length=5), nullable=True),
    sa.Column('closes_at', sa.String(length=5), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code')
    )
    op.create_table('queue_counter_services',
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['counter_id'], ['queue_counters.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['service_id'], ['queue_services.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('counter_id', 'service_id')
    )
    op.create_table('queue_counter_zones',
    sa.Column('counter_id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['counter_id'], ['queue_counters.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('counter_id', 'zone_id')
    )
    op.create_table('queue_sequences',
    sa.Column('series', sa.String(length=3), nullable=False),
    sa.Column('office_date', sa.Date(), nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('series', 'office_date')
    )
    op.create_table('queue_tickets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=32), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('office_date', sa.Date(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('display', sa.String(length=16), nullable=False),
    sa.Column('queue_service_id', sa.Integer(), nullable=False),
    sa.Column('target_counter_id', sa.Integer(), nullable=True),
    sa.Column('priority', sa.String(length=32), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=True),
    sa.Column('issued_at', signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('called_at', signage.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', signage.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('calls', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['counter_id'], ['queue_counters.id'], ),
    sa.ForeignKeyConstraint(['queue_service_id'], ['queue_services.id'], ),
    sa.ForeignKeyConstraint(['service_id'], ['queue_services.id'], ),
    sa.ForeignKeyConstraint(['target_counter_id'], ['queue_counters.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('service_id', 'office_date', 'number', name='uq_queue_ticket_number'),
    sa.UniqueConstraint('office_date', 'display', name='uq_queue_ticket_display'),
    sa.UniqueConstraint('token')
    )
    with op.batch_alter_table('queue_tickets', schema=None) as batch_op:
        batch_op.create_index('ix_queue_tickets_counter', ['counter_id', 'status'], unique=False)
        batch_op.create_index('ix_queue_tickets_waiting',
                              ['office_date', 'status', 'queue_service_id'], unique=False)

    op.create_table('queue_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ticket_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('counter_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=80), nullable=True),
    sa.Column('at', signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['counter_id'], ['queue_counters.id'], ),
    sa.ForeignKeyConstraint(['ticket_id'], ['queue_tickets.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('queue_events', schema=None) as batch_op:
        batch_op.create_index('ix_queue_events_at', ['at'], unique=False)
        batch_op.create_index('ix_queue_events_ticket', ['ticket_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('queue_events', schema=None) as batch_op:
        batch_op.drop_index('ix_queue_events_ticket')
        batch_op.drop_index('ix_queue_events_at')

    op.drop_table('queue_events')
    with op.batch_alter_table('queue_tickets', schema=None) as batch_op:
        batch_op.drop_index('ix_queue_tickets_waiting')
        batch_op.drop_index('ix_queue_tickets_counter')

    op.drop_table('queue_tickets')
    op.drop_table('queue_sequences')
    op.drop_table('queue_counter_zones')
    op.drop_table('queue_counter_services')
    op.drop_table('queue_services')
    op.drop_table('queue_days')
    op.drop_table('queue_counters')
