"""Councils and their members: create, seat, change role, end a term. Every change audited.

Rules kept here:
- one user holds at most one seat on a council at any date (terms never overlap), so
  "one ballot per member" is also one ballot per person;
- at most one chair serves on a council at any date;
- the quorum rule is data on the council (configurable, no confirmed legal source).
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.council.errors import InvalidInput
from workflow_app.council.thresholds import COMPARATORS, RuleError, parse_ratio
from workflow_app.models.council import MEMBER_ROLES, Council, CouncilMember
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User


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
                   recuse_nominee_unit: bool = False, actor=None) -> Council:
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise InvalidInput(_("A council needs a code and a name."))
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
                 "recuse_nominee_unit": recuse_nominee_unit})
    return council


def set_rules(session: Session, council: Council, *, quorum_comparator: str,
              quorum_ratio: str, recuse_nominee_unit: bool, actor=None) -> None:
    _check_quorum(quorum_comparator, quorum_ratio)
    before = [council.quorum_comparator, council.quorum_ratio, council.recuse_nominee_unit]
    council.quorum_comparator = quorum_comparator
    council.quorum_ratio = quorum_ratio.replace(" ", "")
    council.recuse_nominee_unit = recuse_nominee_unit
    after = [council.quorum_comparator, council.quorum_ratio, council.recuse_nominee_unit]
    if before != after:
        session.flush()
        record(session, "council.rules_changed", "council", council.id, actor=actor,
               data={"quorum_and_unit_recusal": [before, after]})


def add_member(session: Session, council: Council, user: User, role: str, *,
               term_from: date, term_to: date | None = None, voting: bool | None = None,
               actor=None) -> CouncilMember:
    """Seat `user` on `council`. A secretary does not vote unless `voting=True` is given."""
    if role not in MEMBER_ROLES:
        raise InvalidInput(_("Unknown council role: %(role)s.", role=role))
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
                                                   term_to.isoformat() if term_to else None]})
    return member


def end_term(session: Session, member: CouncilMember, last_day: date, *, actor=None) -> None:
    """End a seat on `last_day` (kept for the record: past sessions still name the member)."""
    if last_day < member.term_from:
        raise InvalidInput(_("A term cannot end before it starts."))
    before = member.term_to.isoformat() if member.term_to else None
    member.term_to = last_day
    session.flush()
    record(session, "council.member_term_ended", "council", member.council_id, actor=actor,
           data={"member_id": member.id, "term_to": [before, last_day.isoformat()]})


def change_role(session: Session, member: CouncilMember, role: str, *, actor=None) -> None:
    if role not in MEMBER_ROLES:
        raise InvalidInput(_("Unknown council role: %(role)s.", role=role))
    if role == "chair" and any(
            s.role == "chair" and s.id != member.id and _overlaps(
                s.term_from, s.term_to, member.term_from, member.term_to)
            for s in member.council.members):
        raise InvalidInput(_("The council already has a chair in that term."))
    before = member.role
    member.role = role
    session.flush()
    record(session, "council.member_role_changed", "council", member.council_id, actor=actor,
           data={"member_id": member.id, "role": [before, role]})


def voting_members(council: Council, day: date) -> list[CouncilMember]:
    """Members entitled to vote on `day`, in seat order."""
    return [m for m in council.members if m.voting and m.serves_on(day)]
