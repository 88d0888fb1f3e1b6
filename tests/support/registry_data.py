"""Helpers for registry and eligibility tests: write registry rows through a session."""

from __future__ import annotations

from datetime import date

from workflow_app.models.base import utcnow
from workflow_app.models.registry import (
    AwardRecord,
    Initiative,
    PerformanceRating,
    UnitRating,
)


def give(session, code: str, *years: int, person=None, unit=None,
         revoked: bool = False) -> list[AwardRecord]:
    rows = [AwardRecord(person_id=getattr(person, "id", None), unit_id=getattr(unit, "id", None),
                        award_code=code, year=y, decision_number=f"{y}/QĐ-BTP",
                        decision_date=date(y, 12, 20), source="import",
                        revoked_at=utcnow() if revoked else None) for y in years]
    session.add_all(rows)
    session.commit()
    return rows


def rate(session, person, rating: str, *years: int) -> None:
    session.add_all([PerformanceRating(person_id=person.id, year=y, rating=rating)
                     for y in years])
    session.commit()


def rate_unit(session, unit, rating: str, year: int) -> None:
    session.add(UnitRating(unit_id=unit.id, year=year, rating=rating))
    session.commit()


def initiative(session, person, year: int, scope: str, kind: str = "initiative") -> None:
    session.add(Initiative(person_id=person.id, year=year, title=f"Sáng kiến {year}",
                           scope=scope, kind=kind))
    session.commit()


def by_kind(results, kind: str):
    return next(r for r in results if r.kind == kind)
