"""The reviewer's work: the appraisal queue, the checklist, and answers to objections."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from workflow_app.api.pagination import PageQuery
from workflow_app.api.schemas.common import NO_NUL, QueryId, RequestModel, ResponseModel
from workflow_app.api.schemas.shared import ClockOut, DossierSummary
from workflow_app.disclosure.service.comments import MAX_ANSWER_TEXT
from workflow_app.models.review import MAX_CHECK_NOTE


class QueueQuery(PageQuery):
    """The queue page's filters."""

    state: str | None = Field(None, max_length=40, pattern="^[a-z_]+$",
                              description="One of the queue's states (see `counts`).")
    award_id: QueryId | None = None
    unit_id: QueryId | None = Field(None, description="A unit your reviewer role covers "
                                                      "(with its sub-units).")
    overdue: bool = Field(False, description="Only dossiers past their step's limit.")


class QueueItem(DossierSummary):
    clock: ClockOut | None


class QueuePage(ResponseModel):
    items: list[QueueItem] = Field(description="Most urgent first: overdue, then by due "
                                               "date; no limit, then paused, last.")
    next_cursor: str | None
    total: int = Field(description="Dossiers matching the filters.")
    overdue: int = Field(description="Overdue among them (before the `overdue` filter).")
    counts: dict[str, int] = Field(description="Per state, under every filter but `state` "
                                               "and `overdue`.")


class ChecklistItemOut(ResponseModel):
    code: str = Field(description="DOC:<document type> or GEN:<code>.")
    label: str
    source: str = Field(description="Where the item comes from (legal basis, or "
                                    "configurable).")
    document_present: bool | None = Field(
        description="For document items: whether such a document is attached.")
    checked: bool
    note: str
    updated_at: datetime | None
    updated_by: str | None


class ChecklistOut(ResponseModel):
    dossier_id: int
    closed: bool = Field(description="The procedure has ended: the checklist cannot change.")
    items: list[ChecklistItemOut]
    changed: list[str] = Field(default_factory=list,
                               description="After a save: the codes that changed.")


class ChecklistEntryIn(RequestModel):
    code: str = Field(min_length=1, max_length=60, pattern=NO_NUL)
    checked: bool
    note: str = Field("", max_length=MAX_CHECK_NOTE, pattern=NO_NUL)


class ChecklistIn(RequestModel):
    """The items to save; items left out keep their value."""

    items: list[ChecklistEntryIn] = Field(max_length=100)


class CommentOut(ResponseModel):
    id: int
    kind: Literal["comment", "objection"]
    body: str
    author_name: str
    author_contact: str = Field(description="Seen only by reviewers; never published.")
    created_at: datetime
    answer: str | None
    answered_at: datetime | None
    answered_by: str | None


class DisclosureWindow(ResponseModel):
    under_disclosure: bool
    window_open: bool = Field(description="Comments are accepted today.")
    started_on: date | None
    ends_on: date | None
    working_days: int | None
    open_objection_count: int = Field(description="Objections still to answer; the dossier "
                                                  "cannot move on before.")


class CommentPage(ResponseModel):
    disclosure: DisclosureWindow
    items: list[CommentOut] = Field(description="Oldest first (by id).")
    next_cursor: str | None


class CommentQuery(PageQuery):
    kind: Literal["comment", "objection"] | None = None
    unanswered: bool = Field(False, description="Only objections not answered yet.")


class AnswerIn(RequestModel):
    answer: str = Field(min_length=1, max_length=MAX_ANSWER_TEXT, pattern=NO_NUL)
