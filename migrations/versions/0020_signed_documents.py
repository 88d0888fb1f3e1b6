"""Digitally signed documents (issue 20 item 1): the administrator's trust roots and
intermediate certificates, and the signed PDF recorded for an issued decision or tờ trình.

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "trust_certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("subject", sa.String(length=1000), nullable=False),
        sa.Column("issuer", sa.String(length=1000), nullable=False),
        sa.Column("serial", sa.String(length=80), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("not_after", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("der", sa.LargeBinary(), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('root', 'intermediate')",
                           name=op.f("ck_trust_certificate_kind")),
        sa.ForeignKeyConstraint(["added_by_id"], ["app_user.id"],
                                name=op.f("fk_trust_certificate_added_by_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trust_certificate")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_trust_certificate_fingerprint")),
    )
    op.create_table(
        "signed_pdf",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_kind", sa.String(length=20), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("issued_sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("signer_subject", sa.String(length=1000), nullable=False),
        sa.Column("signer_serial", sa.String(length=80), nullable=False),
        sa.Column("signer_issuer", sa.String(length=1000), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revocation", sa.String(length=12), nullable=False),
        sa.Column("validation", sa.JSON(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("document_kind IN ('decision', 'submission')",
                           name=op.f("ck_signed_pdf_document_kind")),
        sa.CheckConstraint("revocation IN ('good', 'unchecked', 'no_source')",
                           name=op.f("ck_signed_pdf_revocation")),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["app_user.id"],
                                name=op.f("fk_signed_pdf_uploaded_by_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signed_pdf")),
        sa.UniqueConstraint("document_kind", "document_id",
                            name=op.f("uq_signed_pdf_document_kind_document_id")),
    )


def downgrade() -> None:
    op.drop_table("signed_pdf")
    op.drop_table("trust_certificate")
