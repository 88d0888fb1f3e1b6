"""The search index finds decisions known only from the registry and numbers without their
leading zeros (issue 14): a new kind "record" (a registry entry, by the number of a decision
this system did not issue) and every number word stored without leading zeros ("01/QĐ-BTP"
→ "1 qd btp"). The index is derived data: it is rebuilt, with the words of each revision.

And the verification runs of the audit trail (issue 15), kept beside the chain:
`audit_verification`.

Revision ID: 0014
Revises: 0013
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

OLD_KINDS = ("person", "unit", "dossier", "decision")
NEW_KINDS = (*OLD_KINDS, "record")
TERM_LENGTH = 60
_WORD = re.compile(r"[^\W_]+")


def _tails(text, strip_zeros):
    """As `workflow_app.search.service.index.tails` at this revision (strip_zeros) or at
    0011 (kept here, frozen)."""
    folded = "".join(c for c in unicodedata.normalize("NFD", (text or "").casefold())
                     if not unicodedata.combining(c)).replace("đ", "d")
    found = []
    for word in _WORD.findall(folded):
        if strip_zeros and word.isdigit():
            word = word.lstrip("0") or "0"
        found.append(word[:TERM_LENGTH])
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


def _texts(conn, with_records):
    for row in conn.execute(sa.text("SELECT id, full_name FROM person")):
        yield "person", row[0], row[1]
    for row in conn.execute(sa.text("SELECT id, name, name_en, code, symbol FROM org_unit")):
        yield "unit", row[0], " ".join(part or "" for part in row[1:])
    awards = {}
    for award_id, name in conn.execute(sa.text("SELECT award_id, name_vi FROM award_version")):
        if name not in awards.setdefault(award_id, []):
            awards[award_id].append(name)
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
    if with_records:
        for row in conn.execute(sa.text(
                "SELECT id, decision_number FROM award_record WHERE source <> 'decision'")):
            yield "record", row[0], row[1]


def _rebuild(kinds, new_words):
    op.drop_index("ix_search_term_lookup", table_name="search_term")
    op.drop_table("search_term")
    table = op.create_table(
        "search_term",
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("ref_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("term", sa.String(length=TERM_LENGTH), nullable=False),
        sa.CheckConstraint(f"kind IN {kinds}", name=op.f("ck_search_term_kind")),
        sa.PrimaryKeyConstraint("kind", "ref_id", "term", name=op.f("pk_search_term")),
    )
    op.create_index("ix_search_term_lookup", "search_term", ["kind", "term", "ref_id"])
    conn = op.get_bind()
    rows = []
    for kind, ref_id, text in list(_texts(conn, new_words)):
        rows.extend({"kind": kind, "ref_id": ref_id, "term": w}
                    for w in _tails(text, new_words))
        if len(rows) >= 5000:
            op.bulk_insert(table, rows)
            rows = []
    if rows:
        op.bulk_insert(table, rows)
    if conn.dialect.name == "postgresql":
        op.execute("ANALYZE search_term")


def upgrade() -> None:
    _rebuild(NEW_KINDS, True)
    op.create_table(
        "audit_verification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ran_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=120), nullable=False),
        sa.Column("intact", sa.Boolean(), nullable=False),
        sa.Column("events_checked", sa.Integer(), nullable=False),
        sa.Column("problems", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["app_user.id"],
                                name=op.f("fk_audit_verification_actor_id_app_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_verification")),
    )
    op.create_index(op.f("ix_audit_verification_ran_at"), "audit_verification", ["ran_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_verification_ran_at"), table_name="audit_verification")
    op.drop_table("audit_verification")
    _rebuild(OLD_KINDS, False)
