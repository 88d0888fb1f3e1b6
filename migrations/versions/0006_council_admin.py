"""Council minutes get a number and symbol from the council unit's BB series.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("council_minutes") as batch:
        batch.add_column(sa.Column("issuer_unit_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("year", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("number", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reference", sa.String(length=60), nullable=True))
        batch.create_foreign_key(op.f("fk_council_minutes_issuer_unit_id_org_unit"),
                                 "org_unit", ["issuer_unit_id"], ["id"])
        batch.create_unique_constraint(
            op.f("uq_council_minutes_issuer_unit_id_year_number"),
            ["issuer_unit_id", "year", "number"])


def downgrade() -> None:
    with op.batch_alter_table("council_minutes") as batch:
        batch.drop_constraint(op.f("uq_council_minutes_issuer_unit_id_year_number"),
                              type_="unique")
        batch.drop_constraint(op.f("fk_council_minutes_issuer_unit_id_org_unit"),
                              type_="foreignkey")
        batch.drop_column("reference")
        batch.drop_column("number")
        batch.drop_column("year")
        batch.drop_column("issuer_unit_id")
