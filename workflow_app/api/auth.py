"""Who is calling /api/v1, and what they may do.

Two ways in:
- `Authorization: Bearer tdkt_…` (a personal access token): the token acts as its owner —
  same roles, same unit scope. When the header is present it is the only credential looked
  at (a session cookie sent alongside is ignored); a bad, expired or revoked token, or one
  whose owner is disabled, is a 401. Bearer requests need no CSRF token: a browser never
  adds this header to a cross-site request by itself.
- The session cookie (the UI's own calls): then every mutation needs the page's CSRF token
  in the `X-CSRFToken` header, exactly as a form post needs it in the form.

`authenticate_api_request` runs inside the app's login gate (`security.py`), before anything
else reads `current_user`; the token's owner is put where Flask-Login keeps the request's
user (`g._login_user`), so `current_user` and every scoping rule work unchanged. Bearer
tokens are accepted under /api/ only: the HTML pages never look at the header.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import g, request
from flask_babel import gettext as _
from flask_login import current_user

from workflow_app.api.blueprint import bp
from workflow_app.api.errors import ApiError, error_response
from workflow_app.api.tokens import resolve
from workflow_app.extensions import csrf, db
from workflow_app.models.api_token import ApiToken
from workflow_app.models.user import User

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="api"'}


def authenticate_api_request():
    """Resolve a Bearer token, if one is sent; return a 401 response when it is not valid."""
    g.api_token = None
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _sep, value = header.partition(" ")
    token = resolve(db.session, value.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        return error_response(401, "invalid_token", _(
            "The access token is not valid: unknown, expired or revoked, or its owner's "
            "account is disabled."), headers=CHALLENGE)
    g.api_token = token
    g._login_user = token.user  # where Flask-Login keeps the request's user
    return None


def api_token() -> ApiToken | None:
    """The token this request came with (None for a session cookie)."""
    return g.get("api_token")


def caller() -> User:
    return current_user._get_current_object()


def principal() -> str:
    """Whose quota and idempotency keys: "token:<id>", "user:<id>", or "ip:<address>"."""
    token = api_token()
    if token is not None:
        return f"token:{token.id}"
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return f"ip:{request.remote_addr or 'unknown'}"


@bp.before_request
def check_csrf_for_cookie_mutations() -> None:
    """Cookie-authenticated mutations need the CSRF token (header `X-CSRFToken`)."""
    if request.method in SAFE_METHODS or api_token() is not None:
        return
    if current_user.is_authenticated:
        csrf.protect()  # raises CSRFError → 400 csrf_failed


def require_scope(scope: str) -> None:
    """A `read` token may not call a `write` operation: 403 insufficient_scope."""
    token = api_token()
    if scope == "write" and token is not None and not token.can_write:
        raise ApiError(403, "insufficient_scope", _(
            "This access token is read-only; create a read-write token for this operation."))


def require_roles(roles: Sequence[str]) -> None:
    """The caller must hold one of `roles` (over any unit); empty means any signed-in user."""
    if roles and not caller().has_role(*roles):
        raise ApiError(403, "role_required", _(
            "This operation needs one of these roles: %(roles)s.", roles=", ".join(roles)),
            {"roles": list(roles)})
