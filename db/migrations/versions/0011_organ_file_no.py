"""papers issued by the competent organ: each department's 机关代字 (table organ) and the 文号
printed on a document (document.file_no)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('organ',
    sa.Column('department_code', sa.String(length=40), nullable=False),
    sa.Column('doc_code', sa.String(length=20), nullable=False),
    sa.PrimaryKeyConstraint('department_code', name=op.f('pk_organ'))
    )
    # Recreated so the column sits where the model puts it (before the DeskRow columns).
    with op.batch_alter_table('document', schema=None, recreate='always') as batch_op:
        batch_op.add_column(
            sa.Column('file_no', sa.String(length=60), nullable=True), insert_after='pdf_path'
        )


def downgrade() -> None:
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_column('file_no')
    op.drop_table('organ')
