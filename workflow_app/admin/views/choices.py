"""Choice lists for admin forms (the unit list is `formkit.unit_choices`). Select fields
reject any value not offered (forged ids)."""

from __future__ import annotations

from sqlalchemy import select

from workflow_app.extensions import db
from workflow_app.formkit import choices
from workflow_app.i18n import role_label
from workflow_app.models.org import Person
from workflow_app.models.user import ROLES, User


def role_choices() -> list:
    return choices((role, role_label(role)) for role in ROLES)


def person_choices(blank: str) -> list:
    taken = select(User.person_id).where(User.person_id.is_not(None))
    persons = db.session.scalars(
        select(Person).where(Person.id.not_in(taken)).order_by(Person.full_name)
    ).all()
    return choices([(0, blank)] + [(p.id, f"{p.full_name} — {p.unit.name}") for p in persons])
