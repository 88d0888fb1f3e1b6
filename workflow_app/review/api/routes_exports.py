"""The appraisal queue as XLSX over the API: the queue's filters, scope and order, every row
(`review.service.exports`)."""

from __future__ import annotations

from workflow_app.api.auth import caller
from workflow_app.api.operations import operation
from workflow_app.downloads import XLSX_MIMETYPE, send_xlsx
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.base import utcnow
from workflow_app.models.org import OrgUnit
from workflow_app.review.api.schemas_exports import QueueExportQuery
from workflow_app.review.service.exports import queue_sheet
from workflow_app.review.service.queue import QueueFilters
from workflow_app.workdays import local_date
from workflow_app.workflow import get_registry
from workflow_app.workflow.engine import get_calendar

REVIEWERS = ("reviewer",)


@operation("GET", "/review/queue/export", summary="The appraisal queue as XLSX",
           description="Every dossier of the queue under these filters (all pages), most "
                       "urgent first, with each step's working days, limit and due date.",
           tags=["review"], roles=REVIEWERS, query=QueueExportQuery,
           raw_content_type=XLSX_MIMETYPE)
def export_review_queue(query: QueueExportQuery):
    unit = db.session.get(OrgUnit, query.unit_id) if query.unit_id is not None else None
    filters = QueueFilters(state=query.state, award_id=query.award_id,
                           unit=unit if unit is not None else None,
                           overdue_only=query.overdue)
    if query.unit_id is not None and unit is None:
        filters = QueueFilters(state="-")  # a unit that does not exist: an empty sheet
    now = utcnow()
    return send_xlsx(f"thu-tu-tham-dinh-{local_date(now):%Y%m%d}.xlsx", [queue_sheet(
        db.session, caller(), get_registry(), filters, now=now, calendar=get_calendar(),
        locale=current_locale())])
