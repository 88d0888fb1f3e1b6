"""Login throttling per account and per address, stored in the database.

Counting failed attempts in `login_attempt` (rather than in process memory) makes the limit
hold across several gunicorn workers and restarts. An account is locked after N failures
within the window since its last success; an address after M failures within the window.
While locked, attempts are refused without checking the password and are not recorded, so
the lock ends when the window has passed.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow_app.config import current_config
from workflow_app.models.base import utcnow
from workflow_app.models.user import LoginAttempt


def _minutes_left(oldest: datetime, window: timedelta) -> int:
    remaining = oldest + window - utcnow()
    return max(1, math.ceil(remaining.total_seconds() / 60))


def _blocked(session: Session, condition, since: datetime, limit: int, window: timedelta):
    failures = select(LoginAttempt.attempted_at).where(
        condition, LoginAttempt.succeeded.is_(False), LoginAttempt.attempted_at > since
    )
    count = session.scalar(select(func.count()).select_from(failures.subquery()))
    if count < limit:
        return None
    # The lock lasts until the limit-th most recent failure leaves the window.
    pivot = session.scalar(
        failures.order_by(LoginAttempt.attempted_at.desc()).offset(limit - 1).limit(1)
    )
    return _minutes_left(pivot, window)


def minutes_blocked(session: Session, username: str, ip_address: str) -> int | None:
    """Minutes until this account or address may try again, or None when not blocked."""
    config = current_config()
    window = timedelta(minutes=config.login_window_minutes)
    since = utcnow() - window
    last_success = session.scalar(
        select(func.max(LoginAttempt.attempted_at)).where(
            LoginAttempt.username == username, LoginAttempt.succeeded.is_(True)
        )
    )
    account_since = max(since, last_success) if last_success else since
    by_account = _blocked(
        session, LoginAttempt.username == username, account_since,
        config.login_max_failures_per_account, window,
    )
    by_address = _blocked(
        session, LoginAttempt.ip_address == ip_address, since,
        config.login_max_failures_per_address, window,
    )
    blocked = [m for m in (by_account, by_address) if m is not None]
    return max(blocked) if blocked else None


def record_attempt(session: Session, username: str, ip_address: str, succeeded: bool) -> None:
    session.add(
        LoginAttempt(username=username[:64], ip_address=ip_address[:45], succeeded=succeeded)
    )
    session.flush()
