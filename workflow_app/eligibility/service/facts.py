"""What the registry knows about one nominee, loaded once per evaluation.

Revoked awards are never loaded: every rule sees active records only. Pending nominations
(dossiers not yet in a terminal state) are loaded apart, so a rule can say "pending" instead
of "missing" for a title being decided in the same cycle.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.catalogue.service.queries import award_names
from workflow_app.i18n import current_locale
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.registry import (
    AwardRecord,
    Initiative,
    PerformanceRating,
    UnitRating,
)

# States a dossier can no longer leave: it no longer counts as a pending nomination.
TERMINAL_STATES = ("council_rejected", "decided", "revoked", "rejected", "withdrawn")
# Registry ratings, best first; the catalogue writes "complete" for "completed".
RATING_ORDER = ("excellent", "good", "completed", "not_completed")
CATALOGUE_RATING = {"excellent": "excellent", "good": "good", "complete": "completed"}
# Initiative scopes, narrowest first; the catalogue writes "nationwide" for "national".
SCOPE_ORDER = ("unit", "ministry", "national")
CATALOGUE_SCOPE = {"unit": "unit", "ministry": "ministry", "nationwide": "national"}


def rating_at_least(rating: str | None, minimum: str) -> bool:
    """True when `rating` (registry code) is `minimum` (catalogue code) or better."""
    if rating is None:
        return False
    return RATING_ORDER.index(rating) <= RATING_ORDER.index(CATALOGUE_RATING[minimum])


def scope_at_least(scope: str, minimum: str) -> bool:
    """A wider recognition covers a narrower requirement (a ministry initiative is also
    recognised at unit level)."""
    return SCOPE_ORDER.index(scope) >= SCOPE_ORDER.index(CATALOGUE_SCOPE[minimum])


@dataclass
class Facts:
    """The registry as one rule evaluation needs it. Years are nomination years."""

    session: Session
    year: int
    on: date
    person: Person | None = None
    unit: OrgUnit | None = None
    exclude_dossier_id: int | None = None
    awards: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    pending: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    ratings: dict[int, str] = field(default_factory=dict)
    initiatives: list[Initiative] = field(default_factory=list)
    _names: dict[str, str] | None = None
    _members: list[Person] | None = None

    @classmethod
    def load(cls, session: Session, nominee: Person | OrgUnit, year: int, on: date,
             exclude_dossier_id: int | None = None) -> Facts:
        if isinstance(nominee, Person):
            facts = cls(session, year, on, person=nominee, exclude_dossier_id=exclude_dossier_id)
            records = AwardRecord.person_id == nominee.id
            dossiers = Dossier.nominee_person_id == nominee.id
            facts.ratings = {r.year: r.rating for r in session.scalars(
                select(PerformanceRating).where(PerformanceRating.person_id == nominee.id))}
            facts.initiatives = list(session.scalars(
                select(Initiative).where(Initiative.person_id == nominee.id)))
        else:
            facts = cls(session, year, on, unit=nominee, exclude_dossier_id=exclude_dossier_id)
            records = AwardRecord.unit_id == nominee.id
            dossiers = Dossier.nominee_unit_id == nominee.id
            facts.ratings = {r.year: r.rating for r in session.scalars(
                select(UnitRating).where(UnitRating.unit_id == nominee.id))}
        for code, record_year in session.execute(
                select(AwardRecord.award_code, AwardRecord.year)
                .where(records, AwardRecord.revoked_at.is_(None))):
            facts.awards[code].add(record_year)
        query = (select(Award.code, Dossier.year).join(Award, Dossier.award_id == Award.id)
                 .where(dossiers, Dossier.state.not_in(TERMINAL_STATES)))
        if exclude_dossier_id is not None:
            query = query.where(Dossier.id != exclude_dossier_id)
        for code, dossier_year in session.execute(query):
            facts.pending[code].add(dossier_year)
        return facts

    def award_name(self, code: str) -> str:
        if self._names is None:
            self._names = award_names(self.session, current_locale(), self.on)
        return self._names.get(code, code)

    def members(self) -> list[Person]:
        """The collective's members: persons of the unit and of every unit below it."""
        if self._members is None:
            assert self.unit is not None
            self._members = list(self.session.scalars(
                select(Person).join(Person.unit)
                .where(OrgUnit.path.startswith(self.unit.path, autoescape=True))
                .order_by(Person.id)))
        return self._members

    def member_awards(self, code: str, year: int) -> set[int]:
        """Ids of members holding `code` (active record) for `year`."""
        ids = [m.id for m in self.members()]
        if not ids:
            return set()
        return set(self.session.scalars(
            select(AwardRecord.person_id).where(
                AwardRecord.person_id.in_(ids), AwardRecord.award_code == code,
                AwardRecord.year == year, AwardRecord.revoked_at.is_(None))))

    def member_ratings(self, year: int) -> dict[int, str]:
        ids = [m.id for m in self.members()]
        if not ids:
            return {}
        return {r.person_id: r.rating for r in self.session.scalars(
            select(PerformanceRating).where(PerformanceRating.person_id.in_(ids),
                                            PerformanceRating.year == year))}
