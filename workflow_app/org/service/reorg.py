"""Reorganisations (issue 19): preview, apply in one transaction, reverse by a compensating
event. Every change to a unit's life goes through here and writes one audit event.

A `Change` says what the deciding decision did, effective on one day:

- renamed: `units[0]` takes `new_name` (and `new_name_en`);
- moved: `units[0]` goes under `new_parent` (None: top level);
- merged: every unit of `units` closes and joins `successors[0]`, which inherits their
  history; each closed unit is kept under its successor in the tree, so the successor's
  officers see its records (scope is by the tree);
- split: `units[0]` closes; its parts are `successors` (units that exist on that day); the
  parts in `heirs` inherit its history; the closed unit is kept under the first heir;
- dissolved: `units[0]` closes; `successors[0]`, when given, receives its work in flight
  (no history is inherited).

A unit that closes closes with its open sub-units. Its work in flight (dossiers,
registrations, movements, councils: `handover`) goes to the receiving unit: the merger's
successor, the split's first heir, or the dissolution's receiver. Role grants over the
closing units need an explicit choice (`grants_choice`: "move" to the receiving unit, or
"lapse"); none is assumed.

Refused with a clear message, nothing written: an effective date in the future or before a
unit existed; a unit that has already closed; a unit merged into itself or one of its
sub-units; a successor that does not exist on the day; an event dated before a unit's
latest recorded change (events are recorded in date order; reverse the later one first).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.catalogue.service.queries import today_local
from workflow_app.models.org import OrgUnit
from workflow_app.models.org_history import GRANT_CHOICES, OrgEvent, OrgEventUnit
from workflow_app.org.service import handover, history
from workflow_app.org.service import units as unit_service

CHANGE_KINDS = ("renamed", "moved", "merged", "split", "dissolved")
CLOSING = ("merged", "split", "dissolved")


class ReorgError(ValueError):
    """A reorganisation cannot be applied as asked; the message is safe to show."""


def _day(value: date) -> str:
    return format_date(value, "dd/MM/yyyy")


@dataclass
class Change:
    kind: str
    effective_date: date
    decision_number: str
    decision_date: date
    decision_issuer: str
    units: list[OrgUnit]
    successors: list[OrgUnit] = field(default_factory=list)
    heirs: list[OrgUnit] = field(default_factory=list)
    new_name: str = ""
    new_name_en: str = ""
    new_parent: OrgUnit | None = None
    grants_choice: str | None = None
    note: str = ""
    decision_sha256: str | None = None
    decision_filename: str | None = None


@dataclass
class Plan:
    """Everything a change will do, for the preview; `problems` empty when it can apply."""

    change: Change
    problems: list[str] = field(default_factory=list)
    closing: list[OrgUnit] = field(default_factory=list)  # subjects, then sub-units
    receiver: OrgUnit | None = None
    work: handover.WorkInFlight = field(default_factory=handover.WorkInFlight)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def inheritors(self) -> list[OrgUnit]:
        kind = self.change.kind
        if kind == "merged":
            return self.change.successors[:1]
        return list(self.change.heirs) if kind == "split" else []


def preview(session: Session, change: Change) -> Plan:
    plan = Plan(change)
    problems = plan.problems
    _check_decision(change, problems)
    if change.kind not in CHANGE_KINDS:
        problems.append(_("Unknown kind of reorganisation: %(kind)s.", kind=change.kind))
        return plan
    if not change.units:
        problems.append(_("Choose the unit the decision changes."))
        return plan
    if len(change.units) > 1 and change.kind != "merged":
        problems.append(_("Only a merger changes several units at once."))
    for unit in change.units:
        _check_alive(session, unit, change.effective_date, problems)
    {"renamed": _check_rename, "moved": _check_move, "merged": _check_merge,
     "split": _check_split, "dissolved": _check_dissolve}[change.kind](change, problems)
    for unit in change.successors:
        _check_successor(session, unit, change, problems)
    if change.kind in CLOSING:
        plan.closing = _closing(session, change.units)
        if change.kind == "split":
            plan.receiver = change.heirs[0] if change.heirs else None
        else:
            plan.receiver = change.successors[0] if change.successors else None
        plan.work = handover.find(session, [u.id for u in plan.closing], plan.receiver,
                                  change.effective_date.year)
        _check_work(plan, problems)
    return plan


def _check_decision(change: Change, problems: list[str]) -> None:
    today = today_local()
    if not change.decision_number.strip():
        problems.append(_("Enter the number of the deciding decision."))
    if not change.decision_issuer.strip():
        problems.append(_("Enter the body that issued the deciding decision."))
    if change.decision_date > today:
        problems.append(_("The decision is dated %(day)s, which is in the future.",
                          day=_day(change.decision_date)))
    if change.effective_date > today:
        problems.append(_("The change takes effect on %(day)s, which is in the future: "
                          "record it on or after that day.", day=_day(change.effective_date)))


def _check_alive(session: Session, unit: OrgUnit, day: date, problems: list[str]) -> None:
    if unit.valid_to is not None:
        problems.append(_("%(unit)s ceased to exist on %(day)s: no change can be recorded "
                          "on it.", unit=unit.name, day=_day(unit.valid_to)))
        return
    if unit.valid_from is not None and day < unit.valid_from:
        problems.append(_("The change is dated %(day)s, before %(unit)s existed (from "
                          "%(start)s).", day=_day(day), unit=unit.name,
                          start=_day(unit.valid_from)))
    latest = history.latest_live_event(session, unit)
    if latest is not None and day < latest.effective_date:
        problems.append(_("%(unit)s already has a change effective on %(later)s: changes "
                          "are recorded in date order (reverse the later one first to "
                          "record an earlier one).", unit=unit.name,
                          later=_day(latest.effective_date)))


def _check_rename(change: Change, problems: list[str]) -> None:
    name = change.new_name.strip()
    if not name:
        problems.append(_("Enter the new name."))
    elif change.units and name == change.units[0].name:
        problems.append(_("The new name is the unit's current name."))


def _check_move(change: Change, problems: list[str]) -> None:
    unit, parent = change.units[0], change.new_parent
    if parent is not None and parent.is_within(unit):
        problems.append(_("A unit cannot be moved under itself or one of its sub-units."))
    elif (parent.id if parent else None) == unit.parent_id:
        problems.append(_("%(unit)s is already there.", unit=unit.name))
    if parent is not None and (parent.valid_to is not None
                               or not parent.exists_on(change.effective_date)):
        problems.append(_("%(unit)s does not exist on %(day)s.", unit=parent.name,
                          day=_day(change.effective_date)))


def _check_merge(change: Change, problems: list[str]) -> None:
    if len(change.successors) != 1:
        problems.append(_("Choose the one unit the merged units join."))
        return
    target = change.successors[0]
    for unit in change.units:
        if target.id == unit.id:
            problems.append(_("%(unit)s cannot be merged into itself.", unit=unit.name))
        elif target.is_within(unit):
            problems.append(_("%(unit)s cannot be merged into its own sub-unit %(target)s.",
                              unit=unit.name, target=target.name))


def _check_split(change: Change, problems: list[str]) -> None:
    unit = change.units[0]
    if len(change.successors) < 2:
        problems.append(_("A split needs at least two successor units."))
    if not change.heirs:
        problems.append(_("Choose which successor units take over the split unit's "
                          "history."))
    if any(heir not in change.successors for heir in change.heirs):
        problems.append(_("A unit taking over the history must be one of the successors."))
    for part in change.successors:
        if part.is_within(unit):
            problems.append(_("%(unit)s cannot be split into itself or its own sub-unit "
                              "%(part)s.", unit=unit.name, part=part.name))


def _check_dissolve(change: Change, problems: list[str]) -> None:
    if len(change.successors) > 1:
        problems.append(_("A dissolved unit hands its work to one unit at most."))
    for receiver in change.successors:
        if receiver.is_within(change.units[0]):
            problems.append(_("%(unit)s cannot hand its work to its own sub-unit.",
                              unit=change.units[0].name))


def _check_successor(session: Session, unit: OrgUnit, change: Change,
                     problems: list[str]) -> None:
    if unit.valid_to is not None:
        problems.append(_("%(unit)s ceased to exist on %(day)s: it cannot take over other "
                          "units.", unit=unit.name, day=_day(unit.valid_to)))
    elif unit.valid_from is not None and change.effective_date < unit.valid_from:
        problems.append(_("%(unit)s only exists from %(start)s, after the change "
                          "(%(day)s).", unit=unit.name, start=_day(unit.valid_from),
                          day=_day(change.effective_date)))
    latest = history.latest_live_event(session, unit)
    if latest is not None and change.effective_date < latest.effective_date:
        problems.append(_("%(unit)s already has a change effective on %(later)s: changes "
                          "are recorded in date order (reverse the later one first to "
                          "record an earlier one).", unit=unit.name,
                          later=_day(latest.effective_date)))


def _closing(session: Session, subjects: list[OrgUnit]) -> list[OrgUnit]:
    closing = list(subjects)
    ids = {u.id for u in subjects}
    for subject in subjects:
        for unit in session.scalars(select(OrgUnit).where(
                OrgUnit.path.startswith(subject.path, autoescape=True),
                OrgUnit.valid_to.is_(None)).order_by(OrgUnit.path)):
            if unit.id not in ids:
                ids.add(unit.id)
                closing.append(unit)
    return closing


def _check_work(plan: Plan, problems: list[str]) -> None:
    change, work = plan.change, plan.work
    if plan.receiver is None and work.movable:
        problems.append(_("The units hold work in flight (dossiers, registrations, "
                          "movements or councils): choose the unit that receives it."))
    if work.grants:
        if change.grants_choice not in GRANT_CHOICES:
            problems.append(_("Role grants over the closing units exist: choose whether "
                              "they move to the receiving unit or lapse."))
        elif change.grants_choice == "move" and plan.receiver is None:
            problems.append(_("Role grants can only move to a receiving unit: choose one, "
                              "or let them lapse."))


def apply(session: Session, change: Change, *, actor=None) -> OrgEvent:
    """Apply the change in the current transaction (flush, no commit) and audit it;
    ReorgError with every problem when it cannot apply, nothing written."""
    plan = preview(session, change)
    if plan.problems:
        raise ReorgError(" ".join(plan.problems))
    event = OrgEvent(
        kind=change.kind, effective_date=change.effective_date,
        decision_number=change.decision_number.strip(), decision_date=change.decision_date,
        decision_issuer=change.decision_issuer.strip(), note=change.note.strip(),
        decision_sha256=change.decision_sha256, decision_filename=change.decision_filename,
        grants_choice=change.grants_choice if plan.work.grants else None,
        created_by_id=getattr(actor, "id", None), handover={})
    session.add(event)
    rows = [_subject_row(unit) for unit in change.units]
    event.units.extend(rows)
    if change.kind == "renamed":
        rows[0].new_name = change.new_name.strip()
        rows[0].new_name_en = change.new_name_en.strip() or change.units[0].name_en
        change.units[0].name, change.units[0].name_en = rows[0].new_name, rows[0].new_name_en
    elif change.kind == "moved":
        _move(session, rows[0], change.units[0], change.new_parent)
    else:
        for closed in plan.closing[len(change.units):]:
            event.units.append(_subject_row(closed, "closed_with"))
        for unit in plan.closing:
            unit.valid_to, unit.is_active = change.effective_date, False
        heirs = {u.id for u in plan.inheritors}
        for unit in change.successors:
            event.units.append(OrgEventUnit(unit=unit, role="successor",
                                            inherits_history=unit.id in heirs))
        keeper = plan.inheritors[0] if plan.inheritors else None
        if keeper is not None:
            for row, unit in zip(rows, change.units, strict=True):
                _move(session, row, unit, keeper)
        event.handover = handover.hand_over(session, plan.work, plan.receiver,
                                            change.grants_choice)
    session.flush()
    record(session, f"org.{change.kind}", "org_event", event.id, actor=actor,
           data=_audit_data(event, plan))
    return event


def _subject_row(unit: OrgUnit, role: str = "subject") -> OrgEventUnit:
    return OrgEventUnit(unit=unit, role=role, old_name=unit.name, old_name_en=unit.name_en,
                        old_parent_id=unit.parent_id, old_valid_from=unit.valid_from,
                        old_valid_to=unit.valid_to, old_is_active=unit.is_active)


def _move(session: Session, row: OrgEventUnit, unit: OrgUnit, parent: OrgUnit | None) -> None:
    row.parent_changed = True
    row.old_parent_id, row.new_parent_id = unit.parent_id, parent.id if parent else None
    unit_service.reparent(session, unit, parent)


def _audit_data(event: OrgEvent, plan: Plan) -> dict:
    return {
        "effective_date": event.effective_date.isoformat(),
        "decision": {"number": event.decision_number,
                     "date": event.decision_date.isoformat(), "issuer": event.decision_issuer},
        "units": [{"unit_id": row.unit_id, "role": row.role, "old_name": row.old_name,
                   "new_name": row.new_name, "old_parent_id": row.old_parent_id,
                   "new_parent_id": row.new_parent_id,
                   "inherits_history": row.inherits_history} for row in event.units],
        "grants_choice": event.grants_choice,
        "handover": event.handover,
        "memberships_to_reform": [m.id for m in plan.work.memberships],
    }


# Reversal ---------------------------------------------------------------------------------

def reversal_problems(session: Session, event: OrgEvent) -> list[str]:
    if event.kind == "reversal":
        return [_("A reversal cannot itself be reversed: record the change again.")]
    if event.is_reversed:
        return [_("This change has already been reversed.")]
    if event.kind == "created":
        return [_("A created unit is ended by dissolving it, not by reversing its "
                  "creation.")]
    problems = []
    for row in event.units:
        latest = history.latest_live_event(session, row.unit)
        if latest is not None and latest.id != event.id:
            problems.append(_("%(unit)s has a later change (effective %(day)s): reverse it "
                              "first.", unit=row.unit.name, day=_day(latest.effective_date)))
    return problems


def reverse(session: Session, event: OrgEvent, reason: str, *, actor=None) -> OrgEvent:
    """Record a compensating event that restores what `event` changed (names, parents,
    life, work handed over, grants moved or lapsed, where nothing changed since). The
    original stays, marked reversed."""
    problems = reversal_problems(session, event)
    if not reason.strip():
        problems.append(_("Give the reason for the reversal."))
    if problems:
        raise ReorgError(" ".join(problems))
    for row in reversed(event.units):
        unit = row.unit
        if row.role == "successor":
            continue
        if row.new_name is not None:
            unit.name, unit.name_en = row.old_name or unit.name, row.old_name_en or ""
        unit.valid_from, unit.valid_to = row.old_valid_from, row.old_valid_to
        unit.is_active = row.old_is_active
        if row.parent_changed:
            parent = session.get(OrgUnit, row.old_parent_id) if row.old_parent_id else None
            unit_service.reparent(session, unit, parent)
    back = handover.hand_back(session, event.handover or {})
    compensation = OrgEvent(
        kind="reversal", effective_date=event.effective_date, reverses_id=event.id,
        decision_number=event.decision_number, decision_date=event.decision_date,
        decision_issuer=event.decision_issuer, note=reason.strip(), handover=back,
        created_by_id=getattr(actor, "id", None))
    session.add(compensation)
    session.flush()
    session.expire(event, ["reversal"])
    record(session, "org.reversed", "org_event", event.id, actor=actor,
           data={"reversal_id": compensation.id, "kind": event.kind, "reason": reason.strip(),
                 "handed_back": back})
    return compensation


# Creation ---------------------------------------------------------------------------------

def create_unit(session: Session, *, code: str, name: str, kind: str, parent: OrgUnit | None,
                effective_date: date, decision_number: str, decision_date: date,
                decision_issuer: str, name_en: str = "", symbol: str = "", note: str = "",
                actor=None) -> OrgUnit:
    """A unit established by a decision, existing from `effective_date`."""
    change = Change("created", effective_date, decision_number, decision_date,
                    decision_issuer, units=[])
    problems: list[str] = []
    _check_decision(change, problems)
    if parent is not None and (parent.valid_to is not None
                               or not parent.exists_on(effective_date)):
        problems.append(_("%(unit)s does not exist on %(day)s.", unit=parent.name,
                          day=_day(effective_date)))
    if problems:
        raise ReorgError(" ".join(problems))
    try:
        unit = unit_service.create_unit(session, code=code, name=name, kind=kind,
                                        parent=parent, name_en=name_en, symbol=symbol,
                                        actor=actor)
    except unit_service.UnitError as exc:
        raise ReorgError(str(exc)) from exc
    unit.valid_from = effective_date
    event = OrgEvent(kind="created", effective_date=effective_date,
                     decision_number=decision_number.strip(), decision_date=decision_date,
                     decision_issuer=decision_issuer.strip(), note=note.strip(),
                     created_by_id=getattr(actor, "id", None), handover={})
    event.units.append(OrgEventUnit(unit=unit, role="subject", old_name=None,
                                    old_is_active=True))
    session.add(event)
    session.flush()
    record(session, "org.created", "org_event", event.id, actor=actor,
           data={"unit_id": unit.id, "effective_date": effective_date.isoformat(),
                 "decision": {"number": event.decision_number,
                              "date": decision_date.isoformat(),
                              "issuer": event.decision_issuer}})
    return unit
