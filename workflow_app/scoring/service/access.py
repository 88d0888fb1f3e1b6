"""Who may do what with a criteria table, and who its members are.

- the organiser (reviewer over the movement's organising unit, or over the cluster's
  organising unit) creates a table, names its assessing unit, locks and publishes it;
- each member unit scores itself (submitter or reviewer over the member unit);
- the assessing unit (submitter or reviewer over it: the cluster head, or the standing
  agency) scores each member — never itself;
- organisers, the assessor, auditors and every member unit read the table.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.models.movement import MovementParticipant
from workflow_app.models.org import ClusterMembership, OrgUnit
from workflow_app.models.scoring import ScoreTable
from workflow_app.models.user import User
from workflow_app.workflow import StaleVersion

ORGANISER_ROLES = ("reviewer",)
SCORER_ROLES = ("submitter", "reviewer")
READER_ROLES = ("submitter", "reviewer", "secretary", "chair", "council_member", "signer",
                "auditor")


class ScoringError(ValueError):
    """A refused change; `message` is shown next to the form or as a 422 reason.

    `problems` lists every bad line of a save at once, each as (criterion id, message), so
    that each message can stand next to its own field."""

    def __init__(self, message, field_name: str | None = None,
                 problems: list[tuple[int, str]] | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field_name
        self.problems = problems or []


def stale(by_same_user: bool = False) -> StaleVersion:
    if by_same_user:  # another tab or window of the same user: not "someone else"
        return StaleVersion(_l("You changed this score table meanwhile, in another tab or "
                               "window. Reload the page: nothing of this page was saved."))
    return StaleVersion(_l("This score table was changed by someone else meanwhile. Reload "
                           "the page: nothing of yours was saved."))


def organising_unit(table: ScoreTable) -> OrgUnit:
    return table.movement.unit if table.movement is not None else table.cluster.organiser


def may_organise(user: User | None, table: ScoreTable) -> bool:
    return bool(user is not None and user.is_active
                and user.can_see_unit(organising_unit(table), *ORGANISER_ROLES))


def may_assess(user: User | None, table: ScoreTable) -> bool:
    return bool(user is not None and user.is_active
                and user.can_see_unit(table.assessor, *SCORER_ROLES))


def may_self_score(user: User | None, unit: OrgUnit) -> bool:
    return bool(user is not None and user.is_active and user.can_see_unit(unit, *SCORER_ROLES))


def may_read(user: User | None, table: ScoreTable, session: Session) -> bool:
    """Organisers, the assessor, auditors and every member unit read the table; a member
    reads every unit's scores only once the results are published."""
    if user is None or not user.is_active:
        return False
    if user.has_role("auditor") or may_organise(user, table) or may_assess(user, table):
        return True
    return any(user.can_see_unit(unit, *READER_ROLES) for unit in members(session, table))


def sees_all_units(user: User | None, table: ScoreTable) -> bool:
    return bool(user is not None and (table.status == "published" or user.has_role("auditor")
                                      or may_organise(user, table) or may_assess(user, table)))


def member_ids_query(table: ScoreTable):
    """The member units' ids, as a SELECT (the movement's participants, or the cluster's
    members of the table's year)."""
    if table.movement_id is not None:
        return select(MovementParticipant.unit_id.label("unit_id")).where(
            MovementParticipant.movement_id == table.movement_id)
    return select(ClusterMembership.unit_id.label("unit_id")).where(
        ClusterMembership.cluster_id == table.cluster_id, ClusterMembership.year == table.year)


def members(session: Session, table: ScoreTable) -> list[OrgUnit]:
    ids = member_ids_query(table).subquery()
    return list(session.scalars(select(OrgUnit).join(ids, OrgUnit.id == ids.c.unit_id)
                                .order_by(OrgUnit.name)))
