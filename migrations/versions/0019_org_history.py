"""Organisations that change (issue 19): a unit's validity period, reorganisation events
with the decision that made them and what each unit was before, and the per-body rule on
whether a successor counts its predecessors' years.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("org_unit") as batch:
        batch.add_column(sa.Column("valid_from", sa.Date(), nullable=True))
        batch.add_column(sa.Column("valid_to", sa.Date(), nullable=True))
        batch.create_check_constraint(
            op.f("ck_org_unit_validity"), "valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from")

    op.create_table(
        "org_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("decision_number", sa.String(length=60), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=False),
        sa.Column("decision_issuer", sa.String(length=255), nullable=False),
        sa.Column("decision_sha256", sa.String(length=64), nullable=True),
        sa.Column("decision_filename", sa.String(length=255), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("grants_choice", sa.String(length=10), nullable=True),
        sa.Column("handover", sa.JSON(), nullable=False),
        sa.Column("reverses_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('created', 'renamed', 'moved', 'merged', 'split', 'dissolved', "
            "'reversal')", name=op.f("ck_org_event_kind")),
        sa.CheckConstraint("grants_choice IS NULL OR grants_choice IN ('lapse', 'move')",
                           name=op.f("ck_org_event_grants_choice")),
        sa.CheckConstraint("(kind = 'reversal') = (reverses_id IS NOT NULL)",
                           name=op.f("ck_org_event_reversal")),
        sa.ForeignKeyConstraint(["reverses_id"], ["org_event.id"],
                                name=op.f("fk_org_event_reverses_id_org_event")),
        sa.ForeignKeyConstraint(["created_by_id"], ["app_user.id"],
                                name=op.f("fk_org_event_created_by_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_event")),
        sa.UniqueConstraint("reverses_id", name=op.f("uq_org_event_reverses_id")),
    )
    op.create_index(op.f("ix_org_event_effective_date"), "org_event", ["effective_date"])

    op.create_table(
        "org_event_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("old_name", sa.String(length=255), nullable=True),
        sa.Column("old_name_en", sa.String(length=255), nullable=True),
        sa.Column("new_name", sa.String(length=255), nullable=True),
        sa.Column("new_name_en", sa.String(length=255), nullable=True),
        sa.Column("parent_changed", sa.Boolean(), nullable=False),
        sa.Column("old_parent_id", sa.Integer(), nullable=True),
        sa.Column("new_parent_id", sa.Integer(), nullable=True),
        sa.Column("old_valid_from", sa.Date(), nullable=True),
        sa.Column("old_valid_to", sa.Date(), nullable=True),
        sa.Column("old_is_active", sa.Boolean(), nullable=False),
        sa.Column("inherits_history", sa.Boolean(), nullable=False),
        sa.CheckConstraint("role IN ('subject', 'closed_with', 'successor')",
                           name=op.f("ck_org_event_unit_role")),
        sa.ForeignKeyConstraint(["event_id"], ["org_event.id"], ondelete="CASCADE",
                                name=op.f("fk_org_event_unit_event_id_org_event")),
        sa.ForeignKeyConstraint(["unit_id"], ["org_unit.id"],
                                name=op.f("fk_org_event_unit_unit_id_org_unit")),
        sa.ForeignKeyConstraint(["old_parent_id"], ["org_unit.id"],
                                name=op.f("fk_org_event_unit_old_parent_id_org_unit")),
        sa.ForeignKeyConstraint(["new_parent_id"], ["org_unit.id"],
                                name=op.f("fk_org_event_unit_new_parent_id_org_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_event_unit")),
        sa.UniqueConstraint("event_id", "unit_id",
                            name=op.f("uq_org_event_unit_event_id_unit_id")),
    )
    op.create_index("ix_org_event_unit_unit", "org_event_unit", ["unit_id", "role"])

    op.create_table(
        "org_history_rule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("body_unit_id", sa.Integer(), nullable=False),
        sa.Column("award_code", sa.String(length=30), nullable=True),
        sa.Column("counts_predecessors", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["body_unit_id"], ["org_unit.id"],
                                name=op.f("fk_org_history_rule_body_unit_id_org_unit")),
        sa.ForeignKeyConstraint(["created_by_id"], ["app_user.id"],
                                name=op.f("fk_org_history_rule_created_by_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_history_rule")),
        sa.UniqueConstraint("body_unit_id", "award_code",
                            name=op.f("uq_org_history_rule_body_unit_id_award_code")),
    )

    op.create_table(
        "person_transfer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("from_unit_id", sa.Integer(), nullable=False),
        sa.Column("to_unit_id", sa.Integer(), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("decision_number", sa.String(length=60), nullable=False),
        sa.Column("decision_date", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("from_unit_id <> to_unit_id",
                           name=op.f("ck_person_transfer_other_unit")),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"],
                                name=op.f("fk_person_transfer_person_id_person")),
        sa.ForeignKeyConstraint(["from_unit_id"], ["org_unit.id"],
                                name=op.f("fk_person_transfer_from_unit_id_org_unit")),
        sa.ForeignKeyConstraint(["to_unit_id"], ["org_unit.id"],
                                name=op.f("fk_person_transfer_to_unit_id_org_unit")),
        sa.ForeignKeyConstraint(["created_by_id"], ["app_user.id"],
                                name=op.f("fk_person_transfer_created_by_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_transfer")),
    )
    op.create_index("ix_person_transfer_person", "person_transfer",
                    ["person_id", "effective_date"])


def downgrade() -> None:
    op.drop_index("ix_person_transfer_person", table_name="person_transfer")
    op.drop_table("person_transfer")
    op.drop_table("org_history_rule")
    op.drop_index("ix_org_event_unit_unit", table_name="org_event_unit")
    op.drop_table("org_event_unit")
    op.drop_index(op.f("ix_org_event_effective_date"), table_name="org_event")
    op.drop_table("org_event")
    with op.batch_alter_table("org_unit") as batch:
        batch.drop_constraint(op.f("ck_org_unit_validity"), type_="check")
        batch.drop_column("valid_to")
        batch.drop_column("valid_from")
