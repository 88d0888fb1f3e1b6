"""The award catalogue: titles and forms of commendation, versioned by legal basis."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow

AWARD_KINDS = ("title", "form")  # danh hiệu thi đua / hình thức khen thưởng
AWARD_SUBJECTS = ("individual", "collective", "both")
WORKFLOWS = ("normal", "simplified")


class Award(Base):
    """One title or form, identified by its code (LDTT, CSTDCS, BK_BO …)."""

    __tablename__ = "award"
    __table_args__ = (CheckConstraint(f"kind IN {AWARD_KINDS}", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    kind: Mapped[str] = mapped_column(String(10))

    versions: Mapped[list[AwardVersion]] = relationship(
        back_populates="award", order_by="AwardVersion.effective_from.desc()"
    )

    def version_on(self, day: date) -> AwardVersion | None:
        """The rule version in force on `day` (a dossier's receipt date)."""
        for version in self.versions:
            if version.effective_from <= day and (
                version.effective_to is None or day <= version.effective_to
            ):
                return version
        return None


class AwardVersion(Base):
    """The rules of one award under one legal basis, in force between two dates.

    Rule blocks (`vote_rule`, `prerequisites`, `quota`, `disclosure`) are data. Each value
    either cites its legal source or is marked `configurable` (no confirmed legal source).
    """

    __tablename__ = "award_version"
    __table_args__ = (
        UniqueConstraint("award_id", "basis_key"),
        CheckConstraint(f"subject IN {AWARD_SUBJECTS}", name="subject"),
        CheckConstraint(f"workflow IN {WORKFLOWS}", name="workflow"),
        CheckConstraint(
            "effective_to IS NULL OR effective_to >= effective_from", name="effective_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id"), index=True)
    basis_key: Mapped[str] = mapped_column(String(60))
    name_vi: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(12))
    conferring_level: Mapped[str] = mapped_column(String(255))
    workflow: Mapped[str] = mapped_column(String(12), default="normal")
    legal_basis: Mapped[str] = mapped_column(Text)
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    disclosure: Mapped[dict] = mapped_column(JSON, default=dict)
    vote_rule: Mapped[dict] = mapped_column(JSON, default=dict)
    prerequisites: Mapped[list] = mapped_column(JSON, default=list)
    quota: Mapped[dict] = mapped_column(JSON, default=dict)
    required_documents: Mapped[list] = mapped_column(JSON, default=list)
    source_file: Mapped[str] = mapped_column(String(255))
    content_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    award: Mapped[Award] = relationship(back_populates="versions")

    def name(self, locale: str = "vi") -> str:
        return self.name_en if locale == "en" else self.name_vi

    @property
    def disclosure_required(self) -> bool:
        return bool(self.disclosure.get("required"))
