"""What the movement pages and operations read: the list, one movement, who registered."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload
from werkzeug.exceptions import NotFound

from workflow_app.models.audit import AuditEvent
from workflow_app.models.movement import Movement, MovementParticipant, Registration
from workflow_app.models.org import OrgUnit
from workflow_app.url_ids import MAX_ID

PAGE_LIMIT = 200
# The list's sort key (year, id), both descending, as one integer for the API's cursor.
_KEY_BASE = 10**10
MOVEMENT_KEY_MAX = 2200 * _KEY_BASE + MAX_ID


def movement_key(movement: Movement) -> int:
    return movement.year * _KEY_BASE + movement.id


@dataclass(frozen=True)
class MovementRow:
    movement: Movement
    participants: int
    registered: int


def list_movements(session: Session, *, year: int | None = None, state: str | None = None,
                   before: int | None = None, limit: int = PAGE_LIMIT) -> list[MovementRow]:
    """Movements newest year first (then newest first), with their counts of participants
    and registrations: four statements (movements, their units, the two counts) whatever
    their number. `before` is the `movement_key` of the last row of the previous page: the
    next page starts after it (a keyset, the same cost however deep)."""
    query = select(Movement).options(selectinload(Movement.unit))
    if year is not None:
        query = query.where(Movement.year == year)
    if state:
        query = query.where(Movement.state == state)
    if before is not None:
        last_year, last_id = divmod(before, _KEY_BASE)
        query = query.where(or_(Movement.year < last_year,
                                and_(Movement.year == last_year, Movement.id < last_id)))
    movements = list(session.scalars(
        query.order_by(Movement.year.desc(), Movement.id.desc()).limit(limit)))
    ids = [m.id for m in movements]
    counts: dict[int, int] = {}
    registered: dict[int, int] = {}
    if ids:
        counts = dict(session.execute(
            select(MovementParticipant.movement_id, func.count())
            .where(MovementParticipant.movement_id.in_(ids))
            .group_by(MovementParticipant.movement_id)).all())
        registered = dict(session.execute(
            select(Registration.movement_id, func.count())
            .where(Registration.movement_id.in_(ids))
            .group_by(Registration.movement_id)).all())
    return [MovementRow(m, counts.get(m.id, 0), registered.get(m.id, 0)) for m in movements]


def movement_or_404(session: Session, movement_id: int) -> Movement:
    movement = session.get(Movement, movement_id)
    if movement is None:
        raise NotFound()
    return movement


def children_of(session: Session, movement: Movement) -> list[Movement]:
    return list(session.scalars(select(Movement).where(Movement.parent_id == movement.id)
                                .order_by(Movement.id)))


@dataclass(frozen=True)
class RegistrationStatus:
    registered: list[Registration]
    not_registered: list[OrgUnit]


def registration_status(session: Session, movement: Movement) -> RegistrationStatus:
    """Who of the participating units has registered, and who has not."""
    registrations = list(session.scalars(
        registrations_query(movement).order_by(Registration.registered_at)))
    done = {r.unit_id for r in registrations}
    missing = sorted((p.unit for p in movement.participants if p.unit_id not in done),
                     key=lambda u: u.name)
    return RegistrationStatus(registrations, missing)


def registrations_query(movement: Movement):
    """SELECT of a movement's registrations with their units and lines (unordered)."""
    return (select(Registration).where(Registration.movement_id == movement.id)
            .options(selectinload(Registration.unit), selectinload(Registration.lines)))


def history(session: Session, movement: Movement) -> list[AuditEvent]:
    """The movement's recorded steps (its state changes, oldest first), with their notes."""
    return list(session.scalars(
        select(AuditEvent).where(AuditEvent.subject_type == "movement",
                                 AuditEvent.subject_id == str(movement.id),
                                 AuditEvent.to_state.is_not(None))
        .order_by(AuditEvent.seq)))
