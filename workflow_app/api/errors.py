"""Every error under /api/ is JSON: `{"error": {"code", "message", "details"}}`.

`code` is machine-readable and stable (clients branch on it); `message` is for people, in the
request's language; `details` is optional (per-field problems, the guard that refused …).
The app's error handlers (`workflow_app/errors.py`) call `api_error_response` for any path
under /api/, so Flask's own 404/405/413, CSRF failures, workflow-engine refusals and
unexpected errors are JSON too — never an HTML page.

Database refusals that escape an operation: a unique (integrity) constraint is 409
`conflict` (the transaction rolled back, nothing saved); SQLite still locked by another writer
after the busy timeout is 503 `busy` with `Retry-After` (`api_busy_response`).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Response, current_app, g, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext, refresh
from flask_wtf.csrf import CSRFError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from workflow_app.audit.chain import is_chain_collision
from workflow_app.refusals import audit_chain_message, busy_message, conflict_message
from workflow_app.workflow.errors import GuardFailed, WorkflowError

# Default code per status, for errors that carry no code of their own.
STATUS_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    500: "internal_error",
    503: "busy",
}


class ApiError(HTTPException):
    """An API refusal with a machine-readable `error_code` and optional `details`."""

    def __init__(self, status: int, error_code: str, message: str,
                 details: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(description=message)
        self.code = status
        self.error_code = error_code
        self.details = details
        self.extra_headers = headers or {}


# Translated when an answer needs one (a dozen lookups per refused request otherwise).
_DEFAULT_MESSAGES = {
    400: lazy_gettext("The request could not be understood."),
    401: lazy_gettext("Sign in, or send a valid personal access token (Authorization: Bearer …)."),
    403: lazy_gettext("Your role or unit does not give you access to this."),
    404: lazy_gettext("Not found, or you cannot see it."),
    405: lazy_gettext("This method is not allowed on this URL."),
    409: lazy_gettext("Conflict with the current state of the record."),
    413: lazy_gettext("The request body is larger than allowed."),
    415: lazy_gettext("Send the request body as application/json."),
    422: lazy_gettext("The request body is not valid."),
    429: lazy_gettext("Too many requests. Wait a moment and try again."),
    500: lazy_gettext("Something went wrong. Nothing was saved."),
    503: lazy_gettext("The system is busy. Try again in a few seconds."),
}


def _default_message(status: int) -> str:
    return str(_DEFAULT_MESSAGES.get(status, _DEFAULT_MESSAGES[400]))


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def error_response(status: int, code: str, message: str, details: Any = None,
                   headers: dict[str, str] | None = None) -> Response:
    body = {"error": {"code": code, "message": message, "details": details}}
    response = current_app.response_class(
        current_app.json.dumps(body), status=status, mimetype="application/json")
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _identify_token_owner() -> None:
    """When the lock stopped the request before its Bearer token was read, read the token's
    owner now (a plain read: no last-used stamp, no waiting), so the answer is in their
    language. Nothing is decided on it."""
    if getattr(g.get("_login_user"), "is_authenticated", False):
        return
    from workflow_app.api.tokens import hash_token
    from workflow_app.extensions import db
    from workflow_app.models.api_token import ApiToken
    from workflow_app.models.base import utcnow

    scheme, _sep, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return
    try:
        token = db.session.scalar(select(ApiToken).where(
            ApiToken.token_hash == hash_token(value.strip())))
        if token is not None and token.is_usable(utcnow()):
            g._login_user = token.user
            refresh()
    except SQLAlchemyError:
        db.session.rollback()  # still locked: the answer stays in the default language


def api_busy_response(retry_after: int) -> Response:
    """503 `busy`: another writer held the database longer than the busy timeout."""
    _identify_token_owner()
    return error_response(503, "busy", busy_message(), headers={"Retry-After": str(retry_after)})


def api_error_response(error: Exception) -> Response:
    """The JSON answer for any exception raised while handling an /api/ request."""
    if isinstance(error, IntegrityError):
        if is_chain_collision(error):
            return error_response(503, "audit_chain_conflict", audit_chain_message())
        return error_response(409, "conflict", conflict_message())
    if not isinstance(error, HTTPException):
        return error_response(500, "internal_error", _default_message(500))
    status = error.code or 500
    headers = {}
    if isinstance(error, ApiError):
        return error_response(status, error.error_code, str(error.description),
                              error.details, error.extra_headers)
    if isinstance(error, WorkflowError):
        # Engine refusals keep their status (403 role, 409 state/guard/stale, 422 input);
        # the code names the refusal: stale_version, guard_failed, reason_required …
        details = {"guard": error.guard} if isinstance(error, GuardFailed) else None
        return error_response(status, _snake(type(error).__name__), str(error.description),
                              details)
    if isinstance(error, CSRFError):
        return error_response(400, "csrf_failed", _(
            "Missing or invalid CSRF token: send the page's token in the X-CSRFToken header "
            "(or use a personal access token)."))
    if getattr(error, "show_detail", False):
        # Refusals whose description is written for people (e.g. a NUL byte in the query).
        return error_response(status, STATUS_CODES.get(status, f"http_{status}"),
                              str(error.description))
    if status == 405:
        allowed = getattr(error, "valid_methods", None) or []
        headers["Allow"] = ", ".join(sorted(allowed))
    if status == 429:
        # Flask-Limiter adds Retry-After and the X-RateLimit-* headers after the handler.
        return error_response(429, "rate_limited", _default_message(429),
                              {"limit": str(error.description)})
    return error_response(status, STATUS_CODES.get(status, f"http_{status}"),
                          _default_message(status), headers=headers)


def referenced(model, row_id: int | None, field: str):
    """The row a body field names, or 404 `unknown_reference` naming the field."""
    from workflow_app.extensions import db

    row = db.session.get(model, row_id) if row_id is not None else None
    if row is None:
        raise ApiError(404, "unknown_reference", _("%(field)s names no existing record.",
                                                   field=field), {"field": field})
    return row


def apply_rules(errors: tuple[type[Exception], ...], action):
    """Run a service call; one of its `errors` (a broken rule) becomes 409 `rule_broken`
    with its message, the transaction rolled back."""
    from workflow_app.extensions import db

    try:
        return action()
    except errors as exc:
        db.session.rollback()
        raise ApiError(409, "rule_broken", str(exc)) from None
