"""Choice lists for admin forms. Select fields reject any value not offered (forged ids)."""

from __future__ import annotations

from sqlalchemy import select

from workflow_app.extensions import db
from workflow_app.formkit import choices
from workflow_app.i18n import current_locale, role_label
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.user import ROLES, User


def unit_choices(blank: str | None = None) -> list:
    units = db.session.scalars(select(OrgUnit).order_by(OrgUnit.path)).all()
    locale = current_locale()
    by_id = {u.id: u for u in units}

    def label(unit: OrgUnit) -> str:
        return "— " * unit.depth + unit.display_name(locale)

    ordered = sorted(units, key=lambda u: [by_id[int(i)].name for i in u.path.strip("/").split("/")
                                            if i and int(i) in by_id])
    pairs = [(u.id, label(u)) for u in ordered]
    return choices(([(0, blank)] if blank is not None else []) + pairs)


def role_choices() -> list:
    return choices((role, role_label(role)) for role in ROLES)


def person_choices(blank: str) -> list:
    taken = select(User.person_id).where(User.person_id.is_not(None))
    persons = db.session.scalars(
        select(Person).where(Person.id.not_in(taken)).order_by(Person.full_name)
    ).all()
    return choices([(0, blank)] + [(p.id, f"{p.full_name} — {p.unit.name}") for p in persons])
