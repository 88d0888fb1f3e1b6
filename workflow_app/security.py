"""Deny by default, security headers, and the SQLite begin mode per request.

Every endpoint needs a logged-in user unless its view is marked `@public`. The allow-list
is therefore visible in the code next to each public view, and a test compares it with the
expected set.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import BadRequest

from workflow_app.db import sqlite_begin_mode

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


FORM_MIMETYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class NulInInput(BadRequest):
    show_detail = True  # the error handler shows `description` to the user

    @property
    def description(self) -> str:  # translated per request, not at import
        return _("The request contains a NUL character, which is never valid input. "
                 "Remove it and try again.")

    @description.setter
    def description(self, value) -> None:  # werkzeug assigns a default; ours is fixed
        pass


def public(view: Callable) -> Callable:
    """Mark a view as reachable without login (the explicit allow-list)."""
    view.is_public = True
    return view


def roles_required(*roles: str) -> Callable:
    """Allow the view only to users holding one of `roles` (any unit); others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated or not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = roles
        return wrapped

    return decorator


def is_public_endpoint(app: Flask, endpoint: str | None) -> bool:
    if endpoint is None:  # no route matched: let the 404 handler answer
        return True
    if endpoint == "static":
        return True
    view = app.view_functions.get(endpoint)
    return bool(getattr(view, "is_public", False))


def init_app(app: Flask) -> None:
    @app.before_request
    def _choose_begin_mode():
        mode = "DEFERRED" if request.method in SAFE_METHODS else "IMMEDIATE"
        sqlite_begin_mode.set(mode)

    @app.before_request
    def _refuse_nul_bytes():
        # No text a person types contains NUL; PostgreSQL cannot even store it (it would fail
        # deep in a query as a 500). Refuse it at the door, for pages and the API alike.
        fields = request.args.items(multi=True)
        if request.mimetype in FORM_MIMETYPES:
            fields = [*fields, *request.form.items(multi=True)]
        if any("\x00" in key or "\x00" in value for key, value in fields):
            raise NulInInput()

    @app.before_request
    def _login_gate():
        if is_public_endpoint(app, request.endpoint):
            return None
        if request.path.startswith("/api/"):
            # A Bearer token (API only) or the session cookie; JSON 401 otherwise.
            from workflow_app.api.auth import CHALLENGE, authenticate_api_request
            from workflow_app.api.errors import error_response

            refusal = authenticate_api_request()
            if refusal is not None:
                return refusal
            if not current_user.is_authenticated:
                return error_response(401, "unauthenticated", _(
                    "Sign in, or send a personal access token (Authorization: Bearer …)."),
                    headers=CHALLENGE)
            return None
        if current_user.is_authenticated:
            return None
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @app.after_request
    def _security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint != "static":
            # Pages may carry personal data: never keep them in a shared or browser cache.
            headers["Cache-Control"] = "no-store"
            headers["Pragma"] = "no-cache"
        return response
