"""Conflicts of interest: automatic recusal, declared conflicts, and the arithmetic."""

from __future__ import annotations

import pytest

from workflow_app.council.service import ballots, recusal, rounds
from workflow_app.council.service.errors import CouncilError, InvalidInput, NotAllowed
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import Person


def _vote(tx, voting_round, members, choice="agree"):
    for member in members:
        items = ballots.paper_items(voting_round, member)
        if items:
            ballots.cast(tx, voting_round, member, {i.id: choice for i in items},
                         actor=member.user)
            tx.commit()


def test_a_nominated_member_is_recused_and_leaves_the_denominator(
        tx, make_council, council_dossier, meeting):
    kit = make_council(5)
    nominee = kit.members[2]
    # 90 % of all members: 5 members need 5; with the nominee out, 4 of 4 suffice.
    dossier = council_dossier(rule={"comparator": ">=", "ratio": "9/10"},
                              nominee=tx.get(Person, nominee.user.person_id))
    other = council_dossier(rule={"comparator": ">=", "ratio": "9/10"})
    meeting_ = meeting(kit, [dossier, other])
    item = next(i for i in meeting_.items if i.dossier_id == dossier.id)
    assert [(r.member_id, r.kind, r.status) for r in item.recusals] == [
        (nominee.id, "nominee", "accepted")]
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.commit()
    paper = ballots.paper_items(voting_round, nominee)
    assert [i.dossier_id for i in paper] == [other.id]  # the nominee's paper omits the item
    with pytest.raises(InvalidInput):
        ballots.cast(tx, voting_round, nominee, {item.id: "agree", paper[0].id: "agree"},
                     actor=nominee.user)
    tx.rollback()
    _vote(tx, voting_round, kit.members)
    rounds.close_round(tx, voting_round, actor=kit.secretary)
    tx.commit()
    assert item.tally["denominator"] == 4 and item.tally["votes_needed"] == 4
    assert item.tally["recused"] == [nominee.id]
    assert tx.get(Dossier, dossier.id).state == "council_approved"
    other_item = next(i for i in meeting_.items if i.dossier_id == other.id)
    assert other_item.tally["denominator"] == 5


@pytest.mark.parametrize("setting", [True, False])
def test_members_of_the_nominee_unit_are_recused_when_the_council_says_so(
        tx, make_council, council_dossier, meeting, submitting_unit, setting):
    kit = make_council(4, recuse_nominee_unit=setting, persons_unit=submitting_unit)
    meeting_ = meeting(kit, [council_dossier()])  # nominee works in submitting_unit
    kinds = {r.kind for r in meeting_.items[0].recusals}
    assert kinds == ({"nominee_unit"} if setting else set())
    if setting:
        assert len(meeting_.items[0].recusals) == 4


def test_a_declared_conflict_waits_for_the_chair(tx, make_council, council_dossier, meeting):
    kit = make_council(5)
    meeting_ = meeting(kit, [council_dossier()])
    item, member = meeting_.items[0], kit.members[3]
    with pytest.raises(NotAllowed):  # nobody declares for someone else
        recusal.declare(tx, item, member, "Người thân", actor=kit.members[1].user)
    tx.rollback()
    with pytest.raises(CouncilError):
        recusal.declare(tx, item, member, "   ", actor=member.user)
    tx.rollback()
    entry = recusal.declare(tx, item, member, "Vợ của người được đề nghị", actor=member.user)
    tx.commit()
    with pytest.raises(CouncilError) as undecided:  # undecided: no round opens
        rounds.open_round(tx, meeting_, actor=kit.secretary)
    assert type(undecided.value) is CouncilError  # not the quorum: everyone is present
    tx.rollback()
    with pytest.raises(NotAllowed):  # only the chair decides
        recusal.decide(tx, entry, True, actor=kit.secretary)
    tx.rollback()
    recusal.decide(tx, entry, True, actor=kit.chair)
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.commit()
    assert ballots.paper_items(voting_round, member) == []
    _vote(tx, voting_round, kit.members)
    rounds.close_round(tx, voting_round, actor=kit.secretary)
    tx.commit()
    assert item.tally["denominator"] == 4 and item.tally["agree"] == 4


def test_a_rejected_conflict_keeps_the_member_on_the_item(
        tx, make_council, council_dossier, meeting):
    kit = make_council(3)
    meeting_ = meeting(kit, [council_dossier()])
    member = kit.members[1]
    entry = recusal.declare(tx, meeting_.items[0], member, "Cùng đơn vị", actor=member.user)
    recusal.decide(tx, entry, False, actor=kit.chair)
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.commit()
    assert len(ballots.paper_items(voting_round, member)) == 1


def test_recusals_are_fixed_once_the_round_opens(tx, make_council, council_dossier, meeting):
    kit = make_council(3)
    meeting_ = meeting(kit, [council_dossier()])
    rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.commit()
    with pytest.raises(CouncilError):
        recusal.declare(tx, meeting_.items[0], kit.members[1], "Muộn", actor=kit.members[1].user)


def test_present_members_denominator_drops_the_recused(
        tx, make_council, council_dossier, meeting):
    kit = make_council(6)
    nominee = kit.members[1]
    dossier = council_dossier(rule={"denominator": "present_members"},
                              nominee=tx.get(Person, nominee.user.person_id))
    meeting_ = meeting(kit, [dossier], present=kit.members[:5])  # 5 present, 1 recused
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.commit()
    _vote(tx, voting_round, kit.members[:2], "agree")
    _vote(tx, voting_round, kit.members[2:5], "disagree")
    rounds.close_round(tx, voting_round, actor=kit.secretary)
    tx.commit()
    tally = meeting_.items[0].tally
    assert (tally["denominator"], tally["votes_needed"], tally["agree"]) == (4, 3, 1)
    assert tally["outcome"] == "rejected"
