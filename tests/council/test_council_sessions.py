"""Sessions end to end at the service level: agenda, attendance, quorum, rounds, tally."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from workflow_app.audit.verify import verify_chain
from workflow_app.council.service import ballots, rounds, sessions
from workflow_app.council.service.errors import CouncilError, NotAllowed, QuorumNotMet
from workflow_app.models.audit import AuditEvent
from workflow_app.models.council import AgendaItem, VotingRound
from workflow_app.models.dossier import Dossier


def _cast_all(tx, voting_round, kit, choice_for):
    """Every present member casts; `choice_for(member, item)` gives the choice."""
    for member in kit.members:
        items = ballots.paper_items(voting_round, member)
        if items:
            ballots.cast(tx, voting_round, member,
                         {item.id: choice_for(member, item) for item in items},
                         actor=member.user)
            tx.commit()


def test_a_session_from_agenda_to_tally(tx, session, make_council, council_dossier, meeting):
    kit = make_council(5)
    passes, fails = council_dossier(), council_dossier(rule={"ratio": "9/10",
                                                             "comparator": ">="})
    meeting_ = meeting(kit, [passes, fails])
    assert tx.get(Dossier, passes.id).council_scheduled_on == date.today()

    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.commit()
    assert {tx.get(Dossier, d.id).state for d in (passes, fails)} == {"in_voting"}
    snapshot = voting_round.quorum
    assert snapshot["entitled_count"] == 5 and snapshot["present_count"] == 5
    assert snapshot["needed"] == 3 and snapshot["met"] is True
    assert snapshot["rule"] == {"comparator": ">", "ratio": "1/2", "basis": "configurable"}

    # 4 of 5 agree on both: > 1/2 passes, >= 9/10 of 5 (needs 5) fails.
    _cast_all(tx, voting_round, kit,
              lambda m, i: "disagree" if m is kit.members[-1] else "agree")
    rounds.close_round(tx, voting_round, actor=kit.secretary)
    tx.commit()

    first, second = tx.get(Dossier, passes.id), tx.get(Dossier, fails.id)
    assert (first.state, first.vote_outcome) == ("council_approved", "approved")
    assert (second.state, second.vote_outcome) == ("council_rejected", "rejected")
    items = {i.dossier_id: i for i in tx.scalars(select(AgendaItem))}
    assert items[fails.id].tally["votes_needed"] == 5
    assert items[fails.id].tally["denominator"] == 5
    assert (items[passes.id].tally["agree"], items[passes.id].tally["disagree"]) == (4, 1)
    closed = session.get(VotingRound, voting_round.id)
    assert closed.status == "closed" and closed.ballot_count == 5
    assert len(closed.ballot_set_hash) == 64
    actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
    for action in ("council.session_scheduled", "council.item_added",
                   "council.attendance_recorded", "council.round_opened",
                   "council.ballot_cast", "council.round_closed", "council.tallied",
                   "dossier.open_vote", "dossier.close_vote_approved",
                   "dossier.close_vote_rejected"):
        assert action in actions, action
    assert verify_chain(session).ok


def test_quorum_failure_opens_nothing(tx, session, make_council, council_dossier, meeting):
    kit = make_council(5)
    dossier = council_dossier()
    meeting_ = meeting(kit, [dossier], present=kit.members[:2])  # 2 of 5; > 1/2 needs 3
    with pytest.raises(QuorumNotMet) as caught:
        rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.rollback()
    assert "2" in caught.value.description and "3" in caught.value.description
    assert session.get(Dossier, dossier.id).state == "awaiting_council"
    assert session.scalar(select(VotingRound.id)) is None


def test_a_stricter_quorum_is_a_council_setting(tx, make_council, council_dossier, meeting):
    kit = make_council(6, quorum=(">=", "2/3"))
    meeting_ = meeting(kit, [council_dossier()], present=kit.members[:3])
    with pytest.raises(QuorumNotMet):
        rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.rollback()
    meeting_ = meeting(kit, [council_dossier()], present=kit.members[:4])
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    assert voting_round.quorum["needed"] == 4


def test_only_the_secretary_runs_the_session(tx, make_council, council_dossier, meeting):
    kit = make_council(3)
    meeting_ = meeting(kit, [])
    with pytest.raises(NotAllowed):
        sessions.add_item(tx, meeting_, council_dossier(), actor=kit.members[1].user)
    tx.rollback()
    meeting_ = meeting(kit, [council_dossier()])
    with pytest.raises(NotAllowed):
        rounds.open_round(tx, meeting_, actor=kit.chair)


def test_the_agenda_takes_only_dossiers_awaiting_this_council(
        tx, make_council, make_dossier, council_dossier, meeting, make_unit, make_user):
    kit = make_council(3)
    outside = make_unit("Đơn vị ngoài")  # not under the council's unit
    outside_submitter = make_user(roles=["submitter"], unit=outside)
    other_kit = make_council(3, unit=outside)
    meeting_ = meeting(kit, [])
    in_appraisal = make_dossier("in_appraisal")
    elsewhere = council_dossier(unit=outside, creator=outside_submitter)
    with pytest.raises(CouncilError):
        sessions.add_item(tx, meeting_, in_appraisal, actor=kit.secretary)
    tx.rollback()
    with pytest.raises(CouncilError):
        sessions.add_item(tx, meeting_, elsewhere, actor=kit.secretary)
    tx.rollback()
    assert elsewhere.id in {d.id for d in sessions.eligible_dossiers(
        tx, meeting(other_kit, []))}
    # A dossier on one live session's agenda is not offered to another.
    taken = council_dossier()
    meeting(kit, [taken])
    assert taken.id not in {d.id for d in sessions.eligible_dossiers(tx, meeting(kit, []))}


def test_one_item_per_round_and_items_are_fixed_once_voted(
        tx, make_council, council_dossier, meeting):
    kit = make_council(3)
    first, second = council_dossier(), council_dossier()
    meeting_ = meeting(kit, [first, second])
    item = next(i for i in meeting_.items if i.dossier_id == first.id)
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary, only=item)
    tx.commit()
    assert [i.dossier_id for i in voting_round.items] == [first.id]
    assert tx.get(Dossier, second.id).state == "awaiting_council"
    with pytest.raises(CouncilError):  # one open round at a time
        rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.rollback()
    with pytest.raises(CouncilError):
        sessions.remove_item(tx, item, actor=kit.secretary)
    tx.rollback()
    rounds.close_round(tx, voting_round, actor=kit.secretary)
    second_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.commit()
    assert second_round.number == 2
    assert [i.dossier_id for i in second_round.items] == [second.id]


def test_removing_an_item_clears_the_council_date(tx, make_council, council_dossier, meeting):
    kit = make_council(3)
    dossier = council_dossier()
    meeting_ = meeting(kit, [dossier])
    version = tx.get(Dossier, dossier.id).version
    sessions.remove_item(tx, meeting_.items[0], actor=kit.secretary)
    tx.commit()
    stored = tx.get(Dossier, dossier.id)
    assert stored.council_scheduled_on is None and stored.version == version + 1


def test_a_session_ends_only_with_no_open_round(tx, make_council, council_dossier, meeting):
    kit = make_council(3)
    meeting_ = meeting(kit, [council_dossier()])
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    with pytest.raises(CouncilError):
        sessions.end_session(tx, meeting_, actor=kit.secretary)
    rounds.close_round(tx, voting_round, actor=kit.secretary)
    sessions.end_session(tx, meeting_, actor=kit.secretary)
    tx.commit()
    assert meeting_.ended_at is not None


def test_the_vote_opens_and_closes_only_through_the_council(
        tx, make_council, council_dossier, meeting):
    """Firing the engine's council triggers directly (e.g. from a dossier page) is refused:
    no round, no quorum snapshot, no ballot papers; a reserved item waits for the chair."""
    from workflow_app.council.service import chair
    from workflow_app.workflow import GuardFailed, fire

    kit = make_council(3)
    dossier = council_dossier()
    meeting_ = meeting(kit, [dossier])
    with pytest.raises(GuardFailed) as refused:
        fire(tx, tx.get(Dossier, dossier.id), "open_vote", kit.secretary)
    assert refused.value.guard == "council_round_open"
    tx.rollback()
    chair.hold(tx, meeting_.items[0], "Chờ ý kiến Chủ tịch", actor=kit.chair)
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    rounds.close_round(tx, voting_round, actor=kit.secretary)
    tx.commit()
    with pytest.raises(GuardFailed) as waiting:
        fire(tx, tx.get(Dossier, dossier.id), "close_vote_rejected", kit.secretary)
    assert waiting.value.guard == "not_reserved_for_chair"
