"""The dossier list as XLSX (issue 14 item 5): the list page's filters and scope, every
matching dossier (not one page), newest first, read in batches by key so memory stays
bounded; dates as dates, numbers as numbers, headers in the reader's language."""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import gettext as _
from sqlalchemy.orm import Session, selectinload

from workflow_app.dossiers.service.clock import clock_of
from workflow_app.dossiers.service.labels import commendation_type_label, state_label
from workflow_app.dossiers.service.queries import ListFilters, filtered
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.models.user import User
from workflow_app.workdays import local_date
from workflow_app.xlsx import Sheet

BATCH = 500


def award_name(dossier: Dossier, locale: str) -> str:
    version = dossier.award_version or (dossier.award.versions[-1]
                                        if dossier.award.versions else None)
    return version.name(locale) if version is not None else dossier.award.code


def dossier_rows(session: Session, user: User, filters: ListFilters,
                 locale: str) -> Iterator[list]:
    base = filtered(user, filters).options(
        selectinload(Dossier.nominee_person), selectinload(Dossier.nominee_unit),
        selectinload(Dossier.unit), selectinload(Dossier.award_version),
        selectinload(Dossier.award).selectinload(Award.versions))
    labels: dict[tuple, str] = {}  # the same few labels on every row: looked up once
    clocks: dict[tuple, object] = {}  # many dossiers share a step's start and carried days

    def clock(d: Dossier):
        key = (d.workflow, d.state, local_date(d.state_entered_at), d.step_days_carried)
        if key not in clocks:
            clocks[key] = clock_of(d)
        return clocks[key]

    def label(*key) -> str:
        if key not in labels:
            labels[key] = (state_label(key[1], key[2], locale) if key[0] == "state"
                           else commendation_type_label(key[1]) if key[0] == "type"
                           else str(_("Person") if key[1] else _("Collective")))
        return labels[key]

    last = None
    while True:
        query = base if last is None else base.where(Dossier.id < last)
        batch = list(session.scalars(query.order_by(Dossier.id.desc()).limit(BATCH)))
        for d in batch:
            yield [d.id, d.nominee_name, label("kind", d.nominee_person_id is not None),
                   d.unit.name, award_name(d, locale), label("type", d.commendation_type),
                   d.year, d.title, label("state", d.workflow, d.state),
                   local_date(d.received_at) if d.received_at else None,
                   local_date(d.state_entered_at), *_due(clock(d)),
                   d.decision_number or "", d.decision_date]
        if len(batch) < BATCH:
            return
        last = batch[-1].id  # the identity map holds rows weakly: written batches go


def _due(clock) -> tuple:
    """(due date while the step's clock runs, overdue) as the list's clock shows them."""
    if clock is None or not clock.running:
        return None, False
    return clock.due_on, clock.is_overdue


def dossier_sheet(session: Session, user: User, filters: ListFilters, locale: str) -> Sheet:
    return Sheet(_("Dossiers"), [
        _("Dossier number"), _("Nominee"), _("Individual or collective"), _("Submitting unit"),
        _("Award or title"), _("Commendation type"), _("Year"), _("Dossier title"), _("State"),
        _("Received on"), _("In this state since"), _("Due"), _("Overdue"),
        _("Decision number"), _("Decision date"),
    ], dossier_rows(session, user, filters, locale),
        widths=(8, 28, 12, 30, 30, 18, 8, 40, 24, 12, 12, 12, 8, 18, 12))
