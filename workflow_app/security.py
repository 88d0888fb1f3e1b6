"""Deny by default, security headers, and the SQLite begin mode per request.

Every endpoint needs a logged-in user unless its view is marked `@public`. The allow-list
is therefore visible in the code next to each public view, and a test compares it with the
expected set.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import Flask, abort, jsonify, redirect, request, url_for
from flask_login import current_user

from workflow_app.db import sqlite_begin_mode

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


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
    def _login_gate():
        if is_public_endpoint(app, request.endpoint):
            return None
        if current_user.is_authenticated:
            return None
        if request.path.startswith("/api/"):
            response = jsonify(error="unauthenticated", message="Login required.")
            response.status_code = 401
            return response
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
