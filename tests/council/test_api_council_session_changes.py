"""Issue 10 item 7 over the API, as the pages (tests/council/test_council_session_changes.py): a
sensible date and place only; the secretary changes or cancels a session with a reason until
it opens (audited, members told, a cancelled session leaves the upcoming list); refusals are
JSON with a reason and write nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.support.api_fixtures import error_code
from tests.support.council_api_helpers import body, count, events
from workflow_app.council.service import sessions
from workflow_app.models.audit import AuditEvent
from workflow_app.models.base import utcnow
from workflow_app.models.council import AgendaItem, CouncilSession
from workflow_app.models.dossier import Dossier
from workflow_app.models.notification import Notification, OutboxMessage
from workflow_app.models.user import User
from workflow_app.workdays import local_date

SESSIONS = "/api/v1/council/sessions"


def _today() -> date:
    return local_date(utcnow())


@pytest.fixture
def scheduled(session, make_council, council_dossier, meeting):
    """(kit, meeting, dossier): one dossier on the agenda, not opened; seats have e-mail."""
    kit = make_council(3)
    dossier = council_dossier()
    meeting_ = meeting(kit, [dossier], present=[], held_on=_today() + timedelta(days=3))
    for member in kit.council.members:
        session.get(User, member.user_id).email = f"{member.user.username}@example.vn"
    session.commit()
    return kit, meeting_, dossier


def _others(kit) -> set[int]:
    return {m.user_id for m in kit.council.members} - {kit.secretary.id}


@pytest.mark.parametrize("fields, loc", [
    ({"held_on": "1900-01-01"}, "held_on"),
    ({"held_on": "PAST"}, "held_on"),
    ({"held_on": "AHEAD"}, "held_on"),
    ({"place": "P" * 10_000}, "place"),
])
def test_nonsense_is_not_scheduled(call_as, session, make_council, fields, loc):
    kit = make_council(3)
    fields = {**fields}
    if fields.get("held_on") == "PAST":
        fields["held_on"] = (_today() - timedelta(days=sessions.PAST_DAYS + 2)).isoformat()
    if fields.get("held_on") == "AHEAD":
        fields["held_on"] = (_today() + timedelta(days=sessions.AHEAD_DAYS + 2)).isoformat()
    api = call_as(kit.secretary)  # (making the token is audited)
    audited = count(session, AuditEvent)
    response = api("POST", SESSIONS, json={
        "council_id": kit.council.id, "held_on": _today().isoformat(), **fields})
    assert response.status_code == 422 and error_code(response) == "validation_failed"
    assert response.get_json()["error"]["details"][0]["loc"][-1] == loc
    if loc == "held_on":
        first, _last = sessions.date_window(_today())
        assert first.strftime("%d/%m/%Y") in response.get_json()["error"]["message"]
    assert session.scalar(select(CouncilSession.id)) is None
    assert count(session, AuditEvent) == audited


def test_the_secretary_changes_a_session(call_as, session, scheduled):
    kit, meeting_, dossier = scheduled
    new_day = _today() + timedelta(days=12)
    api = call_as(kit.secretary)
    before = body(api("GET", f"{SESSIONS}/{meeting_.id}"))
    assert before["status"] == "scheduled" and before["can_change"] is True
    changed = body(api("PATCH", f"{SESSIONS}/{meeting_.id}", json={
        "held_on": new_day.isoformat(), "title": "Phiên họp xét Cờ thi đua",
        "reason": "Chờ đủ hồ sơ của các Cụm thi đua"}))
    assert changed["held_on"] == new_day.isoformat()
    assert changed["place"] == "Phòng họp số 1"  # not sent: kept
    assert changed["title"] == "Phiên họp xét Cờ thi đua"
    [event] = events(session, "council.session_changed")
    assert event.actor_id == kit.secretary.id
    assert event.data == {"changes": {
        "held_on": [meeting_.held_on.isoformat(), new_day.isoformat()],
        "title": ["", "Phiên họp xét Cờ thi đua"]},
        "reason": "Chờ đủ hồ sơ của các Cụm thi đua"}
    assert session.get(Dossier, dossier.id).council_scheduled_on == new_day
    told = session.scalars(select(Notification).where(
        Notification.kind == "council.session_changed")).all()
    assert {n.user_id for n in told} == _others(kit)
    assert all(new_day.strftime("%d/%m/%Y") in n.message for n in told)
    assert count(session, OutboxMessage) == len(_others(kit))
    # A member reads it over the API (their notifications too).
    member = call_as(kit.members[1].user)
    assert body(member("GET", f"{SESSIONS}/{meeting_.id}"))["can_change"] is False
    mine = body(member("GET", "/api/v1/notifications"))["items"]
    assert [n["kind"] for n in mine] == ["council.session_changed"]


@pytest.mark.parametrize("payload, status, code", [
    ({"held_on": "1900-01-01", "reason": "Đổi lịch"}, 422, "validation_failed"),
    ({"place": "P" * 256, "reason": "Đổi lịch"}, 422, "validation_failed"),
    ({"place": "Phòng khác"}, 422, "validation_failed"),  # no reason
    ({"place": "Phòng khác", "reason": ""}, 422, "validation_failed"),
    ({"place": "Phòng họp số 1", "reason": "Đổi lịch"}, 422, "invalid_input"),  # no change
])
def test_a_bad_change_is_refused_and_nothing_written(call_as, session, scheduled, payload,
                                                     status, code):
    kit, meeting_, _dossier = scheduled
    api = call_as(kit.secretary)
    audited = count(session, AuditEvent)
    response = api("PATCH", f"{SESSIONS}/{meeting_.id}", json=payload)
    assert response.status_code == status and error_code(response) == code
    stored = session.get(CouncilSession, meeting_.id)
    assert (stored.held_on, stored.place) == (meeting_.held_on, "Phòng họp số 1")
    assert count(session, AuditEvent) == audited and count(session, Notification) == 0


def test_the_secretary_cancels_a_session(call_as, session, scheduled):
    kit, meeting_, dossier = scheduled
    member = call_as(kit.members[1].user)
    upcoming = body(member("GET", f"{SESSIONS}?when=upcoming"))["items"]
    assert [s["id"] for s in upcoming] == [meeting_.id]

    cancelled = body(call_as(kit.secretary)("POST", f"{SESSIONS}/{meeting_.id}/cancel",
                                            json={"reason": "Chưa đủ hồ sơ trình Hội đồng"}))
    assert cancelled["status"] == "cancelled" and cancelled["can_change"] is False
    assert cancelled["cancel_reason"] == "Chưa đủ hồ sơ trình Hội đồng"
    assert cancelled["cancelled_at"] and cancelled["ended_at"] and cancelled["items"] == []
    [event] = events(session, "council.session_cancelled")
    assert event.data["reason"] == "Chưa đủ hồ sơ trình Hội đồng"
    assert (event.from_state, event.to_state) == ("scheduled", "cancelled")
    assert count(session, AgendaItem) == 0
    assert session.get(Dossier, dossier.id).council_scheduled_on is None
    told = session.scalars(select(Notification).where(
        Notification.kind == "council.session_cancelled")).all()
    assert {n.user_id for n in told} == _others(kit)

    assert body(member("GET", f"{SESSIONS}?when=upcoming"))["items"] == []
    past = body(member("GET", f"{SESSIONS}?when=past"))["items"]
    assert [(s["id"], s["status"]) for s in past] == [(meeting_.id, "cancelled")]
    assert [s["id"] for s in body(member("GET", SESSIONS))["items"]] == [meeting_.id]
    # Nothing more can be done on it.
    again = call_as(kit.secretary)("POST", f"{SESSIONS}/{meeting_.id}/cancel",
                                   json={"reason": "Lần nữa"})
    assert again.status_code == 409 and error_code(again) == "council_error"


@pytest.mark.parametrize("action", ["change", "cancel"])
def test_refused_once_the_session_has_opened(call_as, session, make_council, council_dossier,
                                             meeting, action):
    kit = make_council(3)
    meeting_ = meeting(kit, [council_dossier()])  # attendance taken: the meeting opened
    api = call_as(kit.secretary)
    assert body(api("GET", f"{SESSIONS}/{meeting_.id}"))["status"] == "in_progress"
    audited = count(session, AuditEvent)
    if action == "change":
        response = api("PATCH", f"{SESSIONS}/{meeting_.id}",
                       json={"place": "Phòng khác", "reason": "Đổi phòng"})
    else:
        response = api("POST", f"{SESSIONS}/{meeting_.id}/cancel", json={"reason": "Hủy"})
    assert response.status_code == 409 and error_code(response) == "council_error"
    assert "opened" in response.get_json()["error"]["message"] or \
        "bắt đầu" in response.get_json()["error"]["message"]
    assert count(session, AuditEvent) == audited
    assert session.get(CouncilSession, meeting_.id).cancelled_at is None


@pytest.mark.parametrize("who", ["member", "chair", "read_token"])
def test_only_the_secretary_changes_or_cancels(call_as, session, scheduled, who):
    kit, meeting_, _dossier = scheduled
    if who == "read_token":
        api, expected = call_as(kit.secretary, scope="read"), "insufficient_scope"
    else:
        user = kit.chair if who == "chair" else kit.members[1].user
        api, expected = call_as(user), "role_required"
    audited = count(session, AuditEvent)
    for method, path, payload in (
            ("PATCH", f"{SESSIONS}/{meeting_.id}", {"place": "X", "reason": "Đổi"}),
            ("POST", f"{SESSIONS}/{meeting_.id}/cancel", {"reason": "Hủy"})):
        response = api(method, path, json=payload)
        assert response.status_code == 403 and error_code(response) == expected
    assert count(session, AuditEvent) == audited


def test_a_secretary_elsewhere_gets_a_404(call_as, session, scheduled, make_user,
                                          other_unit):
    """Holding the secretary role over another unit: the session is not theirs."""
    _kit, meeting_, _dossier = scheduled
    outsider = make_user("secretary-b", roles=["secretary"], unit=other_unit)
    api = call_as(outsider)
    audited = count(session, AuditEvent)
    response = api("POST", f"{SESSIONS}/{meeting_.id}/cancel",
                                 json={"reason": "Hủy"})
    assert response.status_code == 404
    assert session.get(CouncilSession, meeting_.id).cancelled_at is None
    assert count(session, AuditEvent) == audited
