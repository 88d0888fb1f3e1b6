"""Councils and their members: create, seat, change role, end a term. Every change audited.

Rules kept here:
- one user holds at most one seat on a council at any date (terms never overlap), so
  "one ballot per member" is also one ballot per person;
- at most one chair serves on a council at any date;
- a term cannot be ended before the date of a session of the council whose voting has
  started and which has not ended (its members' seats must stay valid until it ends);
- the quorum rule is data on the council (configurable, no confirmed legal source).

Each change may cite its `basis` (the decision that set up or changed the council, e.g.
"Quyết định số 123/QĐ-BTP"); it is kept in the change's audit event.
"""

from __future__ import annotations

import re
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.council.service.errors import InvalidInput
from workflow_app.council.service.thresholds import COMPARATORS, RuleError, parse_ratio
from workflow_app.models.council import MEMBER_ROLES, Council, CouncilMember, CouncilSession
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.user import User

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")
MAX_NAME = 255
MAX_BASIS = 255


def _basis(basis: str | None) -> dict:
    basis = (basis or "").strip()
    if len(basis) > MAX_BASIS:
        raise InvalidInput(_("The basis is at most %(max)d characters.", max=MAX_BASIS))
    return {"basis": basis} if basis else {}


def _overlaps(a_from: date, a_to: date | None, b_from: date, b_to: date | None) -> bool:
    return (a_to is None or b_from <= a_to) and (b_to is None or a_from <= b_to)


def _check_quorum(comparator: str, ratio: str) -> None:
    if comparator not in COMPARATORS:
        raise InvalidInput(_("The quorum comparator must be ≥ or >."))
    try:
        parse_ratio(ratio)
    except RuleError:
        raise InvalidInput(_("The quorum ratio must be a fraction such as 1/2 or 2/3.")) from None


def create_council(session: Session, *, code: str, name: str, unit: OrgUnit,
                   quorum_comparator: str = ">", quorum_ratio: str = "1/2",
                   recuse_nominee_unit: bool = False, actor=None,
                   basis: str | None = None) -> Council:
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise InvalidInput(_("A council needs a code and a name."))
    if not CODE_RE.match(code):
        raise InvalidInput(_("The code has at most 40 letters, digits, “-”, “_” or “.”, "
                             "without spaces (for example HDTDKT-BTP)."))
    if len(name) > MAX_NAME:
        raise InvalidInput(_("The name is at most %(max)d characters.", max=MAX_NAME))
    cited = _basis(basis)
    _check_quorum(quorum_comparator, quorum_ratio)
    if session.scalar(select(Council.id).where(func.lower(Council.code) == code.lower())):
        raise InvalidInput(_("The council code %(code)s is taken.", code=code))
    council = Council(code=code, name=name, unit=unit, quorum_comparator=quorum_comparator,
                      quorum_ratio=quorum_ratio.replace(" ", ""),
                      recuse_nominee_unit=recuse_nominee_unit)
    session.add(council)
    session.flush()
    record(session, "council.created", "council", council.id, actor=actor,
           data={"code": code, "name": name, "unit_id": unit.id,
                 "quorum": [quorum_comparator, council.quorum_ratio],
                 "recuse_nominee_unit": recuse_nominee_unit, **cited})
    return council


def set_rules(session: Session, council: Council, *, quorum_comparator: str,
              quorum_ratio: str, recuse_nominee_unit: bool, actor=None,
              basis: str | None = None) -> None:
    cited = _basis(basis)
    _check_quorum(quorum_comparator, quorum_ratio)
    before = [council.quorum_comparator, council.quorum_ratio, council.recuse_nominee_unit]
    council.quorum_comparator = quorum_comparator
    council.quorum_ratio = quorum_ratio.replace(" ", "")
    council.recuse_nominee_unit = recuse_nominee_unit
    after = [council.quorum_comparator, council.quorum_ratio, council.recuse_nominee_unit]
    if before != after:
        session.flush()
        record(session, "council.rules_changed", "council", council.id, actor=actor,
               data={"quorum_and_unit_recusal": [before, after], **cited})


def add_member(session: Session, council: Council, user: User, role: str, *,
               term_from: date, term_to: date | None = None, voting: bool | None = None,
               actor=None, basis: str | None = None) -> CouncilMember:
    """Seat `user` on `council`. A secretary does not vote unless `voting=True` is given."""
    if role not in MEMBER_ROLES:
        raise InvalidInput(_("Unknown council role: %(role)s.", role=role))
    if not user.is_active:
        raise InvalidInput(_("%(name)s's account is disabled.", name=user.display_name))
    cited = _basis(basis)
    if term_to is not None and term_to < term_from:
        raise InvalidInput(_("A term cannot end before it starts."))
    for seat in council.members:
        if seat.user_id == user.id and _overlaps(seat.term_from, seat.term_to, term_from,
                                                 term_to):
            raise InvalidInput(_("%(name)s already has a seat on this council in that term.",
                                 name=user.display_name))
        if role == "chair" and seat.role == "chair" and _overlaps(
                seat.term_from, seat.term_to, term_from, term_to):
            raise InvalidInput(_("The council already has a chair in that term."))
    member = CouncilMember(council=council, user=user, role=role, term_from=term_from,
                           term_to=term_to,
                           voting=(role != "secretary") if voting is None else voting)
    session.add(member)
    session.flush()
    record(session, "council.member_added", "council", council.id, actor=actor,
           data={"member_id": member.id, "user_id": user.id, "role": role,
                 "voting": member.voting, "term": [term_from.isoformat(),
                                                   term_to.isoformat() if term_to else None],
                 **cited})
    return member


def _sessions_in_progress(session: Session, council: Council) -> list[CouncilSession]:
    """Sessions of the council whose voting has started and which have not ended."""
    meetings = session.scalars(select(CouncilSession).where(
        CouncilSession.council_id == council.id, CouncilSession.ended_at.is_(None)))
    return [m for m in meetings if m.rounds]


def end_term(session: Session, member: CouncilMember, last_day: date, *, actor=None,
             basis: str | None = None) -> None:
    """End a seat on `last_day` (kept for the record: past sessions still name the member)."""
    if last_day < member.term_from:
        raise InvalidInput(_("A term cannot end before it starts."))
    cited = _basis(basis)
    busy = [m for m in _sessions_in_progress(session, member.council)
            if m.held_on > last_day and member.serves_on(m.held_on)]
    if busy:
        raise InvalidInput(_("%(name)s sits in the session of %(day)s, whose voting has "
                             "started: end the term after that session has ended.",
                             name=member.name, day=busy[0].held_on.strftime("%d/%m/%Y")))
    before = member.term_to.isoformat() if member.term_to else None
    member.term_to = last_day
    session.flush()
    record(session, "council.member_term_ended", "council", member.council_id, actor=actor,
           data={"member_id": member.id, "term_to": [before, last_day.isoformat()], **cited})


def change_role(session: Session, member: CouncilMember, role: str, *, actor=None,
                basis: str | None = None) -> None:
    """Change a seat's role (whether it votes stays as it was)."""
    if role not in MEMBER_ROLES:
        raise InvalidInput(_("Unknown council role: %(role)s.", role=role))
    cited = _basis(basis)
    if role == member.role:
        return
    if role == "chair" and any(
            s.role == "chair" and s.id != member.id and _overlaps(
                s.term_from, s.term_to, member.term_from, member.term_to)
            for s in member.council.members):
        raise InvalidInput(_("The council already has a chair in that term."))
    before = member.role
    member.role = role
    session.flush()
    record(session, "council.member_role_changed", "council", member.council_id, actor=actor,
           data={"member_id": member.id, "role": [before, role], **cited})


def seatable_users(session: Session, council: Council) -> list[User]:
    """Who may be offered a seat: active accounts whose person belongs to the council's unit
    or one of its sub-units, by name."""
    return list(session.scalars(
        select(User).join(Person, User.person_id == Person.id)
        .join(OrgUnit, Person.unit_id == OrgUnit.id)
        .where(User.is_active.is_(True),
               OrgUnit.path.startswith(council.unit.path, autoescape=True))
        .order_by(Person.full_name, User.username)))


def voting_members(council: Council, day: date) -> list[CouncilMember]:
    """Members entitled to vote on `day`, in seat order."""
    return [m for m in council.members if m.voting and m.serves_on(day)]


SEAT_GRANTS = {"chair": "chair", "secretary": "secretary"}  # others: council_member


def missing_grant(member: CouncilMember) -> str | None:
    """The role the seat's account should hold over the council's unit but does not."""
    wanted = SEAT_GRANTS.get(member.role, "council_member")
    return None if member.user.can_see_unit(member.council.unit, wanted) else wanted
