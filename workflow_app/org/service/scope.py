"""Who may see which persons, and whose national ID number in full.

Rules (issue 2, item 4):

- The unit tree is visible to every signed-in user: unit names are not personal data.
- Persons are personal data. Admins and auditors see every person. Anyone else sees a
  person when one of their role grants covers the person's unit (the grant's unit is the
  person's unit or one of its ancestors). Everyone else gets 404 for the person page and
  does not see the person in lists.
- A national ID number is shown in full only to admins and to submitters or reviewers whose
  grant covers the person's unit; everyone else sees `Person.masked_national_id`.

Lists are filtered in SQL (`OrgUnit.path LIKE '<grant path>%'`), never by loading every
person and filtering in Python.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, false, or_, select, true
from werkzeug.exceptions import NotFound

from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.user import User

SEE_ALL_PERSONS = ("admin", "auditor")
FULL_NATIONAL_ID_EVERYWHERE = ("admin",)
FULL_NATIONAL_ID_IN_SCOPE = ("submitter", "reviewer")


def sees_all_persons(user: User) -> bool:
    return user.has_role(*SEE_ALL_PERSONS)


def scope_paths(user: User, *roles: str) -> list[str]:
    """The smallest set of unit paths covering the user's grants (of `roles`, else any role).

    A path already inside another granted path adds nothing, so it is dropped: the SQL
    filter stays as short as the user's real scope.
    """
    units = user.units_for(*roles) if roles else [g.unit for g in user.grants]
    paths = sorted({unit.path for unit in units}, key=len)
    kept: list[str] = []
    for path in paths:
        if not any(path.startswith(other) for other in kept):
            kept.append(path)
    return kept


def unit_scope_condition(user: User) -> ColumnElement[bool]:
    """SQL condition on `OrgUnit` selecting the units whose persons `user` may see."""
    if sees_all_persons(user):
        return true()
    paths = scope_paths(user)
    if not paths:
        return false()
    # Paths hold only digits and slashes; autoescape still guards LIKE wildcards.
    return or_(*(OrgUnit.path.startswith(path, autoescape=True) for path in paths))


def visible_persons(user: User) -> Select[tuple[Person]]:
    """SELECT of the persons `user` may see; callers add their own filters and order."""
    return select(Person).join(Person.unit).where(unit_scope_condition(user))


def can_see_persons_of(user: User, unit: OrgUnit) -> bool:
    return sees_all_persons(user) or user.can_see_unit(unit)


def can_see_person(user: User, person: Person) -> bool:
    return can_see_persons_of(user, person.unit)


def can_see_full_national_id(user: User, unit: OrgUnit) -> bool:
    """True when `user` may read the full national ID numbers of persons in `unit`."""
    return user.has_role(*FULL_NATIONAL_ID_EVERYWHERE) or user.can_see_unit(
        unit, *FULL_NATIONAL_ID_IN_SCOPE
    )


def national_id_for(user: User, person: Person) -> str:
    """The national ID as `user` may see it: full, masked, or empty when none is recorded."""
    if not person.national_id:
        return ""
    if can_see_full_national_id(user, person.unit):
        return person.national_id
    return person.masked_national_id


def visible_person(session, user: User, person_id: int) -> Person:
    """The person when `user` may see them (personal data); NotFound otherwise."""
    person = session.get(Person, person_id)
    if person is None or not can_see_person(user, person):
        raise NotFound()
    return person
