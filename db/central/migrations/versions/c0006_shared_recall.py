"""central shared queue: a ticket's latest recall (shared_ticket.recalled_at), so the hall's
board shows a recall as the latest call it is, however early the ticket was first called; and
one live kiosk token per kiosk number (its offline number space)

Revision ID: c0006
Revises: c0005
Create Date: 2026-12-02 03:50:00.000000
"""
from alembic import op
import sqlalchemy as sa
import db.base


revision = 'c0006'
down_revision = 'c0005'
branch_labels = None
depends_on = None


KIOSK_WHERE = "role = 'display' AND window_number IS NOT NULL AND revoked_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.create_index(
            'uq_credential_kiosk', ['hall_id', 'window_number'], unique=True,
            sqlite_where=sa.text(KIOSK_WHERE), postgresql_where=sa.text(KIOSK_WHERE),
        )
    with op.batch_alter_table('shared_ticket', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recalled_at', db.base.UTCDateTime(), nullable=True))
        batch_op.create_index('ix_shared_ticket_recall', ['hall_id', 'day', 'recalled_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('shared_ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_shared_ticket_recall')
        batch_op.drop_column('recalled_at')
    with op.batch_alter_table('credential', schema=None) as batch_op:
        batch_op.drop_index('uq_credential_kiosk')
