"""the sync engine: clock offset, last sync and its error on sync_state; rejected operations

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 12:00:00
"""
from alembic import op
import sqlalchemy as sa

import db.base


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('rejected_operation',
    sa.Column('op_id', sa.String(length=26), nullable=False),
    sa.Column('reason', sa.String(length=300), nullable=False),
    sa.Column('rejected_at', db.base.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['op_id'], ['event.id'], name=op.f('fk_rejected_operation_op_id_event')),
    sa.PrimaryKeyConstraint('op_id', name=op.f('pk_rejected_operation'))
    )
    with op.batch_alter_table('sync_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('clock_offset_s', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('last_sync_at', db.base.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_sync_error', sa.String(length=300), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sync_state', schema=None) as batch_op:
        batch_op.drop_column('last_sync_error')
        batch_op.drop_column('last_sync_at')
        batch_op.drop_column('clock_offset_s')
    op.drop_table('rejected_operation')
