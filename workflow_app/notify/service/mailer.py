"""Sending the outbox over SMTP, after the transaction that queued the mail has committed.

Called by the worker (`flask worker run`), by `flask notify send` (cron still works) and,
unless SEND_MAIL_IN_REQUEST is off, right after a request that queued mail. Any number of
them may run at once, on any host: each claims the messages it sends first (a lease,
`workflow_app/leases.py`), so no message is sent twice. A failed send is recorded on the
row (attempts, last error) and tried again after a back-off — 1, 2, 4, 8 … minutes
(`retry_delay`) — until MAX_ATTEMPTS; the message is then `failed` and listed on the admin
status page, where an administrator can queue it again.
"""

from __future__ import annotations

import smtplib
from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from workflow_app import leases
from workflow_app.audit.chain import record
from workflow_app.models.base import utcnow
from workflow_app.models.notification import OutboxMessage

MAX_ATTEMPTS = 5
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
# Long enough for a batch at the SMTP timeout per message; a dead sender's messages come
# back after it.
LEASE = timedelta(minutes=10)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failure: 1, 2, 4, 8 … minutes, at most 1 h."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def _due(now: datetime) -> list:
    return [OutboxMessage.status == "pending",
            or_(OutboxMessage.next_attempt_at.is_(None), OutboxMessage.next_attempt_at <= now)]


def send_pending(session: Session, *, host: str, port: int, sender: str,
                 limit: int = 50, timeout: float = 10.0, owner: str = "sender",
                 now: datetime | None = None) -> tuple[int, int]:
    """Send up to `limit` messages that are due; return (sent, failed attempts)."""
    now = now or utcnow()
    token, ids = leases.claim(session, OutboxMessage, due=_due(now), order_by=OutboxMessage.id,
                              owner=owner, limit=limit, lease=LEASE, now=now)
    if not ids:
        return 0, 0
    try:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    except OSError as exc:
        for message_id in ids:
            _failed(session, session.get(OutboxMessage, message_id), token, f"connect: {exc}",
                    now)
        session.commit()
        return 0, len(ids)
    sent = failed = 0
    with smtp:
        for message_id in ids:
            row = session.get(OutboxMessage, message_id, populate_existing=True)
            if row is None or row.status != "pending" or row.claimed_by != token:
                session.commit()
                continue
            email = EmailMessage()
            email["From"], email["To"], email["Subject"] = sender, row.recipient, row.subject
            email.set_content(row.body)
            session.commit()  # hold no transaction (no SQLite lock) while the relay answers
            try:
                smtp.send_message(email)
                error = None
            except (smtplib.SMTPException, OSError) as exc:
                error = str(exc) or type(exc).__name__
            row = session.get(OutboxMessage, message_id, populate_existing=True)
            if error is not None:
                _failed(session, row, token, error, now)
                failed += 1
            elif row is not None and row.claimed_by == token:
                row.attempts += 1
                row.status, row.sent_at = "sent", utcnow()
                row.claimed_until = None
                sent += 1
            session.commit()
    return sent, failed


def _failed(session: Session, row: OutboxMessage | None, token: str, error: str,
            now: datetime) -> None:
    if row is None or row.claimed_by != token:
        return
    row.attempts += 1
    row.last_error = error[:255]
    if row.attempts >= MAX_ATTEMPTS:
        row.status, row.next_attempt_at = "failed", None
    else:
        row.next_attempt_at = now + retry_delay(row.attempts)
    row.claimed_until = None


def retry_failed(session: Session, message_id: int | None = None, *, actor=None) -> int:
    """Queue failed messages again (one, or all): pending, due now, attempts from zero;
    audited when there were any. Returns how many. The caller commits."""
    statement = update(OutboxMessage).where(OutboxMessage.status == "failed")
    if message_id is not None:
        statement = statement.where(OutboxMessage.id == message_id)
    result = session.execute(statement.values(status="pending", attempts=0,
                                              next_attempt_at=None, claimed_until=None)
                             .execution_options(synchronize_session=False))
    if result.rowcount:
        record(session, "outbox.retried", "system", "outbox", actor=actor,
               data={"messages": result.rowcount, "message_id": message_id})
    return result.rowcount
