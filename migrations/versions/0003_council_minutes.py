"""Signed council minutes (biên bản): frozen content and the stored files' hashes.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "council_minutes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("docx_sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("audit_seq", sa.Integer(), nullable=False),
        sa.Column("audit_hash", sa.String(length=64), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signed_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["council_session.id"],
                                name=op.f("fk_council_minutes_session_id_council_session")),
        sa.ForeignKeyConstraint(["signed_by_id"], ["app_user.id"],
                                name=op.f("fk_council_minutes_signed_by_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_minutes")),
        sa.UniqueConstraint("session_id", name=op.f("uq_council_minutes_session_id")),
    )


def downgrade() -> None:
    op.drop_table("council_minutes")
