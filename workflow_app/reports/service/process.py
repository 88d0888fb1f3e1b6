"""Process reports (issue 14, item 2) over the dossiers of one year: dossiers by state and
step, working days spent per step against the step's limit, returns for supplementation
with their reasons, council outcomes per award, quota use per unit, and the share of awards
going to front-line workers and to small collectives per unit (seeds 001, 004).

Step times are read from what the engine already records — the audit events of the
transitions (`to_state`, time) — never written here. A window function (`LEAD`) gives each
visit of a state its end; the visits of one step (states sharing a `step` in `states/*.toml`)
add up as the engine's clock does: working days while the clock runs, none in a paused
state (`returned`), a new clock when the dossier moves to another step. Working days follow
the work calendar (`workdays.py`), which is why the visits of the year's dossiers are summed
here and not in SQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, case, cast, func, literal, or_, select
from sqlalchemy.orm import Session

from workflow_app.catalogue.service.queries import award_names, today_local
from workflow_app.dossiers.service.access import visible_condition
from workflow_app.models.audit import AuditEvent
from workflow_app.models.base import UTCDateTime, utcnow
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.registry import AwardRecord
from workflow_app.models.user import User
from workflow_app.reports.service.quota_use import QuotaRow, quota_rows
from workflow_app.reports.service.statistics import RecipientUnit, scope_condition
from workflow_app.workdays import WorkCalendar, default_calendar, local_date
from workflow_app.workflow.registry import get_registry

# A "small collective" (tập thể nhỏ, seed 001): a collective with at most this many persons in
# the organisation data. A configurable parameter: no legal source defines it.
SMALL_COLLECTIVE_MAX_PERSONS = 20
RETURN_TRIGGER = "dossier.return_for_supplement"
# Steps named in `states/*.toml` that are not a state of their own.
STEP_LABELS = {"appraisal": _l("Appraisal")}


def step_label(workflow: str, step: str, locale: str) -> str:
    """A step's name: its own state's label, a known step name, or its states' labels."""
    definition = get_registry().get(workflow)
    if step in definition.states:
        return definition.state(step).label(locale)
    if step in STEP_LABELS:
        return str(STEP_LABELS[step])
    return " / ".join(s.label(locale) for s in definition.states.values() if s.step == step)


@dataclass(frozen=True)
class ProcessQuery:
    year: int
    unit_id: int | None = None

    def as_args(self) -> dict:
        return {"year": self.year, **({"unit_id": self.unit_id} if self.unit_id else {})}


def _dossiers(session: Session, user: User, query: ProcessQuery):
    """Conditions selecting the dossiers of the report (join `OrgUnit` on the submitting unit)."""
    conditions = [Dossier.year == query.year, visible_condition(user)]
    if query.unit_id:
        anchor = session.get(OrgUnit, query.unit_id)
        if anchor is not None:
            conditions.append(OrgUnit.path.startswith(anchor.path, autoescape=True))
    return and_(*conditions)


def latest_year(session: Session, user: User) -> int | None:
    """The latest year (of achievement) the user's dossiers are filed under: the report's
    default, since a year's dossiers arrive after it ends (in December the current year
    has none yet)."""
    return session.scalar(select(func.max(Dossier.year)).join(
        OrgUnit, OrgUnit.id == Dossier.unit_id).where(visible_condition(user)))


# ------------------------------------------------------------------ by state


@dataclass
class StateCount:
    workflow: str
    state: str
    step: str
    label: str
    step_label: str
    count: int


def by_state(session: Session, user: User, query: ProcessQuery,
             locale: str = "vi") -> list[StateCount]:
    rows = session.execute(
        select(Dossier.workflow, Dossier.state, func.count(Dossier.id))
        .join(OrgUnit, OrgUnit.id == Dossier.unit_id)
        .where(_dossiers(session, user, query))
        .group_by(Dossier.workflow, Dossier.state)).all()
    out = []
    for workflow, state, count in rows:
        definition = get_registry().get(workflow)
        state_def = definition.states.get(state)
        step = state_def.step if state_def else state
        out.append(StateCount(workflow, state, step,
                              state_def.label(locale) if state_def else state,
                              step_label(workflow, step, locale), count))
    order = {wf.id: list(wf.states) for wf in get_registry()}
    return sorted(out, key=lambda r: (r.workflow, order[r.workflow].index(r.state)
                                      if r.state in order[r.workflow] else 99))


# ------------------------------------------------------------------ step times


@dataclass
class StepTime:
    workflow: str
    step: str
    label: str
    limit: int | None
    dossiers: int = 0
    finished: int = 0
    met: int = 0
    late: int = 0
    total_days: int = 0
    max_days: int = 0
    days: list[int] = field(default_factory=list, repr=False)

    @property
    def average(self) -> float:
        return self.total_days / self.dossiers if self.dossiers else 0.0

    @property
    def late_share(self) -> float:
        return self.late / self.dossiers if self.dossiers else 0.0


def state_visits(session: Session, user: User, query: ProcessQuery) -> Iterator[tuple]:
    """(dossier id, workflow, state, entered at, left at or None) for every visit of a state,
    by dossier and in order: the audit events of the transitions, with `LEAD` for the end."""
    dossier_id = cast(Dossier.id, String(64))
    events = (
        select(AuditEvent.subject_id.label("dossier"), Dossier.workflow.label("workflow"),
               AuditEvent.to_state.label("state"), AuditEvent.seq.label("seq"),
               AuditEvent.occurred_at.label("entered"),
               func.lead(AuditEvent.occurred_at, type_=UTCDateTime()).over(
                   partition_by=AuditEvent.subject_id, order_by=AuditEvent.seq).label("left"))
        .join(Dossier, dossier_id == AuditEvent.subject_id)
        .join(OrgUnit, OrgUnit.id == Dossier.unit_id)
        .where(AuditEvent.subject_type == "dossier", AuditEvent.to_state.is_not(None),
               _dossiers(session, user, query))
    ).subquery()
    stmt = select(events.c.dossier, events.c.workflow, events.c.state, events.c.entered,
                  events.c.left).order_by(events.c.dossier, events.c.seq)
    yield from session.execute(stmt)


def step_times(session: Session, user: User, query: ProcessQuery, *, locale: str = "vi",
               now: datetime | None = None,
               calendar: WorkCalendar | None = None) -> list[StepTime]:
    """Working days per step visit against the step's limit: met (within the limit) or late.

    A step still running counts its days up to `now`; it is late once over its limit, and
    counted as met only when finished within it."""
    calendar = calendar or default_calendar()
    today = local_date(now or utcnow())
    registry = get_registry()
    results: dict[tuple[str, str], StepTime] = {}

    def close(workflow: str, step: str, used: int, finished: bool) -> None:
        limit = registry.get(workflow).step_limit(step)
        entry = results.setdefault((workflow, step), StepTime(
            workflow, step, step_label(workflow, step, locale), limit))
        entry.dossiers += 1
        entry.finished += finished
        entry.total_days += used
        entry.max_days = max(entry.max_days, used)
        if limit is not None and used > limit:
            entry.late += 1
        elif limit is not None and finished:
            entry.met += 1

    current: tuple[str, str, str] | None = None  # dossier, workflow, step
    used = 0
    for dossier, workflow, state, entered, left in state_visits(session, user, query):
        definition = registry.get(workflow)
        state_def = definition.states.get(state)
        if state_def is None:
            continue
        if current is not None and (current[0] != dossier or current[2] != state_def.step):
            close(current[1], current[2], used, finished=current[0] == dossier)
            current, used = None, 0
        if state_def.terminal:
            continue
        if current is None:
            current = (dossier, workflow, state_def.step)
        if state_def.clock_runs:
            end = local_date(left) if left is not None else today
            used += max(0, calendar.working_days_between(local_date(entered), end))
    if current is not None:
        close(current[1], current[2], used, finished=False)
    order = {wf.id: list(wf.states) for wf in registry}
    return sorted((r for r in results.values() if r.limit is not None or r.dossiers),
                  key=lambda r: (r.workflow, order[r.workflow].index(r.step)
                                 if r.step in order[r.workflow] else 99))


# ------------------------------------------------------------------ returns


@dataclass
class ReturnRow:
    dossier_id: int
    title: str
    award: str
    unit: str
    returned_at: datetime
    reason: str


def returns(session: Session, user: User, query: ProcessQuery,
            locale: str = "vi") -> tuple[list[tuple[str, int]], list[ReturnRow]]:
    """Returns for supplementation: their number per award (SQL), and each with its reason."""
    names = award_names(session, locale, today_local())
    base = (select().select_from(AuditEvent)
            .join(Dossier, cast(Dossier.id, String(64)) == AuditEvent.subject_id)
            .join(OrgUnit, OrgUnit.id == Dossier.unit_id)
            .join(Award, Award.id == Dossier.award_id)
            .where(AuditEvent.subject_type == "dossier", AuditEvent.action == RETURN_TRIGGER,
                   _dossiers(session, user, query)))
    per_award = session.execute(base.add_columns(Award.code, func.count(AuditEvent.seq))
                                .group_by(Award.code).order_by(Award.code)).all()
    rows = session.execute(base.add_columns(
        Dossier.id, Dossier.title, Award.code, OrgUnit, AuditEvent.occurred_at,
        AuditEvent.data).order_by(AuditEvent.seq)).all()
    listed = [ReturnRow(d_id, title, names.get(code, code), unit.display_name(locale), at,
                        str((data or {}).get("reason") or ""))
              for d_id, title, code, unit, at, data in rows]
    return [(names.get(code, code), n) for code, n in per_award], listed


# ------------------------------------------------------------------ council outcomes


@dataclass
class OutcomeRow:
    award: str
    approved: int
    rejected: int
    pending: int

    @property
    def voted(self) -> int:
        return self.approved + self.rejected


AT_THE_COUNCIL = ("awaiting_council", "in_voting")


def council_outcomes(session: Session, user: User, query: ProcessQuery,
                     locale: str = "vi") -> list[OutcomeRow]:
    """Council outcomes per award: approved, not approved, and dossiers waiting for the
    vote (on the council's list or in a round). A dossier still in appraisal, returned or
    refused before the council never reached it and is not counted."""
    names = award_names(session, locale, today_local())
    outcome = func.coalesce(Dossier.vote_outcome, literal("pending"))
    rows = session.execute(
        select(Award.code, outcome, func.count(Dossier.id))
        .join(Award, Award.id == Dossier.award_id)
        .join(OrgUnit, OrgUnit.id == Dossier.unit_id)
        .where(_dossiers(session, user, query), Dossier.workflow == "normal",
               or_(Dossier.vote_outcome.is_not(None),
                   Dossier.state.in_(AT_THE_COUNCIL)))
        .group_by(Award.code, outcome)).all()
    table: dict[str, OutcomeRow] = {}
    for code, result, count in rows:
        row = table.setdefault(code, OutcomeRow(names.get(code, code), 0, 0, 0))
        setattr(row, result if result in ("approved", "rejected") else "pending",
                getattr(row, result if result in ("approved", "rejected") else "pending") + count)
    return sorted(table.values(), key=lambda r: r.award)


# ------------------------------------------------------------------ fair shares


@dataclass
class ShareRow:
    unit_id: int
    unit: str
    individual: int = 0
    front_line: int = 0
    collective: int = 0
    small_collective: int = 0

    @property
    def front_line_share(self) -> float | None:
        return self.front_line / self.individual if self.individual else None

    @property
    def small_share(self) -> float | None:
        return self.small_collective / self.collective if self.collective else None


def fair_shares(session: Session, user: User, query: ProcessQuery,
                locale: str = "vi") -> list[ShareRow]:
    """Per unit (the recipient's unit directly under the chosen unit, or under the top of the
    tree), the year's active awards: to individuals, of which to front-line workers (not
    leaders); to collectives, of which to small collectives."""
    headcount = (select(Person.unit_id.label("unit_id"), func.count(Person.id).label("n"))
                 .group_by(Person.unit_id).subquery())
    collective = case((AwardRecord.person_id.is_(None), literal(1)), else_=literal(0))
    small = case((and_(AwardRecord.person_id.is_(None),
                       func.coalesce(headcount.c.n, 0) <= SMALL_COLLECTIVE_MAX_PERSONS),
                  literal(1)), else_=literal(0))
    stmt = (select(RecipientUnit.path, collective, Person.is_leader, small,
                   func.count(AwardRecord.id))
            .select_from(AwardRecord)
            .outerjoin(Person, Person.id == AwardRecord.person_id)
            .join(RecipientUnit, RecipientUnit.id == func.coalesce(Person.unit_id,
                                                                   AwardRecord.unit_id))
            .outerjoin(headcount, headcount.c.unit_id == AwardRecord.unit_id)
            .where(AwardRecord.revoked_at.is_(None), AwardRecord.year == query.year,
                   scope_condition(user))
            .group_by(RecipientUnit.path, collective, Person.is_leader, small))
    anchor = session.get(OrgUnit, query.unit_id) if query.unit_id else None
    if anchor is not None:
        stmt = stmt.where(RecipientUnit.path.startswith(anchor.path, autoescape=True))
    units = {u.path: u for u in session.scalars(select(OrgUnit))}
    if anchor is None:
        roots = [u for u in units.values() if u.parent_id is None]
        anchor = roots[0] if len(roots) == 1 else None
    table: dict[int, ShareRow] = {}
    for path, is_collective, leader, is_small, count in session.execute(stmt):
        parts = [p for p in path.split("/") if p]
        depth = anchor.depth + 1 if anchor is not None else 0
        unit = units.get("/" + "/".join(parts[: depth + 1]) + "/") or units[path]
        row = table.setdefault(unit.id, ShareRow(unit.id, unit.display_name(locale)))
        if is_collective:
            row.collective += count
            row.small_collective += count if is_small else 0
        else:
            row.individual += count
            row.front_line += 0 if leader else count
    return sorted(table.values(), key=lambda r: r.unit)



@dataclass
class ProcessReport:
    query: ProcessQuery
    states: list[StateCount]
    steps: list[StepTime]
    returns_per_award: list[tuple[str, int]]
    returns: list[ReturnRow]
    outcomes: list[OutcomeRow]
    quotas: list[QuotaRow]
    shares: list[ShareRow]

    @property
    def total(self) -> int:
        return sum(s.count for s in self.states)


def process_report(session: Session, user: User, query: ProcessQuery, locale: str = "vi", *,
                   now: datetime | None = None,
                   calendar: WorkCalendar | None = None) -> ProcessReport:
    per_award, listed = returns(session, user, query, locale)
    return ProcessReport(
        query=query, states=by_state(session, user, query, locale),
        steps=step_times(session, user, query, locale=locale, now=now, calendar=calendar),
        returns_per_award=per_award, returns=listed,
        outcomes=council_outcomes(session, user, query, locale),
        quotas=quota_rows(session, _dossiers(session, user, query), query.year, locale),
        shares=fair_shares(session, user, query, locale))
