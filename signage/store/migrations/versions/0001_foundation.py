"""foundation: zones, screens, notices, slides, users, tokens

Revision ID: 0001
Revises: 
Create Date: 2026-11-26 21:15:33.795357
"""

from alembic import op
import sqlalchemy as sa

import signage.store.models

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    
    op.create_table('notices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=True),
    sa.Column('slug', sa.String(length=120), nullable=True),
    sa.Column('field', sa.String(length=120), nullable=True),
    sa.Column('record', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.create_index('ix_notices_kind', ['kind'], unique=False)
        batch_op.create_index('uq_notices_law_slug', ['slug'], unique=True, sqlite_where=sa.text('slug IS NOT NULL'), postgresql_where=sa.text('slug IS NOT NULL'))
        batch_op.create_index('uq_notices_procedure_code', ['code'], unique=True, sqlite_where=sa.text('code IS NOT NULL'), postgresql_where=sa.text('code IS NOT NULL'))

    op.create_table('settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('zones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_at', signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('slug')
    )
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', signage.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', signage.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('token_hash')
    )
    op.create_table('screens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('orientation', sa.String(length=16), nullable=False),
    sa.Column('created_at', signage.store.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', signage.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_seen_at', signage.store.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key')
    )
    op.create_table('slides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zone_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('notice_id', sa.Integer(), nullable=False),
    sa.Column('duration_s', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['notice_id'], ['notices.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['zone_id'], ['zones.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('slides', schema=None) as batch_op:
        batch_op.create_index('ix_slides_zone_position', ['zone_id', 'position'], unique=False)




def downgrade() -> None:
    
    with op.batch_alter_table('slides', schema=None) as batch_op:
        batch_op.drop_index('ix_slides_zone_position')

    op.drop_table('slides')
    op.drop_table('screens')
    op.drop_table('api_tokens')
    op.drop_table('zones')
    op.drop_table('users')
    op.drop_table('settings')
    with op.batch_alter_table('notices', schema=None) as batch_op:
        batch_op.drop_index('uq_notices_procedure_code', sqlite_where=sa.text('code IS NOT NULL'), postgresql_where=sa.text('code IS NOT NULL'))
        batch_op.drop_index('uq_notices_law_slug', sqlite_where=sa.text('slug IS NOT NULL'), postgresql_where=sa.text('slug IS NOT NULL'))
        batch_op.drop_index('ix_notices_kind')

    op.drop_table('notices')

