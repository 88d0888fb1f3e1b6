"""Council sessions and their agendas.

- The secretary schedules a session (date, place) for a council.
- The agenda takes dossiers in `awaiting_council` whose submitting unit is within the
  council's unit, and which are not on another session that has not ended.
- Putting a dossier on the agenda sets `dossier.council_scheduled_on` (read by the engine's
  `before_council` guard) under the dossier's row lock, bumps its version, and records the
  automatic recusals (nominee; nominee's unit when the council says so).
- Items are fixed once their round opens: they can no longer be removed.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.council import access, recusal
from workflow_app.council.errors import CouncilError, InvalidInput, NotAllowed
from workflow_app.models.base import utcnow
from workflow_app.models.council import AgendaItem, Council, CouncilSession
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User
from workflow_app.workflow import lock_dossier

AGENDA_STATE = "awaiting_council"
MAX_TEXT = 255


def require_secretary(user: User | None, council: Council) -> None:
    if not access.is_secretary(user, council):
        raise NotAllowed()


def schedule(session: Session, council: Council, *, held_on: date, place: str = "",
             title: str = "", actor: User) -> CouncilSession:
    require_secretary(actor, council)
    place, title = place.strip(), title.strip()
    if len(place) > MAX_TEXT or len(title) > MAX_TEXT:
        raise InvalidInput(_("The place and the title are at most 255 characters each."))
    meeting = CouncilSession(council=council, held_on=held_on, place=place, title=title,
                             created_by_id=actor.id)
    session.add(meeting)
    session.flush()
    record(session, "council.session_scheduled", "council_session", meeting.id, actor=actor,
           data={"council_id": council.id, "held_on": held_on.isoformat(), "place": place,
                 "title": title})
    return meeting


def eligible_dossiers(session: Session, meeting: CouncilSession) -> list[Dossier]:
    """Dossiers the secretary may put on this session's agenda."""
    council = meeting.council
    busy = (select(AgendaItem.dossier_id).join(CouncilSession)
            .where(CouncilSession.ended_at.is_(None)))
    query = (select(Dossier).join(OrgUnit, Dossier.unit_id == OrgUnit.id)
             .where(Dossier.state == AGENDA_STATE,
                    OrgUnit.path.startswith(council.unit.path, autoescape=True),
                    Dossier.id.not_in(busy))
             .order_by(Dossier.id))
    return list(session.scalars(query))


def _require_open(meeting: CouncilSession) -> None:
    if meeting.ended_at is not None:
        raise CouncilError(_("This session has ended."))


def add_item(session: Session, meeting: CouncilSession, dossier: Dossier, *,
             actor: User) -> AgendaItem:
    require_secretary(actor, meeting.council)
    _require_open(meeting)
    lock_dossier(session, dossier, None)
    if dossier.id not in {d.id for d in eligible_dossiers(session, meeting)}:
        raise CouncilError(_("This dossier cannot be put on this agenda: it must await the "
                             "council, be within the council's units and not be on another "
                             "session."))
    position = max((item.position for item in meeting.items), default=0) + 1
    item = AgendaItem(session=meeting, dossier=dossier, position=position)
    session.add(item)
    before = dossier.council_scheduled_on
    dossier.council_scheduled_on = meeting.held_on
    dossier.version += 1
    session.flush()
    record(session, "council.item_added", "council_session", meeting.id, actor=actor,
           data={"item_id": item.id, "dossier_id": dossier.id, "position": position})
    record(session, "council.dossier_scheduled", "dossier", dossier.id, actor=actor,
           data={"session_id": meeting.id, "council_scheduled_on": [
               before.isoformat() if before else None, meeting.held_on.isoformat()]})
    recusal.apply_automatic(session, item, actor=actor)
    return item


def remove_item(session: Session, item: AgendaItem, *, actor: User) -> None:
    meeting = item.session
    require_secretary(actor, meeting.council)
    _require_open(meeting)
    if item.round_id is not None:
        raise CouncilError(_("This item has been put to the vote; it cannot be removed."))
    dossier = item.dossier
    lock_dossier(session, dossier, None)
    before = dossier.council_scheduled_on
    dossier.council_scheduled_on = None
    dossier.version += 1
    for entry in list(item.recusals):
        session.delete(entry)
    session.delete(item)
    session.flush()
    record(session, "council.item_removed", "council_session", meeting.id, actor=actor,
           data={"item_id": item.id, "dossier_id": dossier.id})
    record(session, "council.dossier_unscheduled", "dossier", dossier.id, actor=actor,
           data={"session_id": meeting.id, "council_scheduled_on": [
               before.isoformat() if before else None, None]})


def end_session(session: Session, meeting: CouncilSession, *, actor: User) -> None:
    require_secretary(actor, meeting.council)
    _require_open(meeting)
    if any(r.is_open for r in meeting.rounds):
        raise CouncilError(_("Close the open voting round before ending the session."))
    meeting.ended_at = utcnow()
    session.flush()
    voted = [i.id for i in meeting.items if i.round_id is not None]
    record(session, "council.session_ended", "council_session", meeting.id, actor=actor,
           data={"items_voted": voted,
                 "items_not_voted": [i.id for i in meeting.items if i.id not in voted]})


def sessions_for(session: Session, user: User) -> list[CouncilSession]:
    """Sessions the user may open from "my sessions", newest first."""
    meetings = session.scalars(select(CouncilSession).order_by(
        CouncilSession.held_on.desc(), CouncilSession.id.desc())).all()
    return [m for m in meetings if access.can_view(user, m)]
