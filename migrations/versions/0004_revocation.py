"""Revocation of award decisions (Law Art. 93): proposals, grounds and their numbered decisions;
registry entries entered by hand (source "manual").

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OLD_SOURCES = "source IN ('decision', 'higher_decision', 'import')"
NEW_SOURCES = "source IN ('decision', 'higher_decision', 'import', 'manual')"
LIVE = "status IN ('proposed', 'revoked')"


def _sources(condition: str) -> None:
    # Batch mode: SQLite rebuilds the table (named CHECK constraints are carried over).
    with op.batch_alter_table("award_record", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_award_record_source"), type_="check")
        batch_op.create_check_constraint(op.f("ck_award_record_source"), condition)


def upgrade() -> None:
    _sources(NEW_SOURCES)
    op.create_table(
        "revocation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("award_record_id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=True),
        sa.Column("ground", sa.String(length=30), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("evidence_reference", sa.String(length=255), nullable=False),
        sa.Column("conclusion_received_on", sa.Date(), nullable=True),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("proposed_by_id", sa.Integer(), nullable=True),
        sa.Column("proposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reference", sa.String(length=60), nullable=True),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("dismissal_reason", sa.Text(), nullable=False),
        sa.Column("recovery_required", sa.Boolean(), nullable=False),
        sa.Column("recovered_on", sa.Date(), nullable=True),
        sa.Column("recovery_note", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "ground IN ('fraudulent_declaration', 'false_papers', 'unlawful_procedure', "
            "'later_violation')", name=op.f("ck_revocation_ground")),
        sa.CheckConstraint("status IN ('proposed', 'revoked', 'dismissed')",
                           name=op.f("ck_revocation_status")),
        sa.CheckConstraint("level IN ('own', 'higher')", name=op.f("ck_revocation_level")),
        sa.CheckConstraint("status <> 'revoked' OR decision_reference IS NOT NULL",
                           name=op.f("ck_revocation_revoked_has_decision")),
        sa.ForeignKeyConstraint(["award_record_id"], ["award_record.id"],
                                name=op.f("fk_revocation_award_record_id_award_record")),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"],
                                name=op.f("fk_revocation_dossier_id_dossier")),
        sa.ForeignKeyConstraint(["proposed_by_id"], ["app_user.id"],
                                name=op.f("fk_revocation_proposed_by_id_app_user")),
        sa.ForeignKeyConstraint(["decided_by_id"], ["app_user.id"],
                                name=op.f("fk_revocation_decided_by_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revocation")),
    )
    with op.batch_alter_table("revocation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_revocation_award_record_id"), ["award_record_id"],
                              unique=False)
        batch_op.create_index(batch_op.f("ix_revocation_dossier_id"), ["dossier_id"],
                              unique=False)
        batch_op.create_index("uq_revocation_live_record", ["award_record_id"], unique=True,
                              sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))
    op.create_table(
        "revocation_decision",
        sa.Column("revocation_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issuer_unit_id", sa.Integer(), nullable=False),
        sa.Column("doc_type", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=120), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("signer_name", sa.String(length=120), nullable=False),
        sa.Column("signer_title", sa.String(length=160), nullable=False),
        sa.Column("docx_sha256", sa.String(length=64), nullable=False),
        sa.Column("pdf_sha256", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("number >= 1", name=op.f("ck_revocation_decision_number_positive")),
        sa.ForeignKeyConstraint(["issued_by_id"], ["app_user.id"],
                                name=op.f("fk_revocation_decision_issued_by_id_app_user")),
        sa.ForeignKeyConstraint(["issuer_unit_id"], ["org_unit.id"],
                                name=op.f("fk_revocation_decision_issuer_unit_id_org_unit")),
        sa.ForeignKeyConstraint(["revocation_id"], ["revocation.id"],
                                name=op.f("fk_revocation_decision_revocation_id_revocation")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revocation_decision")),
        sa.UniqueConstraint("issuer_unit_id", "doc_type", "year", "number",
                            name=op.f("uq_revocation_decision_issuer_unit_id_doc_type_year_number")),
        sa.UniqueConstraint("reference", name=op.f("uq_revocation_decision_reference")),
        sa.UniqueConstraint("revocation_id", name=op.f("uq_revocation_decision_revocation_id")),
    )
    with op.batch_alter_table("revocation_decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_revocation_decision_issuer_unit_id"),
                              ["issuer_unit_id"], unique=False)


def downgrade() -> None:
    op.drop_table("revocation_decision")
    op.drop_table("revocation")
    op.execute(sa.text("UPDATE award_record SET source = 'import' WHERE source = 'manual'"))
    _sources(OLD_SOURCES)
