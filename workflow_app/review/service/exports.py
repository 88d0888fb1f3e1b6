"""The appraisal queue as XLSX (issue 14 item 5): the queue page's filters and scope, every
row in its urgency order (overdue first, then by due date), with each step's clock."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from workflow_app.dossiers.service.exports import award_name
from workflow_app.dossiers.service.labels import state_label
from workflow_app.models.user import User
from workflow_app.review.service.queue import QueueFilters, every_row
from workflow_app.workdays import WorkCalendar, local_date
from workflow_app.workflow import WorkflowRegistry
from workflow_app.xlsx import Sheet


def queue_sheet(session: Session, user: User, registry: WorkflowRegistry,
                filters: QueueFilters, *, now: datetime, calendar: WorkCalendar,
                locale: str) -> Sheet:
    def rows():
        for dossier, clock in every_row(session, user, registry, filters, now=now,
                                        calendar=calendar):
            running = clock is not None and clock.running
            yield [dossier.id, dossier.nominee_name, dossier.unit.name,
                   award_name(dossier, locale), dossier.year,
                   state_label(dossier.workflow, dossier.state, locale),
                   local_date(dossier.received_at) if dossier.received_at else None,
                   clock.used_days if clock is not None else None,
                   clock.limit_days if clock is not None else None,
                   clock.due_on if running else None,
                   bool(clock is not None and clock.is_overdue)]

    return Sheet(_("Appraisal queue"), [
        _("Dossier number"), _("Nominee"), _("Submitting unit"), _("Award or title"), _("Year"),
        _("State"), _("Received on"), _("Working days used"), _("Limit (working days)"),
        _("Due"), _("Overdue"),
    ], rows(), widths=(8, 28, 30, 30, 8, 24, 12, 10, 10, 12, 8))
