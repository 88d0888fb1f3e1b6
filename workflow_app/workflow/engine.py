"""The workflow engine: the one place where a workflow subject changes state.

A subject is a dossier or a movement (`SUBJECT_MODELS`): a row with `workflow`, `state`,
`version`, `unit` (the unit whose role holders act on it), `state_entered_at` and
`step_days_carried`. Its definition (`states/*.toml`, `[workflow] subject`) says which kind
it drives; audit actions are `<kind>.<trigger>` (`dossier.submit`, `movement.launch`).

`fire` runs in the caller's transaction and never commits; the route commits once. Every
successful transition writes exactly one audit event in that same transaction, so a state
change without its event (or an event without its change) cannot be committed by any path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, object_session

from workflow_app.audit.chain import author_of_version, record
from workflow_app.db import has_written
from workflow_app.models.audit import AuditEvent
from workflow_app.models.base import utcnow
from workflow_app.models.dossier import Dossier
from workflow_app.models.movement import Movement
from workflow_app.models.org import OrgUnit
from workflow_app.models.subject import permit_state_write
from workflow_app.models.user import User
from workflow_app.workdays import WorkCalendar, default_calendar
from workflow_app.workflow.clock import carried_after
from workflow_app.workflow.context import GUARDS, FireContext
from workflow_app.workflow.definition import TransitionDef, WorkflowDefinition
from workflow_app.workflow.errors import (
    DossierGone,
    Forbidden,
    GuardFailed,
    InputInvalid,
    InvalidTransition,
    ReasonRequired,
    StaleVersion,
    UnknownAction,
)
from workflow_app.workflow.registry import get_registry

MAX_REASON_LENGTH = 4000
# Engine bookkeeping, and values derived from other fields, left out of the field diff in
# the audit event.
_BOOKKEEPING = {"state", "version", "state_entered_at", "step_days_carried",
                "report_fingerprint"}
Subject = Dossier | Movement


@dataclass(frozen=True)
class Action:
    """A transition offered to a user on a page; `blocked_by` is set only when asked for."""

    trigger: str
    dest: str
    label_vi: str
    label_en: str
    reason_required: bool
    blocked_by: str | None = None

    def label(self, locale: str = "vi") -> str:
        return self.label_en if locale == "en" else self.label_vi


def get_calendar() -> WorkCalendar:
    if has_app_context():
        calendar = current_app.extensions.get("work_calendar")
        if calendar is not None:
            return calendar
    return default_calendar()


def definition_of(dossier: Subject) -> WorkflowDefinition:
    definition = get_registry().get(dossier.workflow)
    if definition.subject != dossier.subject_kind:  # a programming error, not a user's
        raise TypeError(f"workflow '{definition.id}' drives {definition.subject} rows, "
                        f"not {dossier.subject_kind}")
    return definition


def may_act(user: User | None, dossier: Subject, transition: TransitionDef) -> bool:
    """Role rule: the user holds one of the transition's roles over the subject's unit."""
    if user is None or not user.is_active:
        return False
    return user.can_see_unit(dossier.unit, *transition.roles)


def require_transaction(session: Session) -> None:
    """Refuse autocommit sessions: a transition's change and its audit event must commit
    together, under the row lock. (A programming error, not a user's.)"""
    options = session.connection().get_execution_options()
    if "AUTOCOMMIT" in (options.get("isolation_level"), options.get("sqlite_begin")):
        raise RuntimeError("the workflow engine needs a transactional session, not autocommit")


# What the role check, the guards and the effects read of a subject, loaded with the row
# lock in the same statement (each one a many-to-one by primary key) instead of lazily, one
# statement each. Only the subject's row is locked (`FOR UPDATE OF`).
_LOCK_LOADS = {
    Dossier: (joinedload(Dossier.unit, innerjoin=True), joinedload(Dossier.award, innerjoin=True),
              joinedload(Dossier.award_version), joinedload(Dossier.nominee_person),
              joinedload(Dossier.nominee_unit)),
    Movement: (joinedload(Movement.unit, innerjoin=True),),
}


def lock_dossier(session: Session, dossier: Subject,
                 expected_version: int | str | None, actor: User | None = None) -> None:
    """Lock the subject's row, reload it, and check the version the client saw.

    PostgreSQL: `SELECT … FOR UPDATE` waits for any other transaction holding the row, then
    the row is re-read (`populate_existing`). SQLite: the write transaction is already
    exclusive (BEGIN IMMEDIATE, see db.py). Pending changes are flushed first, so nothing
    the caller set is lost by the reload. Raises StaleVersion or DossierGone; when `actor`
    made the latest recorded change themselves (another tab or window), StaleVersion says so
    instead of blaming "someone else".
    """
    require_transaction(session)
    model = type(dossier)
    row = session.execute(
        select(model).where(model.id == dossier.id).options(*_LOCK_LOADS.get(model, ()))
        .with_for_update(of=model).execution_options(populate_existing=True)
    ).unique().scalar_one_or_none()
    if row is None:
        raise DossierGone.about(dossier.subject_kind)
    if isinstance(dossier, Dossier):
        session.expire(dossier, ["documents"])
    if expected_version is None:
        return
    try:
        expected = int(expected_version)  # forms send it as text
    except (TypeError, ValueError):
        raise InputInvalid(_l("The dossier version sent with the form is not valid.")) from None
    if expected != dossier.version:
        if actor is not None and _last_changed_by(session, dossier) == actor.id:
            raise StaleVersion.by_same_user(dossier.subject_kind)
        raise StaleVersion.about(dossier.subject_kind)


def _last_changed_by(session: Session, subject: Subject) -> int | None:
    """Who made the subject's current version (`audit.chain.author_of_version`)."""
    return author_of_version(session, subject.subject_kind, subject.id, subject.version)


def _clean_reason(reason: str | None, required: bool) -> str | None:
    reason = (reason or "").strip() or None
    if required and reason is None:
        raise ReasonRequired()
    if reason is not None and len(reason) > MAX_REASON_LENGTH:
        raise InputInvalid(_l("The reason is too long (at most %(max)d characters).",
                              max=MAX_REASON_LENGTH))
    return reason


def _failed_guard(dossier: Subject, ctx: FireContext, *, with_input: bool) -> GuardFailed | None:
    for name in ctx.transition.guards:
        guard = GUARDS[name]
        if guard.needs_input and not with_input:
            continue
        reason = guard.func(dossier, ctx)
        if reason is not None:
            return GuardFailed(name, reason)
    return None


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def _snapshot(dossier: Subject) -> dict[str, Any]:
    return {column.key: _jsonable(getattr(dossier, column.key))
            for column in type(dossier).__table__.columns if column.key not in _BOOKKEEPING}


def fire(session: Session, dossier: Subject, trigger: str, actor: User | None,
         expected_version: int | str | None = None, reason: str | None = None, *,
         now: datetime | None = None, **data: Any) -> AuditEvent:
    """Fire `trigger` on `dossier` (any subject) for `actor`, in the caller's transaction;
    return the event.

    Steps, each stopping everything when it fails:
      1. look up the transition's trigger in the dossier's workflow   → UnknownAction (404);
      2. lock and reload the row; compare `expected_version`          → StaleVersion (409);
      3. find the transition leaving the current state                → InvalidTransition (409);
      4. role check over the dossier's unit                           → Forbidden (403);
      5. reason present when the transition requires one             → ReasonRequired (422);
      6. guards in their listed order                                  → GuardFailed (409);
      7. inside a SAVEPOINT when the transaction already holds the caller's writes (else
         the transaction itself is what is rolled back): step clock bookkeeping; the state
         change through the definition's `transitions.Machine`; the effects; version + 1;
         one audit event `<kind>.<trigger>` (`dossier.submit`, `movement.launch`) with
         from/to states, the reason, the input data and the fields the effects changed.
    If anything in step 7 raises, the savepoint (or the transaction, when it had written
    nothing before) is rolled back and the dossier reloaded: neither the state change nor the
    audit event remains, even if the caller then commits; the caller's earlier writes do.
    """
    definition = definition_of(dossier)
    if not definition.has_trigger(trigger):
        raise UnknownAction.about(dossier.subject_kind)
    lock_dossier(session, dossier, expected_version, actor)
    source = dossier.state
    transition = definition.transition_for(trigger, source)
    if transition is None:
        raise InvalidTransition.about(dossier.subject_kind)
    if not may_act(actor, dossier, transition):
        raise Forbidden.about(dossier.subject_kind)
    ctx = FireContext(definition, transition, actor, now or utcnow(), get_calendar(), session,
                      data, _clean_reason(reason, transition.reason_required))
    failure = _failed_guard(dossier, ctx, with_input=True)
    if failure is not None:
        raise failure
    return _apply(session, dossier, ctx)


def _apply(session: Session, dossier: Subject, ctx: FireContext) -> AuditEvent:
    transition, source = ctx.transition, dossier.state
    before = _snapshot(dossier)
    # A transaction that has written nothing yet is rolled back whole on failure; one that
    # holds the caller's earlier writes (a batch, a council round) keeps them: the
    # transition runs in a SAVEPOINT of its own.
    savepoint = session.begin_nested() if has_written(session) else None
    try:
        dossier.step_days_carried = carried_after(dossier, ctx.definition, transition.dest,
                                                  ctx.today, ctx.calendar)
        # The bookkeeping is set before the effects, so that the row is written once
        # (an effect's query flushes whatever is set by then).
        dossier.version += 1
        dossier.state_entered_at = ctx.now
        with ctx.permit:
            moved = ctx.definition.machine.events[transition.trigger].trigger(dossier, ctx=ctx)
        if not moved or dossier.state != transition.dest:
            raise InvalidTransition()
        session.flush()
        changes = {k: [before[k], v] for k, v in _snapshot(dossier).items() if before[k] != v}
        kind = dossier.subject_kind
        event = record(
            session, f"{kind}.{transition.trigger}", kind, dossier.id, actor=ctx.actor,
            from_state=source, to_state=transition.dest,
            data={"reason": ctx.reason, "input": _jsonable(dict(ctx.data)),
                  "changes": changes, "version": dossier.version},
        )
        if savepoint is not None:
            savepoint.commit()
    except BaseException:
        if savepoint is not None:
            savepoint.rollback()
            session.expire(dossier)
        else:
            session.rollback()
        raise
    return event


def available_actions(dossier: Subject, user: User | None, *, include_blocked: bool = False,
                      now: datetime | None = None) -> list[Action]:
    """The transitions `user` may fire now from the dossier's state, for the page's buttons.

    Role and guards are checked as `fire` checks them, except guards that judge input given
    with the action (a decision number…), which are checked when the form is sent. With
    `include_blocked`, transitions the role allows but a guard blocks are listed too, with the
    guard's reason in `blocked_by` (to tell the user what is missing).
    """
    definition = definition_of(dossier)
    actions = []
    for transition in definition.transitions_from(dossier.state):
        if not may_act(user, dossier, transition):
            continue
        ctx = FireContext(definition, transition, user, now or utcnow(), get_calendar(),
                          object_session(dossier))
        failure = _failed_guard(dossier, ctx, with_input=False)
        if failure is None or include_blocked:
            actions.append(Action(transition.trigger, transition.dest, transition.label_vi,
                                  transition.label_en, transition.reason_required,
                                  failure.description if failure else None))
    return actions


def open_dossier(session: Session, dossier: Subject, actor: User | None, *,
                 now: datetime | None = None) -> AuditEvent:
    """Put a new subject into its workflow's initial state and record `<kind>.created`.

    The actor must hold one of the workflow's `creators` roles over the subject's unit.
    """
    definition = definition_of(dossier)
    if dossier.state is not None:
        raise ValueError("open_dossier: this dossier already has a state")
    unit = dossier.unit or session.get(OrgUnit, dossier.unit_id)
    if actor is None or not actor.is_active or unit is None \
            or not actor.can_see_unit(unit, *definition.creators):
        raise Forbidden.about(dossier.subject_kind)
    require_transaction(session)
    moment = now or utcnow()
    with permit_state_write(dossier):
        dossier.state = definition.initial
    dossier.version = 1
    dossier.created_by_id = actor.id
    dossier.created_at = moment
    dossier.state_entered_at = moment
    dossier.step_days_carried = 0
    session.add(dossier)
    session.flush()
    kind = dossier.subject_kind
    return record(session, f"{kind}.created", kind, dossier.id, actor=actor,
                  to_state=definition.initial, data={"fields": _snapshot(dossier)})


open_subject = open_dossier  # the same operation, named for subjects other than dossiers
