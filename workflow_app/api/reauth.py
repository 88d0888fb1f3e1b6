"""Re-authentication in the API's signing operations (minutes, decisions, revoking
decisions, submission letters, eligibility overrides, quota exceptions, ballots): the body
carries `password` (and `code` for users with an authenticator app), checked as the pages
check it (`accounts/service/reauth.py`). A failure keeps the failed attempt (throttle and
audit) and answers 422 `reauth_failed`; nothing of the act is written."""

from __future__ import annotations

from flask import request

from workflow_app.accounts.service import reauth
from workflow_app.api.errors import ApiError
from workflow_app.extensions import db


def require_reauth(actor, password: str | None, code: str | None, purpose: str) -> None:
    if not password:
        raise ApiError(422, "reauth_failed", reauth.missing_password(purpose))
    problem = reauth.check(db.session, actor, password, code,
                           request.remote_addr or "unknown", purpose)
    if problem is not None:
        db.session.commit()
        raise ApiError(422, "reauth_failed", problem)
