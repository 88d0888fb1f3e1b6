"""Organisation: units in a tree, persons, emulation clusters and blocks."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base

UNIT_KINDS = (
    "ministry",  # Bộ
    "department",  # Vụ, Văn phòng, Thanh tra Bộ
    "agency",  # Cục, Tổng cục
    "provincial_justice",  # Sở Tư pháp
    "thads_provincial",  # Cục Thi hành án dân sự (tỉnh)
    "thads_district",  # Chi cục Thi hành án dân sự
    "division",  # Phòng, tổ
    "other",
)

CLUSTER_KINDS = ("cluster", "block")  # cụm / khối thi đua
CLUSTER_ROLES = ("member", "head", "deputy")  # thành viên / trưởng cụm / phó trưởng cụm


class OrgUnit(Base):
    """A unit in the organisation tree. `path` is the materialised ancestry ("/1/4/9/")."""

    __tablename__ = "org_unit"
    __table_args__ = (
        CheckConstraint(f"kind IN {UNIT_KINDS}", name="kind"),
        CheckConstraint("valid_to IS NULL OR valid_from IS NULL OR valid_to > valid_from",
                        name="validity"),
        Index("ix_org_unit_path", "path"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255), default="")
    kind: Mapped[str] = mapped_column(String(30))
    # Abbreviation used in document symbols, e.g. "BTP" in 2307/QĐ-BTP.
    symbol: Mapped[str] = mapped_column(String(20), default="")
    # Configuration for the documents the unit issues: the "Căn cứ" line of its own
    # organisation decree (functions, tasks, powers and structure), and its head's title
    # as written in award names ("Bộ trưởng Bộ Tư pháp" in "Bằng khen của Bộ trưởng Bộ
    # Tư pháp"). Empty until an administrator enters them; no decision is issued without.
    founding_ground: Mapped[str] = mapped_column(Text, default="")
    head_title: Mapped[str] = mapped_column(String(255), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    path: Mapped[str] = mapped_column(String(255), default="/")
    is_active: Mapped[bool] = mapped_column(default=True)
    # The unit's life (issue 19): it exists from `valid_from` (None: since before the
    # system's records) until the day before `valid_to` (None: it still exists). Both are
    # written only by the reorganisation service (`org.service.reorg`), with the event that
    # set them (`models.org_history.OrgEvent`).
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[OrgUnit]] = relationship(back_populates="parent", order_by="OrgUnit.name")
    persons: Mapped[list[Person]] = relationship(back_populates="unit", order_by="Person.full_name")

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def is_within(self, other: OrgUnit) -> bool:
        """True when this unit is `other` or one of its descendants."""
        return self.path.startswith(other.path)

    def display_name(self, locale: str = "vi") -> str:
        return self.name_en if locale == "en" and self.name_en else self.name

    @property
    def is_closed(self) -> bool:
        """True once a merger, split or dissolution has ended the unit."""
        return self.valid_to is not None

    def exists_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day < self.valid_to)


class Person(Base):
    """A person who may be nominated; `national_id` is shown only to those who need it."""

    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint(
            "national_id IS NULL OR length(national_id) = 12", name="national_id_length"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(120))
    position: Mapped[str] = mapped_column(String(160), default="")
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    is_leader: Mapped[bool] = mapped_column(default=False)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    national_id: Mapped[str | None] = mapped_column(String(12), unique=True)

    unit: Mapped[OrgUnit] = relationship(back_populates="persons")

    @property
    def masked_national_id(self) -> str:
        if not self.national_id:
            return ""
        return "•" * 8 + self.national_id[-4:]


class Cluster(Base):
    """An emulation cluster or block (cụm, khối thi đua) organised under a parent unit."""

    __tablename__ = "cluster"
    __table_args__ = (CheckConstraint(f"kind IN {CLUSTER_KINDS}", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255), default="")
    kind: Mapped[str] = mapped_column(String(10), default="cluster")
    organiser_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))

    organiser: Mapped[OrgUnit] = relationship()
    memberships: Mapped[list[ClusterMembership]] = relationship(
        back_populates="cluster", cascade="all, delete-orphan"
    )

    def members_in(self, year: int) -> list[ClusterMembership]:
        return sorted(
            (m for m in self.memberships if m.year == year), key=lambda m: m.unit.name
        )

    def years(self) -> list[int]:
        return sorted({m.year for m in self.memberships}, reverse=True)


class ClusterMembership(Base):
    """A unit's membership of a cluster for one year, with its rotating role that year."""

    __tablename__ = "cluster_membership"
    __table_args__ = (
        UniqueConstraint("cluster_id", "unit_id", "year"),
        CheckConstraint(f"role IN {CLUSTER_ROLES}", name="role"),
        CheckConstraint("year BETWEEN 1945 AND 2200", name="year"),
        # One head per cluster and year; a year may have several deputies (seed 002).
        Index(
            "uq_cluster_membership_head",
            "cluster_id",
            "year",
            unique=True,
            sqlite_where=text("role = 'head'"),
            postgresql_where=text("role = 'head'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("cluster.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    year: Mapped[int]
    role: Mapped[str] = mapped_column(String(10), default="member")

    cluster: Mapped[Cluster] = relationship(back_populates="memberships")
    unit: Mapped[OrgUnit] = relationship()
