"""Voting rounds and ballots: open and close a round, read it (the published receipts after
close), the caller's ballot paper, casting it, and the written votes the secretary enters.

Nothing here names who chose what: a paper lists items, a cast answers with the receipt
(once) and a count, a round lists receipts with choices only after it closes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from workflow_app.api.schemas.common import (
    NO_NUL,
    BodyId,
    QueryModel,
    RequestModel,
    ResponseModel,
)
from workflow_app.api.schemas.council_sessions import (
    Outcome,
    QuorumOut,
    RoundStatus,
    TallyOut,
)
from workflow_app.models.ballot import CHOICES

Choice = Literal[CHOICES]  # type: ignore[valid-type]
RECEIPT_PATTERN = "^[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}$"


class OpenRoundIn(RequestModel):
    item_id: BodyId | None = Field(None, description="Put only this agenda item to the vote; "
                                                     "null: every item still to be voted.")


class RoundItemOut(ResponseModel):
    id: int = Field(description="The agenda item.")
    position: int
    dossier_id: int
    title: str
    method: Literal["secret_ballot", "open_vote"]
    tally: TallyOut | None = Field(description="Written when the round closes.")
    held_for_chair: bool
    ruling: Outcome | None
    ruling_reason: str


class PublishedBallot(ResponseModel):
    receipt: str
    choices: dict[str, Choice] = Field(description="Agenda item id → choice (secret items).")


class RoundOut(ResponseModel):
    id: int
    session_id: int
    number: int
    status: RoundStatus
    opened_at: datetime
    closed_at: datetime | None
    quorum: QuorumOut = Field(description="The snapshot taken when the round opened.")
    items: list[RoundItemOut]
    ballot_count: int | None = Field(description="Secret ballots in the box (after close).")
    ballot_set_hash: str | None = Field(
        description="SHA-256 (hex) of the sorted lines `RECEIPT|item=choice,…` of the "
                    "published ballots, joined by a newline (after close).")
    published: list[PublishedBallot] = Field(
        description="After close: every secret ballot by receipt code, sorted by code. "
                    "Empty while the round is open.")
    receipt_found: bool | None = Field(
        description="With `?receipt=`: whether that code is in the published list.")


class RoundQuery(QueryModel):
    receipt: str | None = Field(None, max_length=14, pattern=RECEIPT_PATTERN,
                                description="A receipt code to look for (after close).")


class PaperItemOut(ResponseModel):
    item_id: int
    position: int
    dossier_id: int
    title: str
    nominee: str
    method: Literal["secret_ballot", "open_vote"] = Field(
        description="open_vote items are recorded with your name; the others go into the "
                    "secret ballot box.")
    rule_text: str


class PaperOut(ResponseModel):
    round_id: int
    session_id: int
    round_open: bool
    member_id: int
    items: list[PaperItemOut] = Field(description="Empty: no paper for you in this round "
                                                  "(absent, or recused from every item).")
    voted: bool = Field(description="Your ballot is already counted in this round.")
    needs_code: bool = Field(description="Casting needs the code of your authenticator app "
                                         "as well as your password.")


class ChoiceIn(RequestModel):
    item_id: BodyId
    choice: Choice


class CastIn(RequestModel):
    """The whole paper, confirmed, with your password (and TOTP code where you use one)."""

    choices: list[ChoiceIn] = Field(min_length=1, max_length=200,
                                    description="One choice for every item of your paper.")
    confirm: Literal[True] = Field(description="You checked your choices: casting is final.")
    password: str = Field(min_length=1, max_length=256, pattern=NO_NUL)
    code: str | None = Field(None, max_length=10, pattern=NO_NUL,
                             description="The authenticator code, when you use one.")


class CastOut(ResponseModel):
    round_id: int
    items: int = Field(description="Items on the paper you cast.")
    receipt: str | None = Field(
        description="Shown once, here only: write it down. Find it in the round's published "
                    "list after close. Null when every item was an open vote.")


class WrittenPaperOut(ResponseModel):
    round_id: int
    member_id: int
    member_name: str
    round_open: bool
    items: list[PaperItemOut] = Field(description="Items allowing a written vote (minus "
                                                  "recusals). Empty: no written paper.")
    entered: bool = Field(description="This member's written vote is already entered.")


class WrittenIn(RequestModel):
    """The choices copied from the absent member's paper."""

    choices: list[ChoiceIn] = Field(min_length=1, max_length=200)
    checked: Literal[True] = Field(description="You checked every choice against the paper.")


class WrittenOut(ResponseModel):
    round_id: int
    member_id: int
    items: int
