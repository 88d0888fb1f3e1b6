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


def _recorded_head(session: Session) -> tuple[int, str] | None:
    # Columns, not the ORM object: always the committed row, never a cached identity.
    row = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).first()
    return (row.seq, row.hash) if row is not None else None


def _hash_at(session: Session, seq: int) -> str | None:
    if seq == 0:
        return GENESIS_HASH
    return session.scalar(select(AuditEvent.hash).where(AuditEvent.seq == seq))


def verify_chain(session: Session, batch: int = 2000) -> VerifyResult:
    """Walk the chain in `seq` order; name the first missing, inserted or altered event.

    Checks: seq runs 1, 2, 3 … without gaps; each `prev_hash` is the previous `hash`; each
    `hash` is recomputed from the stored fields; the chain head row (updated in the same
    transaction as every legitimate append) matches the last event: an event after the
    recorded head was appended behind the application's back, a head beyond the last event
    means events were removed at the end.
    """
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    last_seq = 0
    table = AuditEvent.__table__
    while True:
        rows = session.execute(
            select(*table.c).where(table.c.seq > last_seq).order_by(table.c.seq).limit(batch)
        ).all()
        if not rows:
            # The head is read after the walk: a legitimate append commits its event and its
            # head together, so a head beyond the walk means events committed meanwhile (walk
            # on to them) or removed at the end (named below).
            head = _recorded_head(session)
            more = session.scalar(select(table.c.seq).where(table.c.seq > last_seq).limit(1))
            if head is not None and head[0] > checked and more is not None:
                continue
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
    if head is None:
        return VerifyResult(False, checked, None, "the chain head row (audit_head) is missing")
    head_seq, head_hash = head
    if head_seq > checked:
        return VerifyResult(False, checked, checked + 1,
                            f"event {checked + 1} is missing: the recorded head is seq "
                            f"{head_seq} (events removed at the end?)")
    if head_seq < checked and _hash_at(session, head_seq) == head_hash:
        return VerifyResult(False, head_seq, head_seq + 1,
                            f"event after the recorded head (seq {head_seq}): appended behind "
                            f"the application's back?")
    if head_seq < checked or head_hash != prev_hash:
        return VerifyResult(False, max(head_seq - 1, 0), head_seq or None,
                            f"the recorded head (seq {head_seq}) does not match the chain's "
                            f"hash at that seq (head row altered?)")
    return VerifyResult(True, checked, head_hash=prev_hash)
