"""Writing the award registry. Decisions call `record_conferral`; revocations call
`revoke_conferral`. Both audit in the caller's transaction; services flush, never commit."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.models.base import utcnow
from workflow_app.models.dossier import Dossier
from workflow_app.models.registry import AwardRecord


def record_conferral(session: Session, *, dossier: Dossier, decision_number: str,
                     decision_date: date, issuer: str, source: str = "decision",
                     actor=None) -> AwardRecord:
    """Enter the award a decided dossier confers into the registry."""
    entry = AwardRecord(
        person_id=dossier.nominee_person_id, unit_id=dossier.nominee_unit_id,
        award_code=dossier.award.code, year=dossier.year, decision_number=decision_number,
        decision_date=decision_date, issuer=issuer, source=source, dossier_id=dossier.id)
    session.add(entry)
    session.flush()
    record(session, "registry.conferred", "award_record", entry.id, actor=actor,
           data={"dossier_id": dossier.id, "award": entry.award_code, "year": entry.year,
                 "decision_number": decision_number, "decision_date": decision_date.isoformat(),
                 "person_id": entry.person_id, "unit_id": entry.unit_id})
    return entry


def revoke_conferral(session: Session, entry: AwardRecord, *, revocation_number: str,
                     actor=None) -> None:
    """Mark a registry entry revoked (Law Art. 93); it stays for the record."""
    if entry.revoked_at is not None:
        raise ValueError("already revoked")
    entry.revoked_at = utcnow()
    entry.revocation_number = revocation_number
    session.flush()
    record(session, "registry.revoked", "award_record", entry.id, actor=actor,
           data={"revocation_number": revocation_number})
