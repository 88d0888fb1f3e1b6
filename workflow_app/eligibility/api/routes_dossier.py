"""The eligibility section of the dossier page, read-only: the award's prerequisites judged
for the nominee (with reviewers' overrides), the unit's quota, and duplicate flags for the
reviewers responsible for the dossier's unit — the page's own `eligibility_context`."""

from __future__ import annotations

from workflow_app.api.auth import caller
from workflow_app.api.operations import operation
from workflow_app.dossiers.service.access import READERS, visible_dossier_or_404
from workflow_app.eligibility.api.presenters import eligibility_out
from workflow_app.eligibility.api.schemas_dossier import EligibilityOut
from workflow_app.eligibility.service.dossier import eligibility_context
from workflow_app.extensions import db
from workflow_app.i18n import current_locale


@operation("GET", "/dossiers/{dossier_id}/eligibility",
           summary="A dossier's eligibility, quota and duplicate flags",
           description="As the dossier page shows them. Rules are judged under the rule "
                       "version fixed at receipt (before receipt: the one in force today); a "
                       "rule that `blocks` stops submission unless a reviewer overrides it. "
                       "`duplicates` is null unless you are a reviewer over the dossier's "
                       "unit.",
           tags=["dossiers"], roles=READERS, response=EligibilityOut, errors=[404])
def get_eligibility(dossier_id: int) -> EligibilityOut:
    viewer = caller()
    dossier = visible_dossier_or_404(db.session, viewer, dossier_id)
    context = eligibility_context(db.session, dossier, viewer)
    return eligibility_out(dossier, context, current_locale())
