"""A dossier's documents: list, upload (multipart, judged by content), download, remove —
the dossier page's document section, through the same services (`add_document`,
`remove_document`) and the same download checks (`send_stored`: the stored bytes must still
match their SHA-256; always an attachment, with `nosniff`)."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from workflow_app.api.auth import caller
from workflow_app.api.operations import operation
from workflow_app.api.pagination import keyset_page
from workflow_app.attachments.storage import ATTACHMENTS, app_storage
from workflow_app.config import current_config
from workflow_app.dossiers.api.presenters import document_out
from workflow_app.dossiers.api.routes import READERS
from workflow_app.dossiers.api.schemas_documents import (
    DOWNLOAD_TYPES,
    DocumentPage,
    DocumentQuery,
    DossierDocumentOut,
    UploadForm,
)
from workflow_app.dossiers.service import documents as attachments
from workflow_app.dossiers.service.access import EDITOR_ROLES, visible_dossier_or_404
from workflow_app.dossiers.service.documents import add_document
from workflow_app.downloads import send_stored
from workflow_app.extensions import db
from workflow_app.models.dossier import DossierDocument


@operation("GET", "/dossiers/{dossier_id}/documents", summary="A dossier's documents",
           description="The current documents, oldest first; `include_removed=true` adds "
                       "the removed ones (kept as history, with `removed_at`).",
           tags=["documents"], roles=READERS, query=DocumentQuery, response=DocumentPage,
           errors=[404])
def list_documents(dossier_id: int, query: DocumentQuery) -> DocumentPage:
    dossier = visible_dossier_or_404(db.session, caller(), dossier_id)
    statement = select(DossierDocument).where(DossierDocument.dossier_id == dossier.id)
    if not query.include_removed:
        statement = statement.where(DossierDocument.removed_at.is_(None))
    rows, next_cursor = keyset_page(db.session, statement, DossierDocument.id, query)
    return DocumentPage(items=[document_out(d) for d in rows], next_cursor=next_cursor)


@operation("POST", "/dossiers/{dossier_id}/documents", summary="Upload a document",
           description="`multipart/form-data` with `doc_type` and the file in `file` (PDF, "
                       "DOCX, XLSX, JPEG or PNG, judged by content, not by name). Refused "
                       "before anything is stored: 413 `too_large` / `file_too_large` over "
                       "the size limit, 422 `file_rejected` for another type or an empty "
                       "file, 409 `not_editable` once the dossier was sent. The dossier's "
                       "version goes up by one.",
           tags=["documents"], roles=EDITOR_ROLES, form=UploadForm, files=("file",),
           response=DossierDocumentOut, status=201, errors=[404, 409])
def upload_document(dossier_id: int, form: UploadForm,
                    files: dict[str, FileStorage]) -> DossierDocumentOut:
    actor = caller()
    dossier = visible_dossier_or_404(db.session, actor, dossier_id)
    incoming = files["file"]
    document = add_document(db.session, dossier, actor, doc_type=form.doc_type,
                            filename=incoming.filename or "", data=incoming.read(),
                            storage=app_storage(ATTACHMENTS),
                            max_size=current_config().max_content_length)
    return document_out(document)


@operation("GET", "/dossiers/{dossier_id}/documents/{document_id}",
           summary="Download a document",
           description="The file, as an attachment, with its detected type (removed "
                       "documents too: they are history).",
           tags=["documents"], roles=READERS, errors=[404], raw_content_type=DOWNLOAD_TYPES)
def download_document(dossier_id: int, document_id: int):
    dossier = visible_dossier_or_404(db.session, caller(), dossier_id)
    document = next((d for d in dossier.document_history if d.id == document_id), None)
    if document is None:
        abort(404)
    return send_stored(ATTACHMENTS, document.sha256, document.filename, document.mimetype)


@operation("DELETE", "/dossiers/{dossier_id}/documents/{document_id}",
           summary="Remove a document",
           description="The document stays in the dossier's history (`removed_at`); the "
                       "dossier's version goes up by one. 404 when it is not a current "
                       "document of the dossier.",
           tags=["documents"], roles=EDITOR_ROLES, response=DossierDocumentOut,
           errors=[404, 409])
def remove_document(dossier_id: int, document_id: int) -> DossierDocumentOut:
    actor = caller()
    dossier = visible_dossier_or_404(db.session, actor, dossier_id)
    attachments.remove_document(db.session, dossier, document_id, actor)
    return document_out(db.session.get(DossierDocument, document_id))
