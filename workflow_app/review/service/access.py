"""Which dossiers a reviewer may open on the review pages (and through the API).

A reviewer sees the dossiers of the units their reviewer grants cover, once sent: a draft is
the submitter's working copy until it is submitted. Anything else is a 404, as if the
dossier did not exist, so ids do not leak.
"""

from __future__ import annotations

from sqlalchemy.orm import Session, joinedload, selectinload
from werkzeug.exceptions import NotFound

from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.models.user import User
from workflow_app.workflow import definition_of

REVIEWER_ROLE = "reviewer"


def reviewable_dossier_or_404(session: Session, user: User, dossier_id: int) -> Dossier:
    """The dossier with what the review page shows loaded, or 404."""
    dossier = session.get(Dossier, dossier_id, options=[
        joinedload(Dossier.unit), joinedload(Dossier.nominee_person),
        joinedload(Dossier.nominee_unit), joinedload(Dossier.award_version),
        selectinload(Dossier.award).selectinload(Award.versions),
        selectinload(Dossier.documents)])
    if dossier is None or not user.can_see_unit(dossier.unit, REVIEWER_ROLE):
        raise NotFound()
    if dossier.state == definition_of(dossier).initial:
        raise NotFound()
    return dossier
