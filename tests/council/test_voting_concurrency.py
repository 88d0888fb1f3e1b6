"""One ballot per member per round under real concurrency, and no ballot after close.

Each attempt runs in its own thread with its own session (`db.new_session()`), as concurrent
requests do, on SQLite and on PostgreSQL.

The control test `test_without_the_primary_key_a_double_submit_counts_twice` removes the
register's primary key and runs the same race: every submit is then counted. That is how we
know the constraint — not luck, not a check in Python — is what makes the other test pass.
"""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select, text

from tests.support.council_factories import race
from workflow_app.council.service import ballots, rounds
from workflow_app.extensions import db
from workflow_app.models.ballot import Ballot, Participation
from workflow_app.models.council import AgendaItem, CouncilMember, VotingRound
from workflow_app.models.user import User

SUBMITS = 6


def _count(session, model, round_id) -> int:
    return session.scalar(select(func.count()).select_from(model).where(
        model.round_id == round_id))


@pytest.fixture
def open_round(tx, make_council, council_dossier, meeting):
    kit = make_council(5)
    meeting_ = meeting(kit, [council_dossier(), council_dossier()])
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.commit()
    return kit, voting_round


def _caster(round_id: int, member_id: int, choice: str = "agree"):
    def attempt(own) -> None:
        voting_round = own.get(VotingRound, round_id)
        member = own.get(CouncilMember, member_id)
        items = ballots.paper_items(voting_round, member)
        ballots.cast(own, voting_round, member, {i.id: choice for i in items},
                     actor=own.get(User, member.user_id))
    return attempt


def test_a_concurrent_double_submit_counts_once(app, session, open_round):
    kit, voting_round = open_round
    member = kit.members[1]
    outcomes = race(app, [_caster(voting_round.id, member.id)] * SUBMITS)
    assert Counter(outcomes) == Counter({"ok": 1, "AlreadyVoted": SUBMITS - 1}), outcomes
    assert _count(session, Participation, voting_round.id) == 1
    assert _count(session, Ballot, voting_round.id) == 1


def test_different_members_all_count(app, session, open_round):
    kit, voting_round = open_round
    outcomes = race(app, [_caster(voting_round.id, m.id) for m in kit.members])
    assert outcomes == ["ok"] * len(kit.members)
    assert _count(session, Ballot, voting_round.id) == len(kit.members)


def _drop_register_key(engine) -> None:
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            conn.execute(text("DROP TABLE council_participation"))
            conn.execute(text(
                "CREATE TABLE council_participation (round_id INTEGER NOT NULL, "
                "member_id INTEGER NOT NULL, voted_at DATETIME NOT NULL, "
                "channel VARCHAR(10) NOT NULL, entered_by_id INTEGER, "
                "secret_paper BOOLEAN NOT NULL)"))
        else:
            conn.execute(text("ALTER TABLE council_participation "
                              "DROP CONSTRAINT pk_council_participation"))


def _restore_register_key(engine) -> None:
    if engine.dialect.name == "sqlite":
        return  # the SQLite file is this test's own copy
    with engine.begin() as conn:
        conn.execute(text("TRUNCATE council_participation"))
        conn.execute(text("ALTER TABLE council_participation ADD CONSTRAINT "
                          "pk_council_participation PRIMARY KEY (round_id, member_id)"))


def test_without_the_primary_key_a_double_submit_counts_twice(app, session, open_round):
    """Control: the same race with the constraint removed counts every submit."""
    kit, voting_round = open_round
    member = kit.members[1]
    engine = db.engine
    _drop_register_key(engine)
    try:
        outcomes = race(app, [_caster(voting_round.id, member.id)] * SUBMITS)
        assert outcomes == ["ok"] * SUBMITS
        assert _count(session, Participation, voting_round.id) == SUBMITS
        assert _count(session, Ballot, voting_round.id) == SUBMITS
    finally:
        _restore_register_key(engine)


def test_a_cast_racing_the_close_is_counted_or_refused_never_lost(app, session, open_round):
    kit, voting_round = open_round

    def close(own) -> None:
        rounds.close_round(own, own.get(VotingRound, voting_round.id),
                           actor=own.get(User, kit.secretary.id))

    attempts = [_caster(voting_round.id, m.id) for m in kit.members] + [close]
    outcomes = race(app, attempts)
    assert outcomes.count("ok") >= 1 and set(outcomes) <= {"ok", "RoundClosed"}, outcomes
    accepted = outcomes.count("ok") - 1  # the close itself
    stored = session.get(VotingRound, voting_round.id)
    assert stored.status == "closed"
    # Every accepted ballot is in the box and in the count; nothing came in after close.
    assert _count(session, Participation, voting_round.id) == accepted
    assert _count(session, Ballot, voting_round.id) == accepted == stored.ballot_count
    for item in session.scalars(select(AgendaItem).where(
            AgendaItem.round_id == voting_round.id)):
        assert item.tally["agree"] == accepted


def test_no_ballot_after_close(tx, session, open_round):
    kit, voting_round = open_round
    rounds.close_round(tx, voting_round, actor=kit.secretary)
    tx.commit()
    from workflow_app.council.service.errors import RoundClosed

    with pytest.raises(RoundClosed):
        _caster(voting_round.id, kit.members[0].id)(tx)
    tx.rollback()
    assert _count(session, Participation, voting_round.id) == 0
