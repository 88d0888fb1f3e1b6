"""Eligibility exception requests (issue 17 item 4): a submitter asks a reviewer to set a
blocking rule of a dossier aside; the reviewer grants (an override) or refuses, with reasons.

Revision ID: 0018
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0016"
branch_labels = None
depends_on = None

TABLE = "eligibility_exception_request"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(length=60), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'granted', 'refused')",
                           name=op.f(f"ck_{TABLE}_status")),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"], ondelete="CASCADE",
                                name=op.f(f"fk_{TABLE}_dossier_id_dossier")),
        sa.ForeignKeyConstraint(["requested_by_id"], ["app_user.id"],
                                name=op.f(f"fk_{TABLE}_requested_by_id_app_user")),
        sa.ForeignKeyConstraint(["answered_by_id"], ["app_user.id"],
                                name=op.f(f"fk_{TABLE}_answered_by_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{TABLE}")),
    )
    op.create_index(op.f(f"ix_{TABLE}_dossier_id"), TABLE, ["dossier_id"])
    op.create_index(op.f(f"ix_{TABLE}_status"), TABLE, ["status"])
    op.create_index("uq_eligibility_exception_request_pending", TABLE,
                    ["dossier_id", "rule_id"], unique=True,
                    sqlite_where=sa.text("status = 'pending'"),
                    postgresql_where=sa.text("status = 'pending'"))


def downgrade() -> None:
    op.drop_table(TABLE)
