"""Read-only registry queries for the pages."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.registry import AwardRecord, Initiative, PerformanceRating, UnitRating
from workflow_app.models.user import User
from workflow_app.org.service.collation import vi_sort_key
from workflow_app.org.service.scope import visible_persons
from workflow_app.registry.service.folding import fold

MAX_CANDIDATES = 5000  # persons folded in Python per search (the whole ministry fits)
MAX_RESULTS = 50


def search_persons(session: Session, user: User, query: str) -> list[Person]:
    """Persons `user` may see whose name contains every word of `query`, ignoring case and
    diacritics. Compared in Python on a bounded candidate set (database collations differ)."""
    words = fold(query).split()
    if not words:
        return []
    candidates = session.scalars(visible_persons(user).options(selectinload(Person.unit))
                                 .order_by(Person.id).limit(MAX_CANDIDATES))
    found = [p for p in candidates if all(w in fold(p.full_name) for w in words)]
    return sorted(found, key=lambda p: vi_sort_key(p.full_name))[:MAX_RESULTS]


def search_units(session: Session, query: str) -> list[OrgUnit]:
    words = fold(query).split()
    if not words:
        return []
    found = [u for u in session.scalars(select(OrgUnit))
             if all(w in fold(f"{u.name} {u.code}") for w in words)]
    return sorted(found, key=lambda u: vi_sort_key(u.name))[:MAX_RESULTS]


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
