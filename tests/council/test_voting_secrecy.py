"""Secret-ballot leak paths: ids, timestamps, storage order, system columns, audit data, logs.

What a ballot row could give away, and what neutralises it:
- a member id or a time: the table has neither (checked on the schema and the database);
- a sequential id: the key is 32 random hex digits;
- SQLite's hidden rowid (insertion order): the table is WITHOUT ROWID, rows are stored by
  their random key;
- PostgreSQL's xmin (the inserting transaction, shared with the register row of the same
  cast) and ctid (position, in insertion order): closing the round rewrites every ballot in
  random order in the closing transaction — the test below shows the link before closing,
  and its absence after;
- the audit trail and the logs: checked for receipts, ballot keys and choices;
- the published lists: per item, under per-item codes, never the receipt (more in
  tests/council/test_voting_receipts.py).
"""

from __future__ import annotations

import json
import logging

import pytest
from sqlalchemy import DateTime, Integer, inspect, select, text

from workflow_app.council.service import ballots, receipts, rounds, tally
from workflow_app.extensions import db
from workflow_app.models.audit import AuditEvent
from workflow_app.models.ballot import Ballot, Participation
from workflow_app.models.council import AgendaItem

CHOICE_CYCLE = ("agree", "disagree", "abstain", "agree", "agree", "disagree", "agree")


@pytest.fixture
def voted(tx, make_council, council_dossier, meeting):
    """A round of 7 members on 2 items, every member voted; returns (kit, round, receipts)."""
    kit = make_council(7)
    meeting_ = meeting(kit, [council_dossier(), council_dossier()])
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.commit()
    receipts = {}
    for n, member in enumerate(kit.members):
        choice = CHOICE_CYCLE[n]
        items = ballots.paper_items(voting_round, member)
        result = ballots.cast(tx, voting_round, member, {i.id: choice for i in items},
                              actor=member.user)
        tx.commit()
        receipts[member.id] = (result.receipt, choice)
    return kit, voting_round, receipts


def test_the_ballot_table_holds_no_voter_no_time_no_sequence(app):
    columns = {c.name: c for c in Ballot.__table__.columns}
    assert set(columns) == {"id", "round_id", "receipt", "choices"}
    assert not any(isinstance(c.type, DateTime) for c in columns.values())
    assert not isinstance(columns["id"].type, Integer)
    live = {c["name"] for c in inspect(db.engine).get_columns("council_ballot")}
    assert live == set(columns)


def test_keys_and_receipts_are_random(tx, voted):
    _kit, voting_round, receipts = voted
    keys = list(tx.scalars(select(Ballot.id).where(Ballot.round_id == voting_round.id)))
    assert len(set(keys)) == 7 and all(len(k) == 32 and int(k, 16) >= 0 for k in keys)
    codes = [code for code, _choice in receipts.values()]
    assert len(set(codes)) == 7
    assert all(len(code) == 14 and code.count("-") == 2 for code in codes)


@pytest.mark.sqlite_only
def test_sqlite_keeps_no_rowid_for_ballots(tx, voted):
    sql = tx.execute(text("SELECT sql FROM sqlite_master WHERE name = 'council_ballot'")).scalar()
    assert "WITHOUT ROWID" in sql.upper()
    with pytest.raises(Exception, match="rowid"):
        tx.execute(text("SELECT rowid FROM council_ballot")).all()


def _xmins(session, table: str, round_id: int) -> list[str]:
    return list(session.execute(text(
        f"SELECT xmin::text FROM {table} WHERE round_id = :r"), {"r": round_id}).scalars())


@pytest.mark.postgresql_only  # xmin and ctid are PostgreSQL system columns
def test_postgresql_system_columns_no_longer_link_after_close(app, tx, session, voted):
    kit, voting_round, _receipts = voted
    # While the round is open, each ballot carries the id of the transaction that wrote a
    # register row: this is the link the close removes.
    before = {int(x) for x in _xmins(session, "council_ballot", voting_round.id)}
    register = {int(x) for x in _xmins(session, "council_participation", voting_round.id)}
    assert len(before) == 7 and before == register
    rounds.close_round(tx, voting_round, actor=kit.secretary)
    tx.commit()
    # After: every ballot carries the closing transaction's id — one value, shared by all,
    # which tells nothing about any one ballot.
    after = {int(x) for x in _xmins(session, "council_ballot", voting_round.id)}
    assert len(after) == 1 and not after & register
    ballots.vacuum_after_close(db.engine)  # the dead versions go too (best effort)
    assert {int(x) for x in _xmins(session, "council_ballot", voting_round.id)} == after


def test_counting_and_publishing_never_follow_storage_order(tx, session, voted):
    kit, voting_round, receipts_ = voted
    rounds.close_round(tx, voting_round, actor=kit.secretary)
    tx.commit()
    published = receipts.published_items(session, voting_round)
    assert len(published) == 2
    for entry in published:  # per item, sorted by the per-item code, never storage order
        assert entry.entries == sorted(entry.entries) and len(entry.entries) == 7
        # Every voter finds their code on the item with their choice; no receipt is shown.
        listed = dict(entry.entries)
        for code, choice in receipts_.values():
            assert code not in listed
            assert listed[receipts.item_code(code, voting_round.id, entry.item.id)] == choice
    # The stored hash still covers the stored ballots (it is recorded, not recomputed from
    # the published lists, which no longer carry receipts).
    assert tally.ballot_set_hash(ballots.published_receipts(session, voting_round)) == (
        session.get(type(voting_round), voting_round.id).ballot_set_hash)


def test_receipts_are_hidden_until_the_round_closes(tx, voted):
    _kit, voting_round, receipts_ = voted
    assert ballots.published_receipts(tx, voting_round) == []
    assert receipts.published_items(tx, voting_round) == []
    code, _choice = next(iter(receipts_.values()))
    assert receipts.check(tx, voting_round, code) is None


def test_the_audit_trail_never_holds_choices_receipts_or_ballot_keys(tx, session, voted):
    kit, voting_round, receipts = voted
    rounds.close_round(tx, voting_round, actor=kit.secretary)
    tx.commit()
    keys = set(session.scalars(select(Ballot.id)))
    events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
    dump = json.dumps([e.data for e in events])
    for code, _choice in receipts.values():
        assert code not in dump
    for key in keys:
        assert key not in dump
    casts = [e for e in events if e.action == "council.ballot_cast"]
    assert len(casts) == 7
    assert all(set(e.data) == {"member_id", "channel"} for e in casts)
    [tallied] = [e for e in events if e.action == "council.tallied"]
    for line in tallied.data["items"]:  # counts only
        assert set(line) == {"item_id", "dossier_id", "method", "agree", "disagree", "abstain",
                             "recused", "denominator", "votes_needed", "outcome",
                             "held_for_chair"}


def test_nothing_is_logged_about_a_ballot(tx, caplog, make_council, council_dossier, meeting):
    caplog.set_level(logging.DEBUG)
    kit = make_council(3)
    meeting_ = meeting(kit, [council_dossier()])
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.commit()
    member = kit.members[0]
    [item] = ballots.paper_items(voting_round, member)
    result = ballots.cast(tx, voting_round, member, {item.id: "disagree"}, actor=member.user)
    tx.commit()
    rounds.close_round(tx, voting_round, actor=kit.secretary)
    tx.commit()
    key = tx.scalar(select(Ballot.id))
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert result.receipt not in logged and key not in logged


def test_a_written_vote_is_registered_as_such_and_not_linked(
        tx, session, make_council, council_dossier, meeting):
    kit = make_council(4)
    absent = kit.members[-1]
    meeting_ = meeting(kit, [council_dossier(rule={"absent_may_vote_in_writing": True})],
                       present=kit.members[:-1], written=[absent])
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.commit()
    [item] = ballots.paper_items(voting_round, absent, "written")
    result = ballots.cast(tx, voting_round, absent, {item.id: "agree"}, actor=kit.secretary,
                          channel="written")
    tx.commit()
    row = session.get(Participation, (voting_round.id, absent.id))
    assert (row.channel, row.entered_by_id) == ("written", kit.secretary.id)
    [event] = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "council.written_vote_entered"))
    assert event.data == {"member_id": absent.id, "channel": "written"}
    assert event.actor_id == kit.secretary.id
    assert result.receipt not in json.dumps(event.data)
    assert session.scalar(select(AgendaItem.id)) == item.id
