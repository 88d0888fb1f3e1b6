"""The digitally signed PDF of an issued decision or tờ trình over the API, as on the
document's page (`decisions/views/routes_signed.py`), through the same service
(`decisions.service.signed_pdf`).

Upload: `multipart/form-data` with the signed file in `file` and your password in `password`
(a signing act). A refusal of the file is 422 `signature_refused`, naming the failed check in
`details` (`not_pdf`, `no_signature`, `not_the_issued_pdf`, `modified`, `not_intact`,
`untrusted`, `not_valid_at_signing_time`, `revoked`, …); a document already signed is 409
`already_signed`. Nothing is recorded on any refusal.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage

from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.operations import operation
from workflow_app.api.reauth import require_reauth
from workflow_app.api.schemas.common import ReauthIn
from workflow_app.attachments.storage import DOCUMENTS, app_storage
from workflow_app.config import current_config
from workflow_app.decisions.api.schemas_signed import (
    PdfSignatureOut,
    SignedPdfOut,
    SignedPdfStatus,
    SignedPdfUpload,
)
from workflow_app.decisions.service import access, agency_signing, forwarding, issue, signed_pdf
from workflow_app.decisions.service.pades import SignatureRefused
from workflow_app.extensions import db
from workflow_app.models.base import utcnow
from workflow_app.models.decision import Decision, SubmissionLetter
from workflow_app.models.signature import SignedPdf

TAGS = ["decisions"]
REVOCATION_TEXTS = {
    "good": lambda: _("Checked with the certification authority (OCSP or CRL): not revoked."),
    "no_source": lambda: _("Could not be checked: the certificate names no OCSP or CRL "
                           "address."),
    "unchecked": lambda: _("Could not be checked: the OCSP or CRL address is not on the list "
                           "of allowed hosts, could not be reached or gave no usable answer."),
}


def signed_out(row: SignedPdf) -> SignedPdfOut:
    signatures = [PdfSignatureOut(
        subject=s["subject"], serial=s["serial"], issuer=s["issuer"],
        signed_at=datetime.fromisoformat(s["signed_at"]).astimezone(UTC),
        trust_anchor=s["trust_anchor"]) for s in (row.validation or {}).get("signatures", [])]
    return SignedPdfOut(
        document_kind=row.document_kind, document_id=row.document_id, sha256=row.sha256,
        issued_sha256=row.issued_sha256, size=row.size, signer_subject=row.signer_subject,
        signer_serial=row.signer_serial, signer_issuer=row.signer_issuer,
        signed_at=row.signed_at, revocation=row.revocation,
        revocation_text=REVOCATION_TEXTS[row.revocation](), signatures=signatures,
        uploaded_at=row.uploaded_at)


def _upload(document, form: SignedPdfUpload, files: dict[str, FileStorage]) -> SignedPdfOut:
    actor = caller()
    if not signed_pdf.may_upload(actor, document):
        raise ApiError(403, "forbidden", _("Only those who issue such documents for its "
                                           "issuing unit record the signed PDF."))
    require_reauth(actor, form.password, form.code, "signed_pdf")
    try:
        row = signed_pdf.record_signed_pdf(db.session, actor, document, files["file"].read(),
                                           app_storage(DOCUMENTS), utcnow())
    except SignatureRefused as refused:
        raise _refusal(refused) from None
    return signed_out(row)


def _agency_sign(document, body: ReauthIn) -> SignedPdfOut:
    actor = caller()
    if not signed_pdf.may_upload(actor, document):
        raise ApiError(403, "forbidden", _("Only those who issue such documents for its "
                                           "issuing unit record the signed PDF."))
    require_reauth(actor, body.password, body.code, "signed_pdf")
    try:
        row = agency_signing.sign_with_agency_certificate(
            db.session, actor, document, app_storage(DOCUMENTS), utcnow(), current_config())
    except SignatureRefused as refused:
        raise _refusal(refused) from None
    return signed_out(row)


def _refusal(refused: SignatureRefused) -> ApiError:
    status, code = (409, "already_signed") if refused.check == "already_signed" else (
        422, "signature_refused")
    return ApiError(status, code, str(refused.message),
                    [{"loc": ["file"], "msg": str(refused.message), "type": refused.check}])


def _recorded(document) -> SignedPdfStatus:
    row = signed_pdf.signed_of(db.session, document)
    return SignedPdfStatus(signed=row is not None,
                           record=signed_out(row) if row is not None else None)


UPLOAD_TEXT = ("`multipart/form-data`: the PDF downloaded from `{pdf}`, signed with your "
               "digital signature token outside the application (an incremental update: the "
               "issued bytes unchanged), in `file`; your password again in `password` (and "
               "`code`). Checked: a PDF with signatures, its signed revision byte for byte "
               "the issued PDF (the hash the audit trail recorded), nothing changed but "
               "signatures, every signature intact, the last one covering the whole file, "
               "each certificate chaining to a trust root the administrator configured and "
               "valid at the signing time, revocation through the OCSP or CRL addresses the "
               "certificates name when allowed and reachable. Recorded: the file becomes the "
               "PDF of record (the PDF download serves it), audited with its hash, the "
               "signer's certificate and the result. 422 `signature_refused` with the failed "
               "check in `details[0].type`; 409 `already_signed`; 422 `reauth_failed`.")


@operation("POST", "/decisions/{decision_id}/signed-pdf",
           summary="Record the digitally signed PDF of a decision",
           description=UPLOAD_TEXT.format(pdf="/decisions/{decision_id}/pdf")
           + " Signers of the issuing unit.",
           tags=TAGS, roles=(issue.ROLE,), form=SignedPdfUpload, files=("file",),
           response=SignedPdfOut, status=201, errors=[404, 409])
def upload_signed_decision(decision_id: int, form: SignedPdfUpload,
                           files: dict[str, FileStorage]) -> SignedPdfOut:
    return _upload(access.readable(db.session, caller(), Decision, decision_id), form, files)


@operation("GET", "/decisions/{decision_id}/signed-pdf",
           summary="The digital signature recorded for a decision",
           description="Whether a digitally signed PDF is recorded and, when it is, the "
                       "signer's certificate, the signing time and the validation result.",
           tags=TAGS, response=SignedPdfStatus, errors=[404])
def get_signed_decision(decision_id: int) -> SignedPdfStatus:
    return _recorded(access.readable(db.session, caller(), Decision, decision_id))


@operation("POST", "/submission-letters/{letter_id}/signed-pdf",
           summary="Record the digitally signed PDF of a tờ trình",
           description=UPLOAD_TEXT.format(pdf="/submission-letters/{letter_id}/pdf")
           + " Reviewers of the issuing unit.",
           tags=TAGS, roles=(forwarding.ROLE,), form=SignedPdfUpload, files=("file",),
           response=SignedPdfOut, status=201, errors=[404, 409])
def upload_signed_letter(letter_id: int, form: SignedPdfUpload,
                         files: dict[str, FileStorage]) -> SignedPdfOut:
    return _upload(access.readable(db.session, caller(), SubmissionLetter, letter_id), form,
                   files)


@operation("GET", "/submission-letters/{letter_id}/signed-pdf",
           summary="The digital signature recorded for a tờ trình",
           description="As for a decision.",
           tags=TAGS, response=SignedPdfStatus, errors=[404])
def get_signed_letter(letter_id: int) -> SignedPdfStatus:
    return _recorded(access.readable(db.session, caller(), SubmissionLetter, letter_id))


AGENCY_TEXT = ("The server signs the issued PDF with the agency's own certificate (an "
               "organisation seal certificate; PKCS#12 or PEM configured on the server) and a "
               "visible stamp at the configured place, then checks and records it exactly as "
               "an uploaded signed PDF (its certificate must chain to a configured trust root "
               "too). Your password again in `password`. 422 `signature_refused` with "
               "`agency_signing_off` when the server holds no such certificate; 409 "
               "`already_signed`.")


@operation("POST", "/decisions/{decision_id}/agency-signature",
           summary="Sign a decision with the agency's certificate (on the server)",
           description=AGENCY_TEXT + " Signers of the issuing unit.",
           tags=TAGS, roles=(issue.ROLE,), request=ReauthIn, response=SignedPdfOut,
           status=201, errors=[404, 409])
def agency_sign_decision(decision_id: int, body: ReauthIn) -> SignedPdfOut:
    return _agency_sign(access.readable(db.session, caller(), Decision, decision_id), body)


@operation("POST", "/submission-letters/{letter_id}/agency-signature",
           summary="Sign a tờ trình with the agency's certificate (on the server)",
           description=AGENCY_TEXT + " Reviewers of the issuing unit.",
           tags=TAGS, roles=(forwarding.ROLE,), request=ReauthIn, response=SignedPdfOut,
           status=201, errors=[404, 409])
def agency_sign_letter(letter_id: int, body: ReauthIn) -> SignedPdfOut:
    return _agency_sign(access.readable(db.session, caller(), SubmissionLetter, letter_id),
                        body)
