"""Council sessions, as the session pages (`council/views/member.py`, `views_secretary.py`):
my sessions, one session (agenda with conflicts and tallies, attendance, quorum, rounds, my
seat, quota flags), and the secretary's work — schedule, change or cancel before it opens,
the agenda, attendance, the decision to exceed a quota, ending the session — through the
same services (`council/service/sessions.py`, `attendance.py`,
`eligibility/service/council_quotas.py`).
A date outside the window, a place or title too long, a missing reason: 422
`validation_failed` naming the field in `details`, as pydantic's own errors.

Scope as the pages (`council.views.blueprint.visible_session`): a session is seen by the council's
members, its secretary and chair, and auditors over its unit; anyone else gets a 404. The
secretary's actions need the secretary role over the council's unit (403 otherwise).
Refusals keep the services' statuses: 409 `council_error` (the session has ended, an item
was voted …), 422 `invalid_input`, 403 `not_allowed`.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.operations import operation
from workflow_app.council.api.presenters import (
    agenda_dossier,
    item_out,
    page_of,
    session_out,
    session_summary,
)
from workflow_app.council.api.schemas_sessions import (
    AddItemIn,
    AttendanceIn,
    DossierPageOut,
    ItemOut,
    MySeatOut,
    MySessionsQuery,
    QuotaDecisionIn,
    SessionCancelIn,
    SessionChangeIn,
    SessionIn,
    SessionOut,
    SessionPage,
    SessionQuery,
)
from workflow_app.council.service import access, attendance, ballots, sessions
from workflow_app.eligibility.service import council_quotas
from workflow_app.eligibility.service.quotas import QuotaExceptionError
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.council import Council, CouncilSession
from workflow_app.models.dossier import Dossier

SECRETARY = ("secretary",)
TAGS = ["council sessions"]


def _secretary_session(session_id: int) -> CouncilSession:
    meeting = access.visible_session(db.session, caller(), session_id)
    if not access.is_secretary(current_user, meeting.council):
        raise ApiError(403, "forbidden", _("Only the secretary of this council does this."))
    return meeting


def _my_seat(meeting: CouncilSession) -> MySeatOut | None:
    seat = access.seat_of(caller(), meeting.council, meeting.held_on)
    if seat is None:
        return None
    open_round = next((r for r in meeting.rounds if r.is_open), None)
    has_paper = voted = False
    if open_round is not None:
        has_paper = bool(ballots.paper_items(open_round, seat))
        voted = ballots.has_voted(db.session, open_round, seat)
    return MySeatOut(member_id=seat.id, role=seat.role, voting=seat.voting,
                     has_paper=has_paper, voted=voted)


def session_view(meeting: CouncilSession) -> SessionOut:
    """The session as its page shows it to the caller."""
    viewer = caller()
    is_secretary = access.is_secretary(viewer, meeting.council)
    is_chair = access.is_chair(viewer, meeting.council)
    live = attendance.quorum_snapshot(meeting) \
        if is_secretary and meeting.ended_at is None else None
    flags = council_quotas.agenda_quota_flags(db.session, meeting) \
        if is_secretary or is_chair else []
    return session_out(meeting, current_locale(), is_secretary=is_secretary,
                       is_chair=is_chair, statuses=attendance.status_of(meeting),
                       live_quorum=live, my_seat=_my_seat(meeting), quota_flags=flags)


def _field_checked(work):
    """Run a session service call; its refusal of one field is a 422 naming the field."""
    try:
        return work()
    except sessions.FieldInvalid as error:
        raise ApiError(422, "validation_failed", error.description, [
            {"loc": [error.field], "msg": error.description, "type": "invalid"}]) from None


@operation("GET", "/council/sessions", summary="My council sessions",
           description="The sessions you may open, as “my council sessions”: `when=upcoming` "
                       "for those neither ended nor cancelled, `when=past` for the history.",
           tags=TAGS, query=MySessionsQuery, response=SessionPage)
def list_council_sessions(query: MySessionsQuery) -> SessionPage:
    rows = sessions.sessions_for(db.session, caller())
    if query.when is not None:
        rows = [m for m in rows if sessions.is_upcoming(m) == (query.when == "upcoming")]
    chunk, next_cursor = page_of(rows, query, key=lambda m: m.id, descending=True)
    return SessionPage(items=[session_summary(m) for m in chunk], next_cursor=next_cursor)


@operation("POST", "/council/sessions", summary="Schedule a session",
           description="Of a council you are the secretary of, dated at most "
                       f"{sessions.PAST_DAYS} days ago and at most {sessions.AHEAD_DAYS} "
                       "days ahead (Vietnam's date). Audited `council.session_scheduled`.",
           tags=TAGS, roles=SECRETARY, request=SessionIn, response=SessionOut, status=201)
def schedule_council_session(body: SessionIn) -> SessionOut:
    actor = caller()
    council = db.session.get(Council, body.council_id)
    if council is None or not access.is_secretary(actor, council):
        message = _("Choose a council you are the secretary of.")
        raise ApiError(422, "invalid_input", message,
                       [{"loc": ["council_id"], "msg": message, "type": "invalid"}])
    meeting = _field_checked(lambda: sessions.schedule(
        db.session, council, held_on=body.held_on, place=body.place, title=body.title,
        actor=actor))
    return session_view(meeting)


@operation("PATCH", "/council/sessions/{session_id}", summary="Change a session",
           description="Its date, place or title (only the fields sent), with a reason, "
                       "before it opens (no attendance, no round): 409 `council_error` after. "
                       "A new date moves the agenda's dossiers with it and is checked as when "
                       "scheduling. Audited `council.session_changed` with the field diffs "
                       "and the reason; everyone seated is told (in the app and by e-mail).",
           tags=TAGS, roles=SECRETARY, request=SessionChangeIn, response=SessionOut,
           errors=[404, 409])
def change_council_session(session_id: int, body: SessionChangeIn) -> SessionOut:
    meeting = _secretary_session(session_id)
    given = body.model_fields_set
    _field_checked(lambda: sessions.change(
        db.session, meeting,
        held_on=body.held_on if "held_on" in given and body.held_on else meeting.held_on,
        place=body.place if "place" in given else meeting.place,
        title=body.title if "title" in given else meeting.title,
        reason=body.reason, actor=caller()))
    return session_view(meeting)


@operation("POST", "/council/sessions/{session_id}/cancel", summary="Cancel a session",
           description="With a reason, before it opens (no attendance, no round): 409 "
                       "`council_error` after. Its dossiers leave the agenda (free for "
                       "another session); it ends and leaves the lists of upcoming sessions "
                       "(`status` `cancelled`, still in the history). Audited "
                       "`council.session_cancelled`; everyone seated is told.",
           tags=TAGS, roles=SECRETARY, request=SessionCancelIn, response=SessionOut,
           errors=[404, 409])
def cancel_council_session(session_id: int, body: SessionCancelIn) -> SessionOut:
    meeting = _secretary_session(session_id)
    _field_checked(lambda: sessions.cancel(db.session, meeting, reason=body.reason,
                                           actor=caller()))
    return session_view(meeting)


@operation("GET", "/council/sessions/{session_id}", summary="One session",
           description="Agenda (each item with its rule, conflicts, tally and the chair's "
                       "reservation and ruling), attendance, the quorum (the open round's "
                       "snapshot, or the secretary's quorum now), rounds, your seat and "
                       "whether a ballot paper waits for you, and the quota flags for the "
                       "secretary and chair. Never who voted what.",
           tags=TAGS, response=SessionOut, errors=[404])
def get_council_session(session_id: int) -> SessionOut:
    return session_view(access.visible_session(db.session, caller(), session_id))


@operation("GET", "/council/sessions/{session_id}/eligible-dossiers",
           summary="Dossiers the secretary may put on the agenda",
           description="Awaiting the council, within the council's units, and on no other "
                       "session that has not ended.",
           tags=TAGS, roles=SECRETARY, query=SessionQuery, response=DossierPageOut,
           errors=[404])
def list_eligible_dossiers(session_id: int, query: SessionQuery) -> DossierPageOut:
    meeting = _secretary_session(session_id)
    rows = sessions.eligible_dossiers(db.session, meeting) if meeting.ended_at is None else []
    chunk, next_cursor = page_of(rows, query, key=lambda d: d.id)
    locale = current_locale()
    return DossierPageOut(items=[agenda_dossier(d, locale) for d in chunk],
                          next_cursor=next_cursor)


@operation("POST", "/council/sessions/{session_id}/items", summary="Put a dossier on the agenda",
           description="Records the automatic recusals and bumps the dossier's version. "
                       "409 `council_error` when the dossier is not eligible.",
           tags=TAGS, roles=SECRETARY, request=AddItemIn, response=ItemOut, status=201,
           errors=[404, 409])
def add_agenda_item(session_id: int, body: AddItemIn) -> ItemOut:
    meeting = _secretary_session(session_id)
    dossier = db.session.get(Dossier, body.dossier_id)
    if dossier is None:  # the same answer as for a dossier that is not eligible
        raise _not_eligible()
    item = sessions.add_item(db.session, meeting, dossier, actor=caller())
    return item_out(item, current_locale())


def _not_eligible() -> ApiError:
    return ApiError(409, "council_error", _(
        "This dossier cannot be put on this agenda: it must await the council, be within the "
        "council's units and not be on another session."))


@operation("DELETE", "/council/items/{item_id}", summary="Take a dossier off the agenda",
           description="Only before its round opens (409 after).",
           tags=TAGS, roles=SECRETARY, response=SessionOut, errors=[404, 409])
def remove_agenda_item(item_id: int) -> SessionOut:
    item = access.visible_item(db.session, caller(), item_id)
    meeting = _secretary_session(item.session_id)
    sessions.remove_item(db.session, item, actor=caller())
    db.session.expire(meeting, ["items"])
    return session_view(meeting)


@operation("PUT", "/council/sessions/{session_id}/attendance", summary="Record attendance",
           description="While no round is open. `absent_written_vote` only when an item still "
                       "to be voted allows written votes; a non-voting seat (a secretary who is "
                       "not a member) is `present` or `absent` and never counts towards the "
                       "quorum. The calling secretary's own seat, when not listed and not yet "
                       "recorded, is recorded present. All or nothing; each change audited "
                       "`council.attendance_recorded`.",
           tags=TAGS, roles=SECRETARY, request=AttendanceIn, response=SessionOut,
           errors=[404, 409])
def record_council_attendance(session_id: int, body: AttendanceIn) -> SessionOut:
    meeting = _secretary_session(session_id)
    seats = {m.id: m for m in attendance.seats(meeting)}
    actor = caller()
    if len({e.member_id for e in body.members}) != len(body.members):
        raise ApiError(422, "invalid_input", _("Each member may appear once."))
    wanted = []
    for entry in body.members:
        member = seats.get(entry.member_id)
        if member is None:
            raise ApiError(422, "invalid_input", _(
                "This person has no seat on the council on the session's date."),
                [{"loc": ["members", "member_id"], "msg": "not a seat", "type": "invalid"}])
        wanted.append((member, entry.status))
    attendance.record_statuses(db.session, meeting, wanted, actor=actor)
    db.session.expire(meeting, ["attendance"])
    return session_view(meeting)


@operation("POST", "/council/sessions/{session_id}/quota-decisions",
           summary="Record the decision to exceed a quota",
           description="For a quota flagged on this session (`quota_flags`): who and why are "
                       "audited (`quota.exception_recorded`). 409 `quota_not_flagged` when "
                       "the quota is not exceeded here or its decision is already recorded.",
           tags=TAGS, roles=SECRETARY, request=QuotaDecisionIn, response=SessionOut,
           status=201, errors=[404, 409])
def record_quota_decision(session_id: int, body: QuotaDecisionIn) -> SessionOut:
    meeting = _secretary_session(session_id)
    try:
        council_quotas.record_for_session(
            db.session, meeting, caller(), unit_id=body.unit_id, award_code=body.award_code,
            year=body.year, reason=body.reason)
    except QuotaExceptionError as error:
        raise ApiError(409, "quota_not_flagged", str(error)) from None
    return session_view(meeting)


@operation("POST", "/council/sessions/{session_id}/end", summary="End the session",
           description="Once no round is open. Audited `council.session_ended` with the items "
                       "voted and not voted.",
           tags=TAGS, roles=SECRETARY, response=SessionOut, errors=[404, 409])
def end_council_session(session_id: int) -> SessionOut:
    meeting = _secretary_session(session_id)
    sessions.end_session(db.session, meeting, actor=caller())
    return session_view(meeting)

