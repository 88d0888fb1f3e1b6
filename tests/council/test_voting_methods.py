"""Vote methods per item: secret, open by name, written votes of absent members, mixed
papers, the valid-ballots denominator, and the chair's ruling."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from workflow_app.council.service import attendance, ballots, chair, rounds
from workflow_app.council.service.errors import (
    AlreadyVoted,
    CouncilError,
    InvalidInput,
    NotAllowed,
)
from workflow_app.models.audit import AuditEvent
from workflow_app.models.ballot import Ballot, OpenVote
from workflow_app.models.dossier import Dossier


def _open(tx, kit, meeting_):
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.commit()
    return voting_round


def test_an_open_vote_is_recorded_by_name_and_a_secret_one_is_not(
        tx, session, make_council, council_dossier, meeting):
    kit = make_council(3)
    open_item_dossier = council_dossier(rule={"method": "open_vote"})
    secret_dossier = council_dossier()
    meeting_ = meeting(kit, [open_item_dossier, secret_dossier])
    voting_round = _open(tx, kit, meeting_)
    open_item, secret_item = sorted(voting_round.items,
                                    key=lambda i: i.dossier_id != open_item_dossier.id)
    member = kit.members[1]
    result = ballots.cast(tx, voting_round, member,
                          {open_item.id: "disagree", secret_item.id: "agree"}, actor=member.user)
    tx.commit()
    [by_name] = session.scalars(select(OpenVote))
    assert (by_name.member_id, by_name.item_id, by_name.choice) == (
        member.id, open_item.id, "disagree")
    [paper] = session.scalars(select(Ballot))
    assert paper.choices == {str(secret_item.id): "agree"}  # the open item is not in the box
    assert result.receipt == paper.receipt


def test_an_all_open_paper_gives_no_receipt(tx, session, make_council, council_dossier,
                                             meeting):
    kit = make_council(3)
    voting_round = _open(tx, kit, meeting(kit, [council_dossier(rule={"method": "open_vote"})]))
    member = kit.members[0]
    [item] = ballots.paper_items(voting_round, member)
    result = ballots.cast(tx, voting_round, member, {item.id: "agree"}, actor=member.user)
    tx.commit()
    assert result.receipt is None and session.scalar(select(Ballot.id)) is None
    rounds.close_round(tx, voting_round, actor=kit.secretary)
    tx.commit()
    assert item.tally["method"] == "open_vote" and item.tally["agree"] == 1


def test_written_votes_cover_only_items_that_allow_them(
        tx, make_council, council_dossier, meeting):
    kit = make_council(5)
    absent = kit.members[-1]
    writable = council_dossier(rule={"absent_may_vote_in_writing": True, "ratio": "9/10",
                                     "comparator": ">="})
    in_person_only = council_dossier()
    meeting_ = meeting(kit, [writable, in_person_only], present=kit.members[:-1],
                       written=[absent])
    voting_round = _open(tx, kit, meeting_)
    assert [i.dossier_id for i in ballots.paper_items(voting_round, absent, "written")] == [
        writable.id]
    assert ballots.paper_items(voting_round, absent) == []  # cannot vote online: absent
    with pytest.raises(NotAllowed):  # a member cannot enter a written vote
        ballots.cast(tx, voting_round, absent, {}, actor=absent.user, channel="written")
    tx.rollback()
    for member in kit.members[:-1]:
        items = ballots.paper_items(voting_round, member)
        ballots.cast(tx, voting_round, member, {i.id: "agree" for i in items},
                     actor=member.user)
    [item] = ballots.paper_items(voting_round, absent, "written")
    ballots.cast(tx, voting_round, absent, {item.id: "agree"}, actor=kit.secretary,
                 channel="written")
    tx.commit()
    with pytest.raises(AlreadyVoted):  # the transaction is then rolled back, as a route does
        ballots.cast(tx, voting_round, absent, {item.id: "agree"}, actor=kit.secretary,
                     channel="written")
    tx.rollback()
    rounds.close_round(tx, voting_round, actor=kit.secretary)
    tx.commit()
    # 90 % of 5 needs 5: reached only thanks to the written vote.
    assert tx.get(Dossier, writable.id).state == "council_approved"
    assert item.tally["agree"] == 5


def test_written_vote_status_needs_an_item_that_allows_it(
        tx, make_council, council_dossier, meeting):
    kit = make_council(3)
    meeting_ = meeting(kit, [council_dossier()])
    with pytest.raises(CouncilError):
        attendance.set_status(tx, meeting_, kit.members[2], "absent_written_vote",
                              actor=kit.secretary)


def test_attendance_is_frozen_while_a_round_is_open(tx, make_council, council_dossier,
                                                    meeting):
    kit = make_council(3)
    meeting_ = meeting(kit, [council_dossier()])
    voting_round = _open(tx, kit, meeting_)
    with pytest.raises(CouncilError):
        attendance.set_status(tx, meeting_, kit.members[0], "absent", actor=kit.secretary)
    tx.rollback()
    assert voting_round.quorum["present_count"] == 3


def test_a_paper_must_answer_every_item_with_a_known_choice(
        tx, make_council, council_dossier, meeting):
    kit = make_council(3)
    voting_round = _open(tx, kit, meeting(kit, [council_dossier(), council_dossier()]))
    member = kit.members[0]
    first, second = ballots.paper_items(voting_round, member)
    for choices in ({first.id: "agree"}, {first.id: "agree", second.id: "maybe"},
                    {first.id: "agree", second.id: "agree", 999999: "agree"},
                    {"x": "agree", second.id: "agree"}):
        with pytest.raises(InvalidInput):
            ballots.cast(tx, voting_round, member, choices, actor=member.user)
        tx.rollback()
    with pytest.raises(NotAllowed):  # nobody casts for another member online
        ballots.cast(tx, voting_round, member, {first.id: "agree", second.id: "agree"},
                     actor=kit.members[1].user)


def test_valid_ballots_denominator(tx, make_council, council_dossier, meeting):
    kit = make_council(5)
    meeting_ = meeting(kit, [council_dossier(rule={"denominator": "valid_ballots"})])
    voting_round = _open(tx, kit, meeting_)
    for member, choice in zip(kit.members[:3], ("agree", "agree", "disagree"), strict=True):
        [item] = ballots.paper_items(voting_round, member)
        ballots.cast(tx, voting_round, member, {item.id: choice}, actor=member.user)
    rounds.close_round(tx, voting_round, actor=kit.secretary)
    tx.commit()
    tally = meeting_.items[0].tally
    assert (tally["denominator"], tally["votes_needed"], tally["outcome"]) == (3, 2, "approved")


def test_the_chair_rules_on_a_held_item_with_a_reason(
        tx, session, make_council, council_dossier, meeting):
    kit = make_council(3)
    dossier = council_dossier()
    meeting_ = meeting(kit, [dossier])
    item = meeting_.items[0]
    voting_round = _open(tx, kit, meeting_)
    with pytest.raises(NotAllowed):
        chair.hold(tx, item, "Vượt chỉ tiêu", actor=kit.secretary)
    tx.rollback()
    chair.hold(tx, item, "Vượt tỷ lệ 20 % cụm dẫn đầu", actor=kit.chair)
    tx.commit()
    for member in kit.members:
        ballots.cast(tx, voting_round, member, {item.id: "agree"}, actor=member.user)
    rounds.close_round(tx, voting_round, actor=kit.secretary)
    tx.commit()
    held = tx.get(Dossier, dossier.id)
    assert (held.state, held.vote_outcome) == ("in_voting", "approved")  # waits for the chair
    with pytest.raises(CouncilError):
        chair.rule(tx, item, "rejected", "  ", actor=kit.chair)
    tx.rollback()
    chair.rule(tx, item, "rejected", "Chỉ còn 01 suất theo tỷ lệ", actor=kit.chair)
    tx.commit()
    ruled = tx.get(Dossier, dossier.id)
    assert ruled.state == "council_rejected"
    assert (item.outcome, item.ruling) == ("approved", "rejected")  # the tally stays on record
    [engine_event] = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "dossier.override_reject"))
    assert engine_event.data["reason"] == "Chỉ còn 01 suất theo tỷ lệ"
    with pytest.raises(CouncilError):  # once
        chair.rule(tx, item, "approved", "Đổi ý", actor=kit.chair)


def test_a_session_date_outside_a_term_leaves_the_member_out(
        tx, make_council, council_dossier, meeting):
    kit = make_council(3)
    meeting_ = meeting(kit, [council_dossier()], present=[])
    meeting_.held_on = date(2019, 6, 1)  # before every term (too far back to schedule now)
    snapshot = attendance.quorum_snapshot(meeting_)
    assert snapshot["entitled_count"] == 0 and snapshot["met"] is False
