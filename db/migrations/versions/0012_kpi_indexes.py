"""the manager's year in under half a second: indexes for the KPIs' case and visit queries, and
a not yet final month's visits kept per application (kpi_rollup_root) with the time they were
counted (kpi_rollup.visits_so_far, visits_as_of), so that only the applications touched since
are counted again

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 13:00:00
"""
from alembic import op
import sqlalchemy as sa

import db.base

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_case_root_day', 'case', ['previous_case_id', 'received_day'])
    op.create_index('ix_case_decision_day', 'case', ['decision', 'received_day', 'id'])
    op.create_index(
        'ix_case_material_case_gap', 'case_material', ['case_id', 'gap_deadline', 'supplied_at']
    )
    op.create_index('ix_case_updated_at', 'case', ['updated_at'])
    op.create_index('ix_visit_case_ticket', 'visit', ['case_id', 'ticket_id'])
    op.create_index('ix_visit_created_at', 'visit', ['created_at'])
    op.create_table('kpi_rollup_root',
    sa.Column('month_start', sa.Date(), nullable=False),
    sa.Column('target_wait_min', sa.Integer(), nullable=False),
    sa.Column('root_id', sa.String(length=26), nullable=False),
    sa.Column('visits', sa.Integer(), nullable=False),
    sa.Column('settled', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('month_start', 'target_wait_min', 'root_id', name=op.f('pk_kpi_rollup_root'))
    )
    with op.batch_alter_table('kpi_rollup') as batch:
        batch.add_column(sa.Column('visits_so_far', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('visits_as_of', db.base.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('kpi_rollup') as batch:
        batch.drop_column('visits_as_of')
        batch.drop_column('visits_so_far')
    op.drop_table('kpi_rollup_root')
    op.drop_index('ix_case_material_case_gap', table_name='case_material')
    op.drop_index('ix_visit_created_at', table_name='visit')
    op.drop_index('ix_visit_case_ticket', table_name='visit')
    op.drop_index('ix_case_updated_at', table_name='case')
    op.drop_index('ix_case_decision_day', table_name='case')
    op.drop_index('ix_case_root_day', table_name='case')
