"""Who may do what in a council.

- The secretary's work (sessions, agenda, attendance, rounds, written votes) needs the
  `secretary` role granted over the council's unit — the same role the engine asks for
  when a vote opens or closes on a dossier of that unit.
- The chair's work (conflict decisions, holding an item, rulings) needs the `chair` role
  over the council's unit.
- Voting needs a voting seat on the council whose term covers the session's date.
- A session is visible to the council's members, its secretary and chair, and auditors
  over its unit; auditors, the chair and the secretary may verify its signed minutes.
- A council's seats and rules are managed by admins over its unit (the head's decision is
  recorded by them); its secretary, chair and auditors read them.
"""

from __future__ import annotations

from datetime import date

from werkzeug.exceptions import NotFound

from workflow_app.models.council import (
    AgendaItem,
    Council,
    CouncilMember,
    CouncilSession,
    Recusal,
    VotingRound,
)
from workflow_app.models.user import User


def _holds(user: User | None, council: Council, *roles: str) -> bool:
    return bool(user is not None and user.is_active and user.can_see_unit(council.unit, *roles))


def is_secretary(user: User | None, council: Council) -> bool:
    return _holds(user, council, "secretary")


def is_chair(user: User | None, council: Council) -> bool:
    return _holds(user, council, "chair")


def is_auditor(user: User | None, council: Council) -> bool:
    return _holds(user, council, "auditor")


def may_verify_minutes(user: User | None, council: Council) -> bool:
    """Auditors, the chair and the secretary check signed minutes against the audit trail."""
    return _holds(user, council, "auditor", "chair", "secretary")


def may_manage_council(user: User | None, council: Council) -> bool:
    """Admins over the council's unit set it up and change its seats and rules."""
    return _holds(user, council, "admin")


def may_read_council(user: User | None, council: Council) -> bool:
    """The council's page: its managers, and its secretary, chair and auditors."""
    return _holds(user, council, "admin", "secretary", "chair", "auditor")


def seat_of(user: User | None, council: Council, day: date) -> CouncilMember | None:
    """The user's seat on `council` on `day` (terms of one user never overlap)."""
    if user is None:
        return None
    for member in council.members:
        if member.user_id == user.id and member.serves_on(day):
            return member
    return None


def can_view(user: User | None, session: CouncilSession) -> bool:
    council = session.council
    if user is None or not user.is_active:
        return False
    if is_secretary(user, council) or is_chair(user, council):
        return True
    if _holds(user, council, "auditor"):
        return True
    return any(m.user_id == user.id for m in council.members)


# Loaders for pages and operations: the row when `user` may see its session, NotFound
# otherwise (the same answer as for an id that does not exist).

def _visible(row, user: User | None, meeting_of):
    if row is None or not can_view(user, meeting_of(row)):
        raise NotFound()
    return row


def visible_session(session, user: User | None, session_id: int) -> CouncilSession:
    return _visible(session.get(CouncilSession, session_id), user, lambda m: m)


def visible_round(session, user: User | None, round_id: int) -> VotingRound:
    return _visible(session.get(VotingRound, round_id), user, lambda r: r.session)


def visible_item(session, user: User | None, item_id: int) -> AgendaItem:
    return _visible(session.get(AgendaItem, item_id), user, lambda i: i.session)


def visible_recusal(session, user: User | None, recusal_id: int) -> Recusal:
    return _visible(session.get(Recusal, recusal_id), user, lambda r: r.item.session)
