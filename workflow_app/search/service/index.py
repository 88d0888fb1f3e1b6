"""Keeping the search index current: every flush that adds, changes or deletes a person, a
unit, a dossier or a decision (or a decision's annex row) rewrites that record's words in
`search_term`, in the same transaction, so the index is never behind the data it indexes.

A record's words: its searchable text folded (lower case, no diacritics, đ → d) and split on
anything that is not a letter or a digit ("901/QĐ-BTP" → 901, qd, btp), a number without its
leading zeros ("01/QĐ-BTP" → 1, qd, btp: found by "1/qd-btp", "1 / QD BTP" or "01/QĐ-BTP");
its index rows are the tails from each word on (`tails`), each kept once. A query's words
are made the same way, so both sides agree.

Registry entries (`AwardRecord`, kind "record") are indexed by their decision number when
the decision is not one of this system's (`source` other than "decision": imported history,
manual entries, a higher authority's decision): the only trace of those decisions.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import delete, event, inspect, select, text
from sqlalchemy.orm import Session

from workflow_app.models.catalogue import AwardVersion
from workflow_app.models.decision import Decision, DecisionItem
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.registry import AwardRecord
from workflow_app.models.search import TERM_LENGTH, SearchTerm

_WORD = re.compile(r"[^\W_]+")

# model → (kind, the attributes whose change means the record's words must be rewritten)
INDEXED = {
    Person: ("person", ("full_name",)),
    OrgUnit: ("unit", ("name", "name_en", "code", "symbol")),
    Dossier: ("dossier", ("search_text", "title", "summary", "decision_number",
                          "forward_reference", "award_id")),
    Decision: ("decision", ("reference", "summary")),
    AwardRecord: ("record", ("decision_number", "source")),
}


def fold(text: str | None) -> str:
    """Lower case, no diacritics (đ → d): "Nguyễn Văn Đức" → "nguyen van duc"."""
    decomposed = unicodedata.normalize("NFD", (text or "").casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("đ", "d")


def _word(word: str) -> str:
    """A number without its leading zeros ("01" → "1", "000" → "0"), cut at TERM_LENGTH."""
    if word.isdigit():
        word = word.lstrip("0") or "0"
    return word[:TERM_LENGTH]


def words(text: str | None) -> list[str]:
    """The folded words of `text`, in order (a query's words: repeats kept)."""
    return [_word(word) for word in _WORD.findall(fold(text))]


def tails(text: str | None) -> list[str]:
    """The distinct tails of `text`: from each word to the end, cut at TERM_LENGTH (on a
    word's end when one fits)."""
    found = words(text)
    seen: dict[str, None] = {}
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


def _award_name(session: Session, award_id: int | None) -> str:
    if award_id is None:
        return ""
    names = session.scalars(select(AwardVersion.name_vi).where(AwardVersion.award_id == award_id)
                            .distinct())
    return " ".join(names)


def text_of(session: Session, kind: str, record) -> str:
    """The searchable text of one record."""
    if kind == "person":
        return record.full_name
    if kind == "unit":
        return " ".join((record.name, record.name_en or "", record.code, record.symbol or ""))
    if kind == "record":
        return record.decision_number if record.source != "decision" else ""
    if kind == "dossier":
        return " ".join((str(record.id), record.search_text or "", record.title or "",
                         record.summary or "", record.decision_number or "",
                         record.forward_reference or "", _award_name(session, record.award_id)))
    items = session.execute(select(DecisionItem.awardee_name, DecisionItem.awardee_unit,
                                   DecisionItem.award_name)
                            .where(DecisionItem.decision_id == record.id)).all()
    return " ".join((record.reference or "", record.summary or "",
                     *(" ".join(row) for row in items)))


def rewrite(session: Session, kind: str, records: Iterable) -> int:
    """Replace the words of `records` (all of one kind) in the index; returns rows written."""
    records = [r for r in records if r.id is not None]
    if not records:
        return 0
    connection = session.connection()
    ids = [r.id for r in records]
    for start in range(0, len(ids), 500):
        connection.execute(delete(SearchTerm).where(SearchTerm.kind == kind,
                                                    SearchTerm.ref_id.in_(ids[start:start + 500])))
    rows = [{"kind": kind, "ref_id": r.id, "term": term}
            for r in records for term in tails(text_of(session, kind, r))]
    if rows:
        connection.execute(SearchTerm.__table__.insert(), rows)
    return len(rows)


def forget(session: Session, kind: str, ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        session.connection().execute(delete(SearchTerm).where(SearchTerm.kind == kind,
                                                              SearchTerm.ref_id.in_(ids)))


def _changed(record, attributes: tuple[str, ...]) -> bool:
    state = inspect(record)
    return any(state.attrs[name].history.has_changes() for name in attributes)


@event.listens_for(Session, "after_flush")
def _keep_index_current(session: Session, flush_context) -> None:
    stale: dict[str, dict[int, object]] = defaultdict(dict)
    gone: dict[str, set[int]] = defaultdict(set)
    for record in session.new:
        spec = INDEXED.get(type(record))
        if spec is not None:
            stale[spec[0]][record.id] = record
        elif isinstance(record, DecisionItem):
            decision = session.get(Decision, record.decision_id)
            if decision is not None:
                stale["decision"][decision.id] = decision
    for record in session.dirty:
        spec = INDEXED.get(type(record))
        if spec is not None and _changed(record, spec[1]):
            stale[spec[0]][record.id] = record
    for record in session.deleted:
        spec = INDEXED.get(type(record))
        if spec is not None:
            gone[spec[0]].add(record.id)
    for kind, ids in gone.items():
        forget(session, kind, ids)
    for kind, records in stale.items():
        rewrite(session, kind, [r for i, r in records.items() if i not in gone[kind]])


def reindex_all(session: Session, batch: int = 2000) -> dict[str, int]:
    """Rebuild the whole index (after a bulk load outside the ORM, or to repair it)."""
    session.execute(delete(SearchTerm))
    written = {}
    for model, (kind, _attributes) in INDEXED.items():
        written[kind] = 0
        last = 0
        while True:
            records = list(session.scalars(select(model).where(model.id > last)
                                           .order_by(model.id).limit(batch)))
            if not records:
                break
            written[kind] += rewrite(session, kind, records)
            last = records[-1].id
            session.expunge_all()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE search_term"))  # fresh statistics: index plans
    return written
