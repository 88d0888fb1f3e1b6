"""Ballot papers and casting.

Guarantees (tests: tests/test_voting_*.py):
- one ballot per member per round: the register row `Participation(round_id, member_id)`
  is inserted in the same transaction as the ballot, and its primary key is the only
  guard — a second submit, concurrent or not, fails with AlreadyVoted and leaves nothing;
- a secret ballot row holds a random key, the round, a random receipt code and the
  choices — no member id, no sequence, no time; the audit event of a cast names the member
  and the channel only;
- no ballot is accepted once the round is closed: a cast holds a shared lock on the round
  row (`FOR SHARE` on PostgreSQL; SQLite write transactions are exclusive), and closing
  takes an exclusive lock, so a cast either commits before the close starts counting or
  sees the round closed;
- a member's paper lists the round's items minus those the member is recused from (shown
  apart by `recused_items`, without choices); an
  absent member's written paper (entered by the secretary) lists only the items whose rule
  allows written votes.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.council.service import access, receipts, rules
from workflow_app.council.service.errors import AlreadyVoted, InvalidInput, NotAllowed, RoundClosed
from workflow_app.council.service.recusal import recused_ids
from workflow_app.models.ballot import CHOICES, Ballot, OpenVote, Participation
from workflow_app.models.base import utcnow
from workflow_app.models.council import AgendaItem, CouncilMember, Recusal, VotingRound
from workflow_app.models.user import User
from workflow_app.workflow.engine import require_transaction

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud, copied by hand
RECEIPT_GROUPS = 3
_shuffler = random.SystemRandom()


@dataclass(frozen=True)
class CastResult:
    """What the voter is told once: the receipt code (None when every item was open)."""

    receipt: str | None
    items: int
    codes: tuple[tuple[int, str], ...] = ()  # (item id, per-item code) of the secret items


def new_receipt() -> str:
    """A random code such as "K7QX-2M9P-WR4D" (60 bits from `secrets`)."""
    groups = ("".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(4))
              for _ in range(RECEIPT_GROUPS))
    return "-".join(groups)


def paper_items(voting_round: VotingRound, member: CouncilMember,
                channel: str = "online") -> list[AgendaItem]:
    """The items on `member`'s paper in this round ([] when the member cannot vote)."""
    snapshot = voting_round.quorum
    if member.id not in {entry[0] for entry in snapshot.get("entitled", [])}:
        return []
    if channel == "online" and member.id not in snapshot.get("present", []):
        return []
    if channel == "written" and member.id not in snapshot.get("written", []):
        return []
    items = [item for item in voting_round.items if member.id not in recused_ids(item)]
    if channel == "written":
        items = [item for item in items if rules.written_allowed(item.rule)]
    return items


def recused_items(voting_round: VotingRound,
                  member: CouncilMember) -> list[tuple[AgendaItem, Recusal]]:
    """The round's items `member` is recused from, with the accepted recusal (for display)."""
    found = []
    for item in voting_round.items:
        entry = next((r for r in item.recusals
                      if r.member_id == member.id and r.status == "accepted"), None)
        if entry is not None:
            found.append((item, entry))
    return found


def lock_round(session: Session, voting_round: VotingRound, *, exclusive: bool) -> None:
    """Lock the round row and re-read it (shared for casting, exclusive for closing)."""
    require_transaction(session)
    session.execute(select(VotingRound).where(VotingRound.id == voting_round.id)
                    .with_for_update(read=not exclusive)
                    .execution_options(populate_existing=True)).scalar_one()


def _clean_choices(items: list[AgendaItem], choices: dict[Any, str]) -> dict[int, str]:
    wanted = {item.id for item in items}
    cleaned: dict[int, str] = {}
    for key, choice in choices.items():
        try:
            item_id = int(key)
        except (TypeError, ValueError):
            raise InvalidInput(_("The ballot names an item that is not on it.")) from None
        if item_id not in wanted:
            raise InvalidInput(_("The ballot names an item that is not on it."))
        if choice not in CHOICES:
            raise InvalidInput(_("Choose agree, disagree or abstain for every item."))
        cleaned[item_id] = choice
    if set(cleaned) != wanted:
        raise InvalidInput(_("Choose agree, disagree or abstain for every item."))
    return cleaned


def cast(session: Session, voting_round: VotingRound, member: CouncilMember,
         choices: dict[Any, str], *, actor: User, channel: str = "online") -> CastResult:
    """Cast `member`'s ballot (online by the member, or written entered by the secretary)."""
    if channel == "online" and actor.id != member.user_id:
        raise NotAllowed(_("Only the member can cast their own ballot."))
    if channel == "written" and not access.is_secretary(actor, voting_round.session.council):
        raise NotAllowed()
    lock_round(session, voting_round, exclusive=False)
    if not voting_round.is_open:
        raise RoundClosed()
    items = paper_items(voting_round, member, channel)
    if not items:
        raise NotAllowed(_("You have no ballot paper in this round."))
    cleaned = _clean_choices(items, choices)
    secret = {i.id: cleaned[i.id] for i in items if rules.council_method(i.rule) != "open_vote"}
    # Read before adding the row: after a failed flush the session cannot load anything.
    name = member.name if channel == "written" else ""
    # The register row first, alone in its flush: the primary key refuses a second one
    # (a concurrent one waits for the first to commit, then fails). The caller rolls back.
    session.add(Participation(
        round_id=voting_round.id, member_id=member.id, voted_at=utcnow(), channel=channel,
        entered_by_id=actor.id if channel == "written" else None, secret_paper=bool(secret)))
    try:
        session.flush()
    except IntegrityError:
        if channel == "written":
            # Lazy: the session is unusable until rolled back, and choosing the language
            # may read the signed-in user.
            raise AlreadyVoted(_l("The written vote of %(name)s was already entered.",
                                  name=name)) from None
        raise AlreadyVoted() from None
    receipt = None
    if secret:
        receipt = new_receipt()
        session.add(Ballot(id=secrets.token_hex(16), round_id=voting_round.id, receipt=receipt,
                           choices={str(k): v for k, v in sorted(secret.items())}))
    for item in items:
        if item.id not in secret:
            session.add(OpenVote(item_id=item.id, member_id=member.id,
                                 round_id=voting_round.id, choice=cleaned[item.id]))
    session.flush()
    action = "council.written_vote_entered" if channel == "written" else "council.ballot_cast"
    # Who took part, never what was chosen nor which ballot is theirs.
    record(session, action, "council_round", voting_round.id, actor=actor,
           data={"member_id": member.id, "channel": channel})
    return CastResult(receipt, len(items),
                      tuple(receipts.item_codes(receipt, voting_round, list(secret))))


def reshuffle(session: Session, voting_round: VotingRound) -> None:
    """Rewrite the round's ballots in random order, in the closing transaction.

    Afterwards no stored property of a ballot row reflects when or in which transaction it
    was cast: on PostgreSQL every row's xmin is the closing transaction and its position
    (ctid) follows the shuffle; on SQLite (WITHOUT ROWID, random keys) nothing changes.
    """
    rows = [dict(row._mapping) for row in session.execute(
        select(Ballot.id, Ballot.round_id, Ballot.receipt, Ballot.choices)
        .where(Ballot.round_id == voting_round.id))]
    if not rows:
        return
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Ballot):
            session.expunge(obj)
    session.execute(delete(Ballot).where(Ballot.round_id == voting_round.id))
    _shuffler.shuffle(rows)
    session.execute(insert(Ballot), rows)


def has_voted(session: Session, voting_round: VotingRound, member: CouncilMember) -> bool:
    return session.get(Participation, (voting_round.id, member.id)) is not None


def published_receipts(session: Session, voting_round: VotingRound) -> list[tuple[str, dict]]:
    """After close: every receipt code with its choices, ordered by receipt code."""
    if voting_round.is_open:
        return []
    return [(receipt, choices) for receipt, choices in session.execute(
        select(Ballot.receipt, Ballot.choices).where(Ballot.round_id == voting_round.id)
        .order_by(Ballot.receipt))]


def vacuum_after_close(engine) -> None:
    """PostgreSQL: reclaim the dead row versions the close left behind (they still carry the
    casting transactions' ids until vacuumed). Best effort, after the commit: VACUUM cannot
    run inside a transaction. SQLite keeps nothing of the kind: nothing to do."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("VACUUM council_ballot")
