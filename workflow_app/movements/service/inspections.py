"""Inspections (kiểm tra) of participating units during the movement, with their findings
(Law 06/2022 Art. 17: launch, then inspect and monitor — LEGAL_FACTS §1.1). Recorded by the
organiser's standing agency, or by the cluster head for a cluster movement."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.models.movement import Inspection, Movement
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User
from workflow_app.movements.service.movements import MovementError, is_organiser
from workflow_app.workflow import Forbidden

FINDINGS_MAX = 20000


def record_inspection(session: Session, actor: User, movement: Movement, unit: OrgUnit, *,
                      held_on: date | None, findings: str, today: date) -> Inspection:
    if not is_organiser(actor, movement):
        raise Forbidden(_l("Only the organiser's standing agency records inspections."))
    if unit.id not in {p.unit_id for p in movement.participants}:
        raise MovementError(_l("%(unit)s does not take part in this movement.",
                               unit=unit.name), "unit_id")
    if held_on is None or held_on > today:
        raise MovementError(_l("Give the inspection's date (not in the future)."), "held_on")
    text = str(findings or "").replace("\x00", "").strip()
    if not text or len(text) > FINDINGS_MAX:
        raise MovementError(_l("Write the findings (at most %(max)d characters).",
                               max=FINDINGS_MAX), "findings")
    inspection = Inspection(unit_id=unit.id, inspector_unit_id=movement.unit_id,
                            movement_id=movement.id, cluster_id=movement.cluster_id,
                            year=movement.year, held_on=held_on, findings=text,
                            recorded_by_id=actor.id)
    session.add(inspection)
    session.flush()
    record(session, "inspection.recorded", "movement", movement.id, actor=actor,
           data={"inspection_id": inspection.id, "unit_id": unit.id,
                 "held_on": held_on.isoformat()})
    return inspection


def inspections_of(session: Session, movement: Movement) -> list[Inspection]:
    return list(session.scalars(select(Inspection).where(Inspection.movement_id == movement.id)
                                .order_by(Inspection.held_on, Inspection.id)))
