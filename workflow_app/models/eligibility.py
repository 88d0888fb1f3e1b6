"""Recorded human decisions that set an automatic check aside: a reviewer's override of an
eligibility rule on one dossier, and a decision to exceed a quota for a unit, award and year.
Both are audited when written (`eligibility.overridden`, `quota.exception_recorded`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User


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
