"""The achievement text's fingerprint on the dossier (issue 16): the duplicate check finds
dossiers with the identical text by index instead of reading every dossier of three years.
Existing dossiers get theirs here (the same folding as `models.dossier.report_fingerprint`).

Revision ID: 0015
Revises: 0014
"""

import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

MIN_REPORT_CHARS = 40
BATCH = 2000


def _fingerprint(summary, sections) -> str | None:
    if isinstance(sections, str):
        sections = json.loads(sections or "[]")
    parts = [summary or ""]
    parts += [str(s.get("body", "")) for s in sections or [] if isinstance(s, dict)]
    text = " ".join(" ".join(parts).casefold().split())
    if len(text) < MIN_REPORT_CHARS:
        return None
    return hashlib.sha256(text.encode()).hexdigest()


def upgrade() -> None:
    op.add_column("dossier", sa.Column("report_fingerprint", sa.String(64), nullable=True))
    op.create_index("ix_dossier_report_fingerprint", "dossier", ["report_fingerprint"])
    connection = op.get_bind()
    update = sa.text("UPDATE dossier SET report_fingerprint = :f WHERE id = :id")
    last = 0
    while True:
        rows = connection.execute(sa.text(
            "SELECT id, summary, report_sections FROM dossier WHERE id > :last "
            "ORDER BY id LIMIT :n"), {"last": last, "n": BATCH}).all()
        if not rows:
            break
        values = [{"id": row.id, "f": _fingerprint(row.summary, row.report_sections)}
                  for row in rows]
        values = [v for v in values if v["f"] is not None]
        if values:
            connection.execute(update, values)
        last = rows[-1].id


def downgrade() -> None:
    op.drop_index("ix_dossier_report_fingerprint", table_name="dossier")
    with op.batch_alter_table("dossier") as batch:
        batch.drop_column("report_fingerprint")
