"""case search: an FTS5 trigram index over case numbers, ID numbers, phones and names (kept
by triggers), and indexes for the case list (agent name prefix, a notified case's return)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:00:00.000000
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

# A copy of db.models.case.SEARCH_DDL as it was at this revision.
SEARCH_DDL = [
    "CREATE VIRTUAL TABLE case_search USING fts5(applicant_name, agent_name, case_no, applicant_id_number, agent_id_number, applicant_phone, agent_phone, content='case', content_rowid='rowid', tokenize='trigram')",
    'CREATE TRIGGER case_search_insert AFTER INSERT ON "case" BEGIN INSERT INTO case_search(rowid, applicant_name, agent_name, case_no, applicant_id_number, agent_id_number, applicant_phone, agent_phone) VALUES (new.rowid, new.applicant_name, new.agent_name, new.case_no, new.applicant_id_number, new.agent_id_number, new.applicant_phone, new.agent_phone); END',
    'CREATE TRIGGER case_search_delete AFTER DELETE ON "case" BEGIN INSERT INTO case_search(case_search, rowid, applicant_name, agent_name, case_no, applicant_id_number, agent_id_number, applicant_phone, agent_phone) VALUES (\'delete\', old.rowid, old.applicant_name, old.agent_name, old.case_no, old.applicant_id_number, old.agent_id_number, old.applicant_phone, old.agent_phone); END',
    'CREATE TRIGGER case_search_update AFTER UPDATE OF applicant_name, agent_name, case_no, applicant_id_number, agent_id_number, applicant_phone, agent_phone ON "case" BEGIN INSERT INTO case_search(case_search, rowid, applicant_name, agent_name, case_no, applicant_id_number, agent_id_number, applicant_phone, agent_phone) VALUES (\'delete\', old.rowid, old.applicant_name, old.agent_name, old.case_no, old.applicant_id_number, old.agent_id_number, old.applicant_phone, old.agent_phone); INSERT INTO case_search(rowid, applicant_name, agent_name, case_no, applicant_id_number, agent_id_number, applicant_phone, agent_phone) VALUES (new.rowid, new.applicant_name, new.agent_name, new.case_no, new.applicant_id_number, new.agent_id_number, new.applicant_phone, new.agent_phone); END',
]


def upgrade() -> None:
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_agent_name'), ['agent_name'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_previous_case_id'), ['previous_case_id'], unique=False)
    for sql in SEARCH_DDL:
        op.execute(sql)
    op.execute("INSERT INTO case_search(case_search) VALUES ('rebuild')")


def downgrade() -> None:
    for trigger in ('case_search_insert', 'case_search_delete', 'case_search_update'):
        op.execute(f'DROP TRIGGER IF EXISTS {trigger}')
    op.execute('DROP TABLE IF EXISTS case_search')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_previous_case_id'))
        batch_op.drop_index(batch_op.f('ix_case_agent_name'))
