"""Accounts, role grants, server-side sessions and login attempts."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from workflow_app.models.base import Base, UTCDateTime, utcnow
from workflow_app.models.org import OrgUnit, Person

ROLES = (
    "submitter",  # unit TĐKT officer
    "reviewer",  # standing agency (appraisal)
    "council_member",
    "secretary",  # council secretary
    "chair",  # council chair
    "signer",  # deciding authority
    "auditor",
    "admin",
)


class User(UserMixin, Base):
    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint("locale IN ('vi', 'en')", name="locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str] = mapped_column(String(254), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), unique=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[str] = mapped_column(String(5), default="vi")
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    # Last accepted TOTP time step: a code from that step or earlier is never accepted again.
    totp_last_counter: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person | None] = relationship()
    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="RoleGrant.role"
    )

    # Set for the request by the session loader (not a column); what the cookie carries.
    session_token = None

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def display_name(self) -> str:
        return self.person.full_name if self.person else self.username

    @property
    def roles(self) -> set[str]:
        return {g.role for g in self.grants}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def units_for(self, *roles: str) -> list[OrgUnit]:
        """Units at the top of this user's scope for any of the given roles."""
        return [g.unit for g in self.grants if g.role in roles]

    def can_see_unit(self, unit: OrgUnit, *roles: str) -> bool:
        """True when a grant of one of `roles` (any role if none given) covers `unit`."""
        wanted = roles or ROLES
        return any(g.role in wanted and unit.is_within(g.unit) for g in self.grants)

    @property
    def totp_enabled(self) -> bool:
        return bool(self.totp_secret)


class RoleGrant(Base):
    """A role held by a user over a unit and its sub-units."""

    __tablename__ = "role_grant"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "unit_id"),
        CheckConstraint(f"role IN {ROLES}", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="grants")
    unit: Mapped[OrgUnit] = relationship()


class UserSession(Base):
    """A server-side login session. The cookie holds the token; the table holds its hash.

    Revoking the row (logout, password change, disabling the user) ends the session even
    for someone who copied the cookie.
    """

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="")

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """One password or code attempt, kept so throttling holds across worker processes."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_username_at", "username", "attempted_at"),
        Index("ix_login_attempt_ip_at", "ip_address", "attempted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    ip_address: Mapped[str] = mapped_column(String(45))
    attempted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    succeeded: Mapped[bool] = mapped_column(default=False)


def with_access(path):
    """Loader option for the signed-in user at `path` (a relationship to User), with what
    every request reads of them: role grants with their units (scope checks) and the person
    (the name in the header). One statement instead of one per relationship; the result
    must be read with `.unique()` (the grants are a joined collection)."""
    return joinedload(path).options(joinedload(User.grants).joinedload(RoleGrant.unit),
                                    joinedload(User.person))

