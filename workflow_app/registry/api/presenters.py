"""Registry rows → response models, as the registry pages show them: award names in the
caller's language, revoked awards with the revoking decision, and whether the viewer may
propose a revocation (`decisions.service.revocation`'s own predicates). Reads the live revocation of
each award row (one query per row, as the page does)."""

from __future__ import annotations

from workflow_app.models.registry import Initiative, PerformanceRating, UnitRating
from workflow_app.registry.api.schemas import InitiativeOut, RatingOut
from workflow_app.registry.service.labels import RATING, SCOPE


def rating_out(row: PerformanceRating | UnitRating) -> RatingOut:
    return RatingOut(id=row.id, year=row.year, rating=row.rating,
                     rating_label=str(RATING.get(row.rating, row.rating)))


def initiative_out(row: Initiative) -> InitiativeOut:
    return InitiativeOut(id=row.id, year=row.year, title=row.title, kind=row.kind,
                         scope=row.scope, scope_label=str(SCOPE.get(row.scope, row.scope)),
                         recognised_by=row.recognised_by)
