"""Accounts → response models for the administration operations (what the admin user pages
show: person, e-mail, two-factor, status, roles with their units)."""

from __future__ import annotations

from workflow_app.admin.api.schemas import GrantOut, UserOut
from workflow_app.api.presenters import unit_ref
from workflow_app.api.schemas.shared import Ref
from workflow_app.i18n import role_label
from workflow_app.models.user import User


def user_out(user: User, locale: str) -> UserOut:
    person = user.person
    return UserOut(
        id=user.id, username=user.username, email=user.email, display_name=user.display_name,
        person=Ref(id=person.id, name=person.full_name) if person else None,
        locale=user.locale, is_active=user.is_active, totp_enabled=user.totp_enabled,
        created_at=user.created_at,
        grants=[GrantOut(id=g.id, role=g.role, role_label=role_label(g.role),
                         unit=unit_ref(g.unit, locale), granted_at=g.granted_at)
                for g in user.grants])
