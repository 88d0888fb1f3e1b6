"""Entering one registry row by hand (besides the XLSX import): a conferred award, a yearly
rating (person or unit), or a recognised initiative / accepted science topic (person).

The same checks as the import (known award fitting the recipient, plausible year, decision
date not in the future, no duplicate of an active record / rating / initiative), and the
actor must be a reviewer or an admin whose grant covers the recipient's unit (`Forbidden`
otherwise). Each function flushes in the caller's transaction and writes `registry.entered`
with what was entered; the route commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.catalogue.service.queries import award_by_code
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.registry import (
    INITIATIVE_KINDS,
    INITIATIVE_SCOPES,
    RATINGS,
    AwardRecord,
    Initiative,
    PerformanceRating,
    UnitRating,
)
from workflow_app.models.user import User
from workflow_app.registry.service.folding import fold
from workflow_app.workflow import Forbidden

ROLES = ("reviewer", "admin")
FIRST_YEAR = 1945


class EntryError(ValueError):
    """The entry is refused; `message` is shown next to the form."""

    def __init__(self, message) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Recipient:
    person: Person | None = None
    unit: OrgUnit | None = None

    @property
    def home_unit(self) -> OrgUnit:
        return self.person.unit if self.person is not None else self.unit

    @property
    def audit_keys(self) -> dict:
        return {"person_id": getattr(self.person, "id", None),
                "unit_id": getattr(self.unit, "id", None)}


def may_enter(user: User, recipient: Recipient) -> bool:
    return bool(getattr(user, "is_active", False)) and user.can_see_unit(recipient.home_unit,
                                                                         *ROLES)


def _check(user: User, recipient: Recipient, year: int, today: date) -> None:
    if not may_enter(user, recipient):
        raise Forbidden()
    if not FIRST_YEAR <= year <= today.year + 1:
        raise EntryError(_l("The year must be between %(first)d and %(last)d.",
                            first=FIRST_YEAR, last=today.year + 1))


def add_award(session: Session, user: User, recipient: Recipient, *, award_code: str,
              year: int, decision_number: str, decision_date: date, issuer: str,
              today: date) -> AwardRecord:
    _check(user, recipient, year, today)
    code = (award_code or "").strip().upper()
    award = award_by_code(session, code)
    if award is None:
        raise EntryError(_l("Unknown award code “%(code)s”.", code=code))
    subject = "individual" if recipient.person is not None else "collective"
    if award.versions and all(v.subject not in (subject, "both") for v in award.versions):
        raise EntryError(_l("This award is not given to a person.") if subject == "individual"
                         else _l("This award is not given to a collective."))
    number = (decision_number or "").strip()
    if not number or len(number) > 60:
        raise EntryError(_l("Give the decision number (at most 60 characters)."))
    if decision_date > today:
        raise EntryError(_l("The decision date is in the future."))
    condition = (AwardRecord.person_id == recipient.person.id if recipient.person is not None
                 else AwardRecord.unit_id == recipient.unit.id)
    if session.scalar(select(AwardRecord.id).where(
            condition, AwardRecord.award_code == code, AwardRecord.year == year,
            AwardRecord.revoked_at.is_(None))) is not None:
        raise EntryError(_l("Already in the registry for this recipient and year."))
    entry = AwardRecord(award_code=code, year=year, decision_number=number,
                        decision_date=decision_date, issuer=(issuer or "").strip()[:255],
                        source="manual", **recipient.audit_keys)
    session.add(entry)
    session.flush()
    record(session, "registry.entered", "award_record", entry.id, actor=user, data={
        "kind": "award", "award": code, "year": year, "decision_number": number,
        "decision_date": decision_date.isoformat(), "issuer": entry.issuer,
        **recipient.audit_keys})
    return entry


def add_rating(session: Session, user: User, recipient: Recipient, *, year: int, rating: str,
               today: date) -> PerformanceRating | UnitRating:
    _check(user, recipient, year, today)
    if rating not in RATINGS:
        raise EntryError(_l("Choose a rating."))
    if recipient.person is not None:
        model, owner = PerformanceRating, {"person_id": recipient.person.id}
        exists = PerformanceRating.person_id == recipient.person.id
    else:
        model, owner = UnitRating, {"unit_id": recipient.unit.id}
        exists = UnitRating.unit_id == recipient.unit.id
    if session.scalar(select(model.id).where(exists, model.year == year)) is not None:
        raise EntryError(_l("A rating for this recipient and year is already recorded."))
    row = model(year=year, rating=rating, **owner)
    session.add(row)
    session.flush()
    record(session, "registry.entered", model.__tablename__, row.id, actor=user, data={
        "kind": "rating", "year": year, "rating": rating, **recipient.audit_keys})
    return row


def add_initiative(session: Session, user: User, person: Person, *, year: int, title: str,
                   scope: str, kind: str, recognised_by: str, today: date) -> Initiative:
    recipient = Recipient(person=person)
    _check(user, recipient, year, today)
    title = " ".join((title or "").split())
    if not title or len(title) > 255:
        raise EntryError(_l("Give the title (at most 255 characters)."))
    if scope not in INITIATIVE_SCOPES:
        raise EntryError(_l("Choose the scope of recognition."))
    if kind not in INITIATIVE_KINDS:
        raise EntryError(_l("Choose initiative or science topic."))
    same = [t for t in session.scalars(select(Initiative.title).where(
        Initiative.person_id == person.id, Initiative.year == year)) if fold(t) == fold(title)]
    if same:
        raise EntryError(_l("This initiative is already recorded."))
    row = Initiative(person_id=person.id, year=year, title=title, scope=scope, kind=kind,
                     recognised_by=(recognised_by or "").strip()[:255])
    session.add(row)
    session.flush()
    record(session, "registry.entered", "initiative", row.id, actor=user, data={
        "kind": kind, "year": year, "title": title, "scope": scope,
        "recognised_by": row.recognised_by, **recipient.audit_keys})
    return row
