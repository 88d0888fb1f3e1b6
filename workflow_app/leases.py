"""Claiming queued rows with a lease, so that several workers on several hosts never take
the same row (the e-mail outbox, webhook deliveries, webhook subscriptions' cursors).

A row is free when nobody holds it (`claimed_until` empty or past). `claim` marks up to
`limit` free rows as the caller's until `now + lease`, in ONE statement:

    UPDATE t SET claimed_by = :token, claimed_until = :until
    WHERE id IN (SELECT id FROM t WHERE <due> AND <free> ORDER BY … LIMIT n
                 [FOR UPDATE SKIP LOCKED])
      AND <free>
    RETURNING id

- PostgreSQL: rows another worker is claiming at this moment are skipped (SKIP LOCKED); a
  row claimed and committed meanwhile fails the outer `<free>` re-check (PostgreSQL checks
  the newest version of a row it updates), so it is never taken twice.
- SQLite: one statement is atomic; writers queue on the database lock.

The token is unique per claim (`owner/random`); the statement returns the ids it claimed
(RETURNING: PostgreSQL, SQLite >= 3.35). A worker that dies holding rows lets them go when the
lease ends; every write that finishes the work checks the token (`claimed_by`), so a worker
whose lease ran out does not overwrite what another did since.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from workflow_app.models.base import utcnow


def is_free(model, now: datetime):
    return or_(model.claimed_until.is_(None), model.claimed_until < now)


def claim(session: Session, model, *, due, order_by, owner: str, limit: int,
          lease: timedelta, now: datetime | None = None) -> tuple[str, list[int]]:
    """Claim up to `limit` free rows of `model` matching the conditions `due` (a list);
    return (the claim's token, the claimed ids in order). Commits."""
    now = now or utcnow()
    token = f"{owner}/{secrets.token_hex(4)}"[-100:]
    free = is_free(model, now)
    # correlate(None): the subquery reads the table on its own, not the row being updated
    candidates = (select(model.id).where(*due, free).order_by(order_by).limit(limit)
                  .correlate(None))
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    ids = sorted(session.scalars(update(model).where(model.id.in_(candidates), free)
                                 .values(claimed_by=token, claimed_until=now + lease)
                                 .returning(model.id)
                                 .execution_options(synchronize_session=False)))
    session.commit()
    return token, ids


def release(session: Session, model, row_id: int, token: str) -> None:
    """Give a row back before its lease ends (the work is done or given up)."""
    session.execute(update(model).where(model.id == row_id, model.claimed_by == token)
                    .values(claimed_until=None)
                    .execution_options(synchronize_session=False))
