"""What was voted, kept apart from who voted.

- `Participation` is the register: who took part in a round, and when. Its primary key
  (round_id, member_id) is what makes "one ballot per member per round" true: the row is
  inserted in the same transaction as the ballot, so a second submit fails as a whole.
- `Ballot` is a secret paper: a random key, the round, a random receipt code and the
  choices. No member id, no sequence number, no time. On SQLite it is a WITHOUT ROWID table,
  so there is no hidden rowid counting insertions, and rows are stored in the order of
  their random keys. On PostgreSQL a row's system columns (xmin, ctid) reflect the inserting
  transaction and position until the round closes; closing rewrites every ballot of the
  round in random order (`council/service/ballots.py`, `reshuffle`).
- `OpenVote` is a choice in an open vote (biểu quyết công khai), recorded by name.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from workflow_app.models.base import Base, UTCDateTime

CHANNELS = ("online", "written")  # cast by the member / entered by the secretary from paper
CHOICES = ("agree", "disagree", "abstain")


class Participation(Base):
    __tablename__ = "council_participation"
    __table_args__ = (CheckConstraint(f"channel IN {CHANNELS}", name="channel"),)

    round_id: Mapped[int] = mapped_column(
        ForeignKey("council_round.id"), primary_key=True, autoincrement=False)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("council_member.id"), primary_key=True, autoincrement=False)
    voted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    channel: Mapped[str] = mapped_column(String(10), default="online")
    # The secretary who entered a written vote from the paper.
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # Whether a secret paper went into the ballot box (false when every item was open).
    secret_paper: Mapped[bool] = mapped_column(default=True)


class Ballot(Base):
    __tablename__ = "council_ballot"
    __table_args__ = {"sqlite_with_rowid": False}

    # 32 hex digits from `secrets`: neither sequential nor derived from anything.
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("council_round.id"), index=True)
    receipt: Mapped[str] = mapped_column(String(20), unique=True)
    # {"<agenda item id>": "agree" | "disagree" | "abstain"}
    choices: Mapped[dict] = mapped_column(JSON)


class OpenVote(Base):
    __tablename__ = "council_open_vote"
    __table_args__ = (CheckConstraint(f"choice IN {CHOICES}", name="choice"),)

    item_id: Mapped[int] = mapped_column(
        ForeignKey("council_agenda_item.id"), primary_key=True, autoincrement=False)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("council_member.id"), primary_key=True, autoincrement=False)
    round_id: Mapped[int] = mapped_column(ForeignKey("council_round.id"), index=True)
    choice: Mapped[str] = mapped_column(String(10))
