"""The secret ballot through the API (mirrors tests/council/test_voting_secrecy.py for the pages).

After a whole round cast, counted and read through the API, nothing links a member to a
choice: not the ballot table (no voter, no time, no sequence), not the audit trail (who took
part, never what, no receipt, no ballot key), not the idempotency store (casting refuses the
header, so no answer holding a receipt and no fingerprint of a body is kept), not the
PostgreSQL system columns after close, and not any API answer — a member's receipt appears
in the answer to their own cast only (never in a published list: after close each item
lists its ballots under per-item codes, so lists cannot be joined), and is checked by POST,
never in a URL. A double cast sent concurrently counts once.
"""

from __future__ import annotations

import json
import threading
from collections import Counter

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, inspect, select, text

from tests.support.council_api_helpers import body, cast_body, count
from workflow_app.extensions import db
from workflow_app.models.api_token import ApiIdempotencyKey
from workflow_app.models.audit import AuditEvent
from workflow_app.models.ballot import Ballot, Participation

CHOICE_CYCLE = ("agree", "disagree", "abstain", "agree", "agree", "disagree", "agree")
SUBMITS = 6


@pytest.fixture
def api_round(tx, call_as, make_council, council_dossier, meeting):
    """Seven members on two items, the round opened through the API: (kit, round id,
    {member id: client})."""
    kit = make_council(7)
    meeting_ = meeting(kit, [council_dossier(), council_dossier()])
    tx.commit()
    secretary = call_as(kit.secretary)
    opened = body(secretary("POST", f"/api/v1/council/sessions/{meeting_.id}/rounds",
                            json={}), 201)
    clients = {m.id: call_as(m.user) for m in kit.members}
    return kit, meeting_.id, opened["id"], secretary, clients


def test_a_round_through_the_api_links_no_member_to_a_choice(session, api_round):
    kit, meeting_id, round_id, secretary, clients = api_round
    round_url = f"/api/v1/council/rounds/{round_id}"
    answers: list[tuple[str, str]] = []  # (who asked, answer text), every answer of the run
    own: dict[int, tuple[str, str]] = {}  # member id → (receipt, choice)

    def keep(who: str, response) -> dict:
        answers.append((who, response.get_data(as_text=True)))
        return response.get_json()

    for n, member in enumerate(kit.members):
        api, choice = clients[member.id], CHOICE_CYCLE[n]
        paper = keep(f"m{member.id}", api("GET", f"{round_url}/ballot"))
        cast = api("POST", f"{round_url}/ballot", json=cast_body(paper, choice))
        assert cast.status_code == 201
        own[member.id] = (keep(f"cast{member.id}", cast)["receipt"], choice)
        keep(f"m{member.id}", api("POST", f"{round_url}/ballot", json=cast_body(paper)))
        keep(f"m{member.id}", api("GET", f"{round_url}/ballot"))
        keep(f"m{member.id}", api("GET", f"/api/v1/council/sessions/{meeting_id}"))
        keep(f"m{member.id}", api("GET", round_url))
    keep("secretary", secretary("GET", f"/api/v1/council/sessions/{meeting_id}"))
    keep("secretary", secretary("GET", round_url))
    closed = keep("secretary", secretary("POST", f"{round_url}/close"))
    after = [keep("secretary", secretary("GET", round_url)),
             keep("secretary", secretary("GET", f"/api/v1/council/sessions/{meeting_id}")),
             keep("secretary", secretary("GET", f"/api/v1/council/sessions/{meeting_id}"
                                                 "/minutes"))]
    for member in kit.members:
        keep(f"m{member.id}", clients[member.id]("GET", f"/api/v1/council/sessions/{meeting_id}"
                                                        "/minutes"))

    # Answers: a receipt appears only in its own cast's answer, never in a published list.
    published_texts = [text_ for _who, text_ in answers if '"published": [{' in text_]
    assert len(published_texts) == 2  # the close, and the round read after it
    for member_id, (receipt, _choice) in own.items():
        holders = {who for who, text_ in answers if receipt in text_}
        assert holders == {f"cast{member_id}"}, (member_id, holders)
    for record in closed["published"] + after[0]["published"]:
        assert set(record) == {"item_id", "ballots"}  # per item
        assert all(set(b) == {"code", "choice"} for b in record["ballots"])  # no name, no id
    lists = {p["item_id"]: dict((b["code"], b["choice"]) for b in p["ballots"])
             for p in closed["published"]}
    assert len(lists) == 2 and all(len(codes) == 7 for codes in lists.values())
    [first, second] = lists.values()
    assert not set(first) & set(second)  # a ballot's codes differ per item
    for member in kit.members:  # every member finds their ballot as cast, and only by code
        receipt, choice = own[member.id]
        checked = clients[member.id]("POST", f"{round_url}/receipt-check",
                                     json={"receipt": receipt}).get_json()
        assert checked["found"] is True and len(checked["items"]) == 2
        for line in checked["items"]:
            assert line["choice"] == choice and lists[line["item_id"]][line["code"]] == choice

    # The database: a ballot row has no voter, no time, no sequence.
    live = {c["name"] for c in inspect(db.engine).get_columns("council_ballot")}
    assert live == {"id", "round_id", "receipt", "choices"}
    keys = set(session.scalars(select(Ballot.id)))
    assert len(keys) == 7 and all(len(k) == 32 for k in keys)

    # The audit trail: who took part, never what, no receipt, no ballot key.
    events = list(session.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
    dump = json.dumps([[e.action, e.data] for e in events], ensure_ascii=False)
    for receipt, _choice in own.values():
        assert receipt not in dump
    assert not any(key in dump for key in keys)
    casts = [e for e in events if e.action == "council.ballot_cast"]
    assert len(casts) == 7 and all(set(e.data) == {"member_id", "channel"} for e in casts)

    # The idempotency store keeps nothing of a cast.
    stored = json.dumps([[r.request_hash, r.response_body]
                         for r in session.scalars(select(ApiIdempotencyKey))])
    assert not any(receipt in stored for receipt, _choice in own.values())
    assert count(session, Participation) == 7 and count(session, Ballot) == 7


@pytest.mark.postgresql_only  # xmin is a PostgreSQL system column
def test_after_an_api_close_system_columns_no_longer_link(session, api_round):
    kit, _meeting_id, round_id, secretary, clients = api_round
    for member in kit.members:
        paper = body(clients[member.id]("GET", f"/api/v1/council/rounds/{round_id}/ballot"))
        body(clients[member.id]("POST", f"/api/v1/council/rounds/{round_id}/ballot",
                                json=cast_body(paper)), 201)
    body(secretary("POST", f"/api/v1/council/rounds/{round_id}/close"))

    def xmins(table: str) -> set[int]:
        return {int(x) for x in session.execute(text(
            f"SELECT xmin::text FROM {table} WHERE round_id = :r"), {"r": round_id}).scalars()}

    after, register = xmins("council_ballot"), xmins("council_participation")
    assert len(after) == 1 and not after & register


def test_a_concurrent_double_cast_through_the_api_counts_once(app, session, make_token,
                                                              api_round):
    kit, _meeting_id, round_id, _secretary, clients = api_round
    member = kit.members[2]
    url = f"/api/v1/council/rounds/{round_id}/ballot"
    paper = body(clients[member.id]("GET", url))
    headers = {"Authorization": f"Bearer {make_token(member.user)}"}
    barrier = threading.Barrier(SUBMITS)
    statuses: list[int] = []

    def submit() -> None:
        client = FlaskClient(app)  # no shared test session across threads
        barrier.wait(timeout=10)
        response = client.post(url, json=cast_body(paper), headers=headers)
        statuses.append(response.status_code)
        if response.status_code != 201:
            assert response.get_json()["error"]["code"] == "already_voted"

    threads = [threading.Thread(target=submit) for _ in range(SUBMITS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not any(thread.is_alive() for thread in threads)
    assert Counter(statuses) == Counter({201: 1, 409: SUBMITS - 1}), statuses
    assert session.scalar(select(func.count()).select_from(Participation).where(
        Participation.round_id == round_id)) == 1
    assert session.scalar(select(func.count()).select_from(Ballot).where(
        Ballot.round_id == round_id)) == 1


def test_no_operation_takes_a_receipt_in_the_path_or_the_query(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    paths = document["paths"]
    in_url = [(path, method, p["name"]) for path, operations in paths.items()
              for method, op in operations.items() if isinstance(op, dict)
              for p in op.get("parameters", []) if p["in"] in ("path", "query")]
    assert in_url  # the scan sees parameters at all
    assert not [entry for entry in in_url if "receipt" in entry[2].lower()]
    assert not [path for path in paths if "{receipt" in path.lower()]
    check = paths["/council/rounds/{round_id}/receipt-check"]
    ref = check["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert set(check) == {"post"}
    assert "receipt" in document["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]


def test_the_document_offers_no_idempotency_key_for_ballots(app):
    paths = app.test_client().get("/api/v1/openapi.json").get_json()["paths"]

    def headers(path: str) -> set[str]:
        return {p["name"] for p in paths[path]["post"]["parameters"] if p["in"] == "header"}

    assert headers("/council/rounds/{round_id}/ballot") == set()
    assert headers("/council/rounds/{round_id}/written/{member_id}") == set()
    assert headers("/council/rounds/{round_id}/close") == {"Idempotency-Key"}


def test_a_recused_member_s_paper_shows_the_item_without_choices(
        tx, call_as, make_council, council_dossier, meeting):
    from workflow_app.council.service import recusal, rounds

    kit = make_council(3)
    member = kit.members[1]
    meeting_ = meeting(kit, [council_dossier(), council_dossier()])
    first, second = sorted(meeting_.items, key=lambda i: i.position)
    entry = recusal.declare(tx, first, member, "Vợ của người được đề nghị", actor=member.user)
    recusal.decide(tx, entry, True, actor=kit.chair)
    tx.commit()
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.commit()
    paper = body(call_as(member.user)("GET", f"/api/v1/council/rounds/{voting_round.id}/ballot"))
    assert [i["item_id"] for i in paper["items"]] == [second.id]
    assert paper["recused"] == [{"item_id": first.id, "position": first.position,
                                 "title": first.dossier.title, "kind": "declared",
                                 "reason": "Vợ của người được đề nghị"}]
    other = body(call_as(kit.members[0].user)(
        "GET", f"/api/v1/council/rounds/{voting_round.id}/ballot"))
    assert other["recused"] == [] and len(other["items"]) == 2
