"""A council session's tallies as XLSX over the API (`council.service.exports`), to those
who may open the session."""

from __future__ import annotations

from workflow_app.api.auth import caller
from workflow_app.api.operations import operation
from workflow_app.council.service import access
from workflow_app.council.service.exports import tally_sheet
from workflow_app.downloads import XLSX_MIMETYPE, send_xlsx
from workflow_app.extensions import db
from workflow_app.i18n import current_locale


@operation("GET", "/council/sessions/{session_id}/tallies", summary="A session's tallies as XLSX",
           description="One row per agenda item: the round, counts (agree, disagree, abstain, "
                       "recused), what the ratio is counted over, the denominator, the votes "
                       "needed, the outcome and any chair's ruling; unvoted items without counts.",
           tags=["council sessions"], errors=[404], raw_content_type=XLSX_MIMETYPE)
def export_council_tallies(session_id: int):
    meeting = access.visible_session(db.session, caller(), session_id)
    return send_xlsx(f"ket-qua-bieu-quyet-phien-{meeting.id}.xlsx",
                     [tally_sheet(meeting, current_locale())])
