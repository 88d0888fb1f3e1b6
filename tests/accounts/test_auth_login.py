"""Sign-in and sign-out through the real forms."""

import re

from sqlalchemy import select

from tests.support.helpers import audit_events, login, post_form
from workflow_app.models import UserSession


def test_successful_login_opens_a_server_session_and_is_audited(client, session, make_user):
    user = make_user("officer", roles=["submitter"])
    response = login(client, "officer")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    rows = session.scalars(select(UserSession).where(UserSession.user_id == user.id)).all()
    assert len(rows) == 1 and rows[0].revoked_at is None
    [event] = audit_events(session, "auth.login_succeeded")
    assert event.actor_id == user.id and event.subject_id == str(user.id)


def test_wrong_password_is_refused_audited_and_opens_no_session(client, session, make_user):
    make_user("officer")
    response = login(client, "officer", "wrong-password!")
    assert response.status_code == 401
    assert 'data-testid="form-errors"' in response.get_data(as_text=True)
    assert session.scalars(select(UserSession)).all() == []
    [event] = audit_events(session, "auth.login_failed")
    assert event.data["reason"] == "bad_credentials"


def _without_tokens(page: str) -> str:
    """The page with its CSRF tokens blanked (they are signed with the current second)."""
    return re.sub(r'(csrf[-_]token"[^>]*?(?:value|content)=")[^"]+', r"\1", page)


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client, make_user):
    make_user("officer")
    wrong = login(client, "officer", "wrong-password!").get_data(as_text=True)
    unknown = login(client, "nobody", "wrong-password!").get_data(as_text=True)
    assert 'data-testid="form-errors"' in wrong
    # the same page but for the typed username, which the form echoes back
    assert _without_tokens(wrong).replace('value="officer"', "") == \
        _without_tokens(unknown).replace('value="nobody"', "")


def test_username_is_case_insensitive(client, make_user):
    make_user("officer")
    assert login(client, "OFFICER").status_code == 302


def test_empty_form_is_a_clear_400(client):
    response = post_form(client, "/login", {"username": "", "password": ""})
    assert response.status_code == 400
    assert "invalid-feedback" in response.get_data(as_text=True)


def test_disabled_account_cannot_sign_in(client, session, make_user):
    user = make_user("gone")
    user.is_active = False
    session.commit()
    response = login(client, "gone")
    assert response.status_code == 403
    assert audit_events(session, "auth.login_failed")[0].data["reason"] == "disabled"


def test_next_parameter_cannot_redirect_off_site(client, make_user):
    make_user("officer")
    response = post_form(client, "/login?next=//evil.example/x",
                         {"username": "officer", "password": "correct-horse-battery"})
    assert response.headers["Location"] == "/"


def test_next_parameter_returns_to_the_page_asked_for(client, make_user):
    make_user("officer")
    response = post_form(client, "/login?next=/account",
                         {"username": "officer", "password": "correct-horse-battery"})
    assert response.headers["Location"] == "/account"


def test_logout_ends_the_session_even_for_a_copied_cookie(app, client, session, make_user):
    make_user("officer")
    login(client, "officer")
    copied = client.get_cookie("tdkt_session").value
    token = post_form(client, "/logout", {}, token_from="/").status_code
    assert token == 302
    thief = app.test_client()
    thief.set_cookie("tdkt_session", copied)
    response = thief.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert session.scalars(select(UserSession)).one().revoked_at is not None
    assert len(audit_events(session, "auth.logout")) == 1


def test_password_change_ends_every_other_session(app, client, session, make_user):
    make_user("officer")
    other_browser = app.test_client()
    login(other_browser, "officer")
    login(client, "officer")
    copied = client.get_cookie("tdkt_session").value
    response = post_form(client, "/account", {
        "current_password": "correct-horse-battery",
        "new_password": "a-brand-new-password", "confirm": "a-brand-new-password"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # this browser got a fresh session
    assert other_browser.get("/").status_code == 302
    stale = app.test_client()
    stale.set_cookie("tdkt_session", copied)
    assert stale.get("/").status_code == 302
    assert login(app.test_client(), "officer", "a-brand-new-password").status_code == 302
    assert len(audit_events(session, "auth.password_changed")) == 1


def test_password_change_with_wrong_current_password_changes_nothing(client, session, make_user):
    user = make_user("officer")
    old_hash = user.password_hash
    login(client, "officer")
    response = post_form(client, "/account", {
        "current_password": "not-my-password", "new_password": "a-brand-new-password",
        "confirm": "a-brand-new-password"})
    assert response.status_code == 400
    session.refresh(user)
    assert user.password_hash == old_hash


def test_password_change_rejects_a_short_or_mismatched_password(client, make_user):
    make_user("officer")
    login(client, "officer")
    short = post_form(client, "/account", {"current_password": "correct-horse-battery",
                                           "new_password": "short", "confirm": "short"})
    differ = post_form(client, "/account", {"current_password": "correct-horse-battery",
                                            "new_password": "long-enough-pass",
                                            "confirm": "long-enough-pasX"})
    assert short.status_code == 400 and differ.status_code == 400
