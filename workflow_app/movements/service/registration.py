"""Registration of target titles (đăng ký thi đua) under a movement.

Each participating unit registers, before the movement's deadline (unless the organiser
reopened registration), the collective titles it aims for and the individual titles per
person, with its commitments; by form or by an XLSX file (every row valid, or nothing saved,
naming the bad row). A new registration replaces the unit's previous one.

Registration is informative by default: Law 06/2022 Art. 7 dropped it as a basis for titles
(LEGAL_FACTS §1.1), so it blocks no nomination; a nomination shows whether its nominee
registered (`registered_for`). A body may configure a movement to require it
(`Movement.registration_required`, a setting, not a legal rule): then a nominee of a
participating unit that did not register for a title under that movement cannot be
submitted for it (`blocking_movement`, read by the guard `registration_respected`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from io import BytesIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.catalogue.service.queries import award_by_code
from workflow_app.i18n import current_locale
from workflow_app.models.base import utcnow
from workflow_app.models.movement import (
    Movement,
    MovementParticipant,
    Registration,
    RegistrationLine,
)
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.user import User
from workflow_app.workflow import Forbidden

REGISTRAR_ROLES = ("submitter", "reviewer")
OPEN_STATES = ("launched", "in_progress", "half_year_review")
MAX_LINES = 2000
COMMITMENTS_MAX = 20000
# The XLSX columns (header row, case and accents as written here or in English).
COLUMNS = {"person": ("họ và tên", "person"), "award": ("danh hiệu", "award")}


class RegistrationError(ValueError):
    def __init__(self, message, row: int | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.row = row


@dataclass(frozen=True)
class LineIn:
    award_code: str
    person_id: int | None = None  # None: the unit's own (collective) title


def may_register(user: User | None, unit: OrgUnit) -> bool:
    return bool(user is not None and user.is_active
                and user.can_see_unit(unit, *REGISTRAR_ROLES))


def is_open(movement: Movement, today: date) -> bool:
    if movement.state not in OPEN_STATES:
        return False
    deadline = movement.registration_deadline
    return deadline is None or today <= deadline or movement.registration_reopened


def register(session: Session, actor: User, movement: Movement, unit: OrgUnit, *,
             commitments: str, lines: list[LineIn], today: date) -> Registration:
    if not may_register(actor, unit):
        raise Forbidden(_l("Only the unit's own officers register it."))
    if unit.id not in {p.unit_id for p in movement.participants}:
        raise RegistrationError(_l("%(unit)s does not take part in this movement.",
                                   unit=unit.name))
    if movement.state not in OPEN_STATES:
        raise RegistrationError(_l("Registration is open only once the movement is launched "
                                   "and until it is concluded."))
    if not is_open(movement, today):
        raise RegistrationError(_l("The registration deadline (%(day)s) has passed; the "
                                   "organiser may reopen registration.",
                                   day=movement.registration_deadline.strftime("%d/%m/%Y")))
    text = str(commitments or "").replace("\x00", "").strip()
    if len(text) > COMMITMENTS_MAX:
        raise RegistrationError(_l("The commitments are too long."))
    if len(lines) > MAX_LINES:
        raise RegistrationError(_l("Too many titles (at most %(max)d).", max=MAX_LINES))
    rows = [_line(session, unit, line, number, today) for number, line in enumerate(lines, 1)]
    registration = session.scalar(select(Registration).where(
        Registration.movement_id == movement.id, Registration.unit_id == unit.id))
    if registration is None:
        registration = Registration(movement_id=movement.id, unit_id=unit.id)
        session.add(registration)
    registration.commitments = text
    registration.registered_by_id = actor.id
    registration.registered_at = utcnow()
    registration.lines[:] = []
    session.flush()
    registration.lines.extend(rows)
    session.flush()
    record(session, "registration.saved", "movement", movement.id, actor=actor,
           data={"unit_id": unit.id, "lines": [
               {"person_id": r.person_id, "award_id": r.award_id} for r in rows]})
    return registration


def _line(session: Session, unit: OrgUnit, line: LineIn, number: int,
          today: date) -> RegistrationLine:
    code = str(line.award_code or "").strip().upper()
    award = award_by_code(session, code) if code else None
    version = award.version_on(today) if award is not None else None
    if version is None:
        raise RegistrationError(_l("Row %(row)d: “%(code)s” is not a title of the catalogue in "
                                   "force.", row=number, code=code[:30]), number)
    person = None
    if line.person_id is not None:
        person = session.get(Person, line.person_id)
        if person is None or not person.unit.is_within(unit):
            raise RegistrationError(_l("Row %(row)d: the person is not of %(unit)s: a unit "
                                       "registers only its own people.", row=number,
                                       unit=unit.name), number)
        if version.subject == "collective":
            raise RegistrationError(_l("Row %(row)d: “%(award)s” is a title for collectives, "
                                       "not for a person.", row=number,
                                       award=version.name(current_locale())), number)
    elif version.subject == "individual":
        raise RegistrationError(_l("Row %(row)d: “%(award)s” is a title for individuals: name "
                                   "the person.", row=number,
                                   award=version.name(current_locale())), number)
    return RegistrationLine(person_id=getattr(person, "id", None), award_id=award.id)


def lines_from_xlsx(session: Session, unit: OrgUnit, data: bytes) -> list[LineIn]:
    """Read the rows of an XLSX file: column “Họ và tên” (empty for the unit's own title) and
    “Danh hiệu” (the catalogue code). The first bad row refuses the whole file, named as
    Excel numbers it (the header is row 1)."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a non-XLSX file
        raise RegistrationError(_l("The file is not an XLSX workbook.")) from None
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [str(c or "").strip().casefold() for c in next(rows, ())]
        where = {}
        for key, names in COLUMNS.items():
            found = [i for i, h in enumerate(header) if h in names]
            if not found:
                raise RegistrationError(_l("Missing column “%(column)s”.",
                                           column=names[0].capitalize()), 1)
            where[key] = found[0]
        people = _people(session, unit)
        lines = []
        for number, values in enumerate(rows, start=2):
            values = list(values) + [None] * len(header)
            name = str(values[where["person"]] or "").strip()
            code = str(values[where["award"]] or "").strip()
            if not name and not code:
                continue
            if not code:
                raise RegistrationError(_l("Row %(row)d: the title is missing.", row=number),
                                        number)
            person = None
            if name:
                person = people.get(_fold(name))
                if person is None:
                    raise RegistrationError(_l("Row %(row)d: “%(name)s” is not a person of "
                                               "%(unit)s.", row=number, name=name[:120],
                                               unit=unit.name), number)
            lines.append(LineIn(code, getattr(person, "id", None)))
            if len(lines) > MAX_LINES:
                raise RegistrationError(_l("Too many titles (at most %(max)d).",
                                           max=MAX_LINES), number)
        if not lines:
            raise RegistrationError(_l("The file has no rows."))
        return lines
    finally:
        book.close()


def lines_from_rows(session: Session, unit: OrgUnit,
                    rows: list[tuple[int, str, str]]) -> list[LineIn]:
    """The page's rows, (row number, full name or "" for the unit's own title, award code):
    each name must be a person of the unit (or of a unit under it)."""
    people = _people(session, unit)
    lines = []
    for number, name, code in rows:
        person = None
        if name.strip():
            person = people.get(_fold(name))
            if person is None:
                raise RegistrationError(_l("Row %(row)d: “%(name)s” is not a person of "
                                           "%(unit)s.", row=number, name=name[:120],
                                           unit=unit.name), number)
        lines.append(LineIn(code, getattr(person, "id", None)))
    return lines


def people_names(session: Session, unit: OrgUnit, limit: int = 3000) -> list[str]:
    """The full names a unit may register (its people and those of the units under it)."""
    return sorted({p.full_name for p in _people(session, unit).values()})[:limit]


def _people(session: Session, unit: OrgUnit) -> dict[str, Person]:
    return {_fold(p.full_name): p for p in session.scalars(
        select(Person).join(Person.unit).where(
            OrgUnit.path.startswith(unit.path, autoescape=True)))}


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def registered_for(session: Session, *, award_id: int, year: int, person_id: int | None = None,
                   unit_id: int | None = None) -> Movement | None:
    """The movement of `year` under which the nominee registered for this award, if any (a
    collective line for a unit, a person's line for a person)."""
    query = (select(Movement).join(Registration, Registration.movement_id == Movement.id)
             .join(RegistrationLine, RegistrationLine.registration_id == Registration.id)
             .where(Movement.year == year, RegistrationLine.award_id == award_id))
    if person_id is not None:
        query = query.where(RegistrationLine.person_id == person_id)
    else:
        query = query.where(RegistrationLine.person_id.is_(None),
                            Registration.unit_id == unit_id)
    return session.scalars(query.limit(1)).first()


def _nominee_unit(dossier) -> OrgUnit | None:
    if dossier.nominee_person is not None:
        return dossier.nominee_person.unit
    return dossier.nominee_unit


def blocking_movement(session: Session, dossier) -> Movement | None:
    """A movement of the dossier's year that requires registration, among whose
    participants the nominee is (a person: its unit is one or under one; a unit: it is one),
    and under which the nominee did not register for the dossier's award — or None. Only
    titles are registered, so only a title's nomination can be blocked."""
    unit = _nominee_unit(dossier)
    if unit is None or dossier.award is None or dossier.award.kind != "title":
        return None
    rows = session.execute(
        select(Movement, OrgUnit.path)
        .join(MovementParticipant, MovementParticipant.movement_id == Movement.id)
        .join(OrgUnit, OrgUnit.id == MovementParticipant.unit_id)
        .where(Movement.year == dossier.year, Movement.registration_required.is_(True),
               Movement.state != "cancelled").order_by(Movement.id)).all()
    # A person registers through the participating unit it works in or under; a collective
    # registers only itself, so only a participating unit's own nomination is checked.
    covered = (lambda path: unit.path.startswith(path)) if dossier.nominee_person_id \
        else (lambda path: unit.path == path)
    for movement in dict.fromkeys(m for m, path in rows if covered(path)):
        line = (select(RegistrationLine.id)
                .join(Registration, Registration.id == RegistrationLine.registration_id)
                .where(Registration.movement_id == movement.id,
                       RegistrationLine.award_id == dossier.award_id))
        if dossier.nominee_person_id is not None:
            line = line.where(RegistrationLine.person_id == dossier.nominee_person_id)
        else:
            line = line.where(RegistrationLine.person_id.is_(None),
                              Registration.unit_id == unit.id)
        if session.scalar(line.limit(1)) is None:
            return movement
    return None


def nominee_registration(session: Session, dossier) -> dict | None:
    """For a nomination's page: {"movement": the movement it registered under, or None,
    "blocking": the movement requiring a registration it lacks, or None}, or None when no
    movement of the dossier's year takes registrations (nothing to say)."""
    if session.scalar(select(Movement.id).where(Movement.year == dossier.year).limit(1)) is None:
        return None
    return {"movement": registered_for(session, award_id=dossier.award_id, year=dossier.year,
                                       person_id=dossier.nominee_person_id,
                                       unit_id=dossier.nominee_unit_id),
            "blocking": blocking_movement(session, dossier)}
