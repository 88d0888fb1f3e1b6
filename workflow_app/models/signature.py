"""Digital signatures on issued documents (issue 20 item 1).

`TrustCertificate`: a certificate an administrator configured for validating signatures —
a trust root (self-signed, e.g. the Government's root CA) or an intermediate CA that helps
build the chain from a signer's certificate to a root. Added and removed only through
`decisions.service.trust_roots`, each audited.

`SignedPdf`: the signed PDF a signer uploaded for an issued document (an award decision or a
tờ trình), once it validated; from then on it is the document of record (downloads serve it).
Written once, never edited; the audit event `<kind>.signed_pdf_recorded` holds its hash, the
signer's certificate and the validation result.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow
from workflow_app.models.user import User

TRUST_KINDS = ("root", "intermediate")
SIGNED_KINDS = ("decision", "submission")
REVOCATION_RESULTS = ("good", "unchecked", "no_source")


class TrustCertificate(Base):
    __tablename__ = "trust_certificate"
    __table_args__ = (CheckConstraint("kind IN ('root', 'intermediate')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    subject: Mapped[str] = mapped_column(String(1000))
    issuer: Mapped[str] = mapped_column(String(1000))
    serial: Mapped[str] = mapped_column(String(80))
    not_before: Mapped[datetime] = mapped_column(UTCDateTime)
    not_after: Mapped[datetime] = mapped_column(UTCDateTime)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of the DER
    der: Mapped[bytes] = mapped_column(LargeBinary)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    added_by: Mapped[User | None] = relationship()


class SignedPdf(Base):
    __tablename__ = "signed_pdf"
    __table_args__ = (
        UniqueConstraint("document_kind", "document_id"),
        CheckConstraint("document_kind IN ('decision', 'submission')", name="document_kind"),
        CheckConstraint("revocation IN ('good', 'unchecked', 'no_source')", name="revocation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_kind: Mapped[str] = mapped_column(String(20))
    document_id: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))  # the signed file, in the documents store
    issued_sha256: Mapped[str] = mapped_column(String(64))  # the PDF it signs, as issued
    size: Mapped[int]
    signer_subject: Mapped[str] = mapped_column(String(1000))
    signer_serial: Mapped[str] = mapped_column(String(80))
    signer_issuer: Mapped[str] = mapped_column(String(1000))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the time the signature states
    revocation: Mapped[str] = mapped_column(String(12))
    # Every signature's details and the checks, as recorded in the audit event.
    validation: Mapped[dict] = mapped_column(JSON, default=dict)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    uploaded_by: Mapped[User | None] = relationship()
