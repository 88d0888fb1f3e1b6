"""What the audit trail says happened in a session, replayed from its events alone.

Used to check signed minutes (`minutes_verify.py`): the minutes are built from the tables,
this from the append-only audit events, so a difference means one of them was changed.
Only events up to a given `seq` count (the chain head recorded in the minutes): what
happened after the minutes were generated is not expected in them.

Events read: `council.item_added` / `item_removed`, `attendance_recorded`,
`recused_automatically`, `conflict_declared` / `conflict_decided`, `round_opened`,
`item_held`, `chair_ruling` (subject: the session) and `council.tallied` (subject: each
round). None of them holds a ballot's content.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.models.audit import AuditEvent


@dataclass
class ItemTrail:
    dossier_id: int
    recusals: dict[int, dict[str, str]] = field(default_factory=dict)  # member id → entry
    hold_reason: str | None = None
    ruling: tuple[str, str] | None = None  # (decision, reason)
    tally: dict[str, Any] | None = None  # the `council.tallied` line


@dataclass
class RoundTrail:
    round_id: int
    quorum: dict[str, Any]
    entitled: list[int]
    ballot_set_hash: str | None = None
    ballots: int | None = None


@dataclass
class SessionTrail:
    events: list[AuditEvent] = field(default_factory=list)
    attendance: dict[int, str] = field(default_factory=dict)
    items: dict[int, ItemTrail] = field(default_factory=dict)  # item id → trail
    rounds: dict[int, RoundTrail] = field(default_factory=dict)  # round number → trail

    def item_for_dossier(self, dossier_id: int) -> tuple[int, ItemTrail] | None:
        return next(((i, t) for i, t in self.items.items() if t.dossier_id == dossier_id),
                    None)


def _events(session: Session, subject_type: str, ids: list[str], upto: int) -> list:
    if not ids:
        return []
    return list(session.scalars(select(AuditEvent).where(
        AuditEvent.subject_type == subject_type, AuditEvent.subject_id.in_(ids),
        AuditEvent.seq <= upto).order_by(AuditEvent.seq)))


def _recusal(trail: SessionTrail, data: dict) -> dict[int, dict[str, str]] | None:
    item = trail.items.get(data.get("item_id"))
    return item.recusals if item is not None else None


def _apply(trail: SessionTrail, event: AuditEvent) -> None:
    data, action = event.data or {}, event.action
    if action == "council.item_added":
        trail.items[data["item_id"]] = ItemTrail(data["dossier_id"])
    elif action == "council.item_removed":
        trail.items.pop(data["item_id"], None)
    elif action == "council.attendance_recorded":
        trail.attendance[data["member_id"]] = data["status"][1]
    elif action == "council.recused_automatically":
        recusals = _recusal(trail, data)
        for member_id, kind in data.get("recusals", []) if recusals is not None else []:
            entry = recusals.setdefault(member_id, {"reason": ""})
            entry.update(kind=kind, status="accepted")
    elif action == "council.conflict_declared":
        recusals = _recusal(trail, data)
        if recusals is not None:
            recusals[data["member_id"]] = {"kind": "declared", "status": "pending",
                                           "reason": data.get("reason", "")}
    elif action == "council.conflict_decided":
        recusals = _recusal(trail, data)
        if recusals is not None and data["member_id"] in recusals:
            recusals[data["member_id"]]["status"] = data["status"]
    elif action == "council.round_opened":
        trail.rounds[data["number"]] = RoundTrail(data["round_id"], data.get("quorum", {}),
                                                  data.get("entitled", []))
    elif action == "council.item_held" and data.get("item_id") in trail.items:
        trail.items[data["item_id"]].hold_reason = data.get("reason", "")
    elif action == "council.chair_ruling" and data.get("item_id") in trail.items:
        trail.items[data["item_id"]].ruling = (data["ruling"], data.get("reason", ""))


def _apply_tally(trail: SessionTrail, event: AuditEvent) -> None:
    data = event.data or {}
    voting_round = next((r for r in trail.rounds.values()
                         if str(r.round_id) == event.subject_id), None)
    if voting_round is not None:
        voting_round.ballot_set_hash = data.get("ballot_set_hash")
        voting_round.ballots = data.get("ballots")
    for line in data.get("items", []):
        item = trail.items.get(line.get("item_id"))
        if item is not None:
            item.tally = line


def replay(session: Session, session_id: int, upto: int) -> SessionTrail:
    """The session's trail from its audit events with `seq <= upto`."""
    trail = SessionTrail()
    own = _events(session, "council_session", [str(session_id)], upto)
    for event in own:
        _apply(trail, event)
    tallies = _events(session, "council_round",
                      [str(r.round_id) for r in trail.rounds.values()], upto)
    for event in tallies:
        if event.action == "council.tallied":
            _apply_tally(trail, event)
    trail.events = sorted(own + tallies, key=lambda e: e.seq)
    return trail
