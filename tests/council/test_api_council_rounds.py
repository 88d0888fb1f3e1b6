"""Rounds and ballots over the API, as the pages: the secretary opens a round (all items or
one), members read their paper and cast it with re-authentication (receipt once, one ballot
per round), the secretary enters a written vote, closing counts and fires the engine, the
round then publishes every ballot by receipt with the ballot-set hash; the chair reserves
and rules. Refusals are JSON with a reason and cast nothing."""

from __future__ import annotations

import json
import re

import pyotp
import pytest
from sqlalchemy import select

from tests.support.api_fixtures import error_code
from tests.support.council_api_helpers import (
    assert_hidden,
    body,
    cast_body,
    count,
    events,
    make_outsider,
)
from tests.support.helpers import totp_code
from workflow_app.council.service import tally
from workflow_app.models.ballot import Ballot, Participation
from workflow_app.models.council import VotingRound
from workflow_app.models.dossier import Dossier
from workflow_app.models.user import LoginAttempt

RECEIPT = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")


@pytest.fixture
def outsider(make_user, other_unit):
    return make_outsider(make_user, other_unit)


@pytest.fixture
def agenda(tx, make_council, council_dossier, meeting):
    """Five members, the last absent voting in writing; two items, the first allowing
    written votes. Returns (kit, meeting, [first, second] dossiers)."""
    def make(**council_options):
        kit = make_council(5, **council_options)
        first = council_dossier(rule={"absent_may_vote_in_writing": True})
        second = council_dossier()
        meeting_ = meeting(kit, [first, second], present=kit.members[:-1],
                           written=[kit.members[-1]])
        tx.commit()
        return kit, meeting_, [first, second]
    return make


def _open(api, meeting_id: int, **payload) -> dict:
    return body(api("POST", f"/api/v1/council/sessions/{meeting_id}/rounds", json=payload),
                201)


def test_a_round_through_the_api_is_cast_counted_and_published(call_as, session, agenda):
    kit, meeting_, dossiers = agenda()
    secretary = call_as(kit.secretary)
    opened = _open(secretary, meeting_.id)
    assert opened["status"] == "open" and opened["quorum"]["present_count"] == 4
    assert opened["published"] == [] and opened["ballot_set_hash"] is None
    assert {session.get(Dossier, d.id).state for d in dossiers} == {"in_voting"}
    round_url = f"/api/v1/council/rounds/{opened['id']}"

    receipts, item_codes = [], []
    for member in kit.members[:-1]:
        api = call_as(member.user)
        paper = body(api("GET", f"{round_url}/ballot"))
        assert len(paper["items"]) == 2 and not paper["voted"] and not paper["needs_code"]
        cast = body(api("POST", f"{round_url}/ballot", json=cast_body(paper)), 201)
        assert RECEIPT.match(cast["receipt"]) and cast["items"] == 2
        assert [c["item_id"] for c in cast["item_codes"]] == [i["item_id"] for i in
                                                               paper["items"]]
        receipts.append(cast["receipt"])
        item_codes.append({c["item_id"]: c["code"] for c in cast["item_codes"]})
        assert body(api("GET", f"{round_url}/ballot"))["voted"] is True
    again = call_as(kit.members[0].user)("POST", f"{round_url}/ballot",
                                         json=cast_body(paper))
    assert again.status_code == 409 and error_code(again) == "already_voted"
    assert count(session, Ballot) == 4 and len(events(session, "council.ballot_cast")) == 4

    absent = kit.members[-1]
    written_url = f"{round_url}/written/{absent.id}"
    written_paper = body(secretary("GET", written_url))
    assert [i["dossier_id"] for i in written_paper["items"]] == [dossiers[0].id]
    entered = body(secretary("POST", written_url, json={
        "choices": [{"item_id": written_paper["items"][0]["item_id"], "choice": "disagree"}],
        "checked": True}), 201)
    assert entered == {"round_id": opened["id"], "member_id": absent.id, "items": 1}
    row = session.get(Participation, (opened["id"], absent.id))
    assert (row.channel, row.entered_by_id) == ("written", kit.secretary.id)

    closed = body(secretary("POST", f"{round_url}/close"))
    assert closed["status"] == "closed" and closed["ballot_count"] == 5
    first, second = closed["items"]
    assert (first["tally"]["agree"], first["tally"]["disagree"]) == (4, 1)
    assert first["tally"]["outcome"] == second["tally"]["outcome"] == "approved"
    assert {session.get(Dossier, d.id).state for d in dossiers} == {"council_approved"}
    assert len(events(session, "council.tallied")) == 1
    # Published per item under per-item codes: 5 ballots on the first item (with the
    # written vote), 4 on the second; no receipt; every cast's code is in each item's list.
    lists = {p["item_id"]: {b["code"]: b["choice"] for b in p["ballots"]}
             for p in closed["published"]}
    assert [len(lists[i["id"]]) for i in closed["items"]] == [5, 4]
    assert not any(r in json.dumps(closed["published"]) for r in receipts)
    for codes in item_codes:
        assert all(lists[item_id][code] == "agree" for item_id, code in codes.items())
    assert session.get(VotingRound, opened["id"]).ballot_set_hash == closed["ballot_set_hash"]
    stored = [(b.receipt, b.choices) for b in session.scalars(select(Ballot))]
    assert closed["ballot_set_hash"] == tally.ballot_set_hash(sorted(stored))

    member_api = call_as(kit.members[1].user)
    check_url = f"{round_url}/receipt-check"
    found = body(member_api("POST", check_url, json={"receipt": receipts[1]}))
    assert found["found"] is True
    assert {c["item_id"]: (c["code"], c["choice"]) for c in found["items"]} == {
        item_id: (code, "agree") for item_id, code in item_codes[1].items()}
    missing = body(member_api("POST", check_url, json={"receipt": "AAAA-BBBB-CCCC"}))
    assert missing == {"round_id": opened["id"], "found": False, "items": []}
    ignored = body(member_api("GET", f"{round_url}?receipt={receipts[1]}"))
    assert "receipt_found" not in ignored and receipts[1] not in json.dumps(ignored)
    late = member_api("POST", f"{round_url}/ballot", json=cast_body(paper))
    assert late.status_code == 409 and error_code(late) == "round_closed"


def test_one_item_can_be_put_to_the_vote_alone(call_as, session, agenda):
    kit, meeting_, dossiers = agenda()
    secretary = call_as(kit.secretary)
    seen = body(secretary("GET", f"/api/v1/council/sessions/{meeting_.id}"))
    second_item = seen["items"][1]["id"]
    opened = _open(secretary, meeting_.id, item_id=second_item)
    assert [i["id"] for i in opened["items"]] == [second_item]
    assert session.get(Dossier, dossiers[0].id).state == "awaiting_council"
    busy = secretary("POST", f"/api/v1/council/sessions/{meeting_.id}/rounds", json={})
    assert busy.status_code == 409 and error_code(busy) == "council_error"


def test_no_round_opens_without_the_quorum(call_as, session, council_dossier, make_council,
                                           meeting):
    kit = make_council(3)
    meeting_ = meeting(kit, [council_dossier()], present=kit.members[:1])
    refused = call_as(kit.secretary)("POST", f"/api/v1/council/sessions/{meeting_.id}/rounds",
                                       json={})
    assert refused.status_code == 409 and error_code(refused) == "quorum_not_met"
    assert count(session, VotingRound) == 0


def test_a_wrong_password_casts_nothing_and_counts_towards_the_throttle(call_as, as_user,
                                                                       session, agenda):
    kit, meeting_, _dossiers = agenda()
    opened = _open(call_as(kit.secretary), meeting_.id)
    member = kit.members[1]
    api = call_as(member.user)
    url = f"/api/v1/council/rounds/{opened['id']}/ballot"
    paper = body(api("GET", url))
    wrong = api("POST", url, json=cast_body(paper, password="not-my-password"))
    assert wrong.status_code == 422 and error_code(wrong) == "reauth_failed"
    assert count(session, Participation) == count(session, Ballot) == 0
    [failed] = events(session, "auth.reauth_failed")
    assert failed.actor_id == member.user_id and failed.data["purpose"] == "ballot"
    assert count(session, LoginAttempt, LoginAttempt.username == member.user.username) == 1

    for payload, code in [({**cast_body(paper), "confirm": False}, "validation_failed"),
                          ({**cast_body(paper), "choices": cast_body(paper)["choices"][:1]},
                           "invalid_input"),
                          ({**cast_body(paper), "choices": cast_body(paper)["choices"] * 2},
                           "invalid_input")]:
        response = api("POST", url, json=payload)
        assert response.status_code == 422 and error_code(response) == code
        assert "correct-horse" not in response.get_data(as_text=True)
    keyed = as_user(member.user)("POST", url, json=cast_body(paper),
                                 headers={"Idempotency-Key": "k-1"})
    assert keyed.status_code == 400 and error_code(keyed) == "idempotency_not_supported"
    assert count(session, Participation) == 0
    assert count(session, LoginAttempt, LoginAttempt.username == member.user.username) == 1
    assert body(api("POST", url, json=cast_body(paper)), 201)["receipt"]


def test_a_member_with_an_authenticator_needs_the_code(call_as, session, agenda):
    secret = pyotp.random_base32()
    kit, meeting_, _dossiers = agenda(totp_secret=secret)
    opened = _open(call_as(kit.secretary), meeting_.id)
    api = call_as(kit.members[1].user)
    url = f"/api/v1/council/rounds/{opened['id']}/ballot"
    paper = body(api("GET", url))
    assert paper["needs_code"] is True
    refused = api("POST", url, json=cast_body(paper))
    assert refused.status_code == 422 and error_code(refused) == "reauth_failed"
    cast = body(api("POST", url, json=cast_body(paper, code=totp_code(secret))), 201)
    assert RECEIPT.match(cast["receipt"]) and count(session, Participation) == 1


def test_the_chair_reserves_an_item_and_rules_on_it_with_a_reason(call_as, session, agenda):
    kit, meeting_, dossiers = agenda()
    secretary, chair = call_as(kit.secretary), call_as(kit.chair)
    opened = _open(secretary, meeting_.id)
    item_id = opened["items"][1]["id"]
    member = call_as(kit.members[1].user)
    refused = member("POST", f"/api/v1/council/items/{item_id}/hold", json={"reason": "x"})
    assert refused.status_code == 403 and error_code(refused) == "role_required"
    held = body(chair("POST", f"/api/v1/council/items/{item_id}/hold",
                      json={"reason": "Cần xem xét thêm"}))
    assert held["held_for_chair"] and held["hold_reason"] == "Cần xem xét thêm"
    early = chair("POST", f"/api/v1/council/items/{item_id}/ruling",
                  json={"decision": "approved", "reason": "x"})
    assert early.status_code == 409 and error_code(early) == "council_error"
    for seat in kit.members[:-1]:
        api = call_as(seat.user)
        paper = body(api("GET", f"/api/v1/council/rounds/{opened['id']}/ballot"))
        body(api("POST", f"/api/v1/council/rounds/{opened['id']}/ballot",
                 json=cast_body(paper, "disagree")), 201)
    body(secretary("POST", f"/api/v1/council/rounds/{opened['id']}/close"))
    assert session.get(Dossier, dossiers[1].id).state == "in_voting"
    blank = chair("POST", f"/api/v1/council/items/{item_id}/ruling",
                  json={"decision": "approved", "reason": "   "})
    assert blank.status_code == 422 and error_code(blank) == "invalid_input"
    ruled = body(chair("POST", f"/api/v1/council/items/{item_id}/ruling",
                       json={"decision": "approved", "reason": "Thành tích đặc biệt xuất sắc"}))
    assert ruled["ruling"] == "approved" and ruled["tally"]["outcome"] == "rejected"
    assert session.get(Dossier, dossiers[1].id).state == "council_approved"
    [event] = events(session, "council.chair_ruling")
    assert event.data["reason"] == "Thành tích đặc biệt xuất sắc"


def test_scope_seats_and_roles_are_those_of_the_pages(tx, call_as, session, agenda, outsider,
                                                      auditor):
    kit, meeting_, dossiers = agenda()
    opened = _open(call_as(kit.secretary), meeting_.id)
    absent_id, title = kit.members[-1].id, dossiers[0].title
    tx.commit()
    round_url = f"/api/v1/council/rounds/{opened['id']}"
    api = call_as(outsider)
    assert_hidden(api("GET", round_url), title)
    assert_hidden(api("GET", f"{round_url}/ballot"), title)
    assert_hidden(api("POST", f"{round_url}/ballot", json={
        "choices": [{"item_id": 1, "choice": "agree"}], "confirm": True, "password": "x"}))
    assert_hidden(api("GET", f"{round_url}/written/{absent_id}"), title)
    assert_hidden(api("POST", f"{round_url}/close"), title)
    assert session.get(VotingRound, opened["id"]).status == "open"

    reader = call_as(auditor)  # sees the session (auditor over its unit), holds no seat
    assert body(reader("GET", round_url))["status"] == "open"
    no_seat = reader("GET", f"{round_url}/ballot")
    assert no_seat.status_code == 403 and error_code(no_seat) == "forbidden"
    member = call_as(kit.members[1].user)
    written = member("GET", f"{round_url}/written/{absent_id}")
    assert written.status_code == 403 and error_code(written) == "role_required"
    read_only = call_as(kit.members[1].user, scope="read")
    paper = body(read_only("GET", f"{round_url}/ballot"))
    refused = read_only("POST", f"{round_url}/ballot", json=cast_body(paper))
    assert refused.status_code == 403 and error_code(refused) == "insufficient_scope"
    assert session.scalar(select(Participation.member_id)) is None
