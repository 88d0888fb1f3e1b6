"""The digitally signed PDF of an issued decision or tờ trình (issue 20 item 1): the upload's
text fields and the recorded signature."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from workflow_app.api.schemas.common import NO_NUL, FormModel, ResponseModel


class SignedPdfUpload(FormModel):
    """The text fields of the upload (`multipart/form-data`); the signed PDF goes in the part
    named `file`. A signing act: your password again."""

    password: str = Field(min_length=1, max_length=256, pattern=NO_NUL,
                          description="Your password again: this act is done in your name.")
    code: str | None = Field(None, max_length=10, pattern=NO_NUL,
                             description="The authenticator code, when you use one.")


class PdfSignatureOut(ResponseModel):
    subject: str = Field(description="The signer's certificate subject (RFC 4514).")
    serial: str = Field(description="The certificate's serial number, hexadecimal.")
    issuer: str = Field(description="The certificate's issuer (RFC 4514).")
    signed_at: datetime = Field(description="The signing time the signature states (UTC).")
    trust_anchor: str = Field(description="SHA-256 fingerprint of the trust root it chains to.")


class SignedPdfOut(ResponseModel):
    document_kind: Literal["decision", "submission"]
    document_id: int
    sha256: str = Field(description="SHA-256 of the signed file: the PDF of record.")
    issued_sha256: str = Field(description="SHA-256 of the PDF as issued, which it signs "
                                           "(the one the audit trail recorded).")
    size: int
    signer_subject: str
    signer_serial: str
    signer_issuer: str
    signed_at: datetime
    revocation: Literal["good", "unchecked", "no_source"] = Field(description=(
        "`good`: the certification authority's OCSP or CRL answered, not revoked; "
        "`unchecked`: an address is named but not allowed, unreachable or unusable; "
        "`no_source`: the certificates name no OCSP or CRL address."))
    revocation_text: str = Field(description="The same, in your language.")
    signatures: list[PdfSignatureOut] = Field(description="Every signature, in order: the "
                                                       "signer's first.")
    uploaded_at: datetime


class SignedPdfStatus(ResponseModel):
    signed: bool = Field(description="A digitally signed PDF is recorded: the PDF download "
                                     "serves it.")
    record: SignedPdfOut | None = Field(None, description="The recorded signature, when "
                                                          "`signed`.")
