"""audit chain: each event carries its device's sequence number, the previous event's hash and
its own (see app/audit.py)

Events written before this revision have no place in a chain. If there are any, the chain
starts here with an anchor event (kind "audit.chain_started", entity "event", the device's
seq 1) whose data holds how many events there were ("legacy_events") and the SHA-256 over the
SHA-256 of each one's canonical form, in id order ("legacy_digest"); `python -m app audit
verify` recomputes it, so a later change to an old event is detected too. The anchor has its
outbox row: the central store receives the chain from its first link.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 12:00:00
"""
import hashlib
import json
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

from db.ids import new_id


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# A copy of app/audit.py's canonical form as it was at this revision.
FIELDS = (
    "id", "at", "entity", "entity_id", "kind", "window_number", "clerk_id", "device_id",
    "data", "seq", "prev_hash",
)
GENESIS = "0" * 64


def _canonical(row) -> bytes:
    fields = dict(zip(FIELDS, row, strict=True))
    data = fields["data"]
    fields["data"] = json.loads(data) if isinstance(data, (str, bytes)) else data
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def upgrade() -> None:
    op.add_column('event', sa.Column('seq', sa.Integer(), nullable=True))
    op.add_column('event', sa.Column('prev_hash', sa.String(length=64), nullable=True))
    op.add_column('event', sa.Column('hash', sa.String(length=64), nullable=True))
    op.create_index('ix_event_device_seq', 'event', ['device_id', 'seq'], unique=True)
    bind = op.get_bind()
    rows = bind.exec_driver_sql(
        f"SELECT {', '.join(FIELDS)} FROM event ORDER BY id"
    ).fetchall()
    if not rows:
        return
    digest = hashlib.sha256()
    for row in rows:
        digest.update(hashlib.sha256(_canonical(row)).digest())
    device = bind.exec_driver_sql("SELECT device_id FROM sync_state WHERE id = 1").scalar()
    if device is None:
        device = new_id()
        bind.exec_driver_sql(
            "INSERT INTO sync_state (id, device_id) VALUES (1, ?)", (device,)
        )
    anchor_id = new_id()
    at = datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    data = json.dumps(  # stored as db.engine stores JSON: canonical
        {"legacy_events": len(rows), "legacy_digest": digest.hexdigest()},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    )
    anchor = (
        anchor_id, at, "event", anchor_id, "audit.chain_started", None, None, device, data, 1,
        GENESIS,
    )
    own = hashlib.sha256(_canonical(anchor)).hexdigest()
    bind.exec_driver_sql(
        f"INSERT INTO event ({', '.join(FIELDS)}, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*anchor, own),
    )
    bind.exec_driver_sql(
        "INSERT INTO outbox (op_id, attempts) VALUES (?, 0)", (anchor_id,)
    )


def downgrade() -> None:
    # The anchor event stays (the log is append-only; an upgrade again counts it as an old
    # event under a new anchor), but a release without the chain does not push it.
    op.execute(
        "DELETE FROM outbox WHERE op_id IN "
        "(SELECT id FROM event WHERE kind = 'audit.chain_started')"
    )
    op.drop_index('ix_event_device_seq', table_name='event')
    for column in ('hash', 'prev_hash', 'seq'):
        op.execute(f'ALTER TABLE event DROP COLUMN {column}')
