"""Re-authentication before a ballot: a TOTP code already used (e.g. at sign-in, in the same
30-second window) is refused with its own message and is not a failed attempt; a wrong
password or wrong code still counts towards the sign-in throttle."""

from __future__ import annotations

import time

import pyotp
from flask_babel import force_locale
from sqlalchemy import func, select

from tests.support.factories import DEFAULT_PASSWORD
from workflow_app.accounts.service import reauth, totp
from workflow_app.models.audit import AuditEvent
from workflow_app.models.user import LoginAttempt


def _attempts(session, user) -> int:
    return session.scalar(select(func.count()).select_from(LoginAttempt)
                          .where(LoginAttempt.username == user.username))


def _actions(session) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_a_code_already_used_at_sign_in_is_refused_without_counting_a_failure(
        app, session, make_user):
    secret = pyotp.random_base32()
    user = make_user(totp_secret=secret)
    code = pyotp.TOTP(secret).now()
    assert totp.accept_code(user, code)  # signing in burns the code
    with app.test_request_context(), force_locale("en"):
        problem = reauth.check(session, user, DEFAULT_PASSWORD, code, "10.0.0.1")
    assert problem is not None and "already used" in problem
    assert "not correct" not in problem
    assert _attempts(session, user) == 0
    assert _actions(session)[-1] == "auth.reauth_code_reused"


def test_a_wrong_password_with_a_used_code_still_counts_as_a_failure(app, session, make_user):
    secret = pyotp.random_base32()
    user = make_user(totp_secret=secret)
    code = pyotp.TOTP(secret).now()
    assert totp.accept_code(user, code)
    with app.test_request_context(), force_locale("en"):
        problem = reauth.check(session, user, "not-my-password", code, "10.0.0.1")
    assert problem is not None and "not correct" in problem
    assert _attempts(session, user) == 1
    assert _actions(session)[-1] == "auth.reauth_failed"


def test_a_wrong_code_counts_and_the_next_fresh_code_is_accepted(app, session, make_user):
    secret = pyotp.random_base32()
    user = make_user(totp_secret=secret)
    with app.test_request_context(), force_locale("en"):
        wrong = next(c for c in ("000000", "111111", "222222", "333333")
                     if totp.matching_counter(secret, c) is None)
        assert reauth.check(session, user, DEFAULT_PASSWORD, wrong, "10.0.0.1") is not None
        assert _attempts(session, user) == 1
        fresh = pyotp.TOTP(secret).at(time.time())
        assert reauth.check(session, user, DEFAULT_PASSWORD, fresh, "10.0.0.1") is None
        assert totp.was_used(user, fresh)
