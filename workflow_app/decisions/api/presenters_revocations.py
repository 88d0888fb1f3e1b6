"""Revocations → response models, as the revocation pages show them (labels in the caller's
language; who may decide or record the recovery by the service's own predicates)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from workflow_app.api.presenters import award_record_out, names
from workflow_app.decisions.api.schemas_revocations import (
    DeadlinesOut,
    RevocationDocumentOut,
    RevocationDraftOut,
    RevocationOut,
    RevocationSummary,
)
from workflow_app.decisions.service import revocation as service
from workflow_app.decisions.service.revocation_issue import RevocationInput
from workflow_app.decisions.service.revocation_labels import GROUND_LABELS, STATUS_LABELS
from workflow_app.models.revocation import Revocation
from workflow_app.models.user import User


def _summary_fields(revocation: Revocation) -> dict:
    return {
        "id": revocation.id, "status": revocation.status,
        "status_label": str(STATUS_LABELS.get(revocation.status, revocation.status)),
        "ground": revocation.ground,
        "ground_label": str(GROUND_LABELS.get(revocation.ground, revocation.ground)),
        "point": f"Art. 93 k2 {service.GROUND_POINT[revocation.ground]}",
        "level": revocation.level,
        "recipient_name": service.recipient_name(revocation.award_record),
        "award_record_id": revocation.award_record_id, "dossier_id": revocation.dossier_id,
        "proposed_at": revocation.proposed_at,
        "decision_reference": revocation.decision_reference,
    }


def revocation_summary(revocation: Revocation) -> RevocationSummary:
    return RevocationSummary(**_summary_fields(revocation))


def revocation_out(session: Session, viewer: User, revocation: Revocation,
                   locale: str) -> RevocationOut:
    deadlines = service.deadlines(revocation)
    document = revocation.document
    return RevocationOut(
        **_summary_fields(revocation), explanation=revocation.explanation,
        evidence_reference=revocation.evidence_reference,
        conclusion_received_on=revocation.conclusion_received_on,
        award_record=award_record_out(session, viewer, revocation.award_record, locale,
                                      names(session, locale)),
        proposed_by=revocation.proposed_by.display_name if revocation.proposed_by else None,
        decided_by=revocation.decided_by.display_name if revocation.decided_by else None,
        decided_at=revocation.decided_at, decision_date=revocation.decision_date,
        dismissal_reason=revocation.dismissal_reason,
        recovery_required=revocation.recovery_required, recovered_on=revocation.recovered_on,
        recovery_note=revocation.recovery_note,
        deadlines=DeadlinesOut(filed_on=deadlines.filed_on, filing_due=deadlines.filing_due,
                               filed_late=deadlines.filed_late,
                               decision_due=deadlines.decision_due),
        document=None if document is None else RevocationDocumentOut(
            id=document.id, reference=document.reference, issued_on=document.issued_on,
            issuer_id=document.issuer_unit_id, signer_name=document.signer_name,
            docx_sha256=document.docx_sha256, pdf_sha256=document.pdf_sha256),
        can_decide=revocation.is_open and service.may_decide(viewer, revocation),
        can_record_recovery=service.may_record_recovery(viewer, revocation))


def revocation_draft(inp: RevocationInput) -> RevocationDraftOut:
    return RevocationDraftOut(
        issued_on=inp.issued_on, place=inp.place, summary=inp.summary, authority=inp.authority,
        bases=list(inp.bases), articles=list(inp.articles), recipients=list(inp.recipients),
        issuer_id=inp.issuer_id)
