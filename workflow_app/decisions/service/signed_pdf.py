"""Recording the digitally signed PDF of an issued document (issue 20 item 1): an award
decision or a tờ trình.

The issuing unit's signer downloads the issued PDF, signs it with their token outside the
application and uploads the signed file (a signing act: re-authentication first, in the
page or the operation). `record_signed_pdf` finds the PDF's hash in the audit event that
issued the document, checks it against the row and the stored bytes, validates the upload
(`pades.validate`) and, only when every check passes, stores it, writes the `SignedPdf` row
and the `<kind>.signed_pdf_recorded` audit event (file hash, the hash of the PDF it signs,
signer's certificate subject, serial and issuer, signing time, the validation result)
in the caller's transaction. From then on the signed file is the document of record: the PDF
download serves it. Any refusal raises `pades.SignatureRefused` and writes nothing.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflow_app.attachments.storage import Storage
from workflow_app.audit.chain import record
from workflow_app.decisions.service import forwarding, issue, pades, trust_roots
from workflow_app.decisions.service.pades import SignatureRefused
from workflow_app.models.audit import AuditEvent
from workflow_app.models.decision import Decision, SubmissionLetter
from workflow_app.models.signature import SignedPdf
from workflow_app.models.user import User

# kind → (model, audit subject type, the action that issued it)
KINDS = {
    "decision": (Decision, "decision", "decision.issued"),
    "submission": (SubmissionLetter, "submission_letter", "submission.issued"),
}
# Who records the signed file: the role that issued the document, over its issuing unit.
ALREADY_SIGNED = _l("A signed PDF is already recorded for this document.")
UPLOADER_ROLES = {"decision": issue.ROLE, "submission": forwarding.ROLE}


def kind_of(document) -> str:
    return "decision" if isinstance(document, Decision) else "submission"


def signed_of(session: Session, document) -> SignedPdf | None:
    return session.scalar(select(SignedPdf).where(
        SignedPdf.document_kind == kind_of(document), SignedPdf.document_id == document.id))


def may_upload(user: User | None, document) -> bool:
    """Those who may issue such a document for its issuing unit record the signed file
    (signers for a decision, reviewers for a tờ trình)."""
    return bool(getattr(user, "is_active", False)) and \
        user.can_see_unit(document.issuer, UPLOADER_ROLES[kind_of(document)])


def issued_hash(session: Session, document) -> str:
    """The PDF's SHA-256 as the audit event that issued the document recorded it."""
    _model, subject_type, action = KINDS[kind_of(document)]
    event = session.scalar(select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.subject_type == subject_type,
        AuditEvent.subject_id == str(document.id)).order_by(AuditEvent.seq).limit(1))
    recorded = (event.data or {}).get("pdf_sha256") if event is not None else None
    if not recorded or recorded != document.pdf_sha256:
        raise SignatureRefused("audit_mismatch", _l(
            "The issued PDF's fingerprint in the audit trail does not match this document: "
            "the signed file cannot be compared with it. Ask an auditor to check the audit "
            "trail."))
    return recorded


def issued_bytes(session: Session, document, storage: Storage) -> bytes:
    """The PDF as issued: the stored bytes whose hash the audit trail recorded."""
    issued_sha = issued_hash(session, document)
    try:
        issued = storage.get(issued_sha)
    except (OSError, ValueError):
        issued = b""
    if hashlib.sha256(issued).hexdigest() != issued_sha:
        raise SignatureRefused("issued_missing", _l(
            "The issued PDF is missing from the document store or no longer matches its "
            "fingerprint."))
    return issued


def record_signed_pdf(session: Session, user: User, document, data: bytes, storage: Storage,
                      now: datetime, allowed_hosts: tuple[str, ...] | None = None) -> SignedPdf:
    """Validate and record the signed PDF (see the module docstring)."""
    if signed_of(session, document) is not None:
        raise SignatureRefused("already_signed", ALREADY_SIGNED)
    issued_sha = issued_hash(session, document)
    issued = issued_bytes(session, document, storage)
    roots, intermediates = trust_roots.configured(session)
    validation = pades.validate(data, issued, roots=roots, intermediates=intermediates,
                                not_before=document.issued_at, now=now,
                                allowed_hosts=allowed_hosts)
    sha256 = storage.put(data)
    signer = validation.signer
    kind = kind_of(document)
    row = SignedPdf(
        document_kind=kind, document_id=document.id, sha256=sha256, issued_sha256=issued_sha,
        size=len(data), signer_subject=signer.subject[:1000], signer_serial=signer.serial[:80],
        signer_issuer=signer.issuer[:1000], signed_at=signer.signed_at,
        revocation=validation.revocation, validation=validation.as_record(),
        uploaded_by_id=user.id, uploaded_at=now)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:  # another upload for this document committed meanwhile
        raise SignatureRefused("already_signed", ALREADY_SIGNED) from None
    subject_type = KINDS[kind][1]
    record(session,
           "decision.signed_pdf_recorded" if kind == "decision"
           else "submission.signed_pdf_recorded",
           subject_type, document.id, actor=user, data={
               "reference": document.reference, "signed_pdf_sha256": sha256,
               "issued_pdf_sha256": issued_sha, "size": len(data),
               "signer_subject": row.signer_subject, "signer_serial": row.signer_serial,
               "signer_issuer": row.signer_issuer,
               "signed_at": row.signed_at.isoformat(), "validation": row.validation})
    return row


def pdf_of_record(session: Session, document) -> str:
    """The SHA-256 of the document's PDF of record: the signed one once recorded."""
    signed = signed_of(session, document)
    return signed.sha256 if signed is not None else document.pdf_sha256
