"""Row checks of each import sheet: every problem is reported with its row and column;
duplicates are checked within the file and against the registry (active records only)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.catalogue.service.queries import today_local
from workflow_app.models.registry import AwardRecord, Initiative, PerformanceRating, UnitRating
from workflow_app.registry.service import layout
from workflow_app.registry.service.folding import fold
from workflow_app.registry.service.import_plan import ImportPlan, Resolver, Row


def _key(person, unit) -> tuple[str, int] | None:
    if person is not None:
        return ("p", person.id)
    return ("u", unit.id) if unit is not None else None


def _existing_awards(session: Session) -> set[tuple]:
    rows = session.execute(select(AwardRecord.person_id, AwardRecord.unit_id,
                                  AwardRecord.award_code, AwardRecord.year)
                           .where(AwardRecord.revoked_at.is_(None)))
    return {(("p", p) if p is not None else ("u", u), code, year) for p, u, code, year in rows}


def check_awards(session: Session, resolver: Resolver, rows: list[Row],
                 plan: ImportPlan) -> None:
    existing = _existing_awards(session) if rows else set()
    seen: dict[tuple, int] = {}
    for row in rows:
        person, unit = resolver.recipient(row)
        code = row.text("award_code").upper()
        if code not in resolver.awards:
            row.fail("award_code", _l("Unknown award code “%(code)s”.", code=code))
        year = row.year()
        number = row.text("decision_number")
        if not number or len(number) > 60:
            row.fail("decision_number", _l("Give the decision number (at most 60 characters)."))
        decided = row.date("decision_date") if row.text("decision_date") else None
        if not row.text("decision_date"):
            row.fail("decision_date", _l("Give the decision date."))
        elif decided is not None and decided > today_local():
            row.fail("decision_date", _l("The decision date is in the future."))
        key = _key(person, unit)
        if row.failed or key is None:
            continue
        identity = (key, code, year)
        if identity in seen:
            row.fail("award_code", _l("Same recipient, award and year as row %(row)d.",
                                      row=seen[identity]))
            continue
        seen[identity] = row.number
        if identity in existing:
            row.fail("award_code", _l("Already in the registry for this recipient and year."))
            continue
        plan.awards.append(AwardRecord(
            person_id=getattr(person, "id", None), unit_id=getattr(unit, "id", None),
            award_code=code, year=year, decision_number=number, decision_date=decided,
            issuer=row.text("issuer")[:255], source="import"))


def check_ratings(session: Session, resolver: Resolver, rows: list[Row],
                  plan: ImportPlan) -> None:
    existing = set()
    if rows:
        existing |= {(("p", p), y) for p, y in session.execute(
            select(PerformanceRating.person_id, PerformanceRating.year))}
        existing |= {(("u", u), y) for u, y in session.execute(
            select(UnitRating.unit_id, UnitRating.year))}
    seen: dict[tuple, int] = {}
    for row in rows:
        person, unit = resolver.recipient(row)
        year = row.year()
        rating = layout.RATING_WORDS.get(fold(row.text("rating")).replace(" ", "_"))
        if rating is None:
            row.fail("rating", _l("“%(value)s” is not a rating (excellent, good, completed, "
                                  "not_completed).", value=row.text("rating")))
        key = _key(person, unit)
        if row.failed or key is None:
            continue
        identity = (key, year)
        if identity in seen:
            row.fail("year", _l("Same recipient and year as row %(row)d.", row=seen[identity]))
            continue
        seen[identity] = row.number
        if identity in existing:
            row.fail("year", _l("A rating for this recipient and year is already recorded."))
            continue
        if person is not None:
            plan.ratings.append(PerformanceRating(person_id=person.id, year=year, rating=rating))
        else:
            plan.ratings.append(UnitRating(unit_id=unit.id, year=year, rating=rating))


def check_initiatives(session: Session, resolver: Resolver, rows: list[Row],
                      plan: ImportPlan) -> None:
    existing = set()
    if rows:
        existing = {(p, y, fold(t)) for p, y, t in session.execute(
            select(Initiative.person_id, Initiative.year, Initiative.title))}
    seen: dict[tuple, int] = {}
    for row in rows:
        person, _unit = resolver.recipient(row)
        if not row.text("full_name"):
            row.fail("full_name", _l("An initiative belongs to a person: give the full name."))
        year = row.year()
        title = row.text("title")
        if not title or len(title) > 255:
            row.fail("title", _l("Give the title (at most 255 characters)."))
        scope = layout.SCOPE_WORDS.get(fold(row.text("scope")).replace(" ", "_"))
        if scope is None:
            row.fail("scope", _l("“%(value)s” is not a scope (unit, ministry, national).",
                                 value=row.text("scope")))
        kind = layout.KIND_WORDS.get(fold(row.text("kind") or "initiative").replace(" ", "_"))
        if kind is None:
            row.fail("kind", _l("“%(value)s” is not initiative or science_topic.",
                                value=row.text("kind")))
        if row.failed or person is None:
            continue
        identity = (person.id, year, fold(title))
        if identity in seen:
            row.fail("title", _l("Same person, year and title as row %(row)d.",
                                 row=seen[identity]))
            continue
        seen[identity] = row.number
        if identity in existing:
            row.fail("title", _l("This initiative is already recorded."))
            continue
        plan.initiatives.append(Initiative(
            person_id=person.id, year=year, title=title, scope=scope, kind=kind,
            recognised_by=row.text("recognised_by")[:255]))
