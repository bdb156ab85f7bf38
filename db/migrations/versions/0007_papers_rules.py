"""papers that stand up legally: core materials and roles, the organ's remedies, the matter's
legal basis and 容缺 policy in the catalogue; their snapshots on cases; a rejection's ground
and referral

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-02 00:30:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None

_COLUMNS: dict[str, list[sa.Column]] = {
    "department": [
        sa.Column(
            "organ_type", sa.String(length=20), nullable=False, server_default="administrative"
        ),
        sa.Column("review_body", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("court", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("phone", sa.String(length=60), nullable=False, server_default=""),
    ],
    "matter": [
        sa.Column("legal_basis", sa.Text(), nullable=False, server_default=""),
        sa.Column("gap_policy", sa.String(length=300), nullable=False, server_default=""),
        sa.Column("gap_reserve_days", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("parallel_review", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("gap_credit_record", sa.Boolean(), nullable=False, server_default=sa.false()),
    ],
    "material": [
        sa.Column("core", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("role", sa.String(length=30), nullable=False, server_default="other"),
    ],
    "case": [
        sa.Column("reject_ground", sa.String(length=30), nullable=True),
        sa.Column("refer_to", sa.Text(), nullable=True),
    ],
    "case_matter": [
        sa.Column("kind", sa.String(length=20), nullable=False, server_default=""),
        sa.Column("organ", sa.String(length=100), nullable=False, server_default=""),
        sa.Column(
            "organ_type", sa.String(length=20), nullable=False, server_default="administrative"
        ),
        sa.Column("review_body", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("court", sa.String(length=200), nullable=False, server_default=""),
        sa.Column("organ_phone", sa.String(length=60), nullable=False, server_default=""),
        sa.Column("legal_basis", sa.Text(), nullable=False, server_default=""),
        sa.Column("gap_policy", sa.String(length=300), nullable=False, server_default=""),
        sa.Column("gap_credit_record", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("parallel_review", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("place", sa.String(length=200), nullable=False, server_default=""),
    ],
    "case_material": [
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("condition", sa.String(length=300), nullable=False, server_default=""),
        sa.Column("role", sa.String(length=30), nullable=False, server_default="other"),
        sa.Column("core", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("blank_form", sa.String(length=200), nullable=True),
        sa.Column("sample", sa.String(length=200), nullable=True),
    ],
}


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild): the case table's search triggers stay as they are.
    for table, columns in _COLUMNS.items():
        for column in columns:
            op.add_column(table, column)


def downgrade() -> None:
    # SQLite 3.35+ drops a column in place (no rebuild, the triggers stay).
    for table, columns in _COLUMNS.items():
        for column in reversed(columns):
            op.drop_column(table, column.name)
