"""Dossier documents and eligibility → response models (labels in the caller's language)."""

from __future__ import annotations

from workflow_app.api.presenters import clock_out, summary_fields
from workflow_app.dossiers.api.schemas import ActionOut, DocumentOut, DossierOut, TimelineEntry
from workflow_app.dossiers.api.schemas_documents import DossierDocumentOut
from workflow_app.dossiers.service.access import is_editable
from workflow_app.dossiers.service.clock import clock_of
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.dossiers.service.labels import doc_type_label
from workflow_app.dossiers.service.timeline import build_timeline, dossier_events
from workflow_app.models.dossier import Dossier, DossierDocument
from workflow_app.models.user import User
from workflow_app.workflow import available_actions
from workflow_app.workflow.guards import missing_items


def document_out(document: DossierDocument) -> DossierDocumentOut:
    return DossierDocumentOut(
        id=document.id, doc_type=document.doc_type, filename=document.filename,
        size=document.size, mimetype=document.mimetype, sha256=document.sha256,
        uploaded_at=document.uploaded_at, doc_type_label=doc_type_label(document.doc_type),
        batch_document_id=document.batch_document_id, removed_at=document.removed_at)


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
