"""Recompute the audit chain and report the first event that does not fit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.canonical import event_hash
from workflow_app.models.audit import GENESIS_HASH, AuditEvent, AuditHead


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    first_bad_seq: int | None = None
    reason: str = ""
    head_hash: str = GENESIS_HASH


def _fields(event) -> dict:
    return {
        "seq": event.seq,
        "occurred_at": event.occurred_at,
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "subject_type": event.subject_type,
        "subject_id": event.subject_id,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "data": event.data,
    }


def verify_chain(session: Session, batch: int = 2000) -> VerifyResult:
    """Walk the chain in `seq` order; name the first missing, inserted or altered event.

    Checks: seq runs 1, 2, 3 … without gaps; each `prev_hash` is the previous `hash`; each
    `hash` is recomputed from the stored fields; the chain head row matches the last event.
    """
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    last_seq = 0
    while True:
        table = AuditEvent.__table__
        rows = session.execute(
            select(*table.c).where(table.c.seq > last_seq).order_by(table.c.seq).limit(batch)
        ).all()
        if not rows:
            break
        for event in rows:
            if event.seq != expected_seq:
                return VerifyResult(False, checked, expected_seq,
                                    f"event {expected_seq} is missing (next found: {event.seq})")
            if event.prev_hash != prev_hash:
                return VerifyResult(False, checked, event.seq,
                                    "prev_hash does not match the previous event's hash")
            if event_hash(prev_hash, _fields(event)) != event.hash:
                return VerifyResult(False, checked, event.seq,
                                    "hash does not match the event's contents")
            prev_hash = event.hash
            expected_seq += 1
            checked += 1
        last_seq = rows[-1].seq
    head = session.get(AuditHead, 1)
    if head is not None and (head.seq != checked or head.hash != prev_hash):
        return VerifyResult(False, checked, checked + 1 if head.seq > checked else head.seq,
                            "chain head does not match the last event (events removed at the end?)")
    return VerifyResult(True, checked, head_hash=prev_hash)
