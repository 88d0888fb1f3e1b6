"""Server-side sessions (Flask-Login loads users through `accounts/views/login.py`).

The cookie carries a random token; the `user_session` table keeps only its SHA-256. A
session is valid while it is not revoked, has been used within the idle time-out and is
younger than the absolute time-out. Logout, a password change and disabling the account
revoke rows, so a copied cookie stops working at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workflow_app.config import current_config
from workflow_app.models.base import utcnow
from workflow_app.models.user import User, UserSession, with_access


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: User, ip_address: str = "",
                  user_agent: str = "") -> str:
    """A new session row for `user`; returns the token the cookie carries."""
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            token_hash=_hash(token),
            user_id=user.id,
            ip_address=(ip_address or "")[:45],
            user_agent=(user_agent or "")[:255],
        )
    )
    session.flush()
    user.session_token = token
    return token


def is_current(row: UserSession) -> bool:
    """Not revoked, used within the idle time-out, younger than the absolute time-out."""
    config = current_config()
    now = utcnow()
    return (
        row.revoked_at is None
        and row.user.is_active
        and now - row.last_seen_at <= timedelta(minutes=config.session_idle_minutes)
        and now - row.created_at <= timedelta(hours=config.session_absolute_hours)
    )


def find(session: Session, token: str) -> UserSession | None:
    return session.execute(select(UserSession).options(with_access(UserSession.user))
                           .where(UserSession.token_hash == _hash(token))).unique().scalar()


def revoke(session: Session, token: str | None) -> None:
    if token:
        session.execute(
            update(UserSession)
            .where(UserSession.token_hash == _hash(token), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def revoke_all(session: Session, user: User) -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
