"""Issue 10 item 7: a council session takes only a sensible date and place, and the secretary
can change or cancel it — with a reason, audited, members told — until it opens.

Pages here (and the service where the rule lives); the same over the API in
tests/council/test_api_council_session_changes.py.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.support.helpers import audit_events, login_as, post_form
from workflow_app.council.service import sessions
from workflow_app.council.service.errors import CouncilError, InvalidInput, NotAllowed
from workflow_app.models.audit import AuditEvent
from workflow_app.models.base import utcnow
from workflow_app.models.council import AgendaItem, CouncilSession
from workflow_app.models.dossier import Dossier
from workflow_app.models.notification import Notification, OutboxMessage
from workflow_app.models.user import User
from workflow_app.workdays import local_date

NEW = "/council/sessions/new"


def _today() -> date:
    return local_date(utcnow())


def _dmy(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _count(session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))




def _with_emails(session, kit) -> None:
    """Give every seat an e-mail address, so that the outbox is exercised too."""
    for member in kit.council.members:
        session.get(User, member.user_id).email = f"{member.user.username}@example.vn"
    session.commit()


def _seated_others(kit) -> set[int]:
    """Users seated on the council, the secretary (who acts) left out."""
    return {m.user_id for m in kit.council.members} - {kit.secretary.id}


# ---------------------------------------------------------------- scheduling: bad input

@pytest.mark.parametrize("held_on", [
    "1900-01-01",
    "PAST",    # one day more than the allowed margin in the past
    "AHEAD",   # one day more than the allowed margin ahead
])
def test_a_nonsense_date_is_refused_on_the_page_and_nothing_written(
        app, client, session, make_council, held_on):
    kit = make_council(3)
    today = _today()
    first = today - timedelta(days=sessions.PAST_DAYS)
    last = today + timedelta(days=sessions.AHEAD_DAYS)
    held_on = {"PAST": (first - timedelta(days=2)).isoformat(),
               "AHEAD": (last + timedelta(days=2)).isoformat()}.get(held_on, held_on)
    login_as(app, client, kit.secretary)
    audited = _count(session, AuditEvent)
    response = post_form(client, NEW, {"council_id": kit.council.id, "held_on": held_on,
                                       "place": "Phòng họp số 1", "title": "Phiên họp"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ngày họp phải từ" in page and _dmy(first) in page and _dmy(last) in page
    assert session.scalar(select(CouncilSession.id)) is None
    assert _count(session, AuditEvent) == audited


def test_a_place_over_255_characters_is_refused_on_the_page(app, client, session,
                                                            make_council):
    kit = make_council(3)
    login_as(app, client, kit.secretary)
    audited = _count(session, AuditEvent)
    response = post_form(client, NEW, {"council_id": kit.council.id,
                                       "held_on": _today().isoformat(), "place": "P" * 10_000})
    assert response.status_code == 422
    assert "Tối đa 255 ký tự" in response.get_data(as_text=True)
    assert session.scalar(select(CouncilSession.id)) is None
    assert _count(session, AuditEvent) == audited


def test_the_date_window_is_the_service_rule(tx, make_council):
    kit = make_council(3)
    today = _today()
    with pytest.raises(InvalidInput) as refused:
        sessions.schedule(tx, kit.council, held_on=date(1900, 1, 1), actor=kit.secretary)
    assert refused.value.field == "held_on"
    tx.rollback()
    for day in (today - timedelta(days=sessions.PAST_DAYS),
                today + timedelta(days=sessions.AHEAD_DAYS)):
        assert sessions.schedule(tx, kit.council, held_on=day, actor=kit.secretary).id
    tx.commit()


def test_the_place_and_title_columns_hold_what_the_form_allows():
    """Validation is never looser than the column (PostgreSQL refuses longer text with a
    500; SQLite would silently keep it)."""
    columns = CouncilSession.__table__.c
    assert columns.place.type.length >= sessions.MAX_TEXT
    assert columns.title.type.length >= sessions.MAX_TEXT


# ---------------------------------------------------------------- changing a session

@pytest.fixture
def scheduled(tx, session, make_council, council_dossier, meeting):
    """(kit, meeting, dossier): a session with one dossier on the agenda, not opened (no
    attendance, no round); every seat has an e-mail address."""
    kit = make_council(3)
    dossier = council_dossier()
    meeting_ = meeting(kit, [dossier], present=[], held_on=_today() + timedelta(days=3))
    _with_emails(session, kit)
    return kit, meeting_, dossier


def test_the_secretary_changes_a_session_with_a_reason(app, client, session, scheduled):
    kit, meeting_, dossier = scheduled
    old_day, new_day = meeting_.held_on, _today() + timedelta(days=10)
    version = session.get(Dossier, dossier.id).version
    page = f"/council/sessions/{meeting_.id}"
    login_as(app, client, kit.secretary)
    assert 'data-testid="edit-session"' in client.get(page).get_data(as_text=True)
    form = client.get(f"{page}/edit").get_data(as_text=True)
    assert "Phòng họp số 1" in form and f'value="{old_day:%d/%m/%Y}"' in form

    response = post_form(client, f"{page}/edit", {
        "held_on": new_day.isoformat(), "place": "Hội trường tầng 3", "title": "",
        "reason": "Trùng lịch họp giao ban của Bộ"})
    assert response.status_code == 302 and response.headers["Location"].endswith(page)

    stored = session.get(CouncilSession, meeting_.id)
    assert (stored.held_on, stored.place) == (new_day, "Hội trường tầng 3")
    [event] = audit_events(session, "council.session_changed")
    assert event.actor_id == kit.secretary.id and event.subject_id == str(meeting_.id)
    assert event.data == {
        "changes": {"held_on": [old_day.isoformat(), new_day.isoformat()],
                    "place": ["Phòng họp số 1", "Hội trường tầng 3"]},
        "reason": "Trùng lịch họp giao ban của Bộ"}
    # The agenda's dossiers follow the new date (read by the withdrawal guard).
    moved = session.get(Dossier, dossier.id)
    assert moved.council_scheduled_on == new_day and moved.version == version + 1
    assert audit_events(session, "council.dossier_scheduled")[-1].data["council_scheduled_on"] == [
        old_day.isoformat(), new_day.isoformat()]
    # Everyone seated is told, in the app and by e-mail; the secretary, who acted, is not.
    told = session.scalars(select(Notification).where(
        Notification.kind == "council.session_changed")).all()
    assert {n.user_id for n in told} == _seated_others(kit)
    for notice in told:
        assert notice.link == page
        assert _dmy(new_day) in notice.message and "Trùng lịch họp" in notice.message
    mails = session.scalars(select(OutboxMessage)).all()
    assert {m.recipient for m in mails} == {
        session.get(User, uid).email for uid in _seated_others(kit)}
    shown = client.get(page).get_data(as_text=True)
    assert "Hội trường tầng 3" in shown and _dmy(new_day) in shown


@pytest.mark.parametrize("fields, words", [
    ({"reason": ""}, "lý do"),
    ({"held_on": "1900-01-01"}, "Ngày họp phải từ"),
    ({"place": "P" * 256}, "Tối đa 255 ký tự"),
    ({"held_on": "SAME", "place": "Phòng họp số 1"}, "Không có gì thay đổi"),
])
def test_a_bad_change_is_refused_with_a_message_and_nothing_written(
        app, client, session, scheduled, fields, words):
    kit, meeting_, _dossier = scheduled
    data = {"held_on": (_today() + timedelta(days=5)).isoformat(), "place": "Phòng khác",
            "title": "", "reason": "Đổi lịch", **fields}
    if data["held_on"] == "SAME":
        data["held_on"] = meeting_.held_on.isoformat()
    page = f"/council/sessions/{meeting_.id}"
    login_as(app, client, kit.secretary)
    audited = _count(session, AuditEvent)
    response = post_form(client, f"{page}/edit", data)
    assert response.status_code == 422 and words in response.get_data(as_text=True)
    stored = session.get(CouncilSession, meeting_.id)
    assert (stored.held_on, stored.place) == (meeting_.held_on, "Phòng họp số 1")
    assert _count(session, AuditEvent) == audited
    assert _count(session, Notification) == 0


# ---------------------------------------------------------------- cancelling a session

def test_the_secretary_cancels_a_session_with_a_reason(app, client, session, scheduled,
                                                       meeting):
    kit, meeting_, dossier = scheduled
    page = f"/council/sessions/{meeting_.id}"
    member = kit.members[1].user
    login_as(app, client, member)
    listing = client.get("/council/").get_data(as_text=True)
    upcoming, _sep, past = listing.partition('data-testid="past-sessions"')
    assert f'data-testid="session-{meeting_.id}"' in upcoming

    login_as(app, client, kit.secretary)
    assert 'data-testid="cancel-session"' in client.get(page).get_data(as_text=True)
    response = post_form(client, f"{page}/cancel",
                         {"reason": "Chủ tịch Hội đồng đi công tác đột xuất"}, token_from=page)
    assert response.status_code == 302 and response.headers["Location"].endswith(page)

    stored = session.get(CouncilSession, meeting_.id)
    assert stored.cancelled_at is not None and stored.ended_at is not None
    assert stored.cancel_reason == "Chủ tịch Hội đồng đi công tác đột xuất"
    [event] = audit_events(session, "council.session_cancelled")
    assert event.actor_id == kit.secretary.id
    assert event.data["reason"] == "Chủ tịch Hội đồng đi công tác đột xuất"
    assert event.data["dossiers_released"] == [dossier.id]
    # The agenda is released: its dossier may go on another session.
    assert _count(session, AgendaItem) == 0
    assert session.get(Dossier, dossier.id).council_scheduled_on is None
    other = meeting(kit, [], present=[])
    assert dossier.id in {d.id for d in sessions.eligible_dossiers(session, other)}
    told = session.scalars(select(Notification).where(
        Notification.kind == "council.session_cancelled")).all()
    assert {n.user_id for n in told} == _seated_others(kit)
    assert all("Chủ tịch Hội đồng đi công tác" in n.message for n in told)
    assert _count(session, OutboxMessage) == len(_seated_others(kit))

    # Gone from the member's upcoming sessions, still there in the history, with the reason.
    login_as(app, client, member)
    listing = client.get("/council/").get_data(as_text=True)
    upcoming, _sep, past = listing.partition('data-testid="past-sessions"')
    assert f'data-testid="session-{meeting_.id}"' not in upcoming
    assert f'data-testid="session-{meeting_.id}"' in past and "Đã hủy" in past
    shown = client.get(page).get_data(as_text=True)
    assert 'data-testid="cancelled"' in shown and "đi công tác đột xuất" in shown


def test_a_cancellation_needs_a_reason(app, client, session, scheduled):
    kit, meeting_, _dossier = scheduled
    login_as(app, client, kit.secretary)
    audited = _count(session, AuditEvent)
    response = post_form(client, f"/council/sessions/{meeting_.id}/cancel", {"reason": " "},
                         token_from=f"/council/sessions/{meeting_.id}")
    assert response.status_code == 422 and "lý do" in response.get_data(as_text=True)
    assert session.get(CouncilSession, meeting_.id).cancelled_at is None
    assert _count(session, AuditEvent) == audited and _count(session, AgendaItem) == 1


# ---------------------------------------------------------------- once opened: refused

@pytest.mark.parametrize("opened_by", ["attendance", "ended"])
def test_a_session_that_has_opened_can_neither_change_nor_cancel(
        app, client, tx, session, make_council, council_dossier, meeting, opened_by):
    kit = make_council(3)
    meeting_ = meeting(kit, [council_dossier()],
                       present=None if opened_by == "attendance" else [])
    if opened_by == "ended":
        sessions.end_session(tx, meeting_, actor=kit.secretary)
        tx.commit()
    page = f"/council/sessions/{meeting_.id}"
    login_as(app, client, kit.secretary)
    audited = _count(session, AuditEvent)
    changed = post_form(client, f"{page}/edit", {
        "held_on": (_today() + timedelta(days=4)).isoformat(), "place": "Phòng khác",
        "title": "", "reason": "Đổi lịch"}, token_from=page)
    cancelled = post_form(client, f"{page}/cancel", {"reason": "Hủy"}, token_from=page)
    for response in (changed, cancelled):
        assert response.status_code == 409
        assert "không thể thay đổi hay hủy" in response.get_data(as_text=True)
    stored = session.get(CouncilSession, meeting_.id)
    assert stored.cancelled_at is None and stored.place == "Phòng họp số 1"
    assert _count(session, AuditEvent) == audited
    assert 'data-testid="edit-session"' not in client.get(page).get_data(as_text=True)


def test_the_service_refuses_once_a_round_opened(tx, make_council, council_dossier, meeting):
    from workflow_app.council.service import rounds

    kit = make_council(3)
    meeting_ = meeting(kit, [council_dossier()])
    rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.commit()
    with pytest.raises(CouncilError) as refused:
        sessions.cancel(tx, meeting_, reason="Hủy", actor=kit.secretary)
    assert refused.value.code == 409
    tx.rollback()


def test_voting_opens_on_the_day_of_the_session_not_before(tx, make_council, council_dossier,
                                                            meeting):
    from workflow_app.council.service import rounds
    from workflow_app.models.council import VotingRound

    kit = make_council(3)
    ahead = _today() + timedelta(days=3)
    meeting_ = meeting(kit, [council_dossier()], held_on=ahead)
    with pytest.raises(CouncilError) as refused:
        rounds.open_round(tx, meeting_, actor=kit.secretary)
    assert _dmy(ahead) in str(refused.value.description)
    tx.rollback()
    assert _count(tx, VotingRound) == 0
    meeting_ = tx.merge(meeting_)
    meeting_.held_on = _today()  # the day comes
    tx.commit()
    assert rounds.open_round(tx, meeting_, actor=kit.secretary).number == 1


# ---------------------------------------------------------------- who may

@pytest.mark.parametrize("who", ["member", "chair"])
def test_only_the_secretary_changes_or_cancels(app, client, tx, session, scheduled, who):
    kit, meeting_, _dossier = scheduled
    user = kit.chair if who == "chair" else kit.members[1].user
    page = f"/council/sessions/{meeting_.id}"
    login_as(app, client, user)
    shown = client.get(page).get_data(as_text=True)
    assert 'data-testid="edit-session"' not in shown
    assert 'data-testid="cancel-session"' not in shown
    assert client.get(f"{page}/edit").status_code == 403
    audited = _count(session, AuditEvent)
    changed = post_form(client, f"{page}/edit", {
        "held_on": (_today() + timedelta(days=4)).isoformat(), "place": "X", "title": "",
        "reason": "Đổi"}, token_from=page)
    cancelled = post_form(client, f"{page}/cancel", {"reason": "Hủy"}, token_from=page)
    assert (changed.status_code, cancelled.status_code) == (403, 403)
    assert _count(session, AuditEvent) == audited
    with pytest.raises(NotAllowed):
        sessions.cancel(tx, tx.get(CouncilSession, meeting_.id), reason="Hủy",
                        actor=tx.get(User, user.id))
    tx.rollback()


def test_another_units_secretary_gets_a_404(app, client, scheduled, make_user, other_unit):
    _kit, meeting_, _dossier = scheduled
    outsider = make_user("secretary-b", roles=["secretary"], unit=other_unit)
    login_as(app, client, outsider)
    assert client.get(f"/council/sessions/{meeting_.id}/edit").status_code == 404


@pytest.mark.sqlite_only  # PostgreSQL's varchar(255) never held a longer place
def test_an_old_over_long_place_does_not_block_a_new_date(tx, make_council, meeting):
    """Rows written before the limit (SQLite kept 10,000 characters): only what changes is
    checked, so the session can still be moved without retyping its place."""
    kit = make_council(3)
    meeting_ = meeting(kit, [], present=[])
    meeting_.place = "P" * 300
    tx.commit()
    new_day = _today() + timedelta(days=6)
    changes = sessions.change(tx, meeting_, held_on=new_day, place=meeting_.place,
                              title=meeting_.title, reason="Dời lịch", actor=kit.secretary)
    tx.commit()
    assert list(changes) == ["held_on"] and meeting_.held_on == new_day
