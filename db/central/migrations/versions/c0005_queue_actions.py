"""central queue actions: a ticket's target window and rating on the shared queue, and the
window actions answered (shared_action), so every window action goes through the store

Revision ID: c0005
Revises: c0004
Create Date: 2026-12-02 02:45:00.000000
"""
from alembic import op
import sqlalchemy as sa
import db.base


revision = 'c0005'
down_revision = 'c0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('shared_action',
    sa.Column('hall_id', sa.String(length=10), nullable=False),
    sa.Column('request_id', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('window_number', sa.Integer(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('at', db.base.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('hall_id', 'request_id', name=op.f('pk_shared_action'))
    )
    with op.batch_alter_table('shared_ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_window', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rating', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('shared_ticket', schema=None) as batch_op:
        batch_op.drop_column('rating')
        batch_op.drop_column('target_window')
    op.drop_table('shared_action')
