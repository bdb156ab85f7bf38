"""the manager's year in under half a second: indexes for the KPIs' case and visit queries, and
a not yet final month's visits kept per application (kpi_rollup.visit_roots) with the time
they were counted, so that only the applications touched since are counted again

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
    op.create_index('ix_case_decision_day', 'case', ['decision', 'received_day'])
    op.create_index('ix_case_updated_at', 'case', ['updated_at'])
    op.create_index('ix_visit_case_ticket', 'visit', ['case_id', 'ticket_id'])
    op.create_index('ix_visit_created_at', 'visit', ['created_at'])
    with op.batch_alter_table('kpi_rollup') as batch:
        batch.add_column(sa.Column('visit_roots', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('visits_as_of', db.base.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('kpi_rollup') as batch:
        batch.drop_column('visits_as_of')
        batch.drop_column('visit_roots')
    op.drop_index('ix_visit_created_at', table_name='visit')
    op.drop_index('ix_visit_case_ticket', table_name='visit')
    op.drop_index('ix_case_updated_at', table_name='case')
    op.drop_index('ix_case_decision_day', table_name='case')
    op.drop_index('ix_case_root_day', table_name='case')
