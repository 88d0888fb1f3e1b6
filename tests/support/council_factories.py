"""Factories for council tests: `make_council(...)`, `vote_award(...)`, `council_dossier(...)`,
`meeting(...)`, `voted_session(...)`.

Councils, sessions and votes are written through `tx` (the engine needs a transaction) and
committed before returning; users and persons come from the autocommit `session` factories
and are re-read in `tx`. Every voting member has a linked person, so recusal rules apply.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date

import pytest

from workflow_app.council.service import attendance, councils, sessions
from workflow_app.models.catalogue import Award
from workflow_app.models.council import Council, CouncilMember, CouncilSession
from workflow_app.models.user import User

_counter = itertools.count(1)
DEFAULT_RULE = {"method": "secret_ballot", "numerator": "agree", "denominator": "all_members",
                "comparator": ">", "ratio": "1/2", "absent_may_vote_in_writing": False,
                "configurable": True}
TERM_START = date(2020, 1, 1)


@dataclass
class CouncilKit:
    council: Council
    secretary: User
    chair: User
    members: list[CouncilMember] = field(default_factory=list)  # voting seats, chair first

    def user(self, member: CouncilMember) -> User:
        return member.user


@pytest.fixture
def make_council(tx, make_user, make_person, root_unit):
    def make(voters: int = 5, *, unit=None, quorum=(">", "1/2"), recuse_nominee_unit=False,
             persons_unit=None, totp_secret=None) -> CouncilKit:
        unit = unit or root_unit
        n = next(_counter)
        chair = make_user(f"chair{n}", roles=["chair", "council_member"], unit=unit,
                          person=make_person(f"Chủ tịch {n}", unit=persons_unit or unit))
        secretary = make_user(f"secretary{n}", roles=["secretary"], unit=unit,
                              person=make_person(f"Thư ký {n}", unit=persons_unit or unit))
        others = [make_user(f"member{n}-{i}", roles=["council_member"], unit=unit,
                            totp_secret=totp_secret,
                            person=make_person(f"Ủy viên {n}-{i}", unit=persons_unit or unit))
                  for i in range(1, voters)]
        council = councils.create_council(
            tx, code=f"HD{n}", name=f"Hội đồng {n}", unit=tx.merge(unit),
            quorum_comparator=quorum[0], quorum_ratio=quorum[1],
            recuse_nominee_unit=recuse_nominee_unit)
        kit = CouncilKit(council, tx.get(User, secretary.id), tx.get(User, chair.id))
        kit.members.append(councils.add_member(tx, council, kit.chair, "chair",
                                               term_from=TERM_START))
        councils.add_member(tx, council, kit.secretary, "secretary", term_from=TERM_START)
        for user in others:
            kit.members.append(councils.add_member(tx, council, tx.get(User, user.id),
                                                   "member", term_from=TERM_START))
        tx.commit()
        return kit

    return make


@pytest.fixture
def vote_award(tx, make_award):
    """An award whose rule version carries `rule` (DEFAULT_RULE updated with overrides)."""
    def make(**overrides) -> Award:
        award = make_award()
        award = tx.get(Award, award.id)
        award.versions[0].vote_rule = {**DEFAULT_RULE, **overrides}
        tx.commit()
        return award

    return make


@pytest.fixture
def council_dossier(make_dossier, vote_award):
    """A dossier awaiting the council under a rule (`rule=dict(...)` overrides)."""
    def make(*, rule: dict | None = None, award=None, **fields):
        award = award or vote_award(**(rule or {}))
        return make_dossier("awaiting_council", award=award, **fields)

    return make


@pytest.fixture
def meeting(tx):
    """`meeting(kit, dossiers, present=[members] | None (all), written=[members])`."""
    def make(kit: CouncilKit, dossiers=(), *, present=None, written=(),
             held_on: date | None = None) -> CouncilSession:
        session_ = sessions.schedule(tx, kit.council, held_on=held_on or date.today(),
                                     place="Phòng họp số 1", actor=kit.secretary)
        for dossier in dossiers:
            sessions.add_item(tx, session_, dossier, actor=kit.secretary)
        present = kit.members if present is None else present
        for member in present:
            attendance.set_status(tx, session_, member, "present", actor=kit.secretary)
        for member in written:
            attendance.set_status(tx, session_, member, "absent_written_vote",
                                  actor=kit.secretary)
        tx.commit()
        return session_

    return make


@pytest.fixture
def voted_session(tx, make_council, council_dossier, meeting):
    """`voted_session(close=True)` → (kit, meeting, round): five members; the last absent
    with a written vote (disagree on the one item allowing it); member 1 declares a conflict
    on the first item and the chair accepts it; everyone else agrees on everything."""
    from workflow_app.council.service import ballots, recusal, rounds

    def make(*, close: bool = True):
        kit = make_council(5)
        absent = kit.members[-1]
        first = council_dossier(rule={"absent_may_vote_in_writing": True})
        second = council_dossier()
        meeting_ = make_meeting(kit, [first, second], present=kit.members[:-1],
                                written=[absent])
        item = next(i for i in meeting_.items if i.dossier_id == first.id)
        entry = recusal.declare(tx, item, kit.members[1], "Người thân của người được đề nghị",
                                actor=kit.members[1].user)
        recusal.decide(tx, entry, True, actor=kit.chair)
        tx.commit()
        voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
        tx.commit()
        for member in kit.members[:-1]:
            papers = ballots.paper_items(voting_round, member)
            ballots.cast(tx, voting_round, member, {i.id: "agree" for i in papers},
                         actor=member.user)
        [written] = ballots.paper_items(voting_round, absent, "written")
        ballots.cast(tx, voting_round, absent, {written.id: "disagree"}, actor=kit.secretary,
                     channel="written")
        tx.commit()
        if close:
            rounds.close_round(tx, voting_round, actor=kit.secretary)
            tx.commit()
        return kit, meeting_, voting_round

    make_meeting = meeting
    return make


def race(app, attempts) -> list[str]:
    """Run each `attempt(session)` at once, each in its own thread, app context and session
    (as concurrent requests do); commit on success. Returns the outcomes, one per attempt:
    "ok" or the error's class name."""
    import threading

    from workflow_app.extensions import db
    from workflow_app.workflow.errors import WorkflowError

    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = []

    def run(attempt) -> None:
        with app.app_context():
            own = db.new_session()
            try:
                barrier.wait(timeout=10)
                attempt(own)
                own.commit()
                outcomes.append("ok")
            except WorkflowError as error:
                own.rollback()
                outcomes.append(type(error).__name__)
            except Exception as error:  # noqa: BLE001 - reported by the caller's assertion
                own.rollback()
                outcomes.append(f"unexpected {error!r}")
            finally:
                own.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes
