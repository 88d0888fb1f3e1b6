"""What the registry knows about one nominee, loaded once per evaluation.

Revoked awards are never loaded: every rule sees active records only. Pending nominations
(dossiers not yet in a terminal state) are loaded apart, so a rule can say "pending" instead
of "missing" for a title being decided in the same cycle.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select
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
from workflow_app.org.service import history

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


class Facts:
    """The registry as one rule evaluation needs it. Years are nomination years.

    Each part (awards held, pending nominations, ratings, initiatives) is read from the
    database the first time a rule asks for it, once per evaluation: a rule version whose
    prerequisites read none of them costs no query. Given parts (tests) are used as they are.
    """

    def __init__(self, session: Session | None, year: int, on: date, *,
                 person: Person | None = None, unit: OrgUnit | None = None,
                 exclude_dossier_id: int | None = None,
                 awards: dict[str, set[int]] | None = None,
                 pending: dict[str, set[int]] | None = None,
                 ratings: dict[int, str] | None = None,
                 initiatives: list[Initiative] | None = None,
                 _names: dict[str, str] | None = None,
                 _members: list[Person] | None = None,
                 award_code: str | None = None) -> None:
        self.session, self.year, self.on = session, year, on
        self.person, self.unit, self.exclude_dossier_id = person, unit, exclude_dossier_id
        self._awards, self._pending = awards, pending
        self._ratings, self._initiatives = ratings, initiatives
        self._names, self._members = _names, _members
        self._member_total: int | None = None
        self.award_code = award_code
        self._lineage: list[history.Predecessor] | None = None
        # Years taken from predecessor units (issue 19): year → predecessor's name, for
        # ratings; award code → year → name, for awards.
        self.inherited_ratings: dict[int, str] = {}
        self.inherited_awards: dict[str, dict[int, str]] = defaultdict(dict)

    @classmethod
    def load(cls, session: Session, nominee: Person | OrgUnit, year: int, on: date,
             exclude_dossier_id: int | None = None, award_code: str | None = None) -> Facts:
        if isinstance(nominee, Person):
            return cls(session, year, on, person=nominee, exclude_dossier_id=exclude_dossier_id,
                       award_code=award_code)
        return cls(session, year, on, unit=nominee, exclude_dossier_id=exclude_dossier_id,
                   award_code=award_code)

    @property
    def lineage(self) -> list[history.Predecessor]:
        """The collective's predecessors whose years count for it: those of the units it
        took over in a merger or split, when the body's rule counts them (issue 19;
        `org.service.history.counts_predecessors`, configurable — no confirmed legal
        source). Empty for a person, and when no session is given (tests)."""
        if self._lineage is None:
            self._lineage = [] if self.unit is None or self.session is None or not \
                history.counts_predecessors(self.session, self.unit, self.award_code) \
                else history.predecessors(self.session, self.unit)
        return self._lineage

    @property
    def ratings(self) -> dict[int, str]:
        if self._ratings is None:
            if self.person is not None:
                query = select(PerformanceRating.year, PerformanceRating.rating).where(
                    PerformanceRating.person_id == self.person.id)
            else:
                query = select(UnitRating.year, UnitRating.rating).where(
                    UnitRating.unit_id == self.unit.id)
            self._ratings = dict(self.session.execute(query).all())
            self._inherit_ratings()
        return self._ratings

    def _inherit_ratings(self) -> None:
        """A year the collective has no rating of its own takes its predecessors' rating
        for that year (up to the year of the merger or split); when predecessors differ,
        the lowest counts (configurable — no confirmed legal source)."""
        taken: dict[int, tuple[str, str]] = {}
        for predecessor in self.lineage:
            for rated_year, rating in self.session.execute(
                    select(UnitRating.year, UnitRating.rating).where(
                        UnitRating.unit_id == predecessor.unit.id,
                        UnitRating.year <= predecessor.until.year)):
                if rated_year in self._ratings:
                    continue
                held = taken.get(rated_year)
                if held is None or RATING_ORDER.index(rating) > RATING_ORDER.index(held[0]):
                    taken[rated_year] = (rating, predecessor.unit.name)
        for rated_year, (rating, name) in taken.items():
            self._ratings[rated_year] = rating
            self.inherited_ratings[rated_year] = name

    @property
    def initiatives(self) -> list[Initiative]:
        if self._initiatives is None:
            self._initiatives = [] if self.person is None else list(self.session.scalars(
                select(Initiative).where(Initiative.person_id == self.person.id)))
        return self._initiatives

    @property
    def awards(self) -> dict[str, set[int]]:
        """Active registry records: award code → years."""
        if self._awards is None:
            records = (AwardRecord.person_id == self.person.id if self.person is not None
                       else AwardRecord.unit_id == self.unit.id)
            self._awards = defaultdict(set)
            for code, record_year in self.session.execute(
                    select(AwardRecord.award_code, AwardRecord.year).distinct()
                    .where(records, AwardRecord.revoked_at.is_(None))):
                self._awards[code].add(record_year)
            for predecessor in self.lineage:
                for code, record_year in self.session.execute(
                        select(AwardRecord.award_code, AwardRecord.year).distinct()
                        .where(AwardRecord.unit_id == predecessor.unit.id,
                               AwardRecord.year <= predecessor.until.year,
                               AwardRecord.revoked_at.is_(None))):
                    if record_year not in self._awards[code]:
                        self._awards[code].add(record_year)
                        self.inherited_awards[code][record_year] = predecessor.unit.name
        return self._awards

    @property
    def pending(self) -> dict[str, set[int]]:
        """Nominations not yet in a terminal state: award code → years."""
        if self._pending is None:
            dossiers = (Dossier.nominee_person_id == self.person.id if self.person is not None
                        else Dossier.nominee_unit_id == self.unit.id)
            query = (select(Award.code, Dossier.year).distinct()
                     .join(Award, Dossier.award_id == Award.id)
                     .where(dossiers, Dossier.state.not_in(TERMINAL_STATES)))
            if self.exclude_dossier_id is not None:
                query = query.where(Dossier.id != self.exclude_dossier_id)
            self._pending = defaultdict(set)
            for code, dossier_year in self.session.execute(query):
                self._pending[code].add(dossier_year)
        return self._pending

    def award_name(self, code: str) -> str:
        if self._names is None:
            self._names = award_names(self.session, current_locale(), self.on)
        return self._names.get(code, code)

    def _in_collective(self):
        """The condition "this person is a member": of the unit or of a unit below it."""
        return Person.unit_id.in_(select(OrgUnit.id).where(
            OrgUnit.path.startswith(self.unit.path, autoescape=True)))

    def member_total(self) -> int:
        """How many members the collective has (counted, never loaded)."""
        if self._members is not None:  # given (tests)
            return len(self._members)
        if self._member_total is None:
            self._member_total = self.session.scalar(
                select(func.count(Person.id)).where(self._in_collective()))
        return self._member_total

    def member_awards(self, code: str, year: int) -> set[int]:
        """Ids of members holding `code` (active record) for `year`: one query returning
        the holders only."""
        return set(self.session.scalars(
            select(AwardRecord.person_id).distinct()
            .join(Person, Person.id == AwardRecord.person_id)
            .where(self._in_collective(), AwardRecord.award_code == code,
                   AwardRecord.year == year, AwardRecord.revoked_at.is_(None))))

    def member_rating_counts(self, year: int) -> dict[str, int]:
        """How many members were given each rating for `year` (one rating per person and
        year): counted in the database, whatever the collective's size."""
        return dict(self.session.execute(
            select(PerformanceRating.rating, func.count())
            .join(Person, Person.id == PerformanceRating.person_id)
            .where(self._in_collective(), PerformanceRating.year == year)
            .group_by(PerformanceRating.rating)).all())
