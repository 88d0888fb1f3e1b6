"""Read-only registry queries for the pages."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.registry import AwardRecord, Initiative, PerformanceRating, UnitRating
from workflow_app.models.user import User
from workflow_app.search.service.queries import Hits, search_kind

PER_PAGE = 50


def search_persons(session: Session, user: User, query: str, *, page: int = 1,
                   per_page: int = PER_PAGE) -> Hits:
    """A page of the persons `user` may see whose name has every word of `query` (each word
    the start of a word of the name, case and diacritics ignored), with the full total:
    searched in the database through the search index, whatever the number of persons."""
    return search_kind(session, user, "person", query, page=page, per_page=per_page)


def search_units(session: Session, user: User, query: str, *, page: int = 1,
                 per_page: int = PER_PAGE) -> Hits:
    """As `search_persons`, for units (name, English name, code or symbol)."""
    return search_kind(session, user, "unit", query, page=page, per_page=per_page)


def awards_of(session: Session, *, person: Person | None = None,
              unit: OrgUnit | None = None) -> list[AwardRecord]:
    """Every record, revoked ones included (shown struck through), newest year first."""
    condition = (AwardRecord.person_id == person.id if person is not None
                 else AwardRecord.unit_id == unit.id)
    return list(session.scalars(select(AwardRecord).where(condition)
                                .order_by(AwardRecord.year.desc(), AwardRecord.award_code)))


def ratings_of(session: Session, person: Person) -> list[PerformanceRating]:
    return list(session.scalars(select(PerformanceRating).where(
        PerformanceRating.person_id == person.id).order_by(PerformanceRating.year.desc())))


def unit_ratings_of(session: Session, unit: OrgUnit) -> list[UnitRating]:
    return list(session.scalars(select(UnitRating).where(UnitRating.unit_id == unit.id)
                                .order_by(UnitRating.year.desc())))


def initiatives_of(session: Session, person: Person) -> list[Initiative]:
    return list(session.scalars(select(Initiative).where(Initiative.person_id == person.id)
                                .order_by(Initiative.year.desc(), Initiative.id)))
