"""Dossiers: the list (with the list page's filters), one dossier with its timeline, and the
body of a transition."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from workflow_app.api.pagination import PageQuery
from workflow_app.api.schemas.common import (
    NO_NUL,
    BodyInt,
    IsoDate,
    QueryId,
    QueryYear,
    RequestModel,
    ResponseModel,
)
from workflow_app.api.schemas.shared import ClockOut, DossierSummary
from workflow_app.models.catalogue import COMMENDATION_TYPES

CommendationType = Literal[COMMENDATION_TYPES]  # type: ignore[valid-type]


class DossierPage(ResponseModel):
    items: list[DossierSummary] = Field(description="Newest first (by id, descending).")
    next_cursor: str | None


class DossierQuery(PageQuery):
    """The filters of the dossier list page."""

    q: str | None = Field(None, max_length=200, pattern=NO_NUL,
                          description="Nominee, title or #id; accents optional.")
    state: str | None = Field(None, max_length=40, pattern="^[a-z_]+$")
    award_id: QueryId | None = None
    year: QueryYear | None = None
    commendation_type: CommendationType | None = None
    batch_id: QueryId | None = None


class DocumentOut(ResponseModel):
    id: int
    doc_type: str
    filename: str
    size: int
    mimetype: str
    sha256: str
    uploaded_at: datetime


class ActionOut(ResponseModel):
    trigger: str = Field(description="POST /dossiers/{id}/transitions/{trigger} fires it.")
    dest: str
    label: str
    reason_required: bool
    blocked_by: str | None = Field(description="Why a guard blocks it now (null: allowed).")


class TimelineEntry(ResponseModel):
    seq: int = Field(description="The audit event's sequence number.")
    occurred_at: datetime
    actor: str
    action: str = Field(description="Machine-readable, e.g. dossier.submit.")
    action_label: str
    from_state: str | None
    to_state: str | None
    reason: str
    details: list[str]


class DossierOut(DossierSummary):
    year_from: int | None
    summary: str
    movement_reference: str
    state_entered_at: datetime
    decision_number: str | None
    decision_date: date | None
    documents: list[DocumentOut] = Field(description="Current documents (removed ones are in "
                                                     "the timeline).")
    actions: list[ActionOut] = Field(description="Transitions the caller's roles allow now.")
    timeline: list[TimelineEntry] = Field(description="Newest first.")
    missing: list[str] = Field(description="What is still missing before the dossier can be "
                                           "sent (while it is a draft or returned).")
    clock: ClockOut | None = Field(description="The current step's clock; null: none.")


class TransitionIn(RequestModel):
    version: BodyInt = Field(ge=1, le=2_147_483_647, description="The dossier version you saw.")
    reason: str | None = Field(None, max_length=4000, pattern=NO_NUL)
    document_number: str | None = Field(None, max_length=60, pattern=NO_NUL, description=(
        "For transitions that record a decision or a tờ trình (e.g. 2307/QĐ-BTP)."))
    document_date: IsoDate | None = None
