"""Cluster/block acclamation (bình xét, suy tôn) at a cluster's year-end conference.

Each member unit's representative votes for up to `seats` units (approval voting, never its
own unit). Units vote as institutions, so votes are recorded by unit (not secret).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow
from workflow_app.models.catalogue import Award
from workflow_app.models.org import Cluster, OrgUnit

CONTEST_STATUSES = ("open", "closed")


class AcclamationConference(Base):
    """A cluster's year-end review conference (hội nghị tổng kết) for one year."""

    __tablename__ = "acclamation_conference"
    __table_args__ = (UniqueConstraint("cluster_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("cluster.id"))
    year: Mapped[int]
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(255), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    cluster: Mapped[Cluster] = relationship()
    contests: Mapped[list[AcclamationContest]] = relationship(
        back_populates="conference", order_by="AcclamationContest.id")


class AcclamationContest(Base):
    """One acclamation vote at a conference: up to `seats` units for one award.

    `rule` is the threshold (denominator, comparator, ratio) copied from the award's vote
    rule when the contest opened; `voters` the member units entitled that year;
    `candidates` the member units named as candidates (empty: every member may be voted for).
    """

    __tablename__ = "acclamation_contest"
    __table_args__ = (
        UniqueConstraint("conference_id", "award_id"),
        CheckConstraint("seats >= 1", name="seats"),
        CheckConstraint(f"status IN {CONTEST_STATUSES}", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(ForeignKey("acclamation_conference.id"))
    award_id: Mapped[int] = mapped_column(ForeignKey("award.id"))
    seats: Mapped[int]
    rule: Mapped[dict] = mapped_column(JSON, default=dict)
    voters: Mapped[list] = mapped_column(JSON, default=list)
    candidates: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="open")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    tally_hash: Mapped[str | None] = mapped_column(String(64))

    conference: Mapped[AcclamationConference] = relationship(back_populates="contests")
    award: Mapped[Award] = relationship()
    results: Mapped[list[AcclamationResult]] = relationship(
        back_populates="contest", order_by="AcclamationResult.position")

    @property
    def candidate_ids(self) -> list[int]:
        """The units that may be voted for: the named candidates, else every member."""
        return list(self.candidates or self.voters or [])


class AcclamationVoter(Base):
    """The register: a unit voted in a contest (once; a blank paper is a valid vote)."""

    __tablename__ = "acclamation_voter"

    contest_id: Mapped[int] = mapped_column(
        ForeignKey("acclamation_contest.id"), primary_key=True, autoincrement=False)
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("org_unit.id"), primary_key=True, autoincrement=False)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AcclamationMark(Base):
    """One approval: `voter_unit` voted for `candidate_unit`."""

    __tablename__ = "acclamation_mark"
    __table_args__ = (CheckConstraint("voter_unit_id <> candidate_unit_id", name="not_own"),)

    contest_id: Mapped[int] = mapped_column(
        ForeignKey("acclamation_contest.id"), primary_key=True, autoincrement=False)
    voter_unit_id: Mapped[int] = mapped_column(
        ForeignKey("org_unit.id"), primary_key=True, autoincrement=False)
    candidate_unit_id: Mapped[int] = mapped_column(
        ForeignKey("org_unit.id"), primary_key=True, autoincrement=False)


class AcclamationResult(Base):
    """A candidate's line in the ranked result, and the dossier opened when acclaimed."""

    __tablename__ = "acclamation_result"

    contest_id: Mapped[int] = mapped_column(
        ForeignKey("acclamation_contest.id"), primary_key=True, autoincrement=False)
    unit_id: Mapped[int] = mapped_column(
        ForeignKey("org_unit.id"), primary_key=True, autoincrement=False)
    position: Mapped[int]  # display order: rank, then name
    rank: Mapped[int]  # competition ranking: tied units share a rank
    votes: Mapped[int]
    denominator: Mapped[int]
    votes_needed: Mapped[int]
    tied: Mapped[bool] = mapped_column(default=False)
    acclaimed: Mapped[bool] = mapped_column(default=False)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossier.id"))

    contest: Mapped[AcclamationContest] = relationship(back_populates="results")
    unit: Mapped[OrgUnit] = relationship()
