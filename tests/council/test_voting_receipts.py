"""Publishing per item under per-item codes: a paper that lacks an item (a recused member's,
an absent member's written vote) cannot be followed from one item's list to another's."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from workflow_app.council.service import ballots, receipts, recusal, rounds
from workflow_app.models.ballot import Ballot

CODE = re.compile(r"^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$")


@pytest.fixture
def mixed_round(tx, make_council, council_dossier, meeting):
    """Five members on two secret items: member 1 recused from the first, the last absent
    with a written vote on the first only (the second allows none). Returns
    (round, first, second, {name: (receipt, choices)})."""
    kit = make_council(5)
    absent, recused = kit.members[-1], kit.members[1]
    meeting_ = meeting(kit, [council_dossier(rule={"absent_may_vote_in_writing": True}),
                             council_dossier()], present=kit.members[:-1], written=[absent])
    first, second = sorted(meeting_.items, key=lambda i: i.position)
    entry = recusal.declare(tx, first, recused, "Người thân của người được đề nghị",
                            actor=recused.user)
    recusal.decide(tx, entry, True, actor=kit.chair)
    tx.commit()
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.commit()
    cast = {}
    for n, member in enumerate(kit.members[:-1]):
        choices = {i.id: ("agree", "disagree", "abstain")[(n + i.position) % 3]
                   for i in ballots.paper_items(voting_round, member)}
        result = ballots.cast(tx, voting_round, member, choices, actor=member.user)
        tx.commit()
        cast["recused" if member is recused else f"m{n}"] = (result, choices)
    written = {first.id: "disagree"}
    result = ballots.cast(tx, voting_round, absent, written, actor=kit.secretary,
                          channel="written")
    tx.commit()
    cast["written"] = (result, written)
    rounds.close_round(tx, voting_round, actor=kit.secretary)
    tx.commit()
    return voting_round, first, second, cast


def test_recused_and_written_papers_cannot_be_linked_across_items(tx, mixed_round):
    voting_round, first, second, cast = mixed_round
    published = {p.item.id: p.entries for p in receipts.published_items(tx, voting_round)}
    assert set(published) == {first.id, second.id}
    # Codes per item = that item's ballots: the recused member is missing from the first,
    # the written vote from the second.
    stored = list(tx.scalars(select(Ballot.choices).where(Ballot.round_id == voting_round.id)))
    for item_id, entries in published.items():
        assert len(entries) == sum(str(item_id) in c for c in stored)
    assert (len(published[first.id]), len(published[second.id])) == (4, 4)
    # No code is in two items' lists; every list is sorted by code; codes look alike.
    codes = {item_id: [code for code, _choice in entries]
             for item_id, entries in published.items()}
    assert not set(codes[first.id]) & set(codes[second.id])
    assert all(c == sorted(c) and all(CODE.match(x) for x in c) for c in codes.values())
    # No receipt is published.
    flat = repr(published)
    assert not any(result.receipt in flat for result, _choices in cast.values())
    # Each paper is found on its own items by its own codes, with its choices.
    for result, choices in cast.values():
        assert {item_id for item_id, _code in result.codes} == set(choices)
        for item_id, code in result.codes:
            assert (code, choices[item_id]) in published[item_id]
            assert code == receipts.item_code(result.receipt, voting_round.id, item_id)
    recused_result, _choices = cast["recused"]
    assert [i for i, _code in recused_result.codes] == [second.id]
    assert [i for i, _code in cast["written"][0].codes] == [first.id]


def test_a_receipt_check_shows_the_codes_and_choices_of_that_paper_only(tx, mixed_round):
    voting_round, first, second, cast = mixed_round
    result, choices = cast["recused"]
    checked = receipts.check(tx, voting_round, result.receipt.lower())
    assert [(c.item.id, c.code, c.choice) for c in checked] == [
        (second.id, dict(result.codes)[second.id], choices[second.id])]
    assert receipts.check(tx, voting_round, "AAAA-BBBB-CCCC") is None
    assert receipts.check(tx, voting_round, "") is None


def test_the_ballot_set_hash_still_covers_the_stored_ballots(tx, mixed_round):
    from workflow_app.council.service import tally

    voting_round, _first, _second, _cast = mixed_round
    assert tally.ballot_set_hash(ballots.published_receipts(tx, voting_round)) == (
        voting_round.ballot_set_hash)


def test_nothing_is_published_or_checked_while_the_round_is_open(
        tx, make_council, council_dossier, meeting):
    kit = make_council(3)
    voting_round = rounds.open_round(tx, meeting(kit, [council_dossier()]),
                                     actor=kit.secretary)
    tx.commit()
    member = kit.members[0]
    [item] = ballots.paper_items(voting_round, member)
    result = ballots.cast(tx, voting_round, member, {item.id: "agree"}, actor=member.user)
    tx.commit()
    assert receipts.published_items(tx, voting_round) == []
    assert receipts.check(tx, voting_round, result.receipt) is None


def test_a_recused_member_sees_the_item_on_the_paper_without_choices(
        app, client, tx, make_council, council_dossier, meeting):
    from tests.support.helpers import login_as

    kit = make_council(3)
    member = kit.members[1]
    meeting_ = meeting(kit, [council_dossier(), council_dossier()])
    first = min(meeting_.items, key=lambda i: i.position)
    entry = recusal.declare(tx, first, member, "Vợ của người được đề nghị", actor=member.user)
    recusal.decide(tx, entry, True, actor=kit.chair)
    tx.commit()
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.commit()
    login_as(app, client, member.user)
    page = client.get(f"/council/rounds/{voting_round.id}/ballot").get_data(as_text=True)
    card = page.split(f'data-testid="recused-item-{first.id}"')[1].split("</section>")[0]
    assert "Vợ của người được đề nghị" in card and 'type="radio"' not in card
    assert f'name="item-{first.id}"' not in page
    assert 'data-testid="paper-item-' in page  # the other item is still on the paper
