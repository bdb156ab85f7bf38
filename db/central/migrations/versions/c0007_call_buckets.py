"""central shared queue: call next reads each bucket of the queue (a line's waiting tickets by
time, its urgent ones, those transferred to a window) from an index in its order, instead of
sorting every waiting ticket of the hall (app.central.calling._pg_pick)

Revision ID: c0007
Revises: c0006
Create Date: 2026-12-02 05:40:00.000000
"""
from alembic import op


revision = 'c0007'
down_revision = 'c0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('shared_ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_shared_ticket_call')
        batch_op.create_index(
            'ix_shared_ticket_head',
            ['hall_id', 'status', 'day', 'line_code', 'issued_at', 'id'],
            unique=False,
        )
        batch_op.create_index(
            'ix_shared_ticket_urgent',
            ['hall_id', 'status', 'day', 'line_code', 'kind', 'issued_at', 'id'],
            unique=False,
        )
        batch_op.create_index(
            'ix_shared_ticket_target', ['hall_id', 'target_window', 'status'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('shared_ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_shared_ticket_target')
        batch_op.drop_index('ix_shared_ticket_urgent')
        batch_op.drop_index('ix_shared_ticket_head')
        batch_op.create_index(
            'ix_shared_ticket_call', ['hall_id', 'status', 'line_code', 'issued_at'], unique=False
        )
