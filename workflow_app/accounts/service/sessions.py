"""Server-side sessions behind Flask-Login.

The cookie carries a random token; the `user_session` table keeps only its SHA-256. A
session is valid while it is not revoked, has been used within the idle time-out and is
younger than the absolute time-out. Logout, a password change and disabling the account
revoke rows, so a copied cookie stops working at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, request
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workflow_app.db import begin_mode, sqlite_begin_mode
from workflow_app.extensions import db
from workflow_app.models.base import utcnow
from workflow_app.models.user import User, UserSession

TOUCH_EVERY = timedelta(seconds=60)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: User) -> str:
    token = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            token_hash=_hash(token),
            user_id=user.id,
            ip_address=(request.remote_addr or "")[:45],
            user_agent=(request.user_agent.string or "")[:255],
        )
    )
    session.flush()
    user.session_token = token
    return token


def _is_current(row: UserSession) -> bool:
    config = current_app.extensions["workflow_config"]
    now = utcnow()
    return (
        row.revoked_at is None
        and row.user.is_active
        and now - row.last_seen_at <= timedelta(minutes=config.session_idle_minutes)
        and now - row.created_at <= timedelta(hours=config.session_absolute_hours)
    )


def _touch(row: UserSession) -> None:
    now = utcnow()
    if now - row.last_seen_at < TOUCH_EVERY:
        return
    if sqlite_begin_mode.get() == "DEFERRED":
        # A read-only request: write in a short transaction of its own.
        with begin_mode("IMMEDIATE"), db.engine.begin() as conn:
            conn.execute(
                update(UserSession).where(UserSession.id == row.id).values(last_seen_at=now)
            )
    else:
        row.last_seen_at = now


def load_user(token: str) -> User | None:
    row = db.session.scalar(select(UserSession).where(UserSession.token_hash == _hash(token)))
    if row is None or not _is_current(row):
        return None
    _touch(row)
    user = row.user
    user.session_token = token
    return user


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


def init_login_manager(login_manager) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    login_manager.login_message = None
