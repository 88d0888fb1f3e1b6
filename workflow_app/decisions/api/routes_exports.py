"""A decision's annex as XLSX over the API (`decisions.service.exports`), to its readers."""

from __future__ import annotations

from workflow_app.api.auth import caller
from workflow_app.api.operations import operation
from workflow_app.decisions.service import access
from workflow_app.decisions.service.exports import annex_sheet
from workflow_app.decisions.service.numbering import file_stem
from workflow_app.downloads import XLSX_MIMETYPE, send_xlsx
from workflow_app.extensions import db
from workflow_app.models.decision import Decision


@operation("GET", "/decisions/{decision_id}/annex", summary="A decision's annex as XLSX",
           description="One row per awardee as issued (name, position, unit, award, dossier) "
                       "and, for an award later revoked, the revoking decision and its date.",
           tags=["decisions"], errors=[404], raw_content_type=XLSX_MIMETYPE)
def export_decision_annex(decision_id: int):
    decision = access.readable(db.session, caller(), Decision, decision_id)
    return send_xlsx(f"{file_stem(decision)}-phu-luc.xlsx", [annex_sheet(db.session, decision)])
