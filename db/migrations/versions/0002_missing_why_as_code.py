"""why a material is still needed: kept as a code with parameters (JSON)

`case_material.missing_why` was the Chinese sentence (VARCHAR(200)); from now on it is JSON: a
text's code, parameters and Chinese line ({"code", "params", "text"}), so the desk shows it in
its own language (app.messages.to_stored / from_stored). Rows written before keep their
sentence, as a JSON string, shown as it is. (`case.decision_reasons` was JSON already: its
items change the same way, with no schema change.)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 10:00:00
"""
import json

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def _rewrite(convert):
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT id, missing_why FROM case_material WHERE missing_why IS NOT NULL")
    ).fetchall()
    if rows:
        conn.execute(
            sa.text("UPDATE case_material SET missing_why = :value WHERE id = :id"),
            [{"id": row[0], "value": convert(row[1])} for row in rows],
        )


def upgrade():
    with op.batch_alter_table('case_material', schema=None) as batch_op:
        batch_op.alter_column(
            'missing_why',
            existing_type=sa.String(length=200),
            type_=sa.JSON(none_as_null=True),
            existing_nullable=True,
        )
    # The old sentence becomes a JSON string (json.dumps in Python: the JSON functions are
    # not in every SQLite).
    _rewrite(lambda text: json.dumps(text, ensure_ascii=False))


def downgrade():
    def sentence(stored):
        value = json.loads(stored)
        return value.get("text", "") if isinstance(value, dict) else str(value)

    _rewrite(sentence)
    with op.batch_alter_table('case_material', schema=None) as batch_op:
        batch_op.alter_column(
            'missing_why',
            existing_type=sa.JSON(none_as_null=True),
            type_=sa.String(length=200),
            existing_nullable=True,
        )
