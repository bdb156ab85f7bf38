"""the outbox writes each change once: a row names its event (op_id = event id), nothing else

Before, record() wrote two outbox rows per change, each with a full payload: the changed
row's state and a copy of the event. Now the event says what happened to which row, the
row's state is read from the row when a push is built, and the outbox row only names the
event. Existing rows are converted: an event's outbox row becomes the operation of that
event (its attempts and last error kept); a row-state row is covered by the event written
with it; a row-state row with no pending event of its row (none that record() wrote) gets an
event of its own (kind "outbox.migrated", id = its op id, so its place in the order stays),
so no pending change is lost.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.rename_table('outbox', 'outbox_0004')
    op.create_table('outbox',
    sa.Column('op_id', sa.String(length=26), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(), nullable=True),
    sa.ForeignKeyConstraint(['op_id'], ['event.id'], name=op.f('fk_outbox_op_id_event')),
    sa.PrimaryKeyConstraint('op_id', name=op.f('pk_outbox')),
    sqlite_with_rowid=False,
    )
    # A row-state row whose row has no pending event: give it one, so its change still goes.
    op.execute(
        "INSERT INTO event (id, at, entity, entity_id, kind, window_number, clerk_id, "
        "device_id, data) "
        "SELECT o.op_id, o.created_at, o.entity, o.entity_id, 'outbox.migrated', NULL, NULL, "
        "(SELECT device_id FROM sync_state WHERE id = 1), '{}' "
        "FROM outbox_0004 o "
        "WHERE o.entity <> 'event' AND o.op_id NOT IN (SELECT id FROM event) "
        "AND NOT EXISTS (SELECT 1 FROM outbox_0004 b JOIN event e ON e.id = b.entity_id "
        "WHERE b.entity = 'event' AND e.entity = o.entity AND e.entity_id = o.entity_id)"
    )
    op.execute(
        "INSERT INTO outbox (op_id, attempts, last_error) "
        "SELECT b.entity_id, b.attempts, b.last_error FROM outbox_0004 b "
        "WHERE b.entity = 'event' AND b.entity_id IN (SELECT id FROM event) "
        "UNION ALL "
        "SELECT o.op_id, o.attempts, o.last_error FROM outbox_0004 o "
        "JOIN event e ON e.id = o.op_id AND e.kind = 'outbox.migrated'"
    )
    op.drop_table('outbox_0004')


def downgrade() -> None:
    # The old layout: each operation as a copy of its event (the row's state is not copied
    # back; the event names the row).
    op.rename_table('outbox', 'outbox_0005')
    op.create_table('outbox',
    sa.Column('op_id', sa.String(length=26), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=40), nullable=False),
    sa.Column('op', sa.String(length=20), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(), nullable=True),
    sa.PrimaryKeyConstraint('op_id', name=op.f('pk_outbox'))
    )
    op.execute(
        "INSERT INTO outbox (op_id, created_at, entity, entity_id, op, payload, attempts, "
        "last_error) "
        "SELECT o.op_id, e.at, 'event', e.id, 'upsert', json_object('id', e.id, 'at', e.at, "
        "'entity', e.entity, 'entity_id', e.entity_id, 'kind', e.kind, 'window_number', "
        "e.window_number, 'clerk_id', e.clerk_id, 'device_id', e.device_id, 'data', "
        "json(e.data)), o.attempts, o.last_error "
        "FROM outbox_0005 o JOIN event e ON e.id = o.op_id"
    )
    op.drop_table('outbox_0005')
