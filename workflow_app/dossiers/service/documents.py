"""Adding and removing a dossier's documents. Services flush, never commit; audited.

An upload is refused — before anything is stored or recorded — when it is empty, larger than
the limit (413), not one of the accepted types judged by its content (PDF, DOCX, XLSX, JPEG,
PNG; `attachments.sniff.detect`), or of a document type not offered for the dossier (422).
An accepted file is stored once under its SHA-256 outside the web root; its display name is
cleaned of any path and given the extension of its real type. Adding or removing a document
locks the dossier, bumps its version and writes `dossier.document_added` /
`dossier.document_removed` with the file's hash. Removal keeps the row (`removed_at`).

The page sends several files at once (`add_documents`: several types, several files per
type): every file is checked first, and when any is refused none is kept, each refusal
named with its file. The same content attached twice is accepted with a warning.

The file is written before the transaction commits; if the transaction then rolls back, the
stored bytes stay behind unreferenced (named by their hash, never served without a row).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from workflow_app.attachments.names import clean_filename
from workflow_app.attachments.sniff import FileType, detect
from workflow_app.attachments.storage import Storage
from workflow_app.audit.chain import record
from workflow_app.dossiers.service.access import is_editable, may_submit_for
from workflow_app.dossiers.service.dossiers import NotEditable, today_vn
from workflow_app.dossiers.service.labels import SUBMITTER_DOCUMENT_TYPES, doc_type_label
from workflow_app.models.base import utcnow
from workflow_app.models.dossier import Dossier, DossierDocument
from workflow_app.models.user import User
from workflow_app.workflow import Forbidden, lock_dossier
from workflow_app.workflow.errors import WorkflowError
from workflow_app.workflow.guards import required_documents


class FileTooLarge(WorkflowError):
    code = 413
    default_message = _l("The file is larger than allowed.")


class FileRejected(WorkflowError):
    code = 422
    default_message = _l("The file was not accepted.")


class FilesRefused(WorkflowError):
    """One or more files of a sending were refused: none of the sending was kept.
    `refusals` says which file and why, one line each."""

    code = 422
    default_message = _l("No document was added: a file was refused (see the list).")

    def __init__(self, refusals: list[Refusal]) -> None:
        super().__init__()
        self.refusals = refusals
        if refusals and all(r.too_large for r in refusals):
            self.code = 413


class DocumentGone(WorkflowError):
    code = 404
    default_message = _l("This document does not exist or was already removed.")


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed every check: its real type and its clean display name."""

    data: bytes
    filetype: FileType
    filename: str


@dataclass(frozen=True)
class Incoming:
    """One file of a sending, as the form gave it: the type chosen for it, its name, bytes."""

    doc_type: str
    filename: str
    data: bytes


@dataclass(frozen=True)
class Refusal:
    """Why one file of a sending was refused."""

    doc_type: str
    filename: str
    message: str
    too_large: bool = False


@dataclass
class Added:
    """What a sending attached, and what the submitter should know about it (the same file
    attached under another type, or twice)."""

    documents: list[DossierDocument] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def document_types_for(dossier: Dossier) -> list[str]:
    """Codes offered for upload: those the rule requires first, then the others."""
    version = dossier.rule_version(today_vn())
    required = required_documents(dossier, version) if version is not None else []
    return required + [code for code in SUBMITTER_DOCUMENT_TYPES if code not in required]


def check_upload(data: bytes, filename: str, max_size: int) -> CheckedFile:
    """Judge an upload by its size and content. Raises FileTooLarge or FileRejected."""
    if not data:
        raise FileRejected(_l("The file is empty."))
    if len(data) > max_size:
        raise FileTooLarge(_l("The file is larger than the limit of %(mb)s MB.",
                              mb=f"{max_size / (1024 * 1024):g}"))
    filetype = detect(data)
    if filetype is None:
        raise FileRejected(_l(
            "This file is not a PDF, Word (DOCX), Excel (XLSX), JPEG or PNG document. "
            "The type is judged from the file's content, not from its name."))
    return CheckedFile(data, filetype, clean_filename(filename, filetype.extension))


def _check_editor(dossier: Dossier, actor: User) -> None:
    if not may_submit_for(actor, dossier.unit):
        raise Forbidden()
    if not is_editable(dossier):
        raise NotEditable()


def attach(session: Session, dossier: Dossier, actor: User, *, doc_type: str, sha256: str,
           filename: str, size: int, mimetype: str,
           batch_document_id: int | None = None) -> DossierDocument:
    """Attach an already stored file to a locked, editable dossier; bump the version; audit."""
    document = DossierDocument(doc_type=doc_type, sha256=sha256, filename=filename, size=size,
                               mimetype=mimetype, uploaded_by_id=actor.id,
                               batch_document_id=batch_document_id)
    dossier.documents.append(document)
    dossier.version += 1
    session.flush()
    record(session, "dossier.document_added", "dossier", dossier.id, actor=actor, data={
        "document_id": document.id, "doc_type": doc_type, "filename": filename,
        "sha256": sha256, "size": size, "mimetype": mimetype,
        "batch_document_id": batch_document_id, "version": dossier.version,
    })
    return document


def add_document(session: Session, dossier: Dossier, actor: User, *, doc_type: str,
                 filename: str, data: bytes, storage: Storage, max_size: int) -> DossierDocument:
    """Check, store and attach one uploaded file. Raises before storing anything when the
    actor, the dossier's state, the document type or the file is not acceptable."""
    lock_dossier(session, dossier, None)
    _check_editor(dossier, actor)
    if doc_type not in document_types_for(dossier):
        raise FileRejected(_l("Choose the document's type from the list."))
    checked = check_upload(data, filename, max_size)
    sha256 = storage.put(checked.data)
    return attach(session, dossier, actor, doc_type=doc_type, sha256=sha256,
                  filename=checked.filename, size=len(checked.data),
                  mimetype=checked.filetype.mimetype)


def _same_file_warnings(dossier: Dossier, checked: list[tuple[str, CheckedFile, str]]
                        ) -> list[str]:
    """A word for each file whose content (SHA-256) is already among the dossier's current
    documents or earlier in the same sending: accepted, but rarely what was meant."""
    seen = [(d.sha256, d.doc_type, d.filename) for d in dossier.documents]
    warnings = []
    for doc_type, file, sha256 in checked:
        for other_sha, other_type, other_name in seen:
            if other_sha != sha256:
                continue
            if other_type == doc_type:
                warnings.append(str(_l(
                    "“%(name)s” is the same file as “%(other)s”, already attached as "
                    "%(type)s.", name=file.filename, other=other_name,
                    type=doc_type_label(other_type))))
            else:
                warnings.append(str(_l(
                    "“%(name)s” (%(type)s) is the same file as “%(other)s”, attached as "
                    "%(other_type)s. Check that each document type has its own document.",
                    name=file.filename, type=doc_type_label(doc_type), other=other_name,
                    other_type=doc_type_label(other_type))))
            break
        seen.append((sha256, doc_type, file.filename))
    return warnings


def add_documents(session: Session, dossier: Dossier, actor: User, files: Sequence[Incoming],
                  *, storage: Storage, max_size: int) -> Added:
    """Check every file of a sending (several types, several files per type), then store
    and attach them all; or, when any is refused, keep none (`FilesRefused`, each refusal
    named). A file whose content is already attached (under any type) is accepted with a
    warning."""
    lock_dossier(session, dossier, None)
    _check_editor(dossier, actor)
    if not files:
        raise FileRejected(_l("Choose at least one file."))
    offered = set(document_types_for(dossier))
    checked: list[tuple[str, CheckedFile, str]] = []
    refusals: list[Refusal] = []
    for item in files:
        if item.doc_type not in offered:
            refusals.append(Refusal(item.doc_type, item.filename,
                                    str(_l("Choose the document's type from the list."))))
            continue
        try:
            file = check_upload(item.data, item.filename, max_size)
        except WorkflowError as error:
            refusals.append(Refusal(item.doc_type, item.filename, str(error.description),
                                    too_large=isinstance(error, FileTooLarge)))
            continue
        checked.append((item.doc_type, file, hashlib.sha256(file.data).hexdigest()))
    if refusals:
        raise FilesRefused(refusals)
    added = Added(warnings=_same_file_warnings(dossier, checked))
    for doc_type, file, _sha in checked:
        sha256 = storage.put(file.data)
        added.documents.append(attach(
            session, dossier, actor, doc_type=doc_type, sha256=sha256, filename=file.filename,
            size=len(file.data), mimetype=file.filetype.mimetype))
    return added


def detach(session: Session, dossier: Dossier, document: DossierDocument, actor: User) -> None:
    """Mark a current document of a locked, editable dossier removed; bump; audit."""
    document.removed_at = utcnow()
    document.removed_by_id = actor.id
    dossier.version += 1
    session.flush()
    session.expire(dossier, ["documents"])
    record(session, "dossier.document_removed", "dossier", dossier.id, actor=actor, data={
        "document_id": document.id, "doc_type": document.doc_type,
        "filename": document.filename, "sha256": document.sha256,
        "batch_document_id": document.batch_document_id, "version": dossier.version,
    })


def remove_document(session: Session, dossier: Dossier, document_id: int, actor: User) -> None:
    """Remove one of the dossier's current documents (the row and the file are kept)."""
    lock_dossier(session, dossier, None)
    _check_editor(dossier, actor)
    document = session.get(DossierDocument, document_id)
    if document is None or document.dossier_id != dossier.id or document.is_removed:
        raise DocumentGone()
    detach(session, dossier, document, actor)
