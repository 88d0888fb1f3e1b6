"""The emulation year's settings left from issue 13: whether a movement's registration
blocks the nomination of units and persons that did not register for a title
(`movement.registration_required`, off: registration is informative, LEGAL_FACTS §1.1 —
a configurable practice, not a legal prerequisite since 2022), and the named candidates
of a cluster's acclamation contest (`acclamation_contest.candidates`, empty: every member).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("movement") as batch:
        batch.add_column(sa.Column("registration_required", sa.Boolean(), nullable=False,
                                   server_default=sa.false()))
    with op.batch_alter_table("acclamation_contest") as batch:
        batch.add_column(sa.Column("candidates", sa.JSON(), nullable=False,
                                   server_default=sa.text("'[]'")))


def downgrade() -> None:
    with op.batch_alter_table("acclamation_contest") as batch:
        batch.drop_column("candidates")
    with op.batch_alter_table("movement") as batch:
        batch.drop_column("registration_required")
