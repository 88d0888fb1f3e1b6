"""A dossier's documents: the list, one document, and the upload form."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from workflow_app.api.pagination import PageQuery
from workflow_app.api.schemas.common import FormModel, ResponseModel
from workflow_app.dossiers.api.schemas import DocumentOut

# What an upload may be (judged by content, not by name) and what a download answers with.
DOWNLOAD_TYPES = (
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "image/jpeg",
    "image/png",
    "application/octet-stream",
)


class DossierDocumentOut(DocumentOut):
    doc_type_label: str
    batch_document_id: int | None = Field(
        description="Set when the document is a copy of a batch's shared document.")
    removed_at: datetime | None = Field(description="Removed documents stay as history.")


class DocumentPage(ResponseModel):
    items: list[DossierDocumentOut] = Field(description="Oldest first (by id).")
    next_cursor: str | None


class DocumentQuery(PageQuery):
    include_removed: bool = Field(False, description="Also the removed documents.")


class UploadForm(FormModel):
    """The text part of an upload; the file goes in the part named `file`."""

    doc_type: str = Field(min_length=1, max_length=40, pattern="^[A-Z0-9_]+$", description=(
        "The document type, e.g. TO_TRINH, BAO_CAO_THANH_TICH: one the dossier's award "
        "asks for, or another submitter document type."))
