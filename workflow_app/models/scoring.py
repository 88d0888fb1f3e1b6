"""Scoring and classification (chấm điểm, xếp loại) of a movement's or a cluster's year.

A criteria table holds groups and criteria (standard, bonus, penalty), each with its maximum
and guidance. Each member scores itself; the assessing unit scores each member; a difference
carries a reason. Points are stored in hundredths (`*_cp`: 1.75 points = 175) so sums are
exact and computed in SQL on both databases. Locking writes `ScoreResult` (total, band, rank);
publishing writes the bands' ratings to the registry (`UnitRating`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow
from workflow_app.models.movement import Movement
from workflow_app.models.org import Cluster, OrgUnit

TABLE_STATUSES = ("open", "locked", "published")
CRITERION_KINDS = ("standard", "bonus", "penalty")


class ScoreTable(Base):
    """The criteria table of one movement, or of one cluster's year, and its bands."""

    __tablename__ = "score_table"
    __table_args__ = (
        CheckConstraint("(movement_id IS NULL) <> (cluster_id IS NULL)", name="one_owner"),
        CheckConstraint(f"status IN {TABLE_STATUSES}", name="status"),
        CheckConstraint("version >= 1", name="version"),
        CheckConstraint("year BETWEEN 1945 AND 2200", name="year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    movement_id: Mapped[int | None] = mapped_column(ForeignKey("movement.id"), index=True)
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("cluster.id"), index=True)
    year: Mapped[int]
    title: Mapped[str] = mapped_column(String(255))
    # The assessing unit: the cluster head, or the standing agency of the organiser.
    assessor_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    status: Mapped[str] = mapped_column(String(10), default="open")
    # Bumped by every save of scores: two assessors saving at once, the second gets 409.
    version: Mapped[int] = mapped_column(default=1)
    # [{"code": "A", "label_vi": …, "label_en": …, "min_cp": 9000, "rating": "excellent"}],
    # best first; a total at or above min_cp gets the band; "rating" (optional) is the
    # registry rating the band writes when results are published.
    bands: Mapped[list] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    movement: Mapped[Movement | None] = relationship()
    cluster: Mapped[Cluster | None] = relationship()
    assessor: Mapped[OrgUnit] = relationship()
    groups: Mapped[list[ScoreGroup]] = relationship(
        cascade="all, delete-orphan", order_by="ScoreGroup.position")


class ScoreGroup(Base):
    __tablename__ = "score_group"
    __table_args__ = (UniqueConstraint("table_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("score_table.id", ondelete="CASCADE"))
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(20), default="")
    title: Mapped[str] = mapped_column(String(500))

    criteria: Mapped[list[ScoreCriterion]] = relationship(
        cascade="all, delete-orphan", order_by="ScoreCriterion.position")


class ScoreCriterion(Base):
    __tablename__ = "score_criterion"
    __table_args__ = (
        CheckConstraint(f"kind IN {CRITERION_KINDS}", name="kind"),
        CheckConstraint("max_cp > 0", name="max_cp"),
        UniqueConstraint("group_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("score_table.id", ondelete="CASCADE"),
                                          index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("score_group.id", ondelete="CASCADE"))
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(20), default="")
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(10), default="standard")
    max_cp: Mapped[int]
    guidance: Mapped[str] = mapped_column(Text, default="")


class ScoreEntry(Base):
    """One member's points on one criterion: its own, the assessor's, and why they differ."""

    __tablename__ = "score_entry"
    __table_args__ = (
        UniqueConstraint("criterion_id", "unit_id"),
        Index("ix_score_entry_table_unit", "table_id", "unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("score_table.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("score_criterion.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    self_cp: Mapped[int | None]
    self_note: Mapped[str] = mapped_column(Text, default="")
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    evidence_filename: Mapped[str | None] = mapped_column(String(255))
    assessed_cp: Mapped[int | None]
    reason: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ScoreResult(Base):
    """A member's locked result: total, band, rank (tied members share a rank)."""

    __tablename__ = "score_result"
    __table_args__ = (UniqueConstraint("table_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("score_table.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    total_cp: Mapped[int]
    band: Mapped[str] = mapped_column(String(20), default="")
    rank: Mapped[int]
    tied: Mapped[bool] = mapped_column(default=False)

    unit: Mapped[OrgUnit] = relationship()
    table: Mapped[ScoreTable] = relationship()
