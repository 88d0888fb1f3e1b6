"""The search index (issue 14 item 6): for each searchable record (person, unit, dossier, decision,
and registry entry by the number of a decision this system did not issue), one row per word of
its folded text holding the text from that word on (its "tail", cut at TERM_LENGTH characters):
"nguyen van quang" → "nguyen van quang", "van quang", "quang".

A query is then one range scan on `ix_search_term_lookup`: "van qu" finds every record with a
tail beginning "van qu", that is the words typed, in that order, the last one possibly
unfinished — whatever the number of rows, never loading rows into Python. A single word is the
same scan. Kept current on every flush by `workflow_app.search.service.index`; `flask search
reindex` rebuilds it.
"""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from workflow_app.models.base import Base

SEARCH_KINDS = ("person", "unit", "dossier", "decision", "record")
TERM_LENGTH = 60


class SearchTerm(Base):
    __tablename__ = "search_term"
    __table_args__ = (
        CheckConstraint(f"kind IN {SEARCH_KINDS}", name="kind"),
        Index("ix_search_term_lookup", "kind", "term", "ref_id"),
    )

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    ref_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    term: Mapped[str] = mapped_column(String(TERM_LENGTH), primary_key=True)
