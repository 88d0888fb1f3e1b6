"""ORM rows → response models, in the caller's language. Read-only: no queries beyond the
relations already loaded, except where a docstring says so."""

from __future__ import annotations

from workflow_app.dossiers.api.schemas import (
    ActionOut,
    ClockOut,
    DocumentOut,
    DossierOut,
    DossierSummary,
    Ref,
    TimelineEntry,
)
from workflow_app.dossiers.service.access import is_editable
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.dossiers.service.labels import state_label
from workflow_app.dossiers.service.timeline import build_timeline, dossier_events
from workflow_app.dossiers.views.pages import clock_of
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User
from workflow_app.workflow import StepClock, available_actions
from workflow_app.workflow.guards import missing_items


def clock_out(clock: StepClock | None) -> ClockOut | None:
    if clock is None:
        return None
    return ClockOut(step=clock.step, running=clock.running, used_days=clock.used_days,
                    limit_days=clock.limit_days, remaining_days=clock.remaining_days,
                    due_on=clock.due_on, is_overdue=clock.is_overdue)


def unit_ref(unit: OrgUnit | None, locale: str) -> Ref | None:
    return None if unit is None else Ref(id=unit.id, code=unit.code,
                                         name=unit.display_name(locale))


def _award_ref(dossier: Dossier, locale: str) -> Ref:
    award = dossier.award
    version = dossier.rule_version(today_vn()) or (award.versions[0] if award.versions else None)
    return Ref(id=award.id, code=award.code, name=version.name(locale) if version else award.code)


def summary_fields(dossier: Dossier, locale: str) -> dict:
    person = dossier.nominee_person
    return {
        "id": dossier.id, "workflow": dossier.workflow, "state": dossier.state,
        "state_label": state_label(dossier.workflow, dossier.state, locale),
        "version": dossier.version, "title": dossier.title, "year": dossier.year,
        "commendation_type": dossier.commendation_type,
        "unit": unit_ref(dossier.unit, locale), "award": _award_ref(dossier, locale),
        "nominee_person": Ref(id=person.id, name=person.full_name) if person else None,
        "nominee_unit": unit_ref(dossier.nominee_unit, locale),
        "batch_id": dossier.batch_id, "created_at": dossier.created_at,
        "received_at": dossier.received_at,
    }


def dossier_summary(dossier: Dossier, locale: str) -> DossierSummary:
    return DossierSummary(**summary_fields(dossier, locale))


def timeline(session, dossier: Dossier, locale: str) -> list[TimelineEntry]:
    """The page's timeline (same labels), with exact UTC times from the audit events."""
    read = dossier_events(session, dossier)
    events = {event.seq: event for event in read}
    return [
        TimelineEntry(seq=entry.seq, occurred_at=events[entry.seq].occurred_at,
                      actor=entry.actor, action=entry.code, action_label=entry.action,
                      from_state=events[entry.seq].from_state,
                      to_state=events[entry.seq].to_state, reason=entry.reason,
                      details=entry.details + ([entry.document] if entry.document else [])
                      + [f"{c.label}: {c.old} → {c.new}" for c in entry.changes])
        for entry in build_timeline(session, dossier, locale, read)
    ]


def dossier_out(session, dossier: Dossier, viewer: User, locale: str) -> DossierOut:
    """The whole dossier as its page shows it: documents, the caller's actions, timeline,
    what is still missing and the step's clock."""
    actions = [ActionOut(trigger=a.trigger, dest=a.dest, label=a.label(locale),
                         reason_required=a.reason_required, blocked_by=a.blocked_by)
               for a in available_actions(dossier, viewer, include_blocked=True)]
    return DossierOut(
        **summary_fields(dossier, locale),
        year_from=dossier.year_from, summary=dossier.summary,
        movement_reference=dossier.movement_reference,
        state_entered_at=dossier.state_entered_at,
        decision_number=dossier.decision_number, decision_date=dossier.decision_date,
        documents=[DocumentOut.model_validate(d) for d in dossier.documents],
        actions=actions, timeline=timeline(session, dossier, locale),
        missing=missing_items(dossier, today_vn()) if is_editable(dossier) else [],
        clock=clock_out(clock_of(dossier)),
    )
