"""device_chain: the last link of each desk's audit chain the store accepted

Revision ID: c0003
Revises: c0002
Create Date: 2026-12-02 02:50:00.000000
"""
from alembic import op
import sqlalchemy as sa
import db.base


revision = 'c0003'
down_revision = 'c0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('device_chain',
    sa.Column('hall_id', sa.String(length=10), nullable=False),
    sa.Column('device_id', sa.String(length=26), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('held_from', sa.BigInteger(), nullable=True),
    sa.Column('updated_at', db.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('hall_id', 'device_id', name=op.f('pk_device_chain'))
    )


def downgrade() -> None:
    op.drop_table('device_chain')
