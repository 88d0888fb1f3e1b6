"""Appending to the audit chain. Every writer goes through `record`.

`record` runs inside the caller's transaction: the event commits or rolls back together
with the change it describes. It locks the chain head (`SELECT … FOR UPDATE` on
PostgreSQL; on SQLite the write transaction is already exclusive through BEGIN IMMEDIATE),
so concurrent transactions extend the chain one after another, never forking it.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.canonical import canonical_json, event_hash
from workflow_app.models.audit import AuditEvent, AuditHead
from workflow_app.models.base import utcnow


def _lock_head(session: Session) -> AuditHead:
    head = session.execute(
        select(AuditHead).where(AuditHead.id == 1).with_for_update().execution_options(
            populate_existing=True)
    ).scalar_one_or_none()
    if head is None:
        raise RuntimeError("audit_head row missing: run `flask db upgrade`")
    return head


def record(
    session: Session,
    action: str,
    subject_type: str,
    subject_id: Any,
    *,
    actor: Any = None,
    actor_label: str | None = None,
    data: dict[str, Any] | None = None,
    from_state: str | None = None,
    to_state: str | None = None,
) -> AuditEvent:
    """Append one event to the chain in the current transaction and return it.

    `data` must be JSON-serialisable; it is normalised through canonical JSON so that what
    is stored is exactly what was hashed. It must never hold ballot contents.
    """
    head = _lock_head(session)
    normalised = json.loads(canonical_json(data or {}))
    fields = {
        "seq": head.seq + 1,
        "occurred_at": utcnow(),
        "actor_id": getattr(actor, "id", None),
        "actor_label": actor_label if actor_label is not None else getattr(actor, "username", ""),
        "action": action,
        "subject_type": subject_type,
        "subject_id": str(subject_id),
        "from_state": from_state,
        "to_state": to_state,
        "data": normalised,
    }
    digest = event_hash(head.hash, fields)
    event = AuditEvent(**fields, prev_hash=head.hash, hash=digest)
    session.add(event)
    head.seq = fields["seq"]
    head.hash = digest
    session.flush()
    return event


def is_chain_collision(error: Exception) -> bool:
    """Did inserting the next event clash with an event already stored at that place?

    `record` numbers the next event from the head row, under its lock, so only an event
    written behind the application's back (the head not moved) can already hold that number.
    Every write then fails on it until someone looks: the refusal must say so, not "saved at
    the same time, try again"."""
    statement = (getattr(error, "statement", None) or "").lstrip().upper()
    return statement.startswith("INSERT INTO AUDIT_EVENT")


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field-level difference {field: [old, new]} for the fields that changed."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def author_of_version(session: Session, subject_type: str, subject_id: int | str,
                      version: int) -> int | None:
    """Who made a subject's `version`: the author of the latest of its recent events that
    records that version (events that change no version — a comment, an override — are
    passed over), else of its latest event. Lets a stale page say "you changed it in
    another tab" rather than "someone else did"."""
    rows = session.execute(
        select(AuditEvent.actor_id, AuditEvent.data)
        .where(AuditEvent.subject_type == subject_type,
               AuditEvent.subject_id == str(subject_id))
        .order_by(AuditEvent.seq.desc()).limit(20)).all()
    for actor_id, data in rows:
        if isinstance(data, dict) and data.get("version") == version:
            return actor_id
    return rows[0].actor_id if rows else None
