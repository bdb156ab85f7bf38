"""credentials synced from the central store: where each came from, and disabled

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 02:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=10), server_default='local', nullable=False))
        batch_op.add_column(sa.Column('disabled', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.drop_column('disabled')
        batch_op.drop_column('origin')
