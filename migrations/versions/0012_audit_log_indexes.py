"""Indexes for the auditor's log and exceptions (issue 15): each filter of the log (actor,
action, subject) with `seq`, so that a filtered page newest-first is an index range scan
that stops after one page (keyset by seq), on SQLite and PostgreSQL; and (action, time) for
the exceptions' counts by month.

Revision ID: 0012
Revises: 0011
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_audit_event_actor_seq": ["actor_id", "seq"],
    "ix_audit_event_action_seq": ["action", "seq"],
    "ix_audit_event_subject_seq": ["subject_type", "subject_id", "seq"],
    # the exceptions' counts by month: action IN (…) and a period, read from the index alone
    "ix_audit_event_action_time": ["action", "occurred_at"],
}


def upgrade() -> None:
    for name, columns in INDEXES.items():
        op.create_index(name, "audit_event", columns)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, table_name="audit_event")
