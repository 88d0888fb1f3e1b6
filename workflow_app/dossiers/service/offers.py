"""Whom and what a user may nominate: the units they submit for, the people and units within
them. The dossier forms and the API both offer (and check) exactly these."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.user import User
from workflow_app.org.service.collation import vi_sort_key


def submitting_units(user: User) -> list[OrgUnit]:
    """Units over which the user holds the submitter role (active ones), by name."""
    units = {unit.id: unit for unit in user.units_for("submitter") if unit.is_active}
    return sorted(units.values(), key=lambda unit: vi_sort_key(unit.name))


def _within(units: list[OrgUnit]):
    return or_(*(OrgUnit.path.startswith(unit.path, autoescape=True) for unit in units))


def persons_in(session: Session, units: list[OrgUnit],
               ids: list[int] | None = None) -> list[Person]:
    """People of `units` and their sub-units (only those with `ids`, when given)."""
    if not units:
        return []
    query = select(Person).join(Person.unit).where(_within(units))
    if ids is not None:
        query = query.where(Person.id.in_(ids))
    persons = session.scalars(query.options(selectinload(Person.unit))).all()
    return sorted(persons, key=lambda p: (vi_sort_key(p.full_name), p.id))


def units_in(session: Session, units: list[OrgUnit],
             ids: list[int] | None = None) -> list[OrgUnit]:
    """Active units within `units` (only those with `ids`, when given)."""
    if not units:
        return []
    query = select(OrgUnit).where(_within(units), OrgUnit.is_active)
    if ids is not None:
        query = query.where(OrgUnit.id.in_(ids))
    return sorted(session.scalars(query).all(), key=lambda unit: unit.path)
