"""Attendance and the quorum.

Attendance is recorded by the secretary while no round is open: present, absent, or absent
with a written vote (only when an item still to be voted allows written votes). Opening a
round takes a snapshot (`quorum_snapshot`) of who was entitled, who was present and who
votes in writing, with the council's quorum rule and the count it needs. The snapshot is
stored on the round and shown to everyone; later attendance changes never alter it.

Seated members who do not vote (a secretary who is not a member) are recorded too, as
present or absent only, so that the minutes list them correctly; they never count towards
the quorum (`quorum_snapshot` reads voting members only).

The quorum rule is the council's setting (default: more than half of the voting members
present) — configurable, no confirmed legal source (LEGAL_FACTS §5.1).
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.council.service import rules
from workflow_app.council.service.councils import voting_members
from workflow_app.council.service.errors import CouncilError, InvalidInput
from workflow_app.council.service.sessions import require_secretary
from workflow_app.council.service.thresholds import quorum_needed
from workflow_app.models.base import utcnow
from workflow_app.models.council import ATTENDANCE, Attendance, CouncilMember, CouncilSession
from workflow_app.models.user import User


def status_of(meeting: CouncilSession) -> dict[int, str]:
    """member id → attendance status; members without a row are absent."""
    return {row.member_id: row.status for row in meeting.attendance}


def seats(meeting: CouncilSession) -> list[CouncilMember]:
    """Everyone seated on the council on the session's date, voting or not, in seat order."""
    return [m for m in meeting.council.members if m.serves_on(meeting.held_on)]


def statuses_for(member: CouncilMember) -> tuple[str, ...]:
    """The statuses a member may be given: a non-voting member is present or absent."""
    return ATTENDANCE if member.voting else ("present", "absent")


def form_defaults(meeting: CouncilSession, actor: User) -> dict[int, str]:
    """member id → status to pre-select on the attendance form: the recorded status, else
    present for the secretary filling in the form (she keeps the record), else absent."""
    recorded = status_of(meeting)
    return {m.id: recorded.get(m.id, "present" if m.user_id == actor.id else "absent")
            for m in seats(meeting)}


def set_status(session: Session, meeting: CouncilSession, member: CouncilMember, status: str,
               *, actor: User) -> None:
    require_secretary(actor, meeting.council)
    if status not in ATTENDANCE:
        raise InvalidInput(_("Unknown attendance status."))
    if meeting.ended_at is not None:
        raise CouncilError(_("This session has ended."))
    if any(r.is_open for r in meeting.rounds):
        raise CouncilError(_("Attendance cannot change while a round is open."))
    if member.council_id != meeting.council_id or not member.serves_on(meeting.held_on):
        raise InvalidInput(_("This person has no seat on the council on the session's date."))
    if status not in statuses_for(member):
        raise InvalidInput(_("%(name)s does not vote, so cannot vote in writing.",
                             name=member.name))
    if status == "absent_written_vote" and not any(
            item.round_id is None and rules.written_allowed(rules.dossier_rule(item))
            for item in meeting.items):
        raise CouncilError(_("No item still to be voted allows absent members to vote in "
                             "writing."))
    row = next((a for a in meeting.attendance if a.member_id == member.id), None)
    before = row.status if row else None
    if before == status:
        return
    if row is None:
        row = Attendance(session=meeting, member=member, status=status)
        session.add(row)
    row.status, row.recorded_at, row.recorded_by_id = status, utcnow(), actor.id
    session.flush()
    record(session, "council.attendance_recorded", "council_session", meeting.id,
           actor=actor, data={"member_id": member.id, "status": [before, status]})


def record_statuses(session: Session, meeting: CouncilSession,
                    wanted: list[tuple[CouncilMember, str]], *, actor: User) -> None:
    """Record every (member, status) in `wanted` (all or nothing: the caller rolls back on
    an error). The secretary recording attendance is present — she keeps the record —
    unless `wanted` says otherwise or her attendance was already recorded: her seat, if
    she has one, is then recorded present too (one more audited change)."""
    for member, status in wanted:
        set_status(session, meeting, member, status, actor=actor)
    listed = {member.id for member, _status in wanted}
    recorded = status_of(meeting)
    for member in seats(meeting):
        if member.user_id == actor.id and member.id not in listed \
                and member.id not in recorded:
            set_status(session, meeting, member, "present", actor=actor)


def quorum_snapshot(meeting: CouncilSession) -> dict[str, Any]:
    """Who is entitled, present and voting in writing now, and whether the quorum is met."""
    council = meeting.council
    statuses = status_of(meeting)
    entitled = voting_members(council, meeting.held_on)
    present = [m for m in entitled if statuses.get(m.id) == "present"]
    written = [m for m in entitled if statuses.get(m.id) == "absent_written_vote"]
    needed = quorum_needed(council.quorum_comparator, council.quorum_ratio, len(entitled))
    return {
        "rule": {"comparator": council.quorum_comparator, "ratio": council.quorum_ratio,
                 "basis": "configurable"},
        "entitled": [[m.id, m.name] for m in entitled],
        "present": [m.id for m in present],
        "written": [m.id for m in written],
        "entitled_count": len(entitled),
        "present_count": len(present),
        "needed": needed,
        "met": len(present) >= needed,
    }
