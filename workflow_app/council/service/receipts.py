"""Publishing a closed round's secret ballots per item, under per-item codes.

Guarantees (tests: tests/council/test_voting_secrecy.py, tests/council/test_voting_receipts.py):
- nothing is published while the round is open;
- after close, each secret item has its own list of (code, choice), sorted by code; a
  paper's code on an item is `HMAC-SHA256(key=receipt, msg="<round id>:<item id>")`, its
  first 60 bits in base32, grouped XXXX-XXXX-XXXX. Without the receipt the codes of one
  paper on two items cannot be linked, so a paper that lacks an item (a recused member's,
  an absent member's written vote) does not single out the paper's other choices;
- the receipt itself is never published; the voter learns their per-item codes with the
  receipt (shown once) and can check them with `check` (a POST: never in a URL or a log).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.council.service import rules
from workflow_app.models.ballot import Ballot
from workflow_app.models.council import AgendaItem, VotingRound

CODE_CHARS = 12


@dataclass(frozen=True)
class PublishedItem:
    """One secret item's published list: (code, choice) pairs sorted by code."""

    item: AgendaItem
    entries: list[tuple[str, str]]


@dataclass(frozen=True)
class CheckedItem:
    """One item of a checked receipt: the voter's code and the recorded choice."""

    item: AgendaItem
    code: str
    choice: str


def item_code(receipt: str, round_id: int, item_id: int) -> str:
    """The paper's code on one item, e.g. "MZXW-6YTB-OI3D" (derived, not stored)."""
    digest = hmac.new(receipt.encode(), f"{round_id}:{item_id}".encode(), hashlib.sha256)
    text = base64.b32encode(digest.digest()).decode()[:CODE_CHARS]
    return "-".join(text[i:i + 4] for i in range(0, CODE_CHARS, 4))


def item_codes(receipt: str | None, voting_round: VotingRound,
               item_ids: list[int]) -> list[tuple[int, str]]:
    """(item id, code) for the secret items `item_ids` of a paper, in the given order."""
    if receipt is None:
        return []
    return [(item_id, item_code(receipt, voting_round.id, item_id)) for item_id in item_ids]


def _secret_items(voting_round: VotingRound) -> list[AgendaItem]:
    return [i for i in voting_round.items if rules.council_method(i.rule) != "open_vote"]


def published_items(session: Session, voting_round: VotingRound) -> list[PublishedItem]:
    """After close: every secret item with its (code, choice) list; [] while open."""
    if voting_round.is_open:
        return []
    rows = list(session.execute(select(Ballot.receipt, Ballot.choices)
                                .where(Ballot.round_id == voting_round.id)))
    published = []
    for item in _secret_items(voting_round):
        key = str(item.id)
        entries = sorted((item_code(receipt, voting_round.id, item.id), choices[key])
                         for receipt, choices in rows if key in choices)
        published.append(PublishedItem(item, entries))
    return published


def check(session: Session, voting_round: VotingRound, receipt: str) -> list[CheckedItem] | None:
    """After close: the voter's code and recorded choice per item of the paper with this
    receipt; None when the round is open or no paper has this receipt."""
    wanted = (receipt or "").strip().upper()
    if voting_round.is_open or not wanted:
        return None
    choices = session.scalar(select(Ballot.choices).where(
        Ballot.round_id == voting_round.id, Ballot.receipt == wanted))
    if choices is None:
        return None
    return [CheckedItem(item, item_code(wanted, voting_round.id, item.id), choices[str(item.id)])
            for item in voting_round.items if str(item.id) in choices]
