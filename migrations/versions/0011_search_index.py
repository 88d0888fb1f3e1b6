"""The search index: folded tails of persons, units, dossiers and decisions (issue 14 item 6).

Revision ID: 0011
Revises: 0009
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None

KINDS = ("person", "unit", "dossier", "decision")
_WORD = re.compile(r"[^\W_]+")


TERM_LENGTH = 60


def _words(text):
    """As `workflow_app.search.service.index.tails` at this revision (kept here, frozen)."""
    folded = "".join(c for c in unicodedata.normalize("NFD", (text or "").casefold())
                     if not unicodedata.combining(c)).replace("đ", "d")
    found = [word[:TERM_LENGTH] for word in _WORD.findall(folded)]
    seen = {}
    for start in range(len(found)):
        tail = ""
        for word in found[start:]:
            longer = f"{tail} {word}" if tail else word
            if len(longer) > TERM_LENGTH:
                tail = tail or longer[:TERM_LENGTH]
                break
            tail = longer
        seen.setdefault(tail, None)
    return list(seen)


def _texts(conn):
    for row in conn.execute(sa.text("SELECT id, full_name FROM person")):
        yield "person", row[0], row[1]
    for row in conn.execute(sa.text("SELECT id, name, name_en, code, symbol FROM org_unit")):
        yield "unit", row[0], " ".join(part or "" for part in row[1:])
    awards = {}
    for award_id, name in conn.execute(sa.text("SELECT award_id, name_vi FROM award_version")):
        awards.setdefault(award_id, []).append(name)
    for row in conn.execute(sa.text(
            "SELECT id, search_text, title, summary, decision_number, forward_reference, "
            "award_id FROM dossier")):
        yield "dossier", row[0], " ".join([str(row[0]), *(p or "" for p in row[1:6]),
                                          *awards.get(row[6], [])])
    items = {}
    for decision_id, *parts in conn.execute(sa.text(
            "SELECT decision_id, awardee_name, awardee_unit, award_name FROM decision_item")):
        items.setdefault(decision_id, []).extend(p or "" for p in parts)
    for row in conn.execute(sa.text("SELECT id, reference, summary FROM decision")):
        yield "decision", row[0], " ".join([row[1] or "", row[2] or "", *items.get(row[0], [])])


def upgrade() -> None:
    table = op.create_table(
        "search_term",
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("ref_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("term", sa.String(length=TERM_LENGTH), nullable=False),
        sa.CheckConstraint(f"kind IN {KINDS}", name=op.f("ck_search_term_kind")),
        sa.PrimaryKeyConstraint("kind", "ref_id", "term", name=op.f("pk_search_term")),
    )
    op.create_index("ix_search_term_lookup", "search_term", ["kind", "term", "ref_id"])
    conn = op.get_bind()
    rows = []
    for kind, ref_id, text in list(_texts(conn)):
        rows.extend({"kind": kind, "ref_id": ref_id, "term": w} for w in _words(text))
        if len(rows) >= 5000:
            op.bulk_insert(table, rows)
            rows = []
    if rows:
        op.bulk_insert(table, rows)
    if conn.dialect.name == "postgresql":
        op.execute("ANALYZE search_term")  # statistics now, so searches use the index at once


def downgrade() -> None:
    op.drop_index("ix_search_term_lookup", table_name="search_term")
    op.drop_table("search_term")
