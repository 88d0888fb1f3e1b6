"""Batches → response models (labels in the caller's language)."""

from __future__ import annotations

from workflow_app.api.presenters import summary_fields, unit_ref
from workflow_app.api.schemas.shared import Ref
from workflow_app.dossiers.api.schemas_batches import (
    BatchDocumentOut,
    BatchDossier,
    BatchOut,
    BatchSummary,
    Outcome,
)
from workflow_app.dossiers.service import batches as batch_service
from workflow_app.dossiers.service.access import is_editable
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.dossiers.service.labels import doc_type_label
from workflow_app.models.batch import BatchDocument, DossierBatch
from workflow_app.workflow.guards import missing_items


def _award_ref(batch: DossierBatch, locale: str) -> Ref:
    award = batch.award
    version = award.version_on(today_vn()) or (award.versions[0] if award.versions else None)
    return Ref(id=award.id, code=award.code, name=version.name(locale) if version else award.code)


def batch_summary(batch: DossierBatch, locale: str) -> BatchSummary:
    return BatchSummary(
        id=batch.id, title=batch.title, unit=unit_ref(batch.unit, locale),
        award=_award_ref(batch, locale), commendation_type=batch.commendation_type,
        year=batch.year, movement_reference=batch.movement_reference,
        created_at=batch.created_at)


def batch_document_out(document: BatchDocument) -> BatchDocumentOut:
    return BatchDocumentOut(
        id=document.id, doc_type=document.doc_type, filename=document.filename,
        size=document.size, mimetype=document.mimetype, sha256=document.sha256,
        uploaded_at=document.uploaded_at, doc_type_label=doc_type_label(document.doc_type))


def batch_out(session, batch: DossierBatch, locale: str) -> BatchOut:
    """The batch page: its dossiers (with what each still lacks) and shared documents."""
    dossiers = batch_service.batch_dossiers(session, batch)
    today = today_vn()
    return BatchOut(
        **batch_summary(batch, locale).model_dump(),
        dossiers=[BatchDossier(**summary_fields(d, locale),
                               missing=missing_items(d, today) if is_editable(d) else [])
                  for d in dossiers],
        documents=[batch_document_out(d) for d in batch.documents],
        document_types=batch_service.upload_document_types(dossiers))


def outcomes_out(outcomes: list[batch_service.Outcome]) -> list[Outcome]:
    return [Outcome(dossier_id=o.dossier.id, done=o.done, reason=o.reason) for o in outcomes]

