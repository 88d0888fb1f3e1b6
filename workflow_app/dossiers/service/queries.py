"""The dossier list: what the user may see, filtered in SQL, newest first, paged by key.

Key pagination (`before` = the last id of the previous page) keeps pages stable while new
dossiers arrive and costs the same on page 1 and page 40.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from workflow_app.dossiers.service.access import visible_condition
from workflow_app.dossiers.service.fields import fold
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.user import User

PAGE_SIZE = 25


@dataclass(frozen=True)
class ListFilters:
    q: str = ""
    state: str = ""
    award_id: int | None = None
    year: int | None = None
    commendation_type: str = ""
    batch_id: int | None = None
    before: int | None = None


@dataclass(frozen=True)
class Page:
    dossiers: list[Dossier]
    next_before: int | None  # the `before` of the next page, None on the last one


def _text_condition(q: str):
    nominee_unit = aliased(OrgUnit)
    folded = fold(q)
    raw = f"%{q}%"
    conditions = [
        Dossier.search_text.contains(folded, autoescape=True),
        Dossier.title.ilike(raw),
        Dossier.nominee_person_id.in_(select(Person.id).where(Person.full_name.ilike(raw))),
        Dossier.nominee_unit_id.in_(select(nominee_unit.id).where(nominee_unit.name.ilike(raw))),
    ]
    digits = q.lstrip("#").strip()
    if digits.isdigit() and len(digits) < 10:
        conditions.append(Dossier.id == int(digits))
    return or_(*conditions)


def filtered(user: User, filters: ListFilters):
    """SELECT of the dossiers `user` may see under `filters` (not `before`), unordered."""
    query = (select(Dossier).join(OrgUnit, Dossier.unit_id == OrgUnit.id)
             .where(visible_condition(user)))
    if filters.state:
        query = query.where(Dossier.state == filters.state)
    if filters.award_id:
        query = query.where(Dossier.award_id == filters.award_id)
    if filters.year:
        query = query.where(Dossier.year == filters.year)
    if filters.commendation_type:
        query = query.where(Dossier.commendation_type == filters.commendation_type)
    if filters.batch_id:
        query = query.where(Dossier.batch_id == filters.batch_id)
    if filters.q.strip():
        query = query.where(_text_condition(filters.q.strip()))
    return query


def list_dossiers(session: Session, user: User, filters: ListFilters,
                  page_size: int = PAGE_SIZE) -> Page:
    query = filtered(user, filters).options(
        selectinload(Dossier.nominee_person), selectinload(Dossier.nominee_unit),
        selectinload(Dossier.unit), selectinload(Dossier.award).selectinload(Award.versions))
    if filters.before:
        query = query.where(Dossier.id < filters.before)
    rows = list(session.scalars(query.order_by(Dossier.id.desc()).limit(page_size + 1)))
    more = len(rows) > page_size
    rows = rows[:page_size]
    return Page(rows, rows[-1].id if more and rows else None)
