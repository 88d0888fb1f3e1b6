"""The certificates digital signatures are validated against, as the admin page
(`admin/views/trust_roots.py`) through the same service (`decisions.service.trust_roots`):
list, add (multipart, PEM or DER in `file`), remove — each audited there. Admins only. A
refused file is 422 `certificate_refused` with the page's message."""

from __future__ import annotations

from werkzeug.datastructures import FileStorage

from workflow_app.admin.api.schemas import (
    TrustCertificateList,
    TrustCertificateOut,
    TrustCertificateUpload,
)
from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.operations import operation
from workflow_app.decisions.service import trust_roots
from workflow_app.extensions import db

ADMINS = ("admin",)
TAGS = ["administration"]


@operation("GET", "/trust-certificates",
           summary="Certificates for validating digital signatures",
           description="Trust roots first, then intermediates, each with subject, validity "
                       "and SHA-256 fingerprint.",
           tags=TAGS, roles=ADMINS, response=TrustCertificateList)
def list_trust_certificates() -> TrustCertificateList:
    return TrustCertificateList(items=[TrustCertificateOut.model_validate(row)
                                       for row in trust_roots.listing(db.session)])


@operation("POST", "/trust-certificates", summary="Add a trust root or intermediate CA",
           description="`multipart/form-data` with the certificate (PEM or DER) in `file`. "
                       "Self-signed: a trust root; another CA certificate: an intermediate. "
                       "422 `certificate_refused`: not a certificate, not a CA certificate, "
                       "or already in the list. Audited `trust.certificate_added`.",
           tags=TAGS, roles=ADMINS, form=TrustCertificateUpload, files=("file",),
           response=TrustCertificateOut, status=201)
def add_trust_certificate(form: TrustCertificateUpload,
                          files: dict[str, FileStorage]) -> TrustCertificateOut:
    try:
        row = trust_roots.add_certificate(db.session, files["file"].read(), caller())
    except trust_roots.TrustError as error:
        raise ApiError(422, "certificate_refused", str(error.message)) from None
    return TrustCertificateOut.model_validate(row)


@operation("DELETE", "/trust-certificates/{certificate_id}",
           summary="Remove a trust root or intermediate CA",
           description="Signatures are no longer validated against it (signed files already "
                       "recorded keep their recorded result). Audited "
                       "`trust.certificate_removed`; answers the removed certificate.",
           tags=TAGS, roles=ADMINS, response=TrustCertificateOut, errors=[404])
def remove_trust_certificate(certificate_id: int) -> TrustCertificateOut:
    row = trust_roots.remove_certificate(db.session, certificate_id, caller())
    return TrustCertificateOut.model_validate(row)
