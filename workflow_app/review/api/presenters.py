"""Review queue rows, checklists, comments and public nominations → response models."""

from __future__ import annotations

from datetime import date

from workflow_app.api.presenters import clock_out, summary_fields
from workflow_app.disclosure.service import comments as disclosure_service
from workflow_app.disclosure.service.queries import window_working_days
from workflow_app.models.disclosure import DisclosureComment
from workflow_app.models.dossier import Dossier
from workflow_app.models.review import ReviewCheck
from workflow_app.review.api.schemas import (
    ChecklistItemOut,
    ChecklistOut,
    CommentOut,
    DisclosureWindow,
    QueueItem,
)
from workflow_app.review.service.checklist import CheckItem
from workflow_app.workflow import StepClock, definition_of


def queue_item(dossier: Dossier, clock: StepClock | None, locale: str) -> QueueItem:
    return QueueItem(**summary_fields(dossier, locale), clock=clock_out(clock))


def checklist_out(dossier: Dossier, items: list[CheckItem], rows: dict[str, ReviewCheck],
                  changed: list[str] | None = None) -> ChecklistOut:
    def item_out(item: CheckItem) -> ChecklistItemOut:
        row = rows.get(item.code)
        return ChecklistItemOut(
            code=item.code, label=item.label, source=item.source,
            document_present=item.present, checked=bool(row and row.checked),
            note=row.note if row else "", updated_at=row.updated_at if row else None,
            updated_by=row.updated_by.display_name if row and row.updated_by else None)

    return ChecklistOut(dossier_id=dossier.id,
                        closed=definition_of(dossier).state(dossier.state).terminal,
                        items=[item_out(item) for item in items], changed=changed or [])


def comment_out(comment: DisclosureComment) -> CommentOut:
    return CommentOut(
        id=comment.id, kind=comment.kind, body=comment.body, author_name=comment.author_name,
        author_contact=comment.author_contact, created_at=comment.created_at,
        answer=comment.answer, answered_at=comment.answered_at,
        answered_by=comment.answered_by.display_name if comment.answered_by else None)


def disclosure_window(dossier: Dossier, today: date) -> DisclosureWindow:
    return DisclosureWindow(
        under_disclosure=disclosure_service.is_under_disclosure(dossier),
        window_open=disclosure_service.window_is_open(dossier, today),
        started_on=dossier.disclosure_started_on, ends_on=dossier.disclosure_ends_on,
        working_days=window_working_days(dossier),
        open_objection_count=dossier.open_objection_count)


