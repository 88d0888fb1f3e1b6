"""Sending the outbox over SMTP, after the transaction that queued the mail has committed.

Each message is claimed and marked in its own short transaction; a failure is recorded on
the row and retried later (`flask notify send`, e.g. from cron) up to MAX_ATTEMPTS.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.models.base import utcnow
from workflow_app.models.notification import OutboxMessage

MAX_ATTEMPTS = 5


def send_pending(session: Session, *, host: str, port: int, sender: str,
                 limit: int = 100, timeout: float = 10.0) -> tuple[int, int]:
    """Send up to `limit` pending messages; return (sent, failed)."""
    ids = list(session.scalars(
        select(OutboxMessage.id).where(OutboxMessage.status == "pending")
        .order_by(OutboxMessage.id).limit(limit)))
    session.commit()
    sent = failed = 0
    if not ids:
        return sent, failed
    try:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    except OSError as exc:
        _record_failure(session, ids, f"connect: {exc}")
        return 0, len(ids)
    with smtp:
        for message_id in ids:
            row = session.get(OutboxMessage, message_id, with_for_update=True)
            if row is None or row.status != "pending":
                session.commit()
                continue
            email = EmailMessage()
            email["From"], email["To"], email["Subject"] = sender, row.recipient, row.subject
            email.set_content(row.body)
            row.attempts += 1
            try:
                smtp.send_message(email)
            except (smtplib.SMTPException, OSError) as exc:
                row.last_error = str(exc)[:255]
                row.status = "failed" if row.attempts >= MAX_ATTEMPTS else "pending"
                failed += 1
            else:
                row.status, row.sent_at = "sent", utcnow()
                sent += 1
            session.commit()
    return sent, failed


def _record_failure(session: Session, ids: list[int], error: str) -> None:
    for row in session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))):
        row.attempts += 1
        row.last_error = error[:255]
        if row.attempts >= MAX_ATTEMPTS:
            row.status = "failed"
    session.commit()
