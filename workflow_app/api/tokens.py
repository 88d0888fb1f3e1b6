"""Personal access tokens: create (shown once), revoke, and resolve a Bearer token.

Stored as SHA-256, not argon2: a token is 256 random bits (`secrets.token_urlsafe(32)`), so
there is nothing to brute-force and no need for a slow, salted hash — and the lookup must be
an indexed equality on every API request. Passwords, chosen by people, stay on argon2.

The tokens carry a recognisable prefix (`tdkt_`) so that secret scanners and people can tell
what they are. Creation and revocation write audit events in the caller's transaction; the
caller commits.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from workflow_app.audit.chain import record
from workflow_app.db import begin_mode, sqlite_begin_mode
from workflow_app.extensions import db
from workflow_app.models.api_token import TOKEN_SCOPES, ApiToken
from workflow_app.models.base import utcnow
from workflow_app.models.user import User, with_access

TOKEN_PREFIX = "tdkt_"  # noqa: S105 - a public marker, not a secret
SHOWN_PREFIX_LENGTH = 12  # "tdkt_" and 7 random characters, shown on the profile page
TOUCH_EVERY = timedelta(seconds=60)


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def max_days() -> int:
    return current_app.extensions["workflow_config"].api_token_max_days


def create_token(session: Session, user: User, name: str, scope: str,
                 days: int) -> tuple[ApiToken, str]:
    """A new token of `user`; returns the row and the plaintext (to show once, never stored)."""
    if scope not in TOKEN_SCOPES:
        raise ValueError(f"unknown token scope {scope!r}")
    if not 1 <= days <= max_days():
        raise ValueError(f"token lifetime must be 1..{max_days()} days")
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(user_id=user.id, name=name.strip()[:100], scope=scope,
                     prefix=plaintext[:SHOWN_PREFIX_LENGTH], token_hash=hash_token(plaintext),
                     created_at=now, expires_at=now + timedelta(days=days))
    session.add(token)
    session.flush()
    record(session, "api_token.created", "user", user.id, actor=user,
           data={"token_id": token.id, "name": token.name, "scope": scope,
                 "prefix": token.prefix, "expires_at": token.expires_at.isoformat()})
    return token, plaintext


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens that are neither revoked nor expired, newest first."""
    return list(session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None),
                               ApiToken.expires_at > utcnow())
        .order_by(ApiToken.id.desc())))


def revoke_token(session: Session, user: User, token_id: int) -> bool:
    """Revoke one of `user`'s own tokens; False when there is no such live token of theirs."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    record(session, "api_token.revoked", "user", user.id, actor=user,
           data={"token_id": token.id, "name": token.name, "prefix": token.prefix})
    return True


def resolve(session: Session, plaintext: str) -> ApiToken | None:
    """The usable token for a Bearer value (live, unexpired, owner active), else None."""
    if not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > 100:
        return None
    # The owner, their grants and units in the same statement: every request reads whether
    # the account is active and what it may reach.
    token = session.execute(select(ApiToken).options(with_access(ApiToken.user))
                            .where(ApiToken.token_hash == hash_token(plaintext))).unique().scalar()
    if token is None or not token.is_usable(utcnow()):
        return None
    _touch(token)
    return token


def _touch(token: ApiToken) -> None:
    """Record `last_used_at`, at most once a minute; a read-only request writes it in a short
    transaction of its own (as the session loader does), so reads stay deferred on SQLite."""
    now = utcnow()
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return
    if sqlite_begin_mode.get() == "DEFERRED":
        with begin_mode("IMMEDIATE"), db.engine.begin() as conn:
            conn.execute(update(ApiToken).where(ApiToken.id == token.id)
                         .values(last_used_at=now))
        set_committed_value(token, "last_used_at", now)
    else:
        token.last_used_at = now
