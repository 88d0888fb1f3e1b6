"""Council sessions and their agendas.

- The secretary schedules a session (date, place) for a council.
- The agenda takes dossiers in `awaiting_council` whose submitting unit is within the
  council's unit, and which are not on another session that has not ended.
- Putting a dossier on the agenda sets `dossier.council_scheduled_on` (read by the engine's
  `before_council` guard) under the dossier's row lock, bumps its version, and records the
  automatic recusals (nominee; nominee's unit when the council says so).
- Items are fixed once their round opens: they can no longer be removed.
- Until the session opens (`has_opened`: attendance taken, a round opened, or ended) the
  secretary may change its date, place and title, or cancel it, giving a reason. Each is
  one audited event with the field diffs and the reason (`council.session_changed`,
  `council.session_cancelled`), and everyone seated on the council is told (in the app
  and by e-mail, through the outbox) in the same transaction. A new date moves the agenda's
  dossiers (`council_scheduled_on`) with it; a cancellation takes every dossier off the
  agenda (free for another session) and ends the session (`ended_at`, so nothing more can
  be done on it), marked `cancelled_at` with its reason: it leaves the lists of upcoming
  sessions and stays in the history. Sessions have no workflow of their own in `states/`.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.council.service import access, recusal
from workflow_app.council.service.errors import CouncilError, InvalidInput, NotAllowed
from workflow_app.models.base import utcnow
from workflow_app.models.council import AgendaItem, Council, CouncilSession
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User
from workflow_app.notify.service.queue import notify
from workflow_app.workdays import local_date
from workflow_app.workflow import lock_dossier
from workflow_app.workflow.engine import require_transaction

AGENDA_STATE = "awaiting_council"
MAX_TEXT = 255  # the length of the `place` and `title` columns (models/council.py)
MAX_REASON = 2000
# The dates a session may be scheduled on or moved to, counted from today in Vietnam.
# Configurable parameters (no legal source), chosen so that typing mistakes are caught:
# - PAST_DAYS: a secretary may enter a meeting already held on paper, or enter it late,
#   within about a month; an older date is almost always a slip (last year instead of this
#   one), and a session's date decides who sits on it (terms) and from when its dossiers can
#   no longer be withdrawn (the engine's `before_council` guard).
# - AHEAD_DAYS: councils plan their meetings at most a year or so ahead (the year-end
#   review); a date more than two years ahead is a slip (2062 for 2026).
PAST_DAYS = 30
AHEAD_DAYS = 2 * 365
SESSION_FIELDS = ("held_on", "place", "title")


class FieldInvalid(InvalidInput):
    """Bad input for one field of a session (422): `field` names it, for the form and the
    API's `details`."""

    def __init__(self, field: str, message) -> None:
        super().__init__(message)
        self.field = field


def require_secretary(user: User | None, council: Council) -> None:
    if not access.is_secretary(user, council):
        raise NotAllowed()


def today() -> date:
    return local_date(utcnow())


def date_window(day: date | None = None) -> tuple[date, date]:
    """The first and last dates a session may be given today (both included)."""
    day = day or today()
    return day - timedelta(days=PAST_DAYS), day + timedelta(days=AHEAD_DAYS)


def check_date(held_on: date) -> None:
    first, last = date_window()
    if not first <= held_on <= last:
        raise FieldInvalid("held_on", _(
            "The session date must be from %(first)s to %(last)s: at most %(past)d days ago "
            "and at most two years ahead.", first=format_date(first, "dd/MM/yyyy"),
            last=format_date(last, "dd/MM/yyyy"), past=PAST_DAYS))


def clean_text(field: str, value: str | None) -> str:
    value = (value or "").strip()
    if len(value) > MAX_TEXT:
        raise FieldInvalid(field, _("At most %(max)d characters.", max=MAX_TEXT))
    return value


def clean_reason(reason: str | None, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise FieldInvalid("reason", missing)
    if len(reason) > MAX_REASON:
        raise FieldInvalid("reason", _("At most %(max)d characters.", max=MAX_REASON))
    return reason


def schedule(session: Session, council: Council, *, held_on: date, place: str = "",
             title: str = "", actor: User) -> CouncilSession:
    require_secretary(actor, council)
    check_date(held_on)
    place, title = clean_text("place", place), clean_text("title", title)
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
    if meeting.cancelled_at is not None:
        raise CouncilError(_("This session was cancelled."))
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
    _take_off(session, item, actor)


def _take_off(session: Session, item: AgendaItem, actor: User) -> None:
    """Take an item not put to the vote off the agenda; its dossier is free again."""
    meeting = item.session
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


def has_opened(meeting: CouncilSession) -> bool:
    """The meeting is under way or over: attendance taken, a round opened, or ended (a
    cancelled session is ended too). From then on it is a record of what happened."""
    return meeting.ended_at is not None or bool(meeting.rounds) or bool(meeting.attendance)


def status(meeting: CouncilSession) -> str:
    """scheduled → in_progress (opened) → ended; or cancelled before it opened."""
    if meeting.cancelled_at is not None:
        return "cancelled"
    if meeting.ended_at is not None:
        return "ended"
    return "in_progress" if has_opened(meeting) else "scheduled"


def is_upcoming(meeting: CouncilSession) -> bool:
    """On the lists of upcoming sessions: neither ended nor cancelled."""
    return meeting.ended_at is None and meeting.cancelled_at is None


def lock_session(session: Session, meeting: CouncilSession) -> None:
    """Lock the session's row (PostgreSQL `FOR UPDATE`; SQLite's write transaction is
    exclusive) and re-read it with its rounds, items and attendance."""
    require_transaction(session)
    session.execute(select(CouncilSession).where(CouncilSession.id == meeting.id)
                    .with_for_update().execution_options(populate_existing=True)).scalar_one()
    session.expire(meeting, ["rounds", "items", "attendance"])


def _require_unopened(meeting: CouncilSession) -> None:
    if meeting.cancelled_at is not None:
        raise CouncilError(_("This session was cancelled: it can no longer be changed or "
                             "cancelled."))
    if has_opened(meeting):
        raise CouncilError(_("This session has opened (attendance taken or voting opened) or "
                             "ended: it can no longer be changed or cancelled."))


def change(session: Session, meeting: CouncilSession, *, held_on: date, place: str | None,
           title: str | None, reason: str | None, actor: User) -> dict[str, list]:
    """Change the date, place and title of a session that has not opened; returns the
    changes ({field: [before, after]}). Only what changes is checked (an old row's place
    may be longer than the limit: a new date alone is still accepted)."""
    require_secretary(actor, meeting.council)
    reason = clean_reason(reason, _("Give the reason for the change."))
    wanted = {"held_on": held_on, "place": (place or "").strip(),
              "title": (title or "").strip()}
    lock_session(session, meeting)
    _require_unopened(meeting)
    before = {name: getattr(meeting, name) for name in SESSION_FIELDS}
    changes = {name: [before[name], wanted[name]] for name in SESSION_FIELDS
               if wanted[name] != before[name]}
    if not changes:
        raise InvalidInput(_("Nothing was changed: change the date, the place or the title."))
    if "held_on" in changes:
        check_date(held_on)
    for name in ("place", "title"):
        if name in changes:
            clean_text(name, wanted[name])
    for name, (_old, new) in changes.items():
        setattr(meeting, name, new)
    session.flush()
    if "held_on" in changes:
        for item in meeting.items:
            _move(session, item, before["held_on"], actor)
    diffs = {name: [_plain(old), _plain(new)] for name, (old, new) in changes.items()}
    record(session, "council.session_changed", "council_session", meeting.id, actor=actor,
           data={"changes": diffs, "reason": reason})
    _tell(session, meeting, actor, "council.session_changed", before["held_on"],
          lambda: _changed_message(meeting, before["held_on"], changes, reason))
    return changes


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def _move(session: Session, item: AgendaItem, old_day: date, actor: User) -> None:
    """The dossier on the agenda follows the session's new date."""
    dossier = item.dossier
    lock_dossier(session, dossier, None)
    dossier.council_scheduled_on = item.session.held_on
    dossier.version += 1
    session.flush()
    record(session, "council.dossier_scheduled", "dossier", dossier.id, actor=actor,
           data={"session_id": item.session_id, "council_scheduled_on": [
               old_day.isoformat(), item.session.held_on.isoformat()]})


def cancel(session: Session, meeting: CouncilSession, *, reason: str | None,
           actor: User) -> None:
    """Cancel a session that has not opened: its dossiers leave the agenda, it ends."""
    require_secretary(actor, meeting.council)
    reason = clean_reason(reason, _("Give the reason for cancelling the session."))
    lock_session(session, meeting)
    _require_unopened(meeting)
    released = []
    for item in list(meeting.items):
        released.append(item.dossier_id)
        _take_off(session, item, actor)
    session.expire(meeting, ["items"])
    meeting.cancelled_at = meeting.ended_at = utcnow()
    meeting.cancel_reason = reason
    session.flush()
    record(session, "council.session_cancelled", "council_session", meeting.id, actor=actor,
           from_state="scheduled", to_state="cancelled",
           data={"reason": reason, "held_on": meeting.held_on.isoformat(),
                 "dossiers_released": released})
    _tell(session, meeting, actor, "council.session_cancelled", meeting.held_on,
          lambda: _("The council session of %(day)s (%(council)s) is cancelled. Reason: "
                    "%(reason)s", day=_day(meeting.held_on), council=meeting.council.name,
                    reason=reason))


def _day(day: date) -> str:
    return format_date(day, "dd/MM/yyyy")


def _changed_message(meeting: CouncilSession, old_day: date, changes: dict,
                     reason: str) -> str:
    words = {"held_on": _("date"), "place": _("place"), "title": _("title")}
    parts = [f"{words[name]}: {_shown(old)} → {_shown(new)}"
             for name, (old, new) in changes.items()]
    return _("The council session of %(day)s (%(council)s) was changed: %(changes)s. "
             "Reason: %(reason)s", day=_day(old_day), council=meeting.council.name,
             changes="; ".join(parts), reason=reason)


def _shown(value) -> str:
    if isinstance(value, date):
        return _day(value)
    return value or "—"


def _tell(session: Session, meeting: CouncilSession, actor: User, kind: str, old_day: date,
          message) -> None:
    """Tell everyone seated on the council on the session's (old or new) date, in their
    language; the actor and inactive accounts are left out."""
    days = {old_day, meeting.held_on}
    users = {m.user_id: m.user for m in meeting.council.members
             if any(m.serves_on(day) for day in days)}
    for user_id in sorted(users):
        user = users[user_id]
        if user_id == actor.id or not user.is_active:
            continue
        with force_locale(user.locale if user.locale in ("vi", "en") else "vi"):
            text = message()
        notify(session, user, kind, text, subject_type="council_session",
               subject_id=meeting.id, link=f"/council/sessions/{meeting.id}")


def sessions_for(session: Session, user: User) -> list[CouncilSession]:
    """Sessions the user may open from "my sessions", newest first (cancelled ones too:
    they are history; `is_upcoming` tells the lists of upcoming sessions)."""
    meetings = session.scalars(select(CouncilSession).order_by(
        CouncilSession.held_on.desc(), CouncilSession.id.desc())).all()
    return [m for m in meetings if access.can_view(user, m)]
