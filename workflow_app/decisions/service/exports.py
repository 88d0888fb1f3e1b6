"""A decision's annex as XLSX (issue 14 item 5): one row per awardee as issued, with the
dossier it decided and, when the award was later revoked, the revoking decision."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from workflow_app.decisions.service.revoked_items import revocations_of
from workflow_app.models.decision import Decision
from workflow_app.xlsx import Sheet


def annex_sheet(session: Session, decision: Decision) -> Sheet:
    revoked = revocations_of(session, decision)

    def rows():
        for item in decision.items:
            revocation = revoked.get(item.id)
            document = revocation.document if revocation is not None else None
            yield [item.position, item.awardee_name, item.awardee_position, item.awardee_unit,
                   item.award_name, item.dossier_id,
                   document.reference if document is not None else "",
                   document.issued_on if document is not None else None]

    return Sheet(_("Annex %(reference)s", reference=decision.reference), [
        _("No."), _("Full name or collective"), _("Position"), _("Unit"), _("Award or title"),
        _("Dossier"), _("Revoking decision"), _("Revoked on"),
    ], rows(), widths=(6, 30, 30, 36, 34, 10, 18, 12))
