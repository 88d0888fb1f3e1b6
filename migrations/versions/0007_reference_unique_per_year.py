"""Document references repeat every year: drop the UNIQUE on the printed reference.

Every numbered series (QĐ, TTr, BB) restarts at 01 on 1 January, so `01/QĐ-BTP` of 2025
and `01/QĐ-BTP` of 2026 are two documents; a UNIQUE on `reference` alone blocked the first
document of every new year. What is unique is (issuer, series, year, number): UNIQUE
(issuer_unit_id, doc_type, year, number) on `decision`, `submission_letter` and
`revocation_decision` (kept), (issuer_unit_id, year, number) on `council_minutes` (its
reference was never unique; unchanged).

SQLite rebuilds each table to drop a constraint (batch mode; foreign keys are not enforced
during a migration, see `workflow_app/migrate.py`); PostgreSQL drops and adds the constraints.

Downgrade adds the UNIQUE on `reference` back, and refuses — naming the references — when two
documents already share one (e.g. `01/QĐ-BTP` of two years): revision 0006 cannot hold them.

Revision ID: 0007
Revises: 0006
"""

import click
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("decision", "submission_letter", "revocation_decision")
SHOWN = 10


class DowngradeRefused(click.ClickException):
    """A downgrade that would lose or reject data; `flask db downgrade` prints the message."""


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"uq_{table}_reference"), type_="unique")


def _shared_references() -> list[str]:
    """"decision 01/QĐ-BTP (2025, 2026)" for every reference held by two or more rows."""
    bind = op.get_bind()
    found = []
    for table in TABLES:
        document = sa.table(table, sa.column("reference"), sa.column("year"))
        shared = (sa.select(document.c.reference).group_by(document.c.reference)
                  .having(sa.func.count() > 1))
        rows = bind.execute(sa.select(document.c.reference, document.c.year)
                            .where(document.c.reference.in_(shared))
                            .order_by(document.c.reference, document.c.year)).all()
        years: dict[str, list[str]] = {}
        for reference, year in rows:
            years.setdefault(reference, []).append(str(year))
        found += [f"{table} {reference} ({', '.join(ys)})" for reference, ys in years.items()]
    return found


def downgrade() -> None:
    shared = _shared_references()
    if shared:
        listed = "; ".join(shared[:SHOWN]) + ("; …" if len(shared) > SHOWN else "")
        raise DowngradeRefused(
            f"Cannot downgrade below revision 0007: revision 0006 requires every document "
            f"reference to be unique, but {len(shared)} reference(s) are used by more than "
            f"one document (issued in different years, or by issuers sharing a symbol): "
            f"{listed}. Nothing was changed. Keep revision 0007, or restore a backup taken "
            f"before these documents were issued.")
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_unique_constraint(op.f(f"uq_{table}_reference"), ["reference"])
