"""People move (issue 19 item 3): a person's transfer to another unit on a date, with the
deciding decision; the unit they belonged to on any day. Their awards, ratings and
initiatives are theirs and follow them (the registry keys them by person); a transfer only
changes where they belong from its date. Audited `person.transferred`.

Transfers of one person are recorded in date order, like reorganisations: the unit on day
D is the `from_unit` of the first transfer effective after D, else today's unit.
"""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.catalogue.service.queries import today_local
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.org_history import PersonTransfer


class TransferError(ValueError):
    """The transfer cannot be recorded as asked; the message is safe to show."""


def _day(value: date) -> str:
    return format_date(value, "dd/MM/yyyy")


def transfers_of(session: Session, person: Person) -> list[PersonTransfer]:
    return list(session.scalars(select(PersonTransfer).where(
        PersonTransfer.person_id == person.id)
        .order_by(PersonTransfer.effective_date, PersonTransfer.id)))


def unit_as_of(session: Session, person: Person, day: date) -> OrgUnit:
    for transfer in transfers_of(session, person):
        if transfer.effective_date > day:
            return transfer.from_unit
    return person.unit


def transfer(session: Session, person: Person, to_unit: OrgUnit, effective_date: date, *,
             decision_number: str = "", decision_date: date | None = None, note: str = "",
             actor=None) -> PersonTransfer:
    problems = []
    today = today_local()
    if to_unit.id == person.unit_id:
        problems.append(_("%(person)s already belongs to %(unit)s.", person=person.full_name,
                          unit=to_unit.name))
    if to_unit.valid_to is not None or not to_unit.exists_on(effective_date):
        problems.append(_("%(unit)s does not exist on %(day)s.", unit=to_unit.name,
                          day=_day(effective_date)))
    if effective_date > today:
        problems.append(_("The transfer takes effect on %(day)s, which is in the future: "
                          "record it on or after that day.", day=_day(effective_date)))
    if decision_date is not None and decision_date > today:
        problems.append(_("The decision is dated %(day)s, which is in the future.",
                          day=_day(decision_date)))
    earlier = transfers_of(session, person)
    if earlier and effective_date < earlier[-1].effective_date:
        problems.append(_("%(person)s already has a transfer effective on %(day)s: transfers "
                          "are recorded in date order.", person=person.full_name,
                          day=_day(earlier[-1].effective_date)))
    if problems:
        raise TransferError(" ".join(problems))
    row = PersonTransfer(person_id=person.id, from_unit_id=person.unit_id,
                         to_unit_id=to_unit.id, effective_date=effective_date,
                         decision_number=decision_number.strip(), decision_date=decision_date,
                         note=note.strip(), created_by_id=getattr(actor, "id", None))
    session.add(row)
    person.unit_id = to_unit.id
    session.flush()
    session.expire(person, ["unit"])
    record(session, "person.transferred", "person", person.id, actor=actor, data={
        "transfer_id": row.id, "from_unit_id": row.from_unit_id, "to_unit_id": to_unit.id,
        "effective_date": effective_date.isoformat(), "decision_number": row.decision_number})
    return row
