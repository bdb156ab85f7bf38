"""the manager's monthly KPI rollups (derived data, recomputed on demand)

Revision ID: 0010
Revises: 0005
Create Date: 2026-12-02 00:40:00
"""
from alembic import op
import sqlalchemy as sa

import db.base

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('kpi_rollup',
    sa.Column('month_start', sa.Date(), nullable=False),
    sa.Column('target_wait_min', sa.Integer(), nullable=False),
    sa.Column('month_end', sa.Date(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('parts', sa.JSON(), nullable=False),
    sa.Column('visits', sa.JSON(), nullable=True),
    sa.Column('computed_at', db.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('month_start', 'target_wait_min', name=op.f('pk_kpi_rollup'))
    )


def downgrade() -> None:
    op.drop_table('kpi_rollup')
