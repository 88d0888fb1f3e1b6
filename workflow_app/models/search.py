"""The search index: one row per distinct folded word of a searchable record (issue 14 item 6).

A person, unit, dossier or decision is found when every word of the query begins one of its
words (`kind`, `term` range scans on an index), so a search costs the same with 1,000 or
1,000,000 rows and never loads rows into Python. Kept current on every flush by
`workflow_app.search.service.index`; `flask search reindex` rebuilds it.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from workflow_app.models.base import Base

SEARCH_KINDS = ("person", "unit", "dossier", "decision")
TERM_LENGTH = 40


class SearchTerm(Base):
    __tablename__ = "search_term"
    __table_args__ = (
        CheckConstraint(f"kind IN {SEARCH_KINDS}", name="kind"),
        Index("ix_search_term_lookup", "kind", "term", "ref_id"),
    )

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    ref_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    term: Mapped[str] = mapped_column(String(TERM_LENGTH), primary_key=True)
