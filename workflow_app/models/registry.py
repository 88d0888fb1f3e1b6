"""The award registry: what was conferred on whom, plus the ratings and initiatives that
eligibility rules read (three consecutive CSTĐCS, five years rated good or better …)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow
from workflow_app.models.org import OrgUnit, Person

if TYPE_CHECKING:
    from workflow_app.models.dossier import Dossier

RECORD_SOURCES = ("decision", "higher_decision", "import", "manual")
RATINGS = ("excellent", "good", "completed", "not_completed")  # HTXSNV, HTTNV, HTNV, KHTNV
INITIATIVE_SCOPES = ("unit", "ministry", "national")
INITIATIVE_KINDS = ("initiative", "science_topic")  # sáng kiến / đề tài khoa học


class AwardRecord(Base):
    """One conferred award. Revocation marks the row; it is never deleted."""

    __tablename__ = "award_record"
    __table_args__ = (
        CheckConstraint("(person_id IS NULL) <> (unit_id IS NULL)", name="one_recipient"),
        CheckConstraint(f"source IN {RECORD_SOURCES}", name="source"),
        CheckConstraint("year BETWEEN 1945 AND 2200", name="year"),
        Index("ix_award_record_person", "person_id", "award_code", "year"),
        Index("ix_award_record_unit", "unit_id", "award_code", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    award_code: Mapped[str] = mapped_column(String(30))
    year: Mapped[int]
    decision_number: Mapped[str] = mapped_column(String(60))
    decision_date: Mapped[date] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(255), default="")
    source: Mapped[str] = mapped_column(String(20))
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revocation_number: Mapped[str | None] = mapped_column(String(60))

    person: Mapped[Person | None] = relationship()
    unit: Mapped[OrgUnit | None] = relationship()
    dossier: Mapped[Dossier | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class PerformanceRating(Base):
    """A person's yearly rating (mức độ hoàn thành nhiệm vụ)."""

    __tablename__ = "performance_rating"
    __table_args__ = (
        UniqueConstraint("person_id", "year"),
        CheckConstraint(f"rating IN {RATINGS}", name="rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    year: Mapped[int]
    rating: Mapped[str] = mapped_column(String(20))


class Initiative(Base):
    """A recognised initiative (sáng kiến) or accepted science topic, with its scope."""

    __tablename__ = "initiative"
    __table_args__ = (
        CheckConstraint(f"scope IN {INITIATIVE_SCOPES}", name="scope"),
        CheckConstraint(f"kind IN {INITIATIVE_KINDS}", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(255))
    scope: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20), default="initiative")
    recognised_by: Mapped[str] = mapped_column(String(255), default="")


class UnitRating(Base):
    """A collective's yearly rating (the `unit_rating` prerequisite of TTLĐTT, TTLĐXS)."""

    __tablename__ = "unit_rating"
    __table_args__ = (
        UniqueConstraint("unit_id", "year"),
        CheckConstraint(f"rating IN {RATINGS}", name="rating"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    year: Mapped[int]
    rating: Mapped[str] = mapped_column(String(20))
