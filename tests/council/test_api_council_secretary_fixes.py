"""The API follows the pages: a second written vote for the same member is refused naming
the member; a non-voting seat (the secretary) is recorded present or absent only."""

from __future__ import annotations

from flask_babel import force_locale
from sqlalchemy import select, update

from tests.support.api_fixtures import error_code
from workflow_app.council.service.errors import AlreadyVoted
from workflow_app.models.council import CouncilMember
from workflow_app.models.user import User


def test_a_second_written_vote_is_refused_naming_the_member(app, call_as, session,
                                                            voted_session):
    kit, _meeting, voting_round = voted_session(close=False)
    session.execute(update(User).where(User.id == kit.secretary.id).values(locale="en"))
    absent = kit.members[-1]
    api = call_as(kit.secretary)
    url = f"/api/v1/council/rounds/{voting_round.id}/written/{absent.id}"
    paper = api("GET", url).get_json()
    assert paper["entered"] is True
    [item] = paper["items"]
    again = api("POST", url, json={"choices": [{"item_id": item["item_id"],
                                                "choice": "agree"}], "checked": True})
    assert again.status_code == 409 and error_code(again) == "already_voted"
    message = again.get_json()["error"]["message"]
    assert absent.name in message  # names the member, not "a ballot of yours"
    with app.test_request_context(), force_locale("en"):
        assert message != str(AlreadyVoted().description)


def test_the_secretary_seat_is_present_or_absent_never_written(call_as, session, tx,
                                                                make_council, council_dossier,
                                                                meeting):
    kit = make_council(3)
    meeting_ = meeting(kit, [council_dossier(rule={"absent_may_vote_in_writing": True})])
    session.execute(update(User).where(User.id == kit.secretary.id).values(locale="en"))
    own = session.scalar(select(CouncilMember).where(
        CouncilMember.council_id == kit.council.id, CouncilMember.role == "secretary"))
    api = call_as(kit.secretary)
    url = f"/api/v1/council/sessions/{meeting_.id}/attendance"
    refused = api("PUT", url, json={"members": [{"member_id": own.id,
                                                 "status": "absent_written_vote"}]})
    assert refused.status_code == 422 and error_code(refused) == "invalid_input"
    assert own.user.display_name in refused.get_json()["error"]["message"]
    absent = api("PUT", url, json={"members": [{"member_id": own.id, "status": "absent"}]})
    assert absent.status_code == 200
    [row] = [a for a in absent.get_json()["attendance"] if a["member_id"] == own.id]
    assert (row["voting"], row["status"]) == (False, "absent")
    assert absent.get_json()["quorum"]["present_count"] == 3
