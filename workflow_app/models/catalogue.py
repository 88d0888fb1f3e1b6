"""The award catalogue: titles and forms of commendation, versioned by legal basis.

The rows are written only by the catalogue loader (`workflow_app.catalogue.service.loader`) from the
TOML files in `workflow_app/data/catalogue/`. A version is never deleted, because dossiers
keep the version of their receipt date; a version whose file entry disappeared is marked
withdrawn instead and no longer applies to new dossiers.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow

AWARD_KINDS = ("title", "form")  # danh hiệu thi đua / hình thức khen thưởng
AWARD_SUBJECTS = ("individual", "collective", "both")
WORKFLOWS = ("normal", "simplified")
# Loại hình khen thưởng (Law 2022 Art. 8; LEGAL_FACTS §9).
COMMENDATION_TYPES = ("CONG_TRANG", "DOT_XUAT", "PHONG_TRAO", "CONG_HIEN", "NIEN_HAN", "DOI_NGOAI")
# Who confers: head of a unit (Art. 80), Minister / provincial chair, Prime Minister, President.
CONFERRING_LEVELS = ("unit", "ministry", "prime_minister", "president")


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
        """The rule version in force on `day` (a dossier's receipt date).

        Both ends of a version's range are inclusive. Withdrawn versions never match: they
        are kept only for the dossiers that already reference them.
        """
        for version in self.versions:
            if version.is_withdrawn:
                continue
            if version.effective_from <= day and (
                version.effective_to is None or day <= version.effective_to
            ):
                return version
        return None


class AwardVersion(Base):
    """The rules of one award under one legal basis, in force between two dates.

    Rule blocks (`vote_rule`, `prerequisites`, `quota`, `disclosure`, `simplified`) are data.
    Each block either cites its legal `source` or is marked `configurable` (no confirmed
    legal source); the loader refuses anything else.
    """

    __tablename__ = "award_version"
    __table_args__ = (
        # A version a dossier points to is never rewritten: a change to it becomes a new
        # revision of the same basis, in force from its own date (catalogue loader).
        UniqueConstraint("award_id", "basis_key", "revision"),
        CheckConstraint(f"subject IN {AWARD_SUBJECTS}", name="subject"),
        CheckConstraint(f"workflow IN {WORKFLOWS}", name="workflow"),
        CheckConstraint(f"conferring_level IN {CONFERRING_LEVELS}", name="conferring_level"),
        CheckConstraint(
            "effective_to IS NULL OR effective_to >= effective_from", name="effective_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id"), index=True)
    basis_key: Mapped[str] = mapped_column(String(60))
    revision: Mapped[int] = mapped_column(default=1)
    basis_title_vi: Mapped[str] = mapped_column(Text, default="")
    basis_title_en: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)  # order of the entry in its file
    name_vi: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(12))
    conferring_level: Mapped[str] = mapped_column(String(20))
    workflow: Mapped[str] = mapped_column(String(12), default="normal")
    legal_basis: Mapped[str] = mapped_column(Text)  # the catalogue's short reference
    # The "Căn cứ …;" lines a decision on this award cites, written in full as an agency
    # writes them (law, decree, circular with number, date and issuer).
    legal_grounds: Mapped[list] = mapped_column(JSON, default=list)
    # The award as written in a decision and on a certificate; may hold {issuer} (the
    # issuing body's name) and {head_title} (its head's title), e.g. "Bằng khen của
    # {head_title}". Empty: the catalogue name.
    official_name: Mapped[str] = mapped_column(String(255), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    disclosure: Mapped[dict] = mapped_column(JSON, default=dict)
    vote_rule: Mapped[dict] = mapped_column(JSON, default=dict)
    prerequisites: Mapped[list] = mapped_column(JSON, default=list)
    quota: Mapped[dict] = mapped_column(JSON, default=dict)
    simplified: Mapped[dict] = mapped_column(JSON, default=dict)
    required_documents: Mapped[list] = mapped_column(JSON, default=list)
    source_file: Mapped[str] = mapped_column(String(255))
    content_hash: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    award: Mapped[Award] = relationship(back_populates="versions")

    def name(self, locale: str = "vi") -> str:
        return self.name_en if locale == "en" else self.name_vi

    def basis_title(self, locale: str = "vi") -> str:
        return self.basis_title_en if locale == "en" else self.basis_title_vi

    @property
    def disclosure_required(self) -> bool:
        return bool(self.disclosure.get("required"))

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def in_force_on(self, day: date) -> bool:
        return not self.is_withdrawn and self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )
