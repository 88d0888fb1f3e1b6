"""Batches: one covering letter (tờ trình) proposing many nominees, each its own dossier.

A batch groups dossiers of one submitting unit for one award, year and commendation type,
so they can be tracked and submitted together. Documents common to every nominee (the
tờ trình, the biên bản bình xét) are uploaded once on the batch (`BatchDocument`) and copied
onto each dossier of the batch as a `DossierDocument` pointing back at it; the file itself is
stored once (content-addressed). Each dossier still moves through the engine on its own.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow
from workflow_app.models.catalogue import COMMENDATION_TYPES, Award
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User


class DossierBatch(Base):
    """A unit's proposal covering several nominees (one tờ trình, many dossiers)."""

    __tablename__ = "dossier_batch"
    __table_args__ = (
        CheckConstraint(f"commendation_type IN {COMMENDATION_TYPES}", name="commendation_type"),
        CheckConstraint("year BETWEEN 1945 AND 2200", name="year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id"))
    commendation_type: Mapped[str] = mapped_column(String(20))
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(255))
    movement_reference: Mapped[str] = mapped_column(String(160), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[OrgUnit] = relationship()
    award: Mapped[Award] = relationship()
    created_by: Mapped[User | None] = relationship()
    documents: Mapped[list[BatchDocument]] = relationship(
        primaryjoin="and_(BatchDocument.batch_id == DossierBatch.id, "
                    "BatchDocument.removed_at.is_(None))",
        order_by="BatchDocument.id", viewonly=True,
    )


class BatchDocument(Base):
    """A document uploaded once for the whole batch; removal keeps the row (history)."""

    __tablename__ = "batch_document"
    __table_args__ = (
        CheckConstraint("size > 0", name="size"),
        CheckConstraint("removed_at IS NOT NULL OR removed_by_id IS NULL", name="removed_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("dossier_batch.id"), index=True)
    doc_type: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    mimetype: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    batch: Mapped[DossierBatch] = relationship()
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])
