"""Counting a closed round: per-item counts, denominator, votes needed, outcome, and the hash
of the ballot set.

Denominators (each without the members recused from the item):
- `all_members`: the voting members entitled when the round opened;
- `present_members`: those present, plus those voting in writing when the rule allows it;
- `valid_ballots`: the choices cast on the item (agree + disagree + abstain).

Ballot-set hash: SHA-256 (hex) of the UTF-8 text made of one line per secret ballot,
`RECEIPT|item=choice,item=choice` with items in increasing id order, lines sorted, joined by
"\n" (no final newline). It is a commitment over the stored ballots, recorded in the audit
trail and the minutes; receipts themselves are not published (the lists are per item, under
per-item codes: `receipts.py`), so it is recomputed from the database, not from the lists.

Counting reads ballots grouped by choice, never in stored order.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.council.service import rules
from workflow_app.council.service.recusal import recused_ids
from workflow_app.council.service.thresholds import CHOICES, Threshold
from workflow_app.models.ballot import Ballot, OpenVote
from workflow_app.models.council import AgendaItem, VotingRound


def ballot_line(receipt: str, choices: dict[str, str]) -> str:
    ordered = sorted(choices.items(), key=lambda pair: int(pair[0]))
    return receipt + "|" + ",".join(f"{item}={choice}" for item, choice in ordered)


def ballot_set_hash(ballots: Iterable[tuple[str, dict[str, str]]]) -> str:
    lines = sorted(ballot_line(receipt, choices) for receipt, choices in ballots)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def round_ballots(session: Session, voting_round: VotingRound) -> list[tuple[str, dict]]:
    return [(r, c) for r, c in session.execute(
        select(Ballot.receipt, Ballot.choices).where(Ballot.round_id == voting_round.id)
        .order_by(Ballot.receipt))]


def denominator(rule: dict[str, Any], snapshot: dict[str, Any], recused: set[int],
                counts: Counter) -> int:
    basis = rule["denominator"]
    if basis == "valid_ballots":
        return sum(counts[c] for c in CHOICES)
    entitled = {entry[0] for entry in snapshot.get("entitled", [])}
    if basis == "all_members":
        return len(entitled - recused)
    voters = set(snapshot.get("present", []))
    if rules.written_allowed(rule):
        voters |= set(snapshot.get("written", []))
    return len((voters & entitled) - recused)


def count_item(session: Session, item: AgendaItem,
               ballots: list[tuple[str, dict]]) -> dict[str, Any]:
    """The item's tally: counts, denominator, votes needed and outcome."""
    rule = rules.item_rule(item)
    method = rules.council_method(rule)
    if method == "open_vote":
        counts = Counter(session.scalars(select(OpenVote.choice).where(
            OpenVote.item_id == item.id).order_by(OpenVote.choice)))
    else:
        key = str(item.id)
        counts = Counter(choices[key] for _receipt, choices in ballots if key in choices)
    recused = recused_ids(item)
    snapshot = item.round.quorum
    threshold = Threshold.from_rule(rule)
    total = denominator(rule, snapshot, recused, counts)
    needed = threshold.votes_needed(total)
    # is_met raises RuleError if more agreed than could vote: an integrity alarm, not a vote.
    outcome = "approved" if threshold.is_met(counts["agree"], total) else "rejected"
    return {
        "method": method,
        "rule": {k: rule.get(k) for k in ("method", "numerator", "denominator", "comparator",
                                          "ratio", "absent_may_vote_in_writing")},
        "agree": counts["agree"], "disagree": counts["disagree"],
        "abstain": counts["abstain"],
        "recused": sorted(recused),
        "denominator": total,
        "votes_needed": needed,
        "outcome": outcome,
    }
