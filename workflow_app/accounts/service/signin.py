"""Sign-in rules. Routes call these, then commit once.

Every outcome that matters to an auditor leaves an audit event in the same transaction:
successful and failed sign-ins, logouts, password changes, two-factor enrolment.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow_app.accounts.service import passwords, sessions, throttle
from workflow_app.audit.chain import record
from workflow_app.config import current_config
from workflow_app.models.base import utcnow
from workflow_app.models.user import User


@dataclass(frozen=True)
class SignIn:
    """The outcome of checking a username and password."""

    user: User | None = None
    blocked_minutes: int | None = None
    disabled: bool = False

    @property
    def ok(self) -> bool:
        return self.user is not None


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def check_password(session: Session, username: str, password: str, ip: str) -> SignIn:
    username = username.strip().lower()
    blocked = throttle.minutes_blocked(session, username, ip)
    if blocked is not None:
        return SignIn(blocked_minutes=blocked)
    user = find_user(session, username)
    if not passwords.verify_password(user.password_hash if user else None, password):
        throttle.record_attempt(session, username, ip, succeeded=False)
        record(session, "auth.login_failed", "account", username, actor=user,
               actor_label=username, data={"ip": ip, "reason": "bad_credentials"})
        return SignIn()
    if not user.is_active:
        throttle.record_attempt(session, username, ip, succeeded=False)
        record(session, "auth.login_failed", "user", user.id, actor=user,
               data={"ip": ip, "reason": "disabled"})
        return SignIn(disabled=True)
    if passwords.needs_rehash(user.password_hash):
        user.password_hash = passwords.hash_password(password)
    return SignIn(user=user)


def needs_second_factor(user: User) -> bool:
    required = current_config().totp_required_roles
    return user.totp_enabled or user.has_role(*required)


def check_code(session: Session, user: User, code: str, ip: str,
               secret: str | None = None) -> SignIn:
    blocked = throttle.minutes_blocked(session, user.username, ip)
    if blocked is not None:
        return SignIn(blocked_minutes=blocked)
    from workflow_app.accounts.service.totp import accept_code

    if not accept_code(user, code, secret):
        throttle.record_attempt(session, user.username, ip, succeeded=False)
        record(session, "auth.login_failed", "user", user.id, actor=user,
               data={"ip": ip, "reason": "bad_code"})
        return SignIn()
    return SignIn(user=user)


def enrol_totp(session: Session, user: User, secret: str) -> None:
    user.totp_secret = secret
    record(session, "auth.totp_enrolled", "user", user.id, actor=user)


def complete_login(session: Session, user: User, ip: str, user_agent: str = "") -> str:
    """Open a fresh server-side session; the caller puts its token in a new cookie."""
    throttle.record_attempt(session, user.username, ip, succeeded=True)
    token = sessions.start_session(session, user, ip, user_agent)
    record(session, "auth.login_succeeded", "user", user.id, actor=user, data={"ip": ip})
    return token


def logout(session: Session, user: User) -> None:
    sessions.revoke(session, user.session_token)
    record(session, "auth.logout", "user", user.id, actor=user)


def change_password(session: Session, user: User, current: str, new: str) -> bool:
    """Set a new password and end every session of the user, this one included."""
    if not passwords.verify_password(user.password_hash, current):
        return False
    user.password_hash = passwords.hash_password(new)
    user.password_changed_at = utcnow()
    sessions.revoke_all(session, user)
    record(session, "auth.password_changed", "user", user.id, actor=user)
    return True


def totp_required(user: User) -> bool:
    return user.has_role(*current_config().totp_required_roles)


def disable_totp(session: Session, user: User, password: str, code: str) -> str | None:
    """Turn two-factor sign-in off; None on success, else why not (safe to show)."""
    from flask_babel import gettext as _

    from workflow_app.accounts.service.totp import accept_code

    if totp_required(user):
        return _("Your role requires two-factor sign-in; it cannot be turned off.")
    if not passwords.verify_password(user.password_hash, password):
        return _("The password is wrong.")
    if not accept_code(user, code):
        return _("That code is not valid, or was already used.")
    user.totp_secret = None
    record(session, "auth.totp_disabled", "user", user.id, actor=user)
    return None
