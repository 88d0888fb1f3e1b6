"""The JSON API's own records: personal access tokens and stored idempotent responses.

A token is shown once, when it is created; the table keeps only its SHA-256 (`token_hash`)
and a short recognisable `prefix` so that its owner can tell tokens apart on the profile
page. A token acts as its owner (same roles, same unit scope) until it expires or is revoked.

An idempotency record keeps the first successful answer to a mutation sent with an
`Idempotency-Key` header, per caller (`principal`: "token:<id>" or "user:<id>") and key.
The UNIQUE constraint on (principal, key) is what makes two concurrent retries run the action
once: the second insert waits for the first transaction and then fails.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow
from workflow_app.models.user import User

TOKEN_SCOPES = ("read", "read-write")


class ApiToken(Base):
    """A personal access token (`Authorization: Bearer tdkt_…`) for /api/v1."""

    __tablename__ = "api_token"
    __table_args__ = (CheckConstraint(f"scope IN {TOKEN_SCOPES}", name="scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"),
                                         index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()

    @property
    def can_write(self) -> bool:
        return self.scope == "read-write"

    def is_usable(self, now: datetime) -> bool:
        """Not revoked, not expired, and its owner's account is active."""
        return self.revoked_at is None and now < self.expires_at and self.user.is_active


class ApiIdempotencyKey(Base):
    """The first successful response to one (caller, Idempotency-Key), kept until it expires."""

    __tablename__ = "api_idempotency_key"
    __table_args__ = (UniqueConstraint("principal", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    principal: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(255))
    # SHA-256 of method, path and body: the same key with another request is refused.
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(default=0)
    response_body: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
