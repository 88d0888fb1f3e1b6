"""A unit's history read back from its reorganisation events (issue 19): its name and
parent as of any day, its life, its predecessors, and whether a successor counts their years.

How names are read: the unit row holds today's name and parent; every event that changed
one of them stored the value before (`OrgEventUnit.old_*`). The name on day D is therefore
the old name recorded by the first (non-reversed) event effective after D, or today's name
when there is none. Events on a unit are recorded in date order (`reorg` refuses an event
dated before the unit's latest one), so this reading is exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from workflow_app.models.org import OrgUnit
from workflow_app.models.org_history import OrgEvent, OrgEventUnit, OrgHistoryRule

# Without a rule of the body, a successor counts its predecessors' years: the successor
# takes over their functions. Configurable — no confirmed legal source (LEGAL_FACTS §11:
# "which rule applies is configurable — no confirmed legal source").
DEFAULT_COUNTS_PREDECESSORS = True


def live_events():
    """SELECT condition: the event is not itself reversed (and is not a reversal)."""
    reversal = aliased(OrgEvent)
    return (OrgEvent.kind != "reversal") & ~select(reversal.id).where(
        reversal.reverses_id == OrgEvent.id).exists()


@dataclass
class Timeline:
    """One unit's recorded changes, oldest first: (effective date, row)."""

    unit: OrgUnit
    changes: list[tuple[date, OrgEventUnit]] = field(default_factory=list)

    def name_on(self, day: date, locale: str = "vi") -> str:
        for effective, row in self.changes:
            if effective > day and row.new_name is not None:
                if locale == "en" and row.old_name_en:
                    return row.old_name_en
                return row.old_name or self.unit.name
        return self.unit.display_name(locale)

    def parent_id_on(self, day: date) -> int | None:
        for effective, row in self.changes:
            if effective > day and row.parent_changed:
                return row.old_parent_id
        return self.unit.parent_id

    def renamed_since(self, day: date) -> bool:
        return self.name_on(day) != self.unit.name


def timelines(session: Session, units: list[OrgUnit]) -> dict[int, Timeline]:
    """The timelines of `units`, in one query."""
    found = {unit.id: Timeline(unit) for unit in units}
    if not found:
        return found
    rows = session.execute(
        select(OrgEvent.effective_date, OrgEventUnit)
        .join(OrgEvent, OrgEvent.id == OrgEventUnit.event_id)
        .where(OrgEventUnit.unit_id.in_(list(found)), live_events())
        .order_by(OrgEvent.effective_date, OrgEvent.id))
    for effective, row in rows:
        found[row.unit_id].changes.append((effective, row))
    return found


def name_as_of(session: Session, unit: OrgUnit, day: date, locale: str = "vi") -> str:
    """The unit's name on `day` (today's name when no event changed it since)."""
    return timelines(session, [unit])[unit.id].name_on(day, locale)


def parent_as_of(session: Session, unit: OrgUnit, day: date) -> OrgUnit | None:
    parent_id = timelines(session, [unit])[unit.id].parent_id_on(day)
    return session.get(OrgUnit, parent_id) if parent_id is not None else None


def events_of(session: Session, unit: OrgUnit) -> list[OrgEvent]:
    """Every event that touched the unit (reversals included), oldest first."""
    ids = select(OrgEventUnit.event_id).where(OrgEventUnit.unit_id == unit.id)
    events = list(session.scalars(
        select(OrgEvent).where(OrgEvent.id.in_(ids))
        .order_by(OrgEvent.effective_date, OrgEvent.id)))
    reversals = list(session.scalars(
        select(OrgEvent).where(OrgEvent.reverses_id.in_([e.id for e in events]))))
    return sorted(events + reversals, key=lambda e: (e.effective_date, e.id))


def latest_live_event(session: Session, unit: OrgUnit) -> OrgEvent | None:
    return session.scalar(
        select(OrgEvent).join(OrgEventUnit, OrgEventUnit.event_id == OrgEvent.id)
        .where(OrgEventUnit.unit_id == unit.id, live_events())
        .order_by(OrgEvent.effective_date.desc(), OrgEvent.id.desc()).limit(1))


def successors_of(session: Session, unit: OrgUnit) -> list[OrgUnit]:
    """The units that took over a closed unit (its merger's target, its split's parts)."""
    closing = select(OrgEventUnit.event_id).where(
        OrgEventUnit.unit_id == unit.id, OrgEventUnit.role == "subject")
    return list(session.scalars(
        select(OrgUnit).join(OrgEventUnit, OrgEventUnit.unit_id == OrgUnit.id)
        .join(OrgEvent, OrgEvent.id == OrgEventUnit.event_id)
        .where(OrgEventUnit.role == "successor", OrgEventUnit.event_id.in_(closing),
               live_events())
        .order_by(OrgEventUnit.id)))


@dataclass(frozen=True)
class Predecessor:
    """A unit whose history a successor inherits, up to `until` (its merger or split)."""

    unit: OrgUnit
    until: date


def predecessors(session: Session, unit: OrgUnit) -> list[Predecessor]:
    """Every unit whose history `unit` inherits, directly or through earlier successors
    (A merged into B, B merged into C: C inherits A and B), nearest first."""
    found: list[Predecessor] = []
    seen = {unit.id}
    frontier = [unit.id]
    while frontier:
        heirs = aliased(OrgEventUnit)
        rows = session.execute(
            select(OrgEventUnit.unit_id, OrgEvent.effective_date)
            .join(OrgEvent, OrgEvent.id == OrgEventUnit.event_id)
            .join(heirs, heirs.event_id == OrgEvent.id)
            .where(heirs.unit_id.in_(frontier), heirs.role == "successor",
                   heirs.inherits_history, OrgEventUnit.role == "subject",
                   OrgEvent.kind.in_(("merged", "split")), live_events())
            .order_by(OrgEvent.effective_date.desc(), OrgEventUnit.id)).all()
        frontier = []
        for unit_id, effective in rows:
            if unit_id in seen:
                continue
            seen.add(unit_id)
            frontier.append(unit_id)
            found.append(Predecessor(session.get(OrgUnit, unit_id), effective))
    return found


def counts_predecessors(session: Session, unit: OrgUnit, award_code: str | None) -> bool:
    """Whether the body `unit` belongs to counts its predecessors' years for the award:
    the rule of the nearest body (the unit or an ancestor), one for this award before one
    for every award; DEFAULT_COUNTS_PREDECESSORS without any."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part.isdigit()]
    rules = list(session.scalars(select(OrgHistoryRule).where(
        OrgHistoryRule.body_unit_id.in_(ids),
        (OrgHistoryRule.award_code.is_(None)) | (OrgHistoryRule.award_code == award_code))))
    if not rules:
        return DEFAULT_COUNTS_PREDECESSORS
    depth = {unit_id: index for index, unit_id in enumerate(ids)}
    best = max(rules, key=lambda r: (depth.get(r.body_unit_id, -1), r.award_code is not None))
    return best.counts_predecessors


@dataclass
class UnitLife:
    """What the unit page shows of a unit's life."""

    unit: OrgUnit
    events: list[OrgEvent]
    successors: list[OrgUnit]
    predecessors: list[Predecessor]

    @property
    def last_day(self) -> date | None:
        """The last day the unit existed (the day before `valid_to`)."""
        return self.unit.valid_to - timedelta(days=1) if self.unit.valid_to else None


def unit_life(session: Session, unit: OrgUnit) -> UnitLife:
    return UnitLife(unit, events_of(session, unit), successors_of(session, unit),
                    predecessors(session, unit))


def current_name(session: Session, unit: OrgUnit, locale: str = "vi") -> str:
    """Today's name of what the unit became: its own name while it exists, else the name
    of its (first) successor, followed through later mergers."""
    seen = {unit.id}
    while unit.valid_to is not None:
        following = [s for s in successors_of(session, unit) if s.id not in seen]
        if not following:
            break
        unit = following[0]
        seen.add(unit.id)
    return unit.display_name(locale)


class NamesThen:
    """`then_and_now(unit_id, day)`: (the unit's name on `day`, today's name of what it
    became) when they differ, else None — for a registry entry of 2018 shown in 2026."""

    def __init__(self, session: Session, units: list[OrgUnit], locale: str) -> None:
        self.locale = locale
        self.lines = timelines(session, units)
        self.now = {unit.id: current_name(session, unit, locale) for unit in units}

    def then_and_now(self, unit_id: int | None, day: date | None) -> tuple[str, str] | None:
        if unit_id not in self.lines or day is None:
            return None
        then = self.lines[unit_id].name_on(day, self.locale)
        now = self.now[unit_id]
        return (then, now) if then != now else None
