"""A movement's registrations as XLSX: one row per participating unit (registered or not:
who registered and who has not, as the movement page shows), and one row per title
registered (the consolidated list). Headers in the reader's language, dates and times as
dates in Vietnam time, titles by their names (`xlsx.py` writes it)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from workflow_app.catalogue.service.queries import award_names, today_local
from workflow_app.models.movement import Movement
from workflow_app.models.user import User
from workflow_app.movements.service.movements import is_organiser
from workflow_app.movements.service.queries import registration_status
from workflow_app.movements.service.registration import may_register
from workflow_app.workdays import VIETNAM_TZ
from workflow_app.xlsx import Sheet


def _local(moment: datetime | None) -> datetime | None:
    """Vietnam time without a zone (XLSX cells hold no zone)."""
    return moment.astimezone(VIETNAM_TZ).replace(tzinfo=None) if moment else None


def registration_sheets(session: Session, movement: Movement, reader: User,
                        locale: str) -> list[Sheet]:
    """What `reader` may see: every unit's for the organiser and auditors, an officer's own
    units' otherwise (as the list of registrations)."""
    everything = is_organiser(reader, movement) or reader.has_role("auditor")

    def visible(unit) -> bool:
        return everything or may_register(reader, unit)

    status = registration_status(session, movement)
    names = award_names(session, locale, today_local())
    registered = [r for r in status.registered if visible(r.unit)]

    def titles(registration) -> str:
        own = [names.get(line.award.code, line.award.code) for line in registration.lines
               if line.person is None]
        people = len([line for line in registration.lines if line.person is not None])
        parts = own + ([_("%(count)d individual titles", count=people)] if people else [])
        return "; ".join(parts)

    units = [[r.unit.name, _("Registered"), _local(r.registered_at), titles(r),
              r.commitments] for r in registered]
    units += [[unit.name, _("Not registered"), None, "", ""]
              for unit in status.not_registered if visible(unit)]
    lines = ([r.unit.name, line.person.full_name if line.person else _("The unit itself"),
              names.get(line.award.code, line.award.code), _local(r.registered_at)]
             for r in registered for line in r.lines)
    return [Sheet(_("Registrations"), [_("Unit"), _("Status"), _("Registered on"),
                                       _("Titles registered"), _("Commitments")],
                  units, widths=(40, 16, 18, 50, 50)),
            Sheet(_("Titles registered"), [_("Unit"), _("Person"), _("Title"),
                                           _("Registered on")],
                  lines, widths=(40, 30, 40, 18))]
