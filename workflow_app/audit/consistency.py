"""Cross-checks between the chain and the live tables.

A dossier's `state` must equal the `to_state` of its latest state-changing audit event:
a state written behind the engine's back (a direct UPDATE) shows up here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow_app.models.audit import AuditEvent
from workflow_app.models.dossier import Dossier


@dataclass(frozen=True)
class StateMismatch:
    dossier_id: int
    state: str
    last_event_seq: int | None
    last_event_state: str | None

    def describe(self) -> str:
        if self.last_event_seq is None:
            return f"dossier {self.dossier_id}: state '{self.state}' but no audit event at all"
        return (f"dossier {self.dossier_id}: state '{self.state}' but its last event "
                f"(seq {self.last_event_seq}) says '{self.last_event_state}'")


def dossier_state_mismatches(session: Session, limit: int = 100) -> list[StateMismatch]:
    last = (
        select(AuditEvent.subject_id, func.max(AuditEvent.seq).label("seq"))
        .where(AuditEvent.subject_type == "dossier", AuditEvent.to_state.is_not(None))
        .group_by(AuditEvent.subject_id)
        .subquery()
    )
    latest = dict(
        (int(subject_id), (seq, to_state))
        for subject_id, seq, to_state in session.execute(
            select(last.c.subject_id, last.c.seq, AuditEvent.to_state).join(
                AuditEvent, AuditEvent.seq == last.c.seq)
        )
    )
    problems: list[StateMismatch] = []
    for dossier_id, state in session.execute(select(Dossier.id, Dossier.state)
                                             .order_by(Dossier.id)):
        seq, recorded = latest.get(dossier_id, (None, None))
        if recorded != state:
            problems.append(StateMismatch(dossier_id, state, seq, recorded))
            if len(problems) >= limit:
                break
    return problems
