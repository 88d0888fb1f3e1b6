"""Opening and closing voting rounds.

Opening (secretary): every item of the round must have its declared conflicts decided; the
automatic recusals are refreshed; the quorum is checked and snapshotted; each item's vote
rule is fixed from its dossier's rule version; the engine's `open_vote` fires on each
dossier. One transaction: if any dossier cannot open, nothing opens.

Closing (secretary): the round row is locked exclusively (waiting for casts in flight), the
round is marked closed, the ballots are rewritten in random order, every item is counted,
`dossier.vote_outcome` is set and the engine's `close_vote_approved` / `close_vote_rejected`
fires — except on items the chair holds for a ruling, which stay in voting with their
outcome recorded. One transaction, audited as `council.round_closed` and `council.tallied`
(counts and the ballot-set hash only).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.council.service import ballots, recusal, rules, tally
from workflow_app.council.service.attendance import quorum_snapshot
from workflow_app.council.service.errors import CouncilError, QuorumNotMet
from workflow_app.council.service.sessions import require_secretary, today
from workflow_app.models.ballot import Ballot, Participation
from workflow_app.models.base import utcnow
from workflow_app.models.council import AgendaItem, CouncilSession, VotingRound
from workflow_app.models.user import User
from workflow_app.workflow import fire, lock_dossier
from workflow_app.workflow.engine import require_transaction


def _lock_session(session: Session, meeting: CouncilSession) -> None:
    require_transaction(session)
    session.execute(select(CouncilSession).where(CouncilSession.id == meeting.id)
                    .with_for_update().execution_options(populate_existing=True)).scalar_one()
    session.expire(meeting, ["rounds", "items", "attendance"])


def _round_items(meeting: CouncilSession, only: AgendaItem | None) -> list[AgendaItem]:
    unvoted = [item for item in meeting.items if item.round_id is None]
    if only is not None:
        if only.session_id != meeting.id or only.round_id is not None:
            raise CouncilError(_("This item is not waiting for a vote in this session."))
        return [only]
    if not unvoted:
        raise CouncilError(_("No agenda item is waiting for a vote."))
    return unvoted


def open_round(session: Session, meeting: CouncilSession, *, actor: User,
               only: AgendaItem | None = None) -> VotingRound:
    """Open a round on every item still to be voted, or on `only`."""
    require_secretary(actor, meeting.council)
    _lock_session(session, meeting)
    if meeting.ended_at is not None:
        raise CouncilError(_("This session has ended."))
    if any(r.is_open for r in meeting.rounds):
        raise CouncilError(_("A round is already open in this session."))
    if meeting.held_on > today():
        # Members vote at the meeting: a round opened days ahead would record ballots cast
        # before the council met (found in the new-user run).
        raise CouncilError(_("This session is scheduled for %(date)s: voting opens on that day.",
                             date=meeting.held_on.strftime("%d/%m/%Y")))
    items = _round_items(meeting, only)
    undecided = [item for item in items if recusal.pending(item)]
    if undecided:
        raise CouncilError(_("The chair must first decide the declared conflicts on: "
                             "%(items)s.", items="; ".join(i.dossier.title for i in undecided)))
    moved = [item for item in items if item.dossier.state != "awaiting_council"]
    if moved:
        raise CouncilError(_("These dossiers no longer await the council; remove them from the "
                             "agenda: %(items)s.", items="; ".join(i.dossier.title for i in moved)))
    for item in items:
        recusal.apply_automatic(session, item, actor=actor)
    snapshot = quorum_snapshot(meeting)
    if not snapshot["met"]:
        raise QuorumNotMet(_("The quorum is not met: %(present)d of %(entitled)d voting "
                             "members present, %(needed)d needed.",
                             present=snapshot["present_count"],
                             entitled=snapshot["entitled_count"], needed=snapshot["needed"]))
    voting_round = VotingRound(session=meeting, number=len(meeting.rounds) + 1, status="open",
                               quorum=snapshot, opened_at=utcnow(), opened_by_id=actor.id)
    session.add(voting_round)
    for item in items:
        item.rule = rules.dossier_rule(item)
        item.round = voting_round
    session.flush()
    record(session, "council.round_opened", "council_session", meeting.id, actor=actor,
           data={"round_id": voting_round.id, "number": voting_round.number,
                 "items": [[i.id, i.dossier_id, rules.council_method(i.rule)] for i in items],
                 "quorum": {k: snapshot[k] for k in ("rule", "entitled_count", "present_count",
                                                      "needed", "met", "present", "written")},
                 "entitled": [entry[0] for entry in snapshot["entitled"]]})
    for item in items:
        fire(session, item.dossier, "open_vote", actor)
    return voting_round


def close_round(session: Session, voting_round: VotingRound, *, actor: User) -> None:
    meeting = voting_round.session
    require_secretary(actor, meeting.council)
    ballots.lock_round(session, voting_round, exclusive=True)
    if not voting_round.is_open:
        raise CouncilError(_("This round is already closed."))
    voting_round.status = "closed"
    voting_round.closed_at = utcnow()
    voting_round.closed_by_id = actor.id
    session.flush()
    ballots.reshuffle(session, voting_round)
    papers = session.scalar(select(func.count()).select_from(Participation).where(
        Participation.round_id == voting_round.id, Participation.secret_paper.is_(True)))
    stored = session.scalar(select(func.count()).select_from(Ballot).where(
        Ballot.round_id == voting_round.id))
    if papers != stored:  # cannot happen through `cast`; refuse to count a broken box
        raise CouncilError(_("The ballot box does not match the register (%(b)d ballots, "
                             "%(p)d voters): the round cannot be counted.", b=stored, p=papers))
    box = tally.round_ballots(session, voting_round)
    voting_round.ballot_count = stored
    voting_round.ballot_set_hash = tally.ballot_set_hash(box)
    results = []
    for item in voting_round.items:
        item.tally = tally.count_item(session, item, box)
        item.outcome = item.tally["outcome"]
        results.append(item)
    session.flush()
    participants = session.scalar(select(func.count()).select_from(Participation).where(
        Participation.round_id == voting_round.id))
    record(session, "council.round_closed", "council_session", meeting.id, actor=actor,
           data={"round_id": voting_round.id, "participants": participants,
                 "ballots": stored})
    record(session, "council.tallied", "council_round", voting_round.id, actor=actor,
           data={"ballot_set_hash": voting_round.ballot_set_hash, "ballots": stored,
                 "items": [_audit_line(item) for item in results]})
    for item in results:
        _apply_outcome(session, item, actor)


def _audit_line(item: AgendaItem) -> dict:
    t = item.tally
    return {"item_id": item.id, "dossier_id": item.dossier_id, "method": t["method"],
            "agree": t["agree"], "disagree": t["disagree"], "abstain": t["abstain"],
            "recused": len(t["recused"]), "denominator": t["denominator"],
            "votes_needed": t["votes_needed"], "outcome": t["outcome"],
            "held_for_chair": item.held_for_chair}


def _apply_outcome(session: Session, item: AgendaItem, actor: User) -> None:
    dossier = item.dossier
    lock_dossier(session, dossier, None)
    dossier.vote_outcome = item.outcome
    dossier.version += 1
    session.flush()
    if not item.held_for_chair:
        trigger = "close_vote_approved" if item.outcome == "approved" else "close_vote_rejected"
        fire(session, dossier, trigger, actor)


def turnout(session: Session, voting_round: VotingRound) -> dict[str, object]:
    """How many ballots the round has received so far, never whose: online ballots against
    the members present at the opening, and which absent members' written votes are
    entered (entering them is the secretary's own, audited act)."""
    rows = session.execute(select(Participation.member_id, Participation.channel).where(
        Participation.round_id == voting_round.id)).all()
    return {"voted": sum(1 for _member, channel in rows if channel == "online"),
            "present": voting_round.quorum.get("present_count", 0),
            "written_entered": sorted(m for m, channel in rows if channel == "written")}
