"""Idle and absolute session time-outs; disabling an account ends its sessions."""

from datetime import timedelta

from sqlalchemy import select

from tests.support.helpers import login, login_as, recording
from workflow_app.accounts.service import users as user_service
from workflow_app.extensions import db
from workflow_app.models import UserSession


def _age(session, idle=None, age=None):
    for row in session.scalars(select(UserSession)):
        row.last_seen_at -= timedelta(**(idle or {}))
        row.created_at -= timedelta(**(age or {}))
    session.commit()


def test_session_expires_after_the_idle_time_out(client, session, make_user):
    make_user("officer")
    login(client, "officer")
    assert client.get("/").status_code == 200
    _age(session, idle={"minutes": 31})
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_activity_keeps_the_session_alive(client, session, make_user):
    make_user("officer")
    login(client, "officer")
    _age(session, idle={"minutes": 20})
    assert client.get("/").status_code == 200  # touches last_seen_at
    _age(session, idle={"minutes": 20})
    assert client.get("/").status_code == 200


def test_session_expires_after_the_absolute_time_out_despite_activity(client, session, make_user):
    make_user("officer")
    login(client, "officer")
    _age(session, age={"hours": 13})
    assert client.get("/").status_code == 302


def test_disabling_an_account_ends_its_open_sessions(app, client, session, make_user):
    admin = make_user("boss", roles=["admin"])
    user = make_user("officer")
    login_as(app, client, user)
    assert client.get("/").status_code == 200
    user_service.set_active(session, session.merge(user), False, actor=session.merge(admin))
    session.commit()
    assert client.get("/").status_code == 302


def test_a_page_reads_the_signed_in_user_with_grants_units_and_name_in_one_statement(
        client, session, make_user, make_person):
    """The session loader reads the session row, the user, their role grants with units (every
    scope check) and their person (the header's name) at once, not one lazy read each."""
    make_user("officer", person=make_person("Phạm Quốc Bảo"))
    login(client, "officer")
    assert client.get("/account").status_code == 200  # the once-a-minute last-seen stamp
    with recording(db.engine) as log:
        assert client.get("/account").status_code == 200
    [read] = log.touching("user_session")
    assert log.touching("role_grant") == [read], log
    assert log.touching("app_user")[0] == read, log
    assert log.touching("person") == [read], log
