"""The year-end flow: from recorded results to the acts that follow them.

- `nominations_from_registration`: a unit's registration becomes its nominations, one batch
  per title registered (nominees, award and year pre-filled), drafts for the officer to
  complete (`dossiers.service.batches`: the same checks as a batch made by hand).
- `acclamation_from_ranking`: a cluster's published ranking opens the cluster's year-end
  acclamation vote (`council.service.acclamation`) for an award, with the units proposed from
  the ranking (the first `seats`, and any unit tied at the boundary) named as its
  candidates; the organiser may change them until the first paper, and the member units
  then vote as they always do — the ranking proposes, the conference decides.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.council.service import acclamation
from workflow_app.dossiers.service.batches import create_batch
from workflow_app.models.acclamation import AcclamationConference, AcclamationContest
from workflow_app.models.batch import DossierBatch
from workflow_app.models.catalogue import Award
from workflow_app.models.movement import Movement, Registration
from workflow_app.models.org import OrgUnit
from workflow_app.models.scoring import ScoreTable
from workflow_app.models.user import User
from workflow_app.movements.service.movements import MovementError
from workflow_app.scoring.service.ranking import ranking


def nominations_from_registration(session: Session, actor: User, movement: Movement,
                                  unit: OrgUnit, *, today: date) -> list[DossierBatch]:
    registration = session.scalar(select(Registration).where(
        Registration.movement_id == movement.id, Registration.unit_id == unit.id))
    if registration is None or not registration.lines:
        raise MovementError(_l("%(unit)s has not registered any title under this movement.",
                               unit=unit.name))
    by_award: dict[int, list] = defaultdict(list)
    for line in registration.lines:
        by_award[line.award_id].append(line)
    kind = "PHONG_TRAO" if movement.kind == "thematic" else "CONG_TRANG"
    reference = " ".join(p for p in (movement.document_number, movement.title) if p)[:160]
    batches = []
    for award_id, lines in sorted(by_award.items()):
        award = session.get(Award, award_id)
        version = award.version_on(today)
        name = version.name_vi if version is not None else award.code
        persons = [line.person for line in lines if line.person is not None]
        units = [unit] if any(line.person is None for line in lines) else []
        batches.append(create_batch(
            session, actor, unit=unit, award=award, commendation_type=kind,
            year=movement.year, persons=persons, units=units, movement_reference=reference,
            title=f"Đề nghị {name} năm {movement.year}"[:255], today=today))
    record(session, "registration.nominations_opened", "movement", movement.id, actor=actor,
           data={"unit_id": unit.id, "batch_ids": [b.id for b in batches]})
    return batches


def proposed_from_ranking(session: Session, table: ScoreTable, seats: int) -> list[int]:
    """The first `seats` units of the ranking, and every unit tied with the last of them."""
    rows = [row for row in ranking(session, table) if row.scored]
    if not rows or seats < 1:
        return []
    boundary = rows[min(seats, len(rows)) - 1].rank
    return [r.unit_id for r in rows if r.rank <= boundary]


def acclamation_from_ranking(session: Session, actor: User, table: ScoreTable, award: Award,
                             seats: int, *, held_on: date, today: date, place: str = ""
                             ) -> tuple[AcclamationContest, list[int]]:
    """The vote rule is the award's version in force on the conference day, else today's
    (a past year replayed under the current catalogue, as the seed 001 demo does)."""
    if table.cluster_id is None or table.status != "published":
        raise MovementError(_l("Only a cluster's published results open its acclamation."))
    conference = session.scalar(select(AcclamationConference).where(
        AcclamationConference.cluster_id == table.cluster_id,
        AcclamationConference.year == table.year))
    if conference is None:
        conference = acclamation.open_conference(session, table.cluster, table.year, held_on,
                                                 place=place, actor=actor)
    rule_on = held_on if award.version_on(held_on) is not None else today
    proposed = proposed_from_ranking(session, table, seats)
    contest = acclamation.open_contest(
        session, conference, award, seats, actor=actor, rule_on=rule_on,
        candidates=[session.get(OrgUnit, unit_id) for unit_id in proposed])
    record(session, "scoring.acclamation_proposed", "score_table", table.id, actor=actor,
           data={"contest_id": contest.id, "award": award.code, "seats": seats,
                 "proposed_unit_ids": proposed})
    return contest, proposed
