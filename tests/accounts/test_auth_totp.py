"""Two-factor sign-in: required for admin, chair and signer; a code is never reused."""

import pyotp
from sqlalchemy import select

from tests.support.helpers import login, post_form, totp_code
from workflow_app.models import AuditEvent, User

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_required_role_without_totp_must_enrol_before_getting_in(client, session, make_user):
    make_user("chairman", roles=["chair"])
    response = login(client, "chairman")
    assert response.headers["Location"].endswith("/login/totp-setup")
    assert client.get("/").status_code == 302  # not signed in yet
    page = client.get("/login/totp-setup").get_data(as_text=True)
    assert "<svg" in page
    secret = page.split('data-testid="totp-secret">')[1].split("<")[0]
    bad = post_form(client, "/login/totp-setup", {"code": "000000"})
    assert bad.status_code == 401
    good = post_form(client, "/login/totp-setup", {"code": pyotp.TOTP(secret).now()})
    assert good.status_code == 302
    assert client.get("/").status_code == 200
    user = session.scalar(select(User).where(User.username == "chairman"))
    assert user.totp_secret == secret
    actions = session.scalars(select(AuditEvent.action)).all()
    assert "auth.totp_enrolled" in actions


def test_enrolled_user_needs_a_valid_code(client, make_user):
    make_user("signer1", roles=["signer"], totp_secret=SECRET)
    assert login(client, "signer1").headers["Location"].endswith("/login/code")
    assert post_form(client, "/login/code", {"code": "12345"}).status_code == 400
    assert post_form(client, "/login/code", {"code": "000000"}).status_code == 401
    assert post_form(client, "/login/code", {"code": totp_code(SECRET)}).status_code == 302
    assert client.get("/").status_code == 200


def test_a_code_cannot_be_used_twice(app, make_user):
    make_user("signer1", roles=["signer"], totp_secret=SECRET)
    code = totp_code(SECRET)
    first, second = app.test_client(), app.test_client()
    login(first, "signer1")
    assert post_form(first, "/login/code", {"code": code}).status_code == 302
    login(second, "signer1")
    assert post_form(second, "/login/code", {"code": code}).status_code == 401
    # the next time step's code is fine (clock drift of one step is allowed)
    assert post_form(second, "/login/code", {"code": totp_code(SECRET, 1)}).status_code == 302


def test_optional_totp_is_asked_when_enabled_for_other_roles(client, make_user):
    make_user("officer", roles=["submitter"], totp_secret=SECRET)
    assert login(client, "officer").headers["Location"].endswith("/login/code")


def test_no_second_factor_for_other_roles_without_totp(client, make_user):
    make_user("officer", roles=["submitter"])
    assert login(client, "officer").headers["Location"] == "/"


def test_code_page_without_a_password_step_sends_back_to_login(client):
    response = client.get("/login/code")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")


def test_wrong_codes_count_towards_the_account_lock(client, make_user):
    make_user("signer1", roles=["signer"], totp_secret=SECRET)
    login(client, "signer1")
    for _ in range(5):
        post_form(client, "/login/code", {"code": "000000"})
    assert post_form(client, "/login/code", {"code": totp_code(SECRET)}).status_code == 429


def test_a_submitter_may_turn_two_factor_on_and_off(app, client, session, make_user):
    from tests.support.helpers import login_as

    user = make_user("officer", roles=["submitter"])
    login_as(app, client, user)
    page = client.get("/account/totp").get_data(as_text=True)
    secret = page.split('data-testid="totp-secret">')[1].split("<")[0]
    assert post_form(client, "/account/totp", {"code": "000000"}).status_code == 400
    assert post_form(client, "/account/totp", {"code": pyotp.TOTP(secret).now()}).status_code \
        == 302
    session.expire_all()
    assert session.get(User, user.id).totp_secret == secret
    # now sign-in asks for a code
    assert login(app.test_client(), "officer").headers["Location"].endswith("/login/code")
    wrong = post_form(client, "/account/totp/off", {"password": "nope-nope-nope",
                                                    "code": totp_code(secret, 1)},
                      token_from="/account")
    assert wrong.status_code == 302
    session.expire_all()
    assert session.get(User, user.id).totp_secret == secret
    post_form(client, "/account/totp/off", {"password": "correct-horse-battery",
                                            "code": totp_code(secret, 1)}, token_from="/account")
    session.expire_all()
    assert session.get(User, user.id).totp_secret is None
    actions = session.scalars(select(AuditEvent.action)).all()
    assert "auth.totp_enrolled" in actions and "auth.totp_disabled" in actions


def test_a_required_role_cannot_turn_two_factor_off(app, client, session, make_user):
    from tests.support.helpers import login_as

    user = make_user("boss", roles=["admin"], totp_secret=SECRET)
    login_as(app, client, user)
    assert "totp/off" not in client.get("/account").get_data(as_text=True)
    post_form(client, "/account/totp/off", {"password": "correct-horse-battery",
                                            "code": totp_code(SECRET)}, token_from="/account")
    session.expire_all()
    assert session.get(User, user.id).totp_secret == SECRET
