"""The appraisal queue: the dossiers a reviewer works on, most urgent first.

Which states: derived from the definitions (`queue_states`). A reviewer acts in every
non-terminal state that a transition open to the `reviewer` role leaves; the queue also
holds the other states of the same clock step (`returned` in the appraisal step: waiting
for the submitter, clock paused), so reviewers see what they sent back.

Cost: scope (SQL path prefix over the reviewer's grants, as org/service/scope.py), states and
filters are applied in SQL, and per-state counts come from one GROUP BY. Due dates need the
working-day calendar, so they are computed in Python from five small columns of each
matching row, memoised per (workflow, state, entry date, days carried) — many dossiers
share those. Only the shown page is loaded in full, with its relations in a fixed number of
queries (no query per row).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from types import SimpleNamespace

from sqlalchemy import ColumnElement, and_, false, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from workflow_app.models.catalogue import Award, AwardVersion
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User
from workflow_app.org.service.scope import scope_paths
from workflow_app.workdays import WorkCalendar, local_date
from workflow_app.workflow import StepClock, WorkflowRegistry, step_clock

REVIEWER_ROLE = "reviewer"
PAGE_SIZE = 50


def queue_states(registry: WorkflowRegistry, role: str = REVIEWER_ROLE) -> dict[str, tuple]:
    """{workflow id: its states in the queue, in definition order}."""
    result = {}
    for definition in registry:
        acting = {source for t in definition.transitions if role in t.roles
                  for source in t.sources if not definition.state(source).terminal}
        steps = {definition.state(s).step for s in acting}
        result[definition.id] = tuple(s.id for s in definition.states.values()
                                      if not s.terminal and (s.id in acting or s.step in steps))
    return result


def reviewer_scope(user: User) -> ColumnElement[bool]:
    """SQL condition on OrgUnit: units covered by the user's reviewer grants."""
    paths = scope_paths(user, REVIEWER_ROLE)
    if not paths:
        return false()
    return or_(*(OrgUnit.path.startswith(path, autoescape=True) for path in paths))


def in_queue_states(states: dict[str, tuple]) -> ColumnElement[bool]:
    parts = [and_(Dossier.workflow == workflow, Dossier.state.in_(ids))
             for workflow, ids in states.items() if ids]
    return or_(*parts) if parts else false()


@dataclass(frozen=True)
class QueueFilters:
    state: str | None = None
    award_id: int | None = None
    unit: OrgUnit | None = None  # its whole subtree
    overdue_only: bool = False
    page: int = 1
    after: int | None = None  # keyset: rows after this `urgency_key` (then `page` is ignored)


@dataclass
class QueuePage:
    rows: list[tuple[Dossier, StepClock | None]]
    total: int  # rows matching every filter
    page: int
    pages: int
    counts: dict[str, int]  # per state, under every filter but the state and overdue ones
    overdue: int  # overdue among the rows matching the SQL filters
    states: dict[str, tuple] = field(default_factory=dict)
    next_after: int | None = None  # the `after` of the next rows, None after the last


def _clock_function(registry: WorkflowRegistry, now: datetime,
                    calendar: WorkCalendar) -> Callable:
    cache: dict[tuple, StepClock | None] = {}

    def clock(workflow: str, state: str, entered_at: datetime, carried: int):
        key = (workflow, state, local_date(entered_at), carried)
        if key not in cache:
            row = SimpleNamespace(state=state, state_entered_at=entered_at,
                                  step_days_carried=carried)
            cache[key] = step_clock(row, registry.get(workflow), now=now, calendar=calendar)
        return cache[key]

    return clock


def urgency(clock: StepClock | None, dossier_id: int) -> tuple:
    """Sort key: overdue first, then by due date; no limit, then paused, last."""
    if clock is None:
        return (4, date.max, dossier_id)
    if not clock.running:
        return (3, date.max, dossier_id)
    if clock.due_on is None:
        return (2, date.max, dossier_id)
    return (0 if clock.is_overdue else 1, clock.due_on, dossier_id)


# The largest `urgency_key` (no running clock, date.max, the largest id): cursors above it are
# not ours.
URGENCY_KEY_MAX = (3 * 10**7 + date.max.toordinal()) * 10**10 + 2**31 - 1


def urgency_key(clock: StepClock | None, dossier_id: int) -> int:
    """`urgency` as one integer, in the same order (the API's keyset cursor): the bucket,
    then the due date's ordinal (7 digits), then the id (10 digits)."""
    bucket, due_on, ident = urgency(clock, dossier_id)
    return (bucket * 10**7 + due_on.toordinal()) * 10**10 + ident


def _timed(session: Session, user: User, registry: WorkflowRegistry, filters: QueueFilters,
           now: datetime, calendar: WorkCalendar):
    """(every matching (id, clock) in urgency order, counts per state, overdue, states)."""
    states = queue_states(registry)
    conditions = [reviewer_scope(user), in_queue_states(states)]
    if filters.award_id is not None:
        conditions.append(Dossier.award_id == filters.award_id)
    if filters.unit is not None:
        conditions.append(OrgUnit.path.startswith(filters.unit.path, autoescape=True))
    base = select(Dossier.state, func.count()).join(OrgUnit, OrgUnit.id == Dossier.unit_id)
    counts = dict(session.execute(base.where(*conditions).group_by(Dossier.state)).all())
    if filters.state:
        conditions.append(Dossier.state == filters.state)
    light = session.execute(
        select(Dossier.id, Dossier.workflow, Dossier.state, Dossier.state_entered_at,
               Dossier.step_days_carried)
        .join(OrgUnit, OrgUnit.id == Dossier.unit_id).where(*conditions)).all()
    clock = _clock_function(registry, now, calendar)
    timed = [(row.id, clock(row.workflow, row.state, row.state_entered_at,
                            row.step_days_carried or 0)) for row in light]
    overdue = sum(1 for _, c in timed if c is not None and c.is_overdue)
    if filters.overdue_only:
        timed = [(i, c) for i, c in timed if c is not None and c.is_overdue]
    timed.sort(key=lambda item: urgency(item[1], item[0]))
    return timed, counts, overdue, states


def load_queue(session: Session, user: User, registry: WorkflowRegistry,
               filters: QueueFilters, *, now: datetime, calendar: WorkCalendar,
               page_size: int | None = None) -> QueuePage:
    timed, counts, overdue, states = _timed(session, user, registry, filters, now, calendar)
    page_size = page_size or PAGE_SIZE
    pages = max(1, -(-len(timed) // page_size))
    page = min(max(1, filters.page), pages)
    if filters.after is None:
        window = timed[(page - 1) * page_size: page * page_size + 1]
    else:
        window = [item for item in timed
                  if urgency_key(item[1], item[0]) > filters.after][:page_size + 1]
    shown = window[:page_size]
    next_after = urgency_key(shown[-1][1], shown[-1][0]) if len(window) > page_size else None
    return QueuePage(_load_rows(session, shown), len(timed), page, pages, counts, overdue,
                     states, next_after)


def every_row(session: Session, user: User, registry: WorkflowRegistry,
              filters: QueueFilters, *, now: datetime, calendar: WorkCalendar,
              batch: int = 500):
    """Every (dossier, clock) of the queue under `filters`, in its order (all pages), loaded
    `batch` at a time (for the export: bounded memory)."""
    timed = _timed(session, user, registry, filters, now, calendar)[0]
    for start in range(0, len(timed), batch):
        yield from _load_rows(session, timed[start:start + batch])


def _load_rows(session: Session, shown: list[tuple[int, StepClock | None]]):
    if not shown:
        return []
    dossiers = {d.id: d for d in session.scalars(
        select(Dossier).where(Dossier.id.in_([i for i, _ in shown])).options(
            joinedload(Dossier.unit), joinedload(Dossier.nominee_person),
            joinedload(Dossier.nominee_unit), joinedload(Dossier.award_version),
            selectinload(Dossier.award).selectinload(Award.versions)))}
    return [(dossiers[i], c) for i, c in shown if i in dossiers]


def award_choices(session: Session, locale: str) -> list[tuple[int, str]]:
    """(award id, "CODE — name") for every award, named after its newest version."""
    names: dict[int, str] = {}
    rows = session.execute(select(AwardVersion.award_id, Award.code, AwardVersion.name_vi,
                                  AwardVersion.name_en).join(Award)
                           .order_by(AwardVersion.effective_from.desc()))
    for award_id, code, name_vi, name_en in rows:
        names.setdefault(award_id, f"{code} — {name_en if locale == 'en' else name_vi}")
    return sorted(names.items(), key=lambda item: item[1])


def units_in_scope(session: Session, user: User) -> list[OrgUnit]:
    return list(session.scalars(select(OrgUnit).where(reviewer_scope(user))
                                .order_by(OrgUnit.path)))
