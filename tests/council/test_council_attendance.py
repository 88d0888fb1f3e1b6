"""Attendance of non-voting seats: the secretary (not a member) is recorded present or absent,
never counted in the quorum; the secretary recording attendance defaults to present; the
minutes then list her correctly and still verify against the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from tests.support.factories import REAUTH
from tests.support.helpers import csrf_token, login_as
from workflow_app.council.service import attendance, minutes, minutes_sign, minutes_verify
from workflow_app.council.service import rounds as rounds_service
from workflow_app.models.council import CouncilMember, CouncilSession
from workflow_app.models.user import User


def _english(session, user) -> None:
    session.execute(update(User).where(User.id == user.id).values(locale="en"))


def _secretary_seat(session, kit) -> CouncilMember:
    return session.scalar(select(CouncilMember).where(
        CouncilMember.council_id == kit.council.id, CouncilMember.role == "secretary"))


def _post(client, path, data):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)})


@pytest.fixture
def scheduled(tx, make_council, council_dossier, meeting):
    """Three voting members, present (recorded by the factory); the secretary not yet."""
    kit = make_council(3)
    meeting_ = meeting(kit, [council_dossier()])
    return kit, meeting_


def test_the_attendance_page_lists_the_secretary_present_by_default_without_a_vote(
        app, client, session, scheduled):
    kit, meeting_ = scheduled
    _english(session, kit.secretary)
    own = _secretary_seat(session, kit)
    login_as(app, client, kit.secretary)
    page = client.get(f"/council/sessions/{meeting_.id}/attendance").get_data(as_text=True)
    assert f'data-testid="non-voting-{own.id}"' in page
    assert "not counted in the quorum" in page
    assert f'id="m{own.id}-present" value="present" autocomplete="off" checked' in page
    assert f'id="m{own.id}-absent_written_vote"' not in page
    voter = kit.members[1]
    assert f'id="m{voter.id}-absent_written_vote"' in page


def test_saving_attendance_records_the_secretary_outside_the_quorum_and_in_the_minutes(
        app, client, session, scheduled):
    kit, meeting_ = scheduled
    _english(session, kit.secretary)
    own = _secretary_seat(session, kit)
    login_as(app, client, kit.secretary)
    path = f"/council/sessions/{meeting_.id}/attendance"
    data = {f"member-{m.id}": "present" for m in kit.members} | {f"member-{own.id}": "present"}
    saved = _post(client, path, data)
    assert saved.status_code == 302
    follow = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Attendance is saved." in follow

    stored = session.get(CouncilSession, meeting_.id)
    assert attendance.status_of(stored)[own.id] == "present"
    snapshot = attendance.quorum_snapshot(stored)
    assert snapshot["present_count"] == 3 and own.id not in snapshot["present"]
    with app.test_request_context():
        listed = {m["id"]: m for m in minutes.minutes_of(session, stored)["members"]}
    assert listed[own.id]["attendance"] == "present" and listed[own.id]["voting"] is False


def test_a_non_voting_seat_cannot_vote_in_writing(app, client, session, tx, make_council,
                                                  council_dossier, meeting):
    kit = make_council(3)
    meeting_ = meeting(kit, [council_dossier(rule={"absent_may_vote_in_writing": True})])
    _english(session, kit.secretary)
    own = _secretary_seat(session, kit)
    login_as(app, client, kit.secretary)
    path = f"/council/sessions/{meeting_.id}/attendance"
    data = ({f"member-{m.id}": "present" for m in kit.members}
            | {f"member-{own.id}": "absent_written_vote"})
    refused = _post(client, path, data)
    assert refused.status_code == 422
    assert "does not vote, so cannot vote in writing" in refused.get_data(as_text=True)
    assert own.id not in attendance.status_of(session.get(CouncilSession, meeting_.id))


def test_signed_minutes_with_the_secretary_present_verify(app, client, session, tx,
                                                          voted_session):
    kit, meeting_, voting_round = voted_session(close=False)
    rounds_service.close_round(tx, voting_round, actor=kit.secretary)
    tx.commit()
    own = _secretary_seat(tx, kit)
    # Attendance may change between rounds; she is recorded present before sign-off.
    attendance.set_status(tx, tx.get(CouncilSession, meeting_.id), own, "present",
                          actor=kit.secretary)
    tx.commit()
    login_as(app, client, kit.chair)
    path = f"/council/sessions/{meeting_.id}/minutes"
    signed = client.post(f"{path}/sign",
                         data={"csrf_token": csrf_token(client, path), **REAUTH})
    assert signed.status_code == 302
    row = minutes_sign.signed(session, session.get(CouncilSession, meeting_.id))
    [entry] = [m for m in row.content["members"] if m["id"] == own.id]
    assert entry["attendance"] == "present"
    with app.test_request_context():
        result = minutes_verify.verify(session, session.get(CouncilSession, meeting_.id),
                                       minutes_sign.document_storage())
    assert result.ok, [c.problems for c in result.checks if not c.ok]
