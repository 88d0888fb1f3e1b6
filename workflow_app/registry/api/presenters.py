"""Registry rows → response models, as the registry pages show them: award names in the
caller's language, revoked awards with the revoking decision, and whether the viewer may
propose a revocation (`decisions.service.revocation`'s own predicates). Reads the live revocation of
each award row (one query per row, as the page does)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from workflow_app.api.presenters import unit_ref
from workflow_app.catalogue.service.queries import award_names, today_local
from workflow_app.decisions.service import revocation as revocations
from workflow_app.dossiers.api.schemas import Ref
from workflow_app.models.registry import AwardRecord, Initiative, PerformanceRating, UnitRating
from workflow_app.models.user import User
from workflow_app.registry.api.schemas import AwardRecordOut, InitiativeOut, RatingOut
from workflow_app.registry.service.labels import RATING, SCOPE, SOURCE


def names(session: Session, locale: str) -> dict[str, str]:
    """Award code → name in `locale`, under the rules in force today."""
    return award_names(session, locale, today_local())


def award_record_out(session: Session, viewer: User, entry: AwardRecord, locale: str,
                     award_name: dict[str, str]) -> AwardRecordOut:
    live = revocations.live_revocation(session, entry)
    if entry.revoked_at is not None:
        status = "revoked"
    else:
        status = "revocation_proposed" if live is not None else "active"
    may_propose = (revocations.may_propose_for(viewer, entry)
                   and revocations.why_not_proposable(session, entry) is None)
    person = entry.person
    return AwardRecordOut(
        id=entry.id, award_code=entry.award_code,
        award_name=award_name.get(entry.award_code, entry.award_code), year=entry.year,
        decision_number=entry.decision_number, decision_date=entry.decision_date,
        issuer=entry.issuer, source=entry.source,
        source_label=str(SOURCE.get(entry.source, entry.source)), dossier_id=entry.dossier_id,
        person=Ref(id=person.id, name=person.full_name) if person is not None else None,
        unit=unit_ref(entry.unit, locale), recorded_at=entry.recorded_at, status=status,
        revoked_at=entry.revoked_at, revocation_number=entry.revocation_number,
        revocation_id=live.id if live is not None else None,
        items_to_recover=bool(live is not None and live.status == "revoked"
                              and live.recovery_required and live.recovered_on is None),
        can_propose_revocation=may_propose)


def rating_out(row: PerformanceRating | UnitRating) -> RatingOut:
    return RatingOut(id=row.id, year=row.year, rating=row.rating,
                     rating_label=str(RATING.get(row.rating, row.rating)))


def initiative_out(row: Initiative) -> InitiativeOut:
    return InitiativeOut(id=row.id, year=row.year, title=row.title, kind=row.kind,
                         scope=row.scope, scope_label=str(SCOPE.get(row.scope, row.scope)),
                         recognised_by=row.recognised_by)
