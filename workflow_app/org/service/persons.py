"""Persons (people who may be nominated). Services flush; callers commit. Audited.

The audit event records who was added to which unit, never the national ID number or the
date of birth: the audit trail is permanent and must not become a copy of personal data.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.models.org import OrgUnit, Person

NAME_MAX, POSITION_MAX = 120, 160


class PersonError(ValueError):
    """A rule about persons was broken; the message is safe to show."""


def _check_national_id(session: Session, national_id: str | None) -> str | None:
    if national_id is None or national_id.strip() == "":
        return None
    national_id = national_id.strip()
    if not (national_id.isdigit() and len(national_id) == 12):
        raise PersonError(_("A national ID number has exactly 12 digits."))
    if session.scalar(select(Person.id).where(Person.national_id == national_id)):
        raise PersonError(_("This national ID number is already recorded for another person."))
    return national_id


def create_person(
    session: Session,
    *,
    full_name: str,
    unit: OrgUnit,
    position: str = "",
    is_leader: bool = False,
    date_of_birth: date | None = None,
    national_id: str | None = None,
    actor=None,
) -> Person:
    """Add a person to `unit`. Raises PersonError (nothing written) when a rule is broken."""
    full_name = " ".join(full_name.split())
    position = " ".join(position.split())
    if not 0 < len(full_name) <= NAME_MAX:
        raise PersonError(_("A name has 1 to %(max)d characters.", max=NAME_MAX))
    if len(position) > POSITION_MAX:
        raise PersonError(_("A position has at most %(max)d characters.", max=POSITION_MAX))
    if date_of_birth is not None and date_of_birth >= date.today():
        raise PersonError(_("The date of birth must be in the past."))
    person = Person(
        full_name=full_name,
        position=position,
        unit=unit,
        is_leader=is_leader,
        date_of_birth=date_of_birth,
        national_id=_check_national_id(session, national_id),
    )
    session.add(person)
    session.flush()
    record(session, "person.created", "person", person.id, actor=actor,
           data={"unit_id": unit.id, "unit_code": unit.code, "is_leader": is_leader,
                 "has_national_id": person.national_id is not None})
    return person
