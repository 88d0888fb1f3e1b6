"""Recorded human decisions that set an automatic check aside: a reviewer's override of an
eligibility rule on one dossier, and a decision to exceed a quota for a unit, award and year.
Both are audited when written (`eligibility.overridden`, `quota.exception_recorded`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User

if TYPE_CHECKING:
    from workflow_app.models.dossier import Dossier


class EligibilityOverride(Base):
    """A reviewer's decision that one rule of one dossier counts as met, with the reason."""

    __tablename__ = "eligibility_override"
    __table_args__ = (UniqueConstraint("dossier_id", "rule_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    rule_id: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by: Mapped[User | None] = relationship()


class QuotaException(Base):
    """A recorded decision allowing a unit to exceed an award's quota in one year."""

    __tablename__ = "quota_exception"
    __table_args__ = (UniqueConstraint("unit_id", "award_code", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    award_code: Mapped[str] = mapped_column(String(30))
    year: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[OrgUnit] = relationship()
    created_by: Mapped[User | None] = relationship()


EXCEPTION_REQUEST_STATUSES = ("pending", "granted", "refused")


class EligibilityExceptionRequest(Base):
    """A submitter's request that a reviewer set one blocking rule of a dossier aside, with
    the reason, and the reviewer's answer (a grant records an `EligibilityOverride`).
    Audited `eligibility.exception_requested`, `…_granted`, `…_refused`. At most one request
    per dossier and rule waits at a time (partial unique index on the pending ones)."""

    __tablename__ = "eligibility_exception_request"
    __table_args__ = (
        Index("uq_eligibility_exception_request_pending", "dossier_id", "rule_id",
              unique=True, sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
        CheckConstraint("status IN ('pending', 'granted', 'refused')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"),
                                            index=True)
    rule_id: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    dossier: Mapped[Dossier] = relationship("Dossier")
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
