"""Issued documents: award decisions (quyết định), submission letters (tờ trình) and the
number series they draw from (Nghị định 30/2020, LEGAL_FACTS §6).

Guarantees held by the database itself:
- one counter row per (issuer, document type, year) — `DocumentSeries`;
- a number is used once per (issuer, type, year) — UNIQUE on both document tables, the
  backstop behind the locked counter (`workflow_app.decisions.service.numbering`). The printed
  reference (`01/QĐ-BTP`) carries no year and repeats every year (the series restarts on
  1 January), so it is not unique on its own (revision 0007): a document is found by its
  id, or by (issuer, type, year, number) — never by its reference alone;
- a dossier appears in at most one decision and one submission letter.
Issued rows are never edited: there is no update path, and the rendered files are stored
by SHA-256 (the hashes are in the `decision.issued` / `submission.issued` audit events).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User


class DocumentSeries(Base):
    """The register's counter for one issuer, document type and year; `last_number` is the
    highest number handed out (0 before the first). Locked while a number is allocated."""

    __tablename__ = "document_series"
    __table_args__ = (
        UniqueConstraint("issuer_unit_id", "doc_type", "year"),
        CheckConstraint("last_number >= 0", name="last_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    doc_type: Mapped[str] = mapped_column(String(10))
    year: Mapped[int]
    last_number: Mapped[int] = mapped_column(default=0)


class _NumberedDocument:
    """Columns shared by every numbered document: who issued it, its number and files."""

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    doc_type: Mapped[str] = mapped_column(String(10))
    year: Mapped[int]
    number: Mapped[int]
    # Number and symbol as printed, e.g. "2307/QĐ-BTP": the same every year the series
    # reaches that number, hence not unique (the UNIQUE is on issuer, type, year, number).
    reference: Mapped[str] = mapped_column(String(60))
    issued_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(120))
    summary: Mapped[str] = mapped_column(Text)
    # The text as issued: {"bases": [...], "articles": [...], "recipients": [...], ...}.
    content: Mapped[dict] = mapped_column(JSON, default=dict)
    signer_name: Mapped[str] = mapped_column(String(120))
    signer_title: Mapped[str] = mapped_column(String(160))
    docx_sha256: Mapped[str] = mapped_column(String(64))
    pdf_sha256: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @declared_attr
    def issued_by_id(cls) -> Mapped[int | None]:  # noqa: N805 - SQLAlchemy declared_attr
        return mapped_column(ForeignKey("app_user.id"))

    @declared_attr
    def issuer(cls) -> Mapped[OrgUnit]:  # noqa: N805
        return relationship()

    @declared_attr
    def issued_by(cls) -> Mapped[User | None]:  # noqa: N805
        return relationship()


class Decision(_NumberedDocument, Base):
    """An award decision (Quyết định) conferring awards on the dossiers of its items."""

    __tablename__ = "decision"
    __table_args__ = (
        UniqueConstraint("issuer_unit_id", "doc_type", "year", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    items: Mapped[list[DecisionItem]] = relationship(
        back_populates="decision", order_by="DecisionItem.position", cascade="all"
    )


class _AnnexRow:
    """Columns shared by the annex rows of numbered documents: the dossier and its awardee
    as printed (a dossier appears in at most one document of each kind)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    position: Mapped[int]
    awardee_name: Mapped[str] = mapped_column(String(255))
    awardee_position: Mapped[str] = mapped_column(String(160), default="")
    awardee_unit: Mapped[str] = mapped_column(String(255), default="")
    award_name: Mapped[str] = mapped_column(String(255))

    @declared_attr
    def dossier_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy declared_attr
        return mapped_column(ForeignKey("dossier.id"), unique=True)

    @declared_attr
    def dossier(cls) -> Mapped[Dossier]:  # noqa: N805 - SQLAlchemy declared_attr
        return relationship()


class DecisionItem(_AnnexRow, Base):
    """One awardee of a decision (a row of the annex) and the dossier it decides."""

    __tablename__ = "decision_item"

    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id"), index=True)
    certificate_sha256: Mapped[str] = mapped_column(String(64))

    decision: Mapped[Decision] = relationship(back_populates="items")


class SubmissionLetter(_NumberedDocument, Base):
    """A tờ trình sending council-approved dossiers to the higher authority."""

    __tablename__ = "submission_letter"
    __table_args__ = (
        UniqueConstraint("issuer_unit_id", "doc_type", "year", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    addressee: Mapped[str] = mapped_column(String(255))
    items: Mapped[list[SubmissionItem]] = relationship(
        back_populates="letter", order_by="SubmissionItem.position", cascade="all"
    )


class SubmissionItem(_AnnexRow, Base):
    """One dossier a submission letter forwards."""

    __tablename__ = "submission_item"

    letter_id: Mapped[int] = mapped_column(ForeignKey("submission_letter.id"), index=True)

    letter: Mapped[SubmissionLetter] = relationship(back_populates="items")
