"""Accounts and roles: creating, disabling, granting. Services flush; callers commit.

Every change is an audit event in the same transaction.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow_app.accounts.service import passwords, sessions
from workflow_app.audit.chain import record
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.user import ROLES, RoleGrant, User

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")


class UserError(ValueError):
    """A rule about accounts was broken; the message is safe to show."""


def create_user(
    session: Session,
    username: str,
    password: str,
    *,
    email: str = "",
    person: Person | None = None,
    actor: User | None = None,
    locale: str = "vi",
) -> User:
    username = username.strip().lower()
    if not USERNAME_RE.match(username):
        raise UserError(_("Username: 3–64 characters: lower-case letters, digits, dot, dash, "
                          "underscore."))
    if not passwords.MIN_LENGTH <= len(password) <= passwords.MAX_LENGTH:
        raise UserError(_("Password: between %(min)d and %(max)d characters.",
                          min=passwords.MIN_LENGTH, max=passwords.MAX_LENGTH))
    if session.scalar(select(User.id).where(func.lower(User.username) == username)):
        raise UserError(_("The username %(name)s is taken.", name=username))
    if person is not None and session.scalar(select(User.id).where(User.person_id == person.id)):
        raise UserError(_("%(name)s already has an account.", name=person.full_name))
    user = User(
        username=username,
        email=email.strip(),
        password_hash=passwords.hash_password(password),
        person=person,
        locale=locale,
    )
    session.add(user)
    session.flush()
    record(session, "user.created", "user", user.id, actor=actor,
           data={"username": username, "person_id": person.id if person else None})
    return user


def set_active(session: Session, user: User, active: bool, *, actor: User | None) -> None:
    if actor is not None and actor.id == user.id and not active:
        raise UserError(_("You cannot disable your own account."))
    if user.is_active == active:
        return
    user.is_active = active
    if not active:
        sessions.revoke_all(session, user)
    record(session, "user.enabled" if active else "user.disabled", "user", user.id, actor=actor)


def grant_role(session: Session, user: User, role: str, unit: OrgUnit, *,
               actor: User | None) -> RoleGrant:
    if role not in ROLES:
        raise UserError(_("Unknown role: %(role)s.", role=role))
    existing = session.scalar(
        select(RoleGrant).where(
            RoleGrant.user_id == user.id, RoleGrant.role == role, RoleGrant.unit_id == unit.id
        )
    )
    if existing is not None:
        return existing
    grant = RoleGrant(user=user, role=role, unit=unit)
    session.add(grant)
    session.flush()
    record(session, "user.role_granted", "user", user.id, actor=actor,
           data={"role": role, "unit_id": unit.id, "unit_code": unit.code})
    return grant


def revoke_role(session: Session, grant: RoleGrant, *, actor: User | None) -> None:
    if actor is not None and grant.user_id == actor.id and grant.role == "admin":
        raise UserError(_("You cannot remove your own administrator role."))
    user = grant.user
    data = {"role": grant.role, "unit_id": grant.unit_id, "unit_code": grant.unit.code}
    user.grants.remove(grant)
    session.flush()
    record(session, "user.role_revoked", "user", user.id, actor=actor, data=data)


def reset_totp(session: Session, user: User, *, actor: User | None) -> None:
    """Clear a lost authenticator; the user enrols again at the next sign-in."""
    user.totp_secret = None
    sessions.revoke_all(session, user)
    record(session, "user.totp_reset", "user", user.id, actor=actor)
