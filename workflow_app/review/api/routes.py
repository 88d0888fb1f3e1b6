"""The reviewer's pages over the API: the appraisal queue, a dossier's checklist (read and
save), its public-disclosure comments and objections, and answers to objections — through
the same functions (`review.service.queue.load_queue`, `review.service.checklist`,
`disclosure.service.comments`).

Scoped like the review pages (`review.service.access.reviewable_dossier_or_404`): a dossier outside
the caller's reviewer grants, or still a draft, is a 404. Workflow actions (return, reject,
open disclosure, send to the council …) are the dossier transitions
(`POST /dossiers/{id}/transitions/{trigger}`), as the review page's buttons are.
"""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from workflow_app.api.auth import caller
from workflow_app.api.operations import operation
from workflow_app.api.pagination import decode_cursor, encode_cursor, keyset_page
from workflow_app.disclosure.service import comments as disclosure_service
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.base import utcnow
from workflow_app.models.disclosure import DisclosureComment
from workflow_app.models.org import OrgUnit
from workflow_app.review.api.presenters import (
    checklist_out,
    comment_out,
    disclosure_window,
    queue_item,
)
from workflow_app.review.api.schemas import (
    AnswerIn,
    ChecklistIn,
    ChecklistOut,
    CommentOut,
    CommentPage,
    CommentQuery,
    QueuePage,
    QueueQuery,
)
from workflow_app.review.service import checklist as review_service
from workflow_app.review.service.access import REVIEWER_ROLE, reviewable_dossier_or_404
from workflow_app.review.service.queue import URGENCY_KEY_MAX, QueueFilters, load_queue
from workflow_app.workdays import local_date
from workflow_app.workflow import get_registry
from workflow_app.workflow.engine import get_calendar

REVIEWERS = (REVIEWER_ROLE,)


def _filters(query: QueueQuery, unit: OrgUnit | None) -> QueueFilters:
    return QueueFilters(state=query.state, award_id=query.award_id, unit=unit,
                        overdue_only=query.overdue,
                        after=decode_cursor(query.cursor, URGENCY_KEY_MAX))


@operation("GET", "/review/queue", summary="The appraisal queue, most urgent first",
           description="The dossiers of the units your reviewer role covers in the states a "
                       "reviewer acts in (and the returned ones, waiting for their unit), "
                       "with each step's clock in working days. Same filters as the queue "
                       "page; as on the dossier list, a state outside the queue or a unit "
                       "outside your scope matches nothing.",
           tags=["review"], roles=REVIEWERS, query=QueueQuery, response=QueuePage)
def review_queue(query: QueueQuery) -> QueuePage:
    unit = db.session.get(OrgUnit, query.unit_id) if query.unit_id is not None else None
    if query.unit_id is not None and unit is None:
        return QueuePage(items=[], next_cursor=None, total=0, overdue=0, counts={})
    result = load_queue(db.session, caller(), get_registry(), _filters(query, unit),
                        now=utcnow(), calendar=get_calendar(), page_size=query.limit)
    locale = current_locale()
    return QueuePage(
        items=[queue_item(dossier, clock, locale) for dossier, clock in result.rows],
        next_cursor=encode_cursor(result.next_after) if result.next_after else None,
        total=result.total, overdue=result.overdue, counts=result.counts)


def _checklist(dossier, changed: list[str] | None = None) -> ChecklistOut:
    items = review_service.checklist_items(dossier, local_date(utcnow()))
    rows = review_service.checks_by_code(db.session, dossier)
    return checklist_out(dossier, items, rows, changed)


@operation("GET", "/review/dossiers/{dossier_id}/checklist", summary="A dossier's checklist",
           description="The documents its award's rule requires, then the general items, "
                       "each with what was saved (checked, note, by whom, when).",
           tags=["review"], roles=REVIEWERS, response=ChecklistOut, errors=[404])
def get_checklist(dossier_id: int) -> ChecklistOut:
    return _checklist(reviewable_dossier_or_404(db.session, caller(), dossier_id))


@operation("PUT", "/review/dossiers/{dossier_id}/checklist", summary="Save checklist items",
           description="Items left out keep their value; unchanged items write nothing; any "
                       "change is one audit event `review.checklist_saved` with the diff. "
                       "422 `input_invalid` for a code not on this dossier's checklist, 409 "
                       "`checklist_closed` once the procedure has ended.",
           tags=["review"], roles=REVIEWERS, request=ChecklistIn, response=ChecklistOut,
           errors=[404, 409])
def save_checklist(dossier_id: int, body: ChecklistIn) -> ChecklistOut:
    actor = caller()
    dossier = reviewable_dossier_or_404(db.session, actor, dossier_id)
    entries = {entry.code: (entry.checked, entry.note) for entry in body.items}
    changes = review_service.save_checklist(db.session, dossier, actor, entries)
    return _checklist(dossier, sorted(changes))


@operation("GET", "/review/dossiers/{dossier_id}/comments",
           summary="Public-disclosure comments and objections on a dossier",
           description="Readable by the reviewers responsible for the dossier's unit, as on "
                       "the review page (with the senders' contact details, which are never "
                       "published), and the disclosure window.",
           tags=["review", "disclosure"], roles=REVIEWERS, query=CommentQuery,
           response=CommentPage, errors=[404])
def list_comments(dossier_id: int, query: CommentQuery) -> CommentPage:
    dossier = reviewable_dossier_or_404(db.session, caller(), dossier_id)
    statement = select(DisclosureComment).where(DisclosureComment.dossier_id == dossier.id)
    if query.kind:
        statement = statement.where(DisclosureComment.kind == query.kind)
    if query.unanswered:
        statement = statement.where(DisclosureComment.kind == "objection",
                                    DisclosureComment.answered_at.is_(None))
    rows, next_cursor = keyset_page(db.session, statement, DisclosureComment.id, query)
    return CommentPage(disclosure=disclosure_window(dossier, local_date(utcnow())),
                       items=[comment_out(c) for c in rows], next_cursor=next_cursor)


@operation("POST", "/review/dossiers/{dossier_id}/objections/{comment_id}/answer",
           summary="Answer an objection",
           description="Once, by a reviewer over the dossier's unit: 409 `already_answered` "
                       "after that, 422 `input_invalid` for a comment that is not an "
                       "objection, 404 for a comment of another dossier. Lowers "
                       "`open_objection_count` and bumps the dossier's version; audited as "
                       "`disclosure.objection_answered`.",
           tags=["review", "disclosure"], roles=REVIEWERS, request=AnswerIn,
           response=CommentOut, errors=[404, 409])
def answer_objection(dossier_id: int, comment_id: int, body: AnswerIn) -> CommentOut:
    actor = caller()
    dossier = reviewable_dossier_or_404(db.session, actor, dossier_id)
    comment = db.session.get(DisclosureComment, comment_id)
    if comment is None or comment.dossier_id != dossier.id:
        abort(404)
    comment = disclosure_service.answer_objection(db.session, dossier, comment_id, actor,
                                                  body.answer)
    return comment_out(comment)
