"""central: staff accounts per hall (argon2 hashes the desks pull to sign in offline)

Revision ID: c0002
Revises: c0001
Create Date: 2026-12-02 02:45:00
"""
from alembic import op
import sqlalchemy as sa
import db.base


revision = 'c0002'
down_revision = 'c0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staff_account',
    sa.Column('hall_id', sa.String(length=10), nullable=False),
    sa.Column('clerk_id', sa.String(length=40), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('secret_hash', sa.String(length=200), nullable=False),
    sa.Column('changed_at', db.base.UTCDateTime(), nullable=False),
    sa.Column('disabled_at', db.base.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('hall_id', 'clerk_id', name=op.f('pk_staff_account'))
    )


def downgrade() -> None:
    op.drop_table('staff_account')
