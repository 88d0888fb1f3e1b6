"""Queueing notifications. Callers pass the session of the change being announced."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from workflow_app.config import current_config
from workflow_app.models.base import utcnow
from workflow_app.models.notification import Notification, OutboxMessage
from workflow_app.models.user import User

MAX_SUBJECT = 255


def notify(session: Session, user: User, kind: str, message: str, *, subject_type: str = "",
           subject_id: object = "", link: str = "", email_subject: str | None = None) -> None:
    """Add an in-app notification and, if the user has an address, queue an e-mail."""
    session.add(Notification(user_id=user.id, kind=kind, message=message, link=link,
                             subject_type=subject_type, subject_id=str(subject_id)))
    if user.email and user.is_active:
        session.add(OutboxMessage(recipient=user.email,
                                  subject=(email_subject or message)[:MAX_SUBJECT],
                                  body=message + (f"\n\n{absolute_link(link)}" if link else "")))
        session.info["outbox_dirty"] = True
    session.flush()


def absolute_link(link: str) -> str:
    """`link` as people can open it from their mail client: prefixed with PUBLIC_BASE_URL when
    that is configured and the link is a path; unchanged otherwise."""
    config = current_config()
    base = config.public_base_url if config is not None else ""
    return f"{base}{link}" if base and link.startswith("/") else link


def unread_count(session: Session, user: User) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def recent(session: Session, user: User, limit: int = 50) -> list[Notification]:
    return list(session.scalars(
        select(Notification).where(Notification.user_id == user.id)
        .order_by(Notification.id.desc()).limit(limit)))


def mark_all_read(session: Session, user: User) -> int:
    """Mark every unread notification of `user` read; return how many were."""
    result = session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    ).values(read_at=utcnow()))
    return result.rowcount


def safe_link(link: str) -> str | None:
    """A notification's link when it is a local path (never an outside address)."""
    # "//host" and "/\\host" are read by browsers as another site.
    return link if link.startswith("/") and link[1:2] not in ("/", "\\") else None
