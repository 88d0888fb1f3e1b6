"""One search over persons, units, dossiers and decisions, in the database (issue 14 item 6),
and the registry's entries by the number of a decision this system did not issue (kind
"record": imported history, manual entries, higher authorities' decisions).

Case and diacritics never count ("nguyen van quang" finds "Nguyễn Văn Quang", đ is d).
A record matches, first, when the query's words appear in it in that order, one after the
other, the last one possibly unfinished ("van qu", "901/QĐ" for decision 901/QĐ-BTP): one
range scan on the tails in `ix_search_term_lookup`, so its cost follows the number of
matches, not the size of the tables. When that finds nothing the user may see and the query
has several words, the search widens to records holding every word in any order ("quang
nguyen"; `Hits.mode == "all_words"`, said on the page): the scan starts from the rarest word
(a bounded count per word) and checks the others by primary key. Results are scoped by role
in the same SQL statement, counted in full (no silent cap) and paged. Numbers match without
their leading zeros ("1/QĐ-BTP" finds "01/QĐ-BTP"; `index.words`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, exists, false, func, or_, select, true
from sqlalchemy.orm import Session, aliased, selectinload

from workflow_app.dossiers.service.access import visible_condition
from workflow_app.models.decision import Decision, DecisionItem
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.registry import AwardRecord
from workflow_app.models.search import SEARCH_KINDS, TERM_LENGTH, SearchTerm
from workflow_app.models.user import User
from workflow_app.org.service.scope import scope_paths, unit_scope_condition, visible_persons
from workflow_app.search.service.index import words

PER_PAGE = 20
MAX_WORDS = 8  # more words than this narrow nothing a person would type
RARITY_PROBE = 20_000  # index entries counted (at most) per word to pick the rarest one
DECISION_ISSUER_READERS = ("signer", "reviewer", "auditor")  # as decisions.service.access
DECISION_DOSSIER_READERS = ("submitter",)


def query_words(q: str) -> list[str]:
    return words(q)[:MAX_WORDS]


def _prefix(term_column, word: str) -> ColumnElement[bool]:
    """`term` begins with `word`: a range the index serves (LIKE alone does not on every
    collation), then LIKE for exactness."""
    upper = word[:-1] + chr(ord(word[-1]) + 1)
    return (term_column >= word) & (term_column < upper) & term_column.like(
        word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%", escape="\\")


def _rarest_first(session: Session, kind: str, terms: list[str]) -> list[str]:
    if len(terms) < 2:
        return terms

    def probe(word: str) -> int:
        sample = (select(SearchTerm.ref_id)
                  .where(SearchTerm.kind == kind, _prefix(SearchTerm.term, word))
                  .limit(RARITY_PROBE).subquery())
        return session.scalar(select(func.count()).select_from(sample)) or 0

    return sorted(terms, key=lambda w: (probe(w), -len(w)))


def _phrase(terms: list[str]) -> tuple[str, list[str]]:
    """The query as one tail prefix (whole words while they fit in TERM_LENGTH) and the words
    left over, checked one by one."""
    phrase, rest = "", list(terms)
    while rest and len(f"{phrase} {rest[0]}".strip()) <= TERM_LENGTH:
        phrase = f"{phrase} {rest.pop(0)}".strip()
    return phrase, rest


def matching_ids(session: Session, kind: str, q: str, mode: str = "phrase") -> Select | None:
    """SELECT of the ids of `kind` matching `q`: the words in order ("phrase") or every word
    anywhere ("all_words"); None for a query without a letter or a digit."""
    terms = query_words(q)
    if not terms:
        return None
    driver = aliased(SearchTerm)
    if mode == "phrase":
        phrase, others = _phrase(terms)
        query = select(driver.ref_id).where(driver.kind == kind, _prefix(driver.term, phrase))
    else:
        first, *others = _rarest_first(session, kind, terms)
        query = select(driver.ref_id).where(driver.kind == kind, _prefix(driver.term, first))
    for word in others:
        other = aliased(SearchTerm)
        query = query.where(exists(select(other.ref_id).where(
            other.kind == kind, other.ref_id == driver.ref_id, _prefix(other.term, word))))
    return query


def decision_visible_condition(user: User) -> ColumnElement[bool]:
    """SQL twin of `decisions.service.access.may_read`: signers, reviewers and auditors over
    the issuing unit; submitters over the unit of one of the decision's dossiers."""
    if not getattr(user, "is_active", False):
        return false()
    issuer = aliased(OrgUnit)
    conditions = []
    paths = scope_paths(user, *DECISION_ISSUER_READERS)
    if paths:
        conditions.append(Decision.issuer_unit_id.in_(select(issuer.id).where(or_(
            *(issuer.path.startswith(p, autoescape=True) for p in paths)))))
    paths = scope_paths(user, *DECISION_DOSSIER_READERS)
    if paths:
        unit = aliased(OrgUnit)
        conditions.append(exists(
            select(DecisionItem.id).join(Dossier, DecisionItem.dossier_id == Dossier.id)
            .join(unit, Dossier.unit_id == unit.id)
            .where(DecisionItem.decision_id == Decision.id,
                   or_(*(unit.path.startswith(p, autoescape=True) for p in paths)))))
    return or_(*conditions) if conditions else false()


def scoped(user: User, kind: str) -> Select:
    """SELECT of the records of `kind` that `user` may see, with their list order."""
    if kind == "person":
        return (visible_persons(user).options(selectinload(Person.unit))
                .order_by(Person.full_name, Person.id))
    if kind == "unit":
        return select(OrgUnit).where(true()).order_by(OrgUnit.name, OrgUnit.id)
    if kind == "dossier":
        return (select(Dossier).join(OrgUnit, Dossier.unit_id == OrgUnit.id)
                .where(visible_condition(user))
                .options(selectinload(Dossier.nominee_person), selectinload(Dossier.nominee_unit),
                         selectinload(Dossier.unit))
                .order_by(Dossier.id.desc()))
    if kind == "record":
        return records_scoped(user)
    return (select(Decision).where(decision_visible_condition(user))
            .order_by(Decision.issued_on.desc(), Decision.id.desc()))


def records_scoped(user: User) -> Select:
    """Registry entries whose recipient (a person's unit, or the collective) is in the
    persons' scope (`org.service.scope`), newest decision first."""
    return (select(AwardRecord).outerjoin(Person, Person.id == AwardRecord.person_id)
            .join(OrgUnit, OrgUnit.id == func.coalesce(Person.unit_id, AwardRecord.unit_id))
            .where(unit_scope_condition(user))
            .options(selectinload(AwardRecord.person), selectinload(AwardRecord.unit))
            .order_by(AwardRecord.decision_date.desc(), AwardRecord.id.desc()))


_MODELS = {"person": Person, "unit": OrgUnit, "dossier": Dossier, "decision": Decision,
           "record": AwardRecord}


@dataclass(frozen=True)
class Hits:
    kind: str
    total: int
    page: int
    per_page: int
    items: list
    mode: str = "phrase"  # or "all_words": the phrase found nothing, every word anywhere

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _count(session: Session, query: Select, model) -> int:
    return session.scalar(select(func.count()).select_from(
        query.order_by(None).with_only_columns(model.id).subquery())) or 0


def _page(session: Session, query: Select, model, page: int, per_page: int):
    """(the page's records, the total): one statement, the total as a window count; a page
    past the end counts apart."""
    rows = session.execute(query.add_columns(func.count().over().label("total"))
                           .limit(per_page).offset((page - 1) * per_page)).all()
    if rows:
        return [row[0] for row in rows], rows[0].total
    return [], (_count(session, query, model) if page > 1 else 0)


def search_kind(session: Session, user: User, kind: str, q: str, *, page: int = 1,
                per_page: int = PER_PAGE) -> Hits:
    """One page of the records of `kind` matching `q` that `user` may see, and their total."""
    if kind not in SEARCH_KINDS:
        raise ValueError(kind)
    model = _MODELS[kind]
    ids = matching_ids(session, kind, q)
    if ids is None:
        return Hits(kind, 0, 1, per_page, [])
    page = max(1, page)
    query = scoped(user, kind).where(model.id.in_(ids))
    items, total = _page(session, query, model, page, per_page)
    mode = "phrase"
    if total == 0 and len(query_words(q)) > 1:
        mode = "all_words"
        query = scoped(user, kind).where(model.id.in_(matching_ids(session, kind, q, mode)))
        items, total = _page(session, query, model, page, per_page)
    return Hits(kind, total, page, per_page, items, mode)


def search_all(session: Session, user: User, q: str, *, per_kind: int = 5) -> list[Hits]:
    """The first results of every kind, each with its full total."""
    return [search_kind(session, user, kind, q, per_page=per_kind) for kind in SEARCH_KINDS]


def person_ids_matching(session: Session, q: str, mode: str = "phrase") -> Select | None:
    """For other capabilities' person lists (org): the matching person ids."""
    return matching_ids(session, "person", q, mode)
