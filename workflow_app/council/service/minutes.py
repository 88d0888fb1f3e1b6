"""The minutes' content (biên bản), built from what actually happened in a session.

`minutes_of` returns a JSON-ready dict: council, date and place; who sat and how
(present / absent / written vote); each round with its quorum snapshot, ballot count and
ballot-set hash; each agenda item with its dossier, recusals, tally, outcome and the chair's
reservation and ruling with their reasons; and the audit-chain head when it was built.

Guarantee: nothing in it links a ballot to a member. It reads the rounds, the items' tallies
(counts only), attendance and recusals — never `Ballot`, `OpenVote` or the participation
register's rows beyond a count of written papers per round.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow_app.decisions.service.selection import award_name
from workflow_app.models.audit import AuditHead
from workflow_app.models.ballot import Participation
from workflow_app.models.base import utcnow
from workflow_app.models.council import AgendaItem, CouncilSession, VotingRound

# The place in the minutes' "<place>, ngày … tháng … năm …" line: a city, not the meeting
# room (`session.place`). Same default as the decisions' place of issue (issue.py);
# configurable parameter, no legal source.
PLACE_OF_SIGNING = "Hà Nội"
QUORUM_KEYS = ("rule", "entitled_count", "present_count", "needed", "met")


def _members(meeting: CouncilSession) -> list[dict[str, Any]]:
    statuses = {row.member_id: row.status for row in meeting.attendance}
    rows = []
    for member in meeting.council.members:
        if not member.serves_on(meeting.held_on):
            continue
        rows.append({"id": member.id, "name": member.name, "role": member.role,
                     "voting": member.voting,
                     "attendance": statuses.get(member.id, "absent")})
    return rows


def _round(session: Session, voting_round: VotingRound) -> dict[str, Any]:
    written = session.scalar(select(func.count()).select_from(Participation).where(
        Participation.round_id == voting_round.id, Participation.channel == "written"))
    names = {entry[0]: entry[1] for entry in voting_round.quorum.get("entitled", [])}
    snapshot = voting_round.quorum
    return {
        "number": voting_round.number,
        "status": voting_round.status,
        "opened_at": voting_round.opened_at.isoformat(),
        "closed_at": voting_round.closed_at.isoformat() if voting_round.closed_at else None,
        "quorum": {**{k: snapshot.get(k) for k in QUORUM_KEYS},
                   "present": [names.get(i, str(i)) for i in snapshot.get("present", [])],
                   "written": [names.get(i, str(i)) for i in snapshot.get("written", [])]},
        "ballot_count": voting_round.ballot_count,
        "written_papers": written or 0,
        "ballot_set_hash": voting_round.ballot_set_hash,
        "items": [item.position for item in voting_round.items],
    }


def _item(item: AgendaItem) -> dict[str, Any]:
    dossier = item.dossier
    tally = item.tally or {}
    return {
        "position": item.position,
        "dossier_id": dossier.id,
        "title": dossier.title,
        "nominee": dossier.nominee_name,
        "award": award_name(dossier),
        "round": item.round.number if item.round is not None else None,
        "recusals": [{"member": r.member.name, "kind": r.kind, "reason": r.reason,
                      "status": r.status} for r in item.recusals],
        "tally": {k: tally.get(k) for k in ("method", "rule", "agree", "disagree", "abstain",
                                            "denominator", "votes_needed", "outcome")}
        if tally else None,
        "recused_count": len(tally.get("recused", [])) if tally else None,
        "outcome": item.outcome,
        "held_for_chair": item.held_for_chair,
        "hold_reason": item.hold_reason,
        "ruling": item.ruling,
        "ruling_reason": item.ruling_reason,
    }


def audit_head(session: Session) -> dict[str, Any]:
    head = session.get(AuditHead, 1)
    return {"seq": head.seq if head else 0, "hash": head.hash if head else ""}


def minutes_of(session: Session, meeting: CouncilSession, *,
               number: dict[str, Any] | None = None) -> dict[str, Any]:
    """The session's minutes as they stand now (see the module docstring); `number` is the
    number given at sign-off ({"reference", "number", "year", "signed_on"}), None for a
    draft."""
    council = meeting.council
    members = _members(meeting)
    return {
        "council": {"id": council.id, "code": council.code, "name": council.name,
                    "unit": council.unit.name},
        "session": {"id": meeting.id, "title": meeting.title, "place": meeting.place,
                    "city": PLACE_OF_SIGNING,
                    "held_on": meeting.held_on.isoformat(),
                    "ended_at": meeting.ended_at.isoformat() if meeting.ended_at else None},
        "chair": next((m["name"] for m in members if m["role"] == "chair"), ""),
        "secretary": next((m["name"] for m in members if m["role"] == "secretary"), ""),
        "members": members,
        "rounds": [_round(session, r) for r in meeting.rounds],
        "items": [_item(item) for item in meeting.items],
        "audit_head": audit_head(session),
        "generated_at": utcnow().isoformat(),
        "number": number,
    }
