"""Batches: one covering letter (tờ trình) proposing several nominees, each its own dossier."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from workflow_app.api.schemas.common import NO_NUL, BodyId, BodyYear, RequestModel, ResponseModel
from workflow_app.api.schemas.shared import DossierSummary, Ref
from workflow_app.dossiers.api.schemas import CommendationType, DocumentOut
from workflow_app.dossiers.service import fields as limits
from workflow_app.dossiers.service.batches import MAX_NOMINEES


class BatchSummary(ResponseModel):
    id: int
    title: str
    unit: Ref = Field(description="The submitting unit.")
    award: Ref
    commendation_type: str
    year: int
    movement_reference: str
    created_at: datetime


class BatchPage(ResponseModel):
    items: list[BatchSummary] = Field(description="Newest first (by id, descending).")
    next_cursor: str | None


class BatchDossier(DossierSummary):
    missing: list[str] = Field(description="What it still lacks (while with the unit).")


class BatchDocumentOut(DocumentOut):
    doc_type_label: str


class BatchOut(BatchSummary):
    dossiers: list[BatchDossier]
    documents: list[BatchDocumentOut] = Field(description="The shared documents (current).")
    document_types: list[str] = Field(
        description="The `doc_type` values a shared upload accepts.")


class BatchIn(RequestModel):
    """A batch and one draft dossier per nominee (at least one person or unit)."""

    unit_id: BodyId = Field(description="The submitting unit: one your submitter role covers.")
    title: str = Field(min_length=1, max_length=limits.TITLE_MAX, pattern=NO_NUL,
                       description="Title of the covering letter (tờ trình).")
    award_id: BodyId = Field(description="An award in force today.")
    commendation_type: CommendationType
    year: BodyYear
    movement_reference: str = Field("", max_length=limits.MOVEMENT_MAX, pattern=NO_NUL)
    person_ids: list[BodyId] = Field(default_factory=list, max_length=MAX_NOMINEES,
                                     description="People of the submitting unit.")
    unit_ids: list[BodyId] = Field(default_factory=list, max_length=MAX_NOMINEES,
                                   description="Collectives within the submitting unit.")


class Outcome(ResponseModel):
    dossier_id: int
    done: bool
    reason: str = Field(description="Why it was left as it was (empty when done).")


class BatchUploadOut(ResponseModel):
    document: BatchDocumentOut
    outcomes: list[Outcome] = Field(description="Per dossier: copied, or why not.")


class BatchOutcomes(ResponseModel):
    outcomes: list[Outcome] = Field(description="Per dossier: done, or why not.")
