"""The dossier list as XLSX over the API: the same filters, scope and sheet as the list page's
"Export XLSX" (`dossiers.service.exports`)."""

from __future__ import annotations

from workflow_app.api.auth import caller
from workflow_app.api.operations import operation
from workflow_app.dossiers.api.schemas_exports import DossierExportQuery
from workflow_app.dossiers.service.access import READERS
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.dossiers.service.exports import dossier_sheet
from workflow_app.dossiers.service.queries import ListFilters
from workflow_app.downloads import XLSX_MIMETYPE, send_xlsx
from workflow_app.extensions import db
from workflow_app.i18n import current_locale


@operation("GET", "/dossiers/export", summary="The dossier list as XLSX",
           description="Every dossier the list gives under these filters (all pages, newest "
                       "first), one row each: headers in your language, dates as dates, "
                       "numbers as numbers; text that looks like a formula is kept as text.",
           tags=["dossiers"], roles=READERS, query=DossierExportQuery,
           raw_content_type=XLSX_MIMETYPE)
def export_dossiers(query: DossierExportQuery):
    filters = ListFilters(q=query.q or "", state=query.state or "", award_id=query.award_id,
                          year=query.year, commendation_type=query.commendation_type or "",
                          batch_id=query.batch_id)
    return send_xlsx(f"ho-so-{today_vn():%Y%m%d}.xlsx",
                     [dossier_sheet(db.session, caller(), filters, current_locale())])
