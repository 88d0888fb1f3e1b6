"""Which annex rows of an award decision were later revoked, and the revoking decisions a
reader may see — for the decisions list, a decision's page and the API's decision presenter.

An annex row (DecisionItem) is revoked when the registry entry its dossier produced carries a
revocation with status "revoked" (Law 2022 Art. 93 k2). The issued files are never altered:
the certificate stays downloadable as the record of what was issued, and every reader is told
that it was revoked and by which decision.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from workflow_app.decisions.service import revocation as service
from workflow_app.models.decision import Decision
from workflow_app.models.registry import AwardRecord
from workflow_app.models.revocation import Revocation, RevocationDecision

LIST_LIMIT = 500


def revocations_of(session: Session, decision: Decision) -> dict[int, Revocation]:
    """DecisionItem id → the revocation ("revoked") of the award that row conferred."""
    by_dossier = {item.dossier_id: item.id for item in decision.items}
    if not by_dossier:
        return {}
    rows = session.scalars(
        select(Revocation).join(AwardRecord, Revocation.award_record_id == AwardRecord.id)
        .where(Revocation.status == "revoked", AwardRecord.dossier_id.in_(by_dossier))
        .options(selectinload(Revocation.award_record), selectinload(Revocation.document)))
    return {by_dossier[r.award_record.dossier_id]: r for r in rows}


def readable_revoking_decisions(session: Session, viewer) -> list[RevocationDecision]:
    """The numbered revoking decisions (same QĐ series as award decisions) `viewer` may read."""
    rows = session.scalars(
        select(RevocationDecision)
        .options(selectinload(RevocationDecision.issuer),
                 selectinload(RevocationDecision.revocation))
        .order_by(RevocationDecision.issued_on.desc(), RevocationDecision.id.desc())
        .limit(LIST_LIMIT)).all()
    return [row for row in rows if service.may_read(viewer, row.revocation)]
