"""Councils (Hội đồng Thi đua – Khen thưởng), their members, sessions, agendas and rounds.

What was voted lives apart, in `models/ballot.py`. The quorum rule is a per-council setting:
LEGAL_FACTS §5.1 found no current legal threshold, so the default ("more than half of the
members present") is a configurable parameter with no confirmed legal source.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User

MEMBER_ROLES = ("chair", "vice_chair", "standing_member", "member", "secretary")
ATTENDANCE = ("present", "absent", "absent_written_vote")
RECUSAL_KINDS = ("nominee", "nominee_unit", "declared")
RECUSAL_STATUSES = ("pending", "accepted", "rejected")
ROUND_STATUSES = ("open", "closed")
OUTCOMES = ("approved", "rejected")


class Council(Base):
    """One council at one level, over an org unit and its sub-units (its scope)."""

    __tablename__ = "council"
    __table_args__ = (
        CheckConstraint("quorum_comparator IN ('>=', '>')", name="quorum_comparator"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    # Quorum: `comparator` `ratio` of the voting members must be present. Configurable —
    # no confirmed legal source (LEGAL_FACTS §5.1: current thresholds NOT FOUND).
    quorum_comparator: Mapped[str] = mapped_column(String(2), default=">")
    quorum_ratio: Mapped[str] = mapped_column(String(20), default="1/2")
    # Recuse members of the nominee's unit as well as the nominee (configurable).
    recuse_nominee_unit: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    unit: Mapped[OrgUnit] = relationship()
    members: Mapped[list[CouncilMember]] = relationship(
        back_populates="council", order_by="CouncilMember.id")


class CouncilMember(Base):
    """A user's seat on a council with a role, for a term (both ends inclusive)."""

    __tablename__ = "council_member"
    __table_args__ = (
        CheckConstraint(f"role IN {MEMBER_ROLES}", name="role"),
        CheckConstraint("term_to IS NULL OR term_to >= term_from", name="term"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("council.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    role: Mapped[str] = mapped_column(String(20), default="member")
    # A secretary who is not a member (thư ký không phải thành viên) does not vote.
    voting: Mapped[bool] = mapped_column(default=True)
    term_from: Mapped[date] = mapped_column(Date)
    term_to: Mapped[date | None] = mapped_column(Date)

    council: Mapped[Council] = relationship(back_populates="members")
    user: Mapped[User] = relationship()

    def serves_on(self, day: date) -> bool:
        return self.term_from <= day and (self.term_to is None or day <= self.term_to)

    @property
    def name(self) -> str:
        return self.user.display_name


class CouncilSession(Base):
    """A meeting of a council (phiên họp) with its agenda, attendance and voting rounds."""

    __tablename__ = "council_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("council.id"), index=True)
    held_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(255), default="")
    title: Mapped[str] = mapped_column(String(255), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Cancelled before it opened (council/service/sessions.py `cancel`): then ended too, same time.
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancel_reason: Mapped[str | None] = mapped_column(Text)

    council: Mapped[Council] = relationship()
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="session", order_by="AgendaItem.position")
    attendance: Mapped[list[Attendance]] = relationship(back_populates="session")
    rounds: Mapped[list[VotingRound]] = relationship(
        back_populates="session", order_by="VotingRound.number")


class Attendance(Base):
    """Whether a member attends a session; no row means absent."""

    __tablename__ = "council_attendance"
    __table_args__ = (CheckConstraint(f"status IN {ATTENDANCE}", name="status"),)

    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("council_member.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    session: Mapped[CouncilSession] = relationship(back_populates="attendance")
    member: Mapped[CouncilMember] = relationship()


class VotingRound(Base):
    """One round of voting in a session, on all open agenda items or on one.

    `quorum` is the snapshot taken when the round opened (who was entitled, who was present,
    the rule and the count needed); `ballot_set_hash` is the SHA-256 of the sorted ballot set
    (see `council/service/tally.py`), written when the round closes.
    """

    __tablename__ = "council_round"
    __table_args__ = (
        UniqueConstraint("session_id", "number"),
        CheckConstraint(f"status IN {ROUND_STATUSES}", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id"), index=True)
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default="open")
    quorum: Mapped[dict] = mapped_column(JSON, default=dict)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    ballot_count: Mapped[int | None]
    ballot_set_hash: Mapped[str | None] = mapped_column(String(64))

    session: Mapped[CouncilSession] = relationship(back_populates="rounds")
    items: Mapped[list[AgendaItem]] = relationship(
        back_populates="round", order_by="AgendaItem.position")

    @property
    def is_open(self) -> bool:
        return self.status == "open"


class AgendaItem(Base):
    """A dossier on a session's agenda; voted in exactly one round.

    `rule` is the vote rule fixed on the dossier, copied when its round opens; `tally` holds
    the counts, denominator and votes needed written at close; `held_for_chair` keeps the
    dossier in voting after the tally for the chair's ruling (engine `override_*`).
    """

    __tablename__ = "council_agenda_item"
    __table_args__ = (
        UniqueConstraint("session_id", "dossier_id"),
        CheckConstraint(f"outcome IS NULL OR outcome IN {OUTCOMES}", name="outcome"),
        CheckConstraint(f"ruling IS NULL OR ruling IN {OUTCOMES}", name="ruling"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("council_session.id"), index=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True)
    position: Mapped[int]
    round_id: Mapped[int | None] = mapped_column(ForeignKey("council_round.id"), index=True)
    rule: Mapped[dict] = mapped_column(JSON, default=dict)
    tally: Mapped[dict] = mapped_column(JSON, default=dict)
    outcome: Mapped[str | None] = mapped_column(String(10))
    held_for_chair: Mapped[bool] = mapped_column(default=False)
    hold_reason: Mapped[str] = mapped_column(Text, default="")
    ruling: Mapped[str | None] = mapped_column(String(10))
    ruling_reason: Mapped[str] = mapped_column(Text, default="")

    session: Mapped[CouncilSession] = relationship(back_populates="items")
    dossier: Mapped[Dossier] = relationship()
    round: Mapped[VotingRound | None] = relationship(back_populates="items")
    recusals: Mapped[list[Recusal]] = relationship(
        back_populates="item", order_by="Recusal.id")

    @property
    def method(self) -> str:
        return str(self.rule.get("method", ""))


class Recusal(Base):
    """A member stepping out of one item: automatic (nominee, nominee's unit) or declared.

    Automatic recusals are accepted at once; a declared conflict waits for the chair. Only
    accepted recusals remove the member from the item's paper and its denominator.
    """

    __tablename__ = "council_recusal"
    __table_args__ = (
        UniqueConstraint("item_id", "member_id"),
        CheckConstraint(f"kind IN {RECUSAL_KINDS}", name="kind"),
        CheckConstraint(f"status IN {RECUSAL_STATUSES}", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("council_agenda_item.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("council_member.id"))
    kind: Mapped[str] = mapped_column(String(15))
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))

    item: Mapped[AgendaItem] = relationship(back_populates="recusals")
    member: Mapped[CouncilMember] = relationship()
