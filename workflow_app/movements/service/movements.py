"""Creating, editing and moving an emulation movement.

A movement is opened through the engine (`open_subject`: audited `movement.created`) and moves
only by `fire` (`states/movement.toml`). Editing the plan is allowed while it is a draft; the
registration window (deadline, reopening) may change until the movement is concluded. The
organiser is whoever holds `reviewer` (the standing agency) over the organising unit.
Every function flushes in the caller's transaction, writes its audit event and never commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.models.movement import (
    MOVEMENT_KINDS,
    MOVEMENT_SCOPES,
    Movement,
    MovementArea,
    MovementParticipant,
)
from workflow_app.models.org import Cluster, OrgUnit
from workflow_app.models.user import User
from workflow_app.workflow import Forbidden, fire, lock_dossier, open_subject

ORGANISER_ROLES = ("reviewer",)
TITLE_MAX = 255
AREA_MAX = 500
MAX_AREAS = 100
MAX_PARTICIPANTS = 2000
EDITABLE_STATES = ("draft",)
TERMINAL_STATES = ("concluded", "cancelled")


class MovementError(ValueError):
    """A refused change; `message` is shown next to the form or as a 422 reason."""

    def __init__(self, message, field_name: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field_name


@dataclass
class PlanFields:
    """What the plan form and the API give for a movement."""

    title: str
    theme: str = ""
    kind: str = "regular"
    scope: str = "unit"
    year: int = 0
    period_start: date | None = None
    period_end: date | None = None
    parent_id: int | None = None
    cluster_id: int | None = None
    registration_deadline: date | None = None
    participant_ids: list[int] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)


def is_organiser(user: User | None, movement: Movement) -> bool:
    return bool(user is not None and user.is_active
                and user.can_see_unit(movement.unit, *ORGANISER_ROLES))


def may_create(user: User | None, unit: OrgUnit) -> bool:
    return bool(user is not None and user.is_active
                and user.can_see_unit(unit, *ORGANISER_ROLES))


def _text(value: Any, name: str, limit: int, *, required: bool = False) -> str:
    text = str(value or "").replace("\x00", "").strip()
    if required and not text:
        raise MovementError(_l("This field is required."), name)
    if len(text) > limit:
        raise MovementError(_l("At most %(max)d characters.", max=limit), name)
    return text


def _check(session: Session, fields: PlanFields, movement: Movement | None) -> dict[str, Any]:
    if fields.kind not in MOVEMENT_KINDS:
        raise MovementError(_l("Choose regular or thematic."), "kind")
    if fields.scope not in MOVEMENT_SCOPES:
        raise MovementError(_l("Choose the movement's scope."), "scope")
    if not 1945 <= (fields.year or 0) <= 2200:
        raise MovementError(_l("The year must be between 1945 and 2200."), "year")
    if fields.period_start is None or fields.period_end is None:
        raise MovementError(_l("Give the period's first and last day."), "period_start")
    if fields.period_end < fields.period_start:
        raise MovementError(_l("The period cannot end before it starts."), "period_end")
    parent = None
    if fields.parent_id is not None:
        parent = session.get(Movement, fields.parent_id)
        if parent is None or (movement is not None and _is_below(parent, movement)):
            raise MovementError(_l("The parent movement does not exist or is this movement "
                                   "or one under it."), "parent_id")
    cluster = None
    if fields.cluster_id is not None:
        cluster = session.get(Cluster, fields.cluster_id)
        if cluster is None:
            raise MovementError(_l("This cluster does not exist."), "cluster_id")
    if fields.scope == "cluster" and cluster is None:
        raise MovementError(_l("A cluster or block movement names its cluster or block."),
                            "cluster_id")
    ids = list(dict.fromkeys(int(i) for i in fields.participant_ids))
    if len(ids) > MAX_PARTICIPANTS:
        raise MovementError(_l("Too many participating units."), "participant_ids")
    units = list(session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids)))) if ids else []
    if len(units) != len(ids):
        raise MovementError(_l("A participating unit does not exist."), "participant_ids")
    if len(fields.areas) > MAX_AREAS:
        raise MovementError(_l("At most %(max)d areas of work.", max=MAX_AREAS), "areas")
    areas = [_text(a, "areas", AREA_MAX) for a in fields.areas]
    return {
        "title": _text(fields.title, "title", TITLE_MAX, required=True),
        "theme": _text(fields.theme, "theme", 20000),
        "kind": fields.kind, "scope": fields.scope, "year": fields.year,
        "period_start": fields.period_start, "period_end": fields.period_end,
        "parent": parent, "cluster": cluster,
        "registration_deadline": fields.registration_deadline,
        "_units": units, "_areas": [a for a in areas if a],
    }


def _is_below(candidate: Movement, movement: Movement) -> bool:
    """True when `candidate` is `movement` or one of its descendants (a cycle)."""
    seen: set[int] = set()
    node: Movement | None = candidate
    while node is not None and node.id not in seen:
        if node.id == movement.id:
            return True
        seen.add(node.id)
        node = node.parent
    return False


def _apply(movement: Movement, values: dict[str, Any]) -> None:
    units, areas = values.pop("_units"), values.pop("_areas")
    for key, value in values.items():
        setattr(movement, key, value)
    wanted = {u.id for u in units}
    movement.participants[:] = [p for p in movement.participants if p.unit_id in wanted]
    have = {p.unit_id for p in movement.participants}
    movement.participants.extend(MovementParticipant(unit_id=u.id) for u in units
                                 if u.id not in have)
    # Rewrite areas in place by position (a delete-then-insert would clash on the position).
    for area, title in zip(movement.areas, areas, strict=False):
        area.title = title
    del movement.areas[len(areas):]
    movement.areas.extend(MovementArea(position=i, title=t)
                          for i, t in enumerate(areas[len(movement.areas):],
                                                len(movement.areas) + 1))


def create_movement(session: Session, actor: User, unit: OrgUnit,
                    fields: PlanFields) -> Movement:
    """A draft plan organised by `unit`; the actor holds `reviewer` over it (403 otherwise)."""
    if not may_create(actor, unit):
        raise Forbidden.about("movement")
    values = _check(session, fields, None)
    movement = Movement(unit_id=unit.id, workflow="movement", created_by_id=actor.id)
    _apply(movement, values)
    open_subject(session, movement, actor)
    return movement


def update_movement(session: Session, actor: User, movement: Movement,
                    expected_version: int | str | None, fields: PlanFields) -> Movement:
    """Edit a draft plan (version checked: 409 when someone else changed it)."""
    if not is_organiser(actor, movement):
        raise Forbidden.about("movement")
    lock_dossier(session, movement, expected_version, actor)
    if movement.state not in EDITABLE_STATES:
        raise MovementError(_l("Only a draft plan can be edited; a launched plan is changed "
                               "by a new document."))
    values = _check(session, fields, movement)
    _apply(movement, values)
    movement.version += 1
    session.flush()
    record(session, "movement.updated", "movement", movement.id, actor=actor,
           data={"version": movement.version, "title": movement.title,
                 "participants": sorted(p.unit_id for p in movement.participants),
                 "areas": len(movement.areas)})
    return movement


def set_registration_window(session: Session, actor: User, movement: Movement,
                            expected_version: int | str | None, *, deadline: date | None,
                            reopened: bool, required: bool | None = None) -> Movement:
    """The organiser sets the registration deadline, reopens registration after it, and
    says whether registration is required (`required`; None keeps it): when it is, a
    nominee that did not register for a title under this movement cannot be submitted for
    it (guard `registration_respected`). Audited with the values before and after."""
    if not is_organiser(actor, movement):
        raise Forbidden.about("movement")
    lock_dossier(session, movement, expected_version, actor)
    if movement.state in TERMINAL_STATES:
        raise MovementError(_l("The movement has ended: registration cannot change."))
    was = {"deadline": movement.registration_deadline.isoformat()
           if movement.registration_deadline else None,
           "reopened": movement.registration_reopened,
           "required": movement.registration_required}
    movement.registration_deadline = deadline
    movement.registration_reopened = bool(reopened)
    if required is not None:
        movement.registration_required = bool(required)
    movement.version += 1
    session.flush()
    record(session, "movement.registration_window", "movement", movement.id, actor=actor,
           data={"deadline": deadline.isoformat() if deadline else None,
                 "reopened": movement.registration_reopened,
                 "required": movement.registration_required, "was": was,
                 "version": movement.version})
    return movement


def act(session: Session, actor: User, movement: Movement, trigger: str,
        expected_version: int | str | None, reason: str | None = None, **data: Any):
    """Fire a transition of the movement's workflow (launch, start, …) through the engine."""
    return fire(session, movement, trigger, actor, expected_version, reason, **data)


