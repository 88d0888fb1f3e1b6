"""Flask-Login on top of the server-side sessions (`accounts/service/sessions.py`): the cookie's
token loads its user while the session is current, and a read request stamps "last seen" in
a short transaction of its own (at most once a minute)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from workflow_app.accounts.service import sessions
from workflow_app.db import begin_mode, sqlite_begin_mode
from workflow_app.extensions import db
from workflow_app.models.base import utcnow
from workflow_app.models.user import User, UserSession

TOUCH_EVERY = timedelta(seconds=60)


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
    row = sessions.find(db.session, token)
    if row is None or not sessions.is_current(row):
        return None
    _touch(row)
    user = row.user
    user.session_token = token
    return user


def init_login_manager(login_manager) -> None:
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "basic"
    login_manager.login_message = None
