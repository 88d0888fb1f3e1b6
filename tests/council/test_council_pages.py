"""The council pages: a member votes from the phone pages (paper → confirm with
re-authentication → receipt → published list), and the secretary and chair run a session."""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.support.helpers import csrf_token, login_as, totp_code
from workflow_app.council.service import receipts, rounds
from workflow_app.db import begin_mode
from workflow_app.models.ballot import Ballot, Participation
from workflow_app.models.council import AgendaItem, Attendance, CouncilSession, VotingRound
from workflow_app.models.dossier import Dossier
from workflow_app.models.user import LoginAttempt

PASSWORD = "correct-horse-battery"
RECEIPT_RE = re.compile(r'data-testid="receipt">([A-Z0-9-]{14})<')


@pytest.fixture
def voting(tx, make_council, council_dossier, meeting):
    """A session of 3 members with two items and an open round."""
    kit = make_council(3)
    meeting_ = meeting(kit, [council_dossier(), council_dossier()])
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    _loaded(tx, voting_round)
    return kit, meeting_, voting_round


def _loaded(tx, voting_round) -> None:
    """Load what the test reads later, then end `tx`'s transaction: a lazy load in `tx`
    later would hold SQLite's write lock while the test's requests run."""
    [item.dossier.title for item in voting_round.items]
    tx.commit()


def _choices(voting_round, choice="agree") -> dict:
    return {f"item-{item.id}": choice for item in voting_round.items}


def _post(client, path, data, token_page):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, token_page)})


def test_a_member_votes_and_finds_the_receipt(app, client, session, tx, voting, caplog):
    caplog.set_level(logging.DEBUG)
    kit, meeting_, voting_round = voting
    member = kit.members[1]
    login_as(app, client, member.user)
    page = client.get(f"/council/sessions/{meeting_.id}").get_data(as_text=True)
    assert 'data-testid="vote-now"' in page
    ballot_path = f"/council/rounds/{voting_round.id}/ballot"
    assert 'data-testid="ballot-form"' in client.get(ballot_path).get_data(as_text=True)

    review = _post(client, ballot_path, {"step": "review", **_choices(voting_round)},
                   ballot_path)
    assert review.status_code == 200 and 'data-testid="cast-form"' in review.get_data(
        as_text=True)

    wrong = _post(client, ballot_path, {"step": "cast", "password": "wrong-password-1",
                                        **_choices(voting_round)}, ballot_path)
    assert wrong.status_code == 422
    assert session.scalar(select(func.count()).select_from(Ballot)) == 0
    assert session.scalar(select(func.count()).select_from(LoginAttempt).where(
        LoginAttempt.succeeded.is_(False))) == 1

    cast = _post(client, ballot_path, {"step": "cast", "password": PASSWORD,
                                       **_choices(voting_round)}, ballot_path)
    assert cast.status_code == 200 and cast.headers["Cache-Control"] == "no-store"
    cast_page = cast.get_data(as_text=True)
    receipt = RECEIPT_RE.search(cast_page).group(1)
    assert session.scalar(select(Ballot.receipt)) == receipt
    codes = {item.id: receipts.item_code(receipt, voting_round.id, item.id)
             for item in voting_round.items}
    for item_id, code in codes.items():  # the receipt page lists the per-item codes
        assert re.search(rf'data-testid="item-code-{item_id}">[^<]*<span[^>]*>{code}<',
                         cast_page)
    assert session.get(Participation, (voting_round.id, member.id)).channel == "online"
    assert receipt not in "\n".join(r.getMessage() for r in caplog.records)

    again = client.get(ballot_path).get_data(as_text=True)
    assert 'data-testid="already-voted"' in again and receipt not in again
    double = _post(client, ballot_path, {"step": "cast", "password": PASSWORD,
                                         **_choices(voting_round)}, ballot_path)
    assert 'data-testid="already-voted"' in double.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(Ballot)) == 1

    # Before close nothing is published nor checked; after close the receipt is checked by
    # POST only: a query parameter is ignored (it would reach logs and history).
    round_path = f"/council/rounds/{voting_round.id}"
    early = _post(client, round_path, {"receipt": receipt}, round_path)
    assert early.status_code == 422
    early_page = early.get_data(as_text=True)
    assert 'data-testid="published-' not in early_page
    assert 'data-testid="receipt-found"' not in early_page
    login_as(app, client, kit.secretary)
    assert _post(client, f"{round_path}/close", {}, round_path).status_code == 302
    other = kit.members[2]
    login_as(app, client, other.user)
    by_url = client.get(f"{round_path}?receipt={receipt}").get_data(as_text=True)
    assert 'data-testid="receipt-found"' not in by_url  # the query is ignored
    for item_id, code in codes.items():  # each item's list holds the member's code there
        section = by_url.split(f'data-testid="published-{item_id}"')[1].split("</section>")[0]
        assert code in section and all(c not in section for c in codes.values() if c != code)
    no_csrf = client.post(round_path, data={"receipt": receipt})
    assert no_csrf.status_code in (400, 422)
    assert 'data-testid="receipt-found"' not in no_csrf.get_data(as_text=True)
    found = _post(client, round_path, {"receipt": receipt.lower()}, round_path)
    page = found.get_data(as_text=True)
    assert found.status_code == 200 and 'data-testid="receipt-found"' in page
    for item_id, code in codes.items():  # per item: the code and the recorded choice
        line = page.split(f'data-testid="checked-{item_id}"')[1].split("</li>")[0]
        assert code in line and ("Agree" in line or "Đồng ý" in line)
    stored = session.get(VotingRound, voting_round.id)
    assert stored.ballot_set_hash in page
    malformed = _post(client, round_path, {"receipt": "ABC"}, round_path)
    assert malformed.status_code == 422
    assert 'data-testid="receipt-invalid"' in malformed.get_data(as_text=True)
    missing = _post(client, round_path, {"receipt": "AAAA-BBBB-CCCC"}, round_path)
    assert missing.status_code == 422
    assert 'data-testid="receipt-missing"' in missing.get_data(as_text=True)


def test_an_incomplete_paper_is_refused_with_a_message(app, client, session, voting):
    kit, _meeting, voting_round = voting
    login_as(app, client, kit.members[0].user)
    path = f"/council/rounds/{voting_round.id}/ballot"
    first = voting_round.items[0]
    response = _post(client, path, {"step": "review", f"item-{first.id}": "agree"}, path)
    assert response.status_code == 422 and 'data-testid="page-error"' in response.get_data(
        as_text=True)
    forged = _post(client, path, {"step": "cast", "password": PASSWORD,
                                  **_choices(voting_round, "maybe")}, path)
    assert forged.status_code == 422
    assert session.scalar(select(func.count()).select_from(Participation)) == 0


def test_a_member_with_two_factor_must_give_the_code(
        app, client, session, tx, make_council, council_dossier, meeting):
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    kit = make_council(3, totp_secret=secret)
    meeting_ = meeting(kit, [council_dossier()])
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    _loaded(tx, voting_round)
    member = kit.members[1]  # has TOTP enabled
    login_as(app, client, member.user)
    path = f"/council/rounds/{voting_round.id}/ballot"
    data = {"step": "cast", "password": PASSWORD, **_choices(voting_round)}
    assert _post(client, path, data, path).status_code == 422
    assert _post(client, path, {**data, "code": "000000"}, path).status_code == 422
    done = _post(client, path, {**data, "code": totp_code(secret)}, path)
    assert done.status_code == 200 and RECEIPT_RE.search(done.get_data(as_text=True))
    assert session.scalar(select(func.count()).select_from(Ballot)) == 1


def test_people_outside_the_council_see_nothing(app, client, make_user, voting):
    _kit, meeting_, voting_round = voting
    login_as(app, client, make_user(roles=["council_member"]))
    assert client.get(f"/council/sessions/{meeting_.id}").status_code == 404
    assert client.get(f"/council/rounds/{voting_round.id}/ballot").status_code == 404
    assert client.get(f"/council/rounds/{voting_round.id}").status_code == 404
    assert f"/council/sessions/{meeting_.id}" not in client.get("/council/").get_data(
        as_text=True)


def test_members_cannot_use_the_secretary_pages(app, client, voting):
    kit, meeting_, voting_round = voting
    login_as(app, client, kit.members[1].user)
    page = f"/council/sessions/{meeting_.id}"
    assert _post(client, f"/council/rounds/{voting_round.id}/close", {}, page).status_code \
        == 403
    assert client.get(f"/council/sessions/{meeting_.id}/attendance").status_code == 403
    assert client.get("/council/sessions/new").status_code == 403


def test_the_secretary_runs_a_session_from_the_pages(
        app, client, session, make_council, council_dossier):
    kit = make_council(3)
    dossier = council_dossier()
    login_as(app, client, kit.secretary)
    index = client.get("/council/").get_data(as_text=True)
    assert 'data-testid="new-session"' in index
    held_on = (date.today() + timedelta(days=14)).isoformat()  # sessions.date_window
    response = _post(client, "/council/sessions/new",
                     {"council_id": kit.council.id, "held_on": held_on,
                      "place": "Hội trường", "title": "Phiên họp tháng 1"},
                     "/council/sessions/new")
    assert response.status_code == 302
    meeting_id = session.scalar(select(CouncilSession.id))
    page = f"/council/sessions/{meeting_id}"
    assert _post(client, f"{page}/items", {"dossier_id": 999999}, page).status_code == 422
    assert _post(client, f"{page}/items", {"dossier_id": dossier.id}, page).status_code == 302
    assert session.get(Dossier, dossier.id).council_scheduled_on.isoformat() == held_on

    seats = kit.members
    own = {f"member-{m.id}": "present" for m in kit.council.members if not m.voting}
    bad = {f"member-{m.id}": "present" for m in seats} | {f"member-{seats[0].id}": "late"}
    assert _post(client, f"{page}/attendance", bad, f"{page}/attendance").status_code == 422
    only_one = {f"member-{m.id}": "absent" for m in seats} | {f"member-{seats[0].id}":
                                                              "present"} | own
    assert _post(client, f"{page}/attendance", only_one, f"{page}/attendance").status_code \
        == 302
    detail = client.get(page).get_data(as_text=True)
    assert 'data-testid="quorum-not-met"' in detail
    too_early = _post(client, f"{page}/rounds", {"item_id": 0}, page)
    assert too_early.status_code == 409
    assert "chỉ mở bỏ phiếu từ ngày đó" in too_early.get_data(as_text=True)
    session.get(CouncilSession, meeting_id).held_on = date.today()  # the day comes
    session.commit()
    refused = _post(client, f"{page}/rounds", {"item_id": 0}, page)
    assert refused.status_code == 409 and 'data-testid="page-error"' in refused.get_data(
        as_text=True)
    assert "Chưa đủ số thành viên dự họp" in refused.get_data(as_text=True)
    assert session.get(Dossier, dossier.id).state == "awaiting_council"

    everyone = {f"member-{m.id}": "present" for m in seats} | own
    _post(client, f"{page}/attendance", everyone, f"{page}/attendance")
    assert session.scalar(select(func.count()).select_from(Attendance).where(
        Attendance.status == "present")) == 4  # three voting seats and the secretary
    assert _post(client, f"{page}/rounds", {"item_id": 0}, page).status_code == 302
    assert session.get(Dossier, dossier.id).state == "in_voting"
    voting_round = session.scalar(select(VotingRound))
    assert voting_round.quorum["met"] is True
    assert _post(client, f"/council/rounds/{voting_round.id}/close", {}, page).status_code \
        == 302
    stored = session.get(Dossier, dossier.id)
    assert (stored.state, stored.vote_outcome) == ("council_rejected", "rejected")  # 0 votes


def test_conflicts_and_rulings_from_the_pages(
        app, client, session, tx, make_council, council_dossier, meeting):
    kit = make_council(3)
    meeting_ = meeting(kit, [council_dossier()])
    item_id = meeting_.items[0].id
    page = f"/council/sessions/{meeting_.id}"
    member = kit.members[2]
    login_as(app, client, member.user)
    assert _post(client, f"/council/items/{item_id}/conflict", {"reason": ""}, page) \
        .status_code == 422
    assert _post(client, f"/council/items/{item_id}/conflict",
                 {"reason": "Anh ruột của người được đề nghị"}, page).status_code == 302
    login_as(app, client, kit.chair)
    detail = client.get(page).get_data(as_text=True)
    assert "Anh ruột" in detail and f'data-testid="recusals-{item_id}"' in detail
    recusal_id = session.scalar(select(AgendaItem).where(AgendaItem.id == item_id)) \
        .recusals[0].id
    assert _post(client, f"/council/recusals/{recusal_id}/decide", {"decision": "accept"},
                 page).status_code == 302
    assert _post(client, f"/council/items/{item_id}/hold", {"reason": "Chỉ tiêu"}, page) \
        .status_code == 302
    with begin_mode("IMMEDIATE"):  # the requests above left this context in DEFERRED mode
        voting_round = rounds.open_round(tx, tx.get(CouncilSession, meeting_.id),
                                         actor=kit.secretary)
        rounds.close_round(tx, voting_round, actor=kit.secretary)
        tx.commit()
    assert 'data-testid="ruling-' in client.get(page).get_data(as_text=True)
    assert _post(client, f"/council/items/{item_id}/ruling",
                 {"decision": "approved", "reason": ""}, page).status_code == 422
    assert _post(client, f"/council/items/{item_id}/ruling",
                 {"decision": "approved", "reason": "Thành tích đặc biệt xuất sắc"},
                 page).status_code == 302
    dossier = session.get(Dossier, session.get(AgendaItem, item_id).dossier_id)
    assert dossier.state == "council_approved"


def test_the_secretary_enters_a_written_vote_from_the_paper(
        app, client, session, tx, make_council, council_dossier, meeting):
    kit = make_council(4)
    absent = kit.members[-1]
    meeting_ = meeting(kit, [council_dossier(rule={"absent_may_vote_in_writing": True})],
                       present=kit.members[:-1], written=[absent])
    voting_round = rounds.open_round(tx, meeting_, actor=kit.secretary)
    _loaded(tx, voting_round)
    login_as(app, client, kit.secretary)
    page = f"/council/sessions/{meeting_.id}"
    assert f"/council/rounds/{voting_round.id}/written/{absent.id}" in client.get(page) \
        .get_data(as_text=True)
    path = f"/council/rounds/{voting_round.id}/written/{absent.id}"
    assert _post(client, path, _choices(voting_round), path).status_code == 422  # unchecked
    assert _post(client, path, {**_choices(voting_round), "checked": "yes"}, path) \
        .status_code == 302
    row = session.get(Participation, (voting_round.id, absent.id))
    assert (row.channel, row.entered_by_id) == ("written", kit.secretary.id)
    present_member = kit.members[0]  # has no written paper: nothing to enter
    other = f"/council/rounds/{voting_round.id}/written/{present_member.id}"
    assert 'data-testid="form-errors"' not in client.get(other).get_data(as_text=True)
    assert _post(client, other, {"checked": "yes"}, other).status_code == 422
    assert client.get(f"/council/rounds/{voting_round.id}/written/999999").status_code == 404


def test_the_council_link_follows_the_roles(app, client, make_user, voting):
    kit, _meeting, _round = voting
    login_as(app, client, kit.members[1].user)
    assert 'data-testid="nav-council"' in client.get("/council/").get_data(as_text=True)
    login_as(app, client, make_user(roles=["submitter"]))
    assert 'data-testid="nav-council"' not in client.get("/").get_data(as_text=True)
