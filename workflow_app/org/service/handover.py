"""Work in flight of units that close (issue 19 item 4): what a merger, split or dissolution
hands to the receiving unit, found for the preview and moved when applied.

Handed over: dossiers not in a terminal state (their submitting unit), registrations under
movements still running, movements the units organise that are still running, and councils
over the units. Role grants over the units follow the explicit choice made at apply time
(move to the receiving unit, or lapse). Listed but not changed: cluster and block
memberships from the effective year on (re-formed for the next year by the organiser) and
the people recorded in the units (they stay where their history was earned; the closed unit
lies under its successor, so the successor's officers see them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow_app.models.council import Council
from workflow_app.models.dossier import Dossier
from workflow_app.models.movement import Movement, Registration
from workflow_app.models.org import ClusterMembership, OrgUnit, Person
from workflow_app.models.user import RoleGrant

DOSSIER_TERMINAL = ("council_rejected", "decided", "revoked", "rejected", "withdrawn")
MOVEMENT_TERMINAL = ("concluded", "cancelled")


@dataclass
class WorkInFlight:
    """What the closing units hold, as the preview lists it."""

    dossiers: list[Dossier] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)
    # Registrations that cannot move: the receiving unit already registered that movement.
    registration_clashes: list[Registration] = field(default_factory=list)
    movements: list[Movement] = field(default_factory=list)
    councils: list[Council] = field(default_factory=list)
    grants: list[RoleGrant] = field(default_factory=list)
    memberships: list[ClusterMembership] = field(default_factory=list)
    person_count: int = 0

    @property
    def movable(self) -> bool:
        return bool(self.dossiers or self.registrations or self.movements or self.councils)


def find(session: Session, unit_ids: list[int], receiver: OrgUnit | None,
         from_year: int) -> WorkInFlight:
    work = WorkInFlight()
    if not unit_ids:
        return work
    work.dossiers = list(session.scalars(
        select(Dossier).where(Dossier.unit_id.in_(unit_ids),
                              Dossier.state.not_in(DOSSIER_TERMINAL)).order_by(Dossier.id)))
    registrations = list(session.scalars(
        select(Registration).join(Movement, Movement.id == Registration.movement_id)
        .where(Registration.unit_id.in_(unit_ids), Movement.state.not_in(MOVEMENT_TERMINAL))
        .order_by(Registration.id)))
    taken = set() if receiver is None else set(session.scalars(
        select(Registration.movement_id).where(Registration.unit_id == receiver.id)))
    for registration in registrations:
        clash = registration.movement_id in taken
        (work.registration_clashes if clash else work.registrations).append(registration)
        taken.add(registration.movement_id)
    work.movements = list(session.scalars(
        select(Movement).where(Movement.unit_id.in_(unit_ids),
                               Movement.state.not_in(MOVEMENT_TERMINAL)).order_by(Movement.id)))
    work.councils = list(session.scalars(
        select(Council).where(Council.unit_id.in_(unit_ids)).order_by(Council.id)))
    work.grants = list(session.scalars(
        select(RoleGrant).where(RoleGrant.unit_id.in_(unit_ids)).order_by(RoleGrant.id)))
    work.memberships = list(session.scalars(
        select(ClusterMembership).where(ClusterMembership.unit_id.in_(unit_ids),
                                        ClusterMembership.year >= from_year)
        .order_by(ClusterMembership.year, ClusterMembership.id)))
    work.person_count = session.scalar(
        select(func.count(Person.id)).where(Person.unit_id.in_(unit_ids)))
    return work


def hand_over(session: Session, work: WorkInFlight, receiver: OrgUnit | None,
              grants_choice: str | None) -> dict[str, list]:
    """Move the work to `receiver` and apply the grants choice; return what was done, in
    the form `OrgEvent.handover` keeps for a reversal."""
    done: dict[str, list] = {"dossier": [], "registration": [], "movement": [],
                             "council": [], "grant_moved": [], "grant_lapsed": []}
    if receiver is not None:
        for kind, rows in (("dossier", work.dossiers), ("registration", work.registrations),
                           ("movement", work.movements), ("council", work.councils)):
            for row in rows:
                done[kind].append([row.id, row.unit_id, receiver.id])
                row.unit_id = receiver.id
    for grant in work.grants:
        if grants_choice == "move" and receiver is not None:
            duplicate = session.scalar(select(RoleGrant.id).where(
                RoleGrant.user_id == grant.user_id, RoleGrant.role == grant.role,
                RoleGrant.unit_id == receiver.id))
            if duplicate is None:
                done["grant_moved"].append([grant.id, grant.user_id, grant.role,
                                            grant.unit_id, receiver.id])
                grant.unit_id = receiver.id
                continue
        # Lapse (chosen, or the user already holds the same role over the receiver).
        done["grant_lapsed"].append([grant.user_id, grant.role, grant.unit_id])
        session.delete(grant)
    session.flush()
    return done


MODELS = {"dossier": Dossier, "registration": Registration, "movement": Movement,
          "council": Council}


def hand_back(session: Session, done: dict[str, list]) -> dict[str, list]:
    """Undo `hand_over` where nothing changed since: a row handed over goes back to its
    unit while it is still with the receiver. Returns what was handed back."""
    back: dict[str, list] = {}
    for kind, model in MODELS.items():
        for row_id, from_id, to_id in done.get(kind, []):
            row = session.get(model, row_id)
            if row is not None and row.unit_id == to_id:
                row.unit_id = from_id
                back.setdefault(kind, []).append(row_id)
    for grant_id, user_id, role, from_id, to_id in done.get("grant_moved", []):
        grant = session.get(RoleGrant, grant_id)
        if grant is not None and grant.unit_id == to_id and not _holds(
                session, user_id, role, from_id):
            grant.unit_id = from_id
            back.setdefault("grant_moved", []).append(grant_id)
    for user_id, role, unit_id in done.get("grant_lapsed", []):
        if not _holds(session, user_id, role, unit_id):
            session.add(RoleGrant(user_id=user_id, role=role, unit_id=unit_id))
            back.setdefault("grant_lapsed", []).append([user_id, role, unit_id])
    session.flush()
    return back


def _holds(session: Session, user_id: int, role: str, unit_id: int) -> bool:
    return session.scalar(select(RoleGrant.id).where(
        RoleGrant.user_id == user_id, RoleGrant.role == role,
        RoleGrant.unit_id == unit_id)) is not None
