"""sign-in: each member of staff's argon2 credential and failure count (table credential)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 13:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('credential',
    sa.Column('clerk_id', sa.String(length=40), nullable=False),
    sa.Column('secret_hash', sa.String(length=200), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(), nullable=True),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['clerk_id'], ['clerk.id'], name=op.f('fk_credential_clerk_id_clerk')),
    sa.PrimaryKeyConstraint('clerk_id', name=op.f('pk_credential'))
    )


def downgrade() -> None:
    op.drop_table('credential')
