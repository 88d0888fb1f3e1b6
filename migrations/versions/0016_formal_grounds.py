"""Documents an office can issue (issue 18): each award version carries the formal "Căn cứ"
lines a decision cites and its official name as written in documents; a version that a
dossier points to is never rewritten, so a change becomes a new revision of the same basis
(unique on award, basis and revision); each unit carries the "Căn cứ" line of its own
organisation decree and the title of its head, as configuration.

Revision ID: 0016
Revises: 0015
"""

import click
import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("award_version") as batch:
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False,
                                   server_default="1"))
        batch.add_column(sa.Column("legal_grounds", sa.JSON(), nullable=False,
                                   server_default="[]"))
        batch.add_column(sa.Column("official_name", sa.String(255), nullable=False,
                                   server_default=""))
        batch.drop_constraint("uq_award_version_award_id_basis_key", type_="unique")
        batch.create_unique_constraint("uq_award_version_award_id_basis_key_revision",
                                       ["award_id", "basis_key", "revision"])
    with op.batch_alter_table("org_unit") as batch:
        batch.add_column(sa.Column("founding_ground", sa.Text(), nullable=False,
                                   server_default=""))
        batch.add_column(sa.Column("head_title", sa.String(255), nullable=False,
                                   server_default=""))


SHOWN = 10


class DowngradeRefused(click.ClickException):
    """Going below 0016 would lose rule revisions that dossiers may point to."""


def _revised() -> list[str]:
    """Award codes and bases that have more than one revision (0015 allows only one)."""
    rows = op.get_bind().execute(sa.text(
        "SELECT a.code, v.basis_key, COUNT(*) FROM award_version v "
        "JOIN award a ON a.id = v.award_id GROUP BY a.code, v.basis_key "
        "HAVING COUNT(*) > 1 ORDER BY a.code, v.basis_key")).all()
    return [f"{code} ({basis}: {count} revisions)" for code, basis, count in rows]


def downgrade() -> None:
    revised = _revised()
    if revised:
        listed = "; ".join(revised[:SHOWN]) + ("; …" if len(revised) > SHOWN else "")
        raise DowngradeRefused(
            f"Cannot downgrade below revision 0016: revision 0015 allows one rule version per "
            f"award and legal basis, but {len(revised)} have later revisions made with "
            f"`catalogue load --effective-from`: {listed}. Dossiers may point to either, so "
            f"none can be dropped. Nothing was changed. Keep revision 0016, or restore a "
            f"backup taken before these revisions were loaded.")
    with op.batch_alter_table("org_unit") as batch:
        batch.drop_column("head_title")
        batch.drop_column("founding_ground")
    with op.batch_alter_table("award_version") as batch:
        batch.drop_constraint("uq_award_version_award_id_basis_key_revision", type_="unique")
        batch.create_unique_constraint("uq_award_version_award_id_basis_key",
                                       ["award_id", "basis_key"])
        batch.drop_column("official_name")
        batch.drop_column("legal_grounds")
        batch.drop_column("revision")
