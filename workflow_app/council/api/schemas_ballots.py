"""Voting rounds and ballots: open and close a round, read it (after close, the ballots per
item under per-item codes; a receipt is checked by POST), the caller's ballot paper, casting
it, and the written votes the secretary enters.

Nothing here names who chose what: a paper lists items, a cast answers with the receipt
(once) and a count, a round lists per-item codes with choices only after it closes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field

from workflow_app.api.schemas.common import (
    NO_NUL,
    BodyId,
    RequestModel,
    ResponseModel,
)
from workflow_app.council.api.schemas_sessions import Outcome, QuorumOut, RoundStatus, TallyOut
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


class PublishedCode(ResponseModel):
    code: str = Field(description="The ballot's code on this item: HMAC-SHA256(key=receipt, "
                                  "msg=\"<round id>:<item id>\"), 12 base32 characters "
                                  "grouped XXXX-XXXX-XXXX.")
    choice: Choice


class PublishedItem(ResponseModel):
    item_id: int
    ballots: list[PublishedCode] = Field(description="Every secret ballot on the item, by "
                                                     "its per-item code, sorted by code.")


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
        description="SHA-256 (hex) of the sorted lines `RECEIPT|item=choice,…` of the stored "
                    "ballots, joined by a newline (after close); recorded in the audit trail "
                    "and the minutes. Receipts are not published: it is a commitment.")
    published: list[PublishedItem] = Field(
        description="After close: for every secret item, its ballots by per-item code (a "
                    "ballot has a different code on every item, so lists cannot be joined). "
                    "Empty while the round is open.")


class ReceiptCheckIn(RequestModel):
    """A receipt to check, in the body (never in a URL: it would reach logs and history)."""

    receipt: str = Field(max_length=14, pattern=RECEIPT_PATTERN)


class CheckedCode(ResponseModel):
    item_id: int
    code: str = Field(description="Your code on this item, as in the published list.")
    choice: Choice = Field(description="The choice recorded on your ballot.")


class ReceiptCheckOut(ResponseModel):
    round_id: int
    found: bool = Field(description="A ballot with this receipt is in the closed round.")
    items: list[CheckedCode] = Field(description="Empty when not found.")


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


class RecusedItemOut(ResponseModel):
    item_id: int
    position: int
    title: str
    kind: Literal["nominee", "nominee_unit", "declared"]
    reason: str = Field(description="The declared reason; empty for an automatic recusal.")


class BallotPaperOut(ResponseModel):
    round_id: int
    session_id: int
    round_open: bool
    member_id: int
    items: list[PaperItemOut] = Field(description="Empty: no paper for you in this round "
                                                  "(absent, or recused from every item).")
    recused: list[RecusedItemOut] = Field(
        description="Items of the round you are recused from: not on your paper, no choice.")
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


class ItemCode(ResponseModel):
    item_id: int
    code: str


class CastOut(ResponseModel):
    round_id: int
    items: int = Field(description="Items on the paper you cast.")
    receipt: str | None = Field(
        description="Shown once, here only: write it down. After close, check it with "
                    "`POST /council/rounds/{round_id}/receipt-check`. Null when every item "
                    "was an open vote.")
    item_codes: list[ItemCode] = Field(
        description="Your code on each secret item, as it will appear in that item's "
                    "published list.")


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
