"""Friendly error pages in both languages, and JSON errors under /api/ (`api/errors.py`).

Two database refusals are answers, not crashes, wherever they escape a request:
- a unique (or other integrity) constraint refusing a row → 409 "clashes with a record saved
  at the same time", the transaction rolled back;
- SQLite's "database is locked" after the busy timeout (another writer held the lock too
  long) → 503 with `Retry-After`; the write had not begun, so nothing was saved.
After any error the transaction is rolled back; drawing the answer only reads, in a
deferred transaction, so it never queues for the lock again.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import refresh
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException

from workflow_app.audit.chain import is_chain_collision
from workflow_app.db import begin_mode, is_busy
from workflow_app.extensions import db, login_manager
from workflow_app.refusals import audit_chain_message, busy_message, conflict_message

# Seconds a client is asked to wait before trying again after a 503 "busy".
RETRY_AFTER_SECONDS = 5


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Bad request"), _("The request could not be understood. Check what you entered.")),
        403: (_("Not allowed"), _("Your role or unit does not give you access to this page.")),
        404: (_("Not found"), _("This page does not exist, or you cannot see it.")),
        405: (_("Not allowed"), _("This action cannot be done this way.")),
        409: (_("Conflict"), _("Someone else changed this record. Reload the page and try again.")),
        413: (_("Too large"), _("The file or form is larger than allowed.")),
        429: (_("Too many requests"), _("Please wait a moment and try again.")),
        500: (_("Something went wrong"), _("The error was logged. Nothing was saved.")),
        503: (_("The system is busy"), busy_message()),
    }


def _render(status: int, detail: str | None = None, title: str | None = None):
    default_title, message = _messages().get(status, (_("Error"), ""))
    title = title or default_title
    if request.path.startswith("/api/"):
        return jsonify(error=title, message=detail or message, status=status), status
    return render_template("errors/error.html", status=status, title=title,
                           message=detail or message), status


def _is_api() -> bool:
    return request.path.startswith("/api/")


def _render_safely(status: int, detail: Callable[[], str] | None = None,
                   title: Callable[[], str] | None = None):
    """The error page, drawn after the request's transaction was rolled back. What it still
    reads (the user, their language, the menu) is read in a deferred transaction, which
    never queues for SQLite's write lock; if even that meets the lock (e.g. the session's
    last-seen stamp is due), the page is drawn for an anonymous visitor instead. `detail`
    is called then, in the request's language."""
    with begin_mode("DEFERRED"):
        try:
            return _render(status, detail() if detail else None, title() if title else None)
        except OperationalError as again:
            if not is_busy(again):
                raise
            db.session.rollback()
            g._login_user = login_manager.anonymous_user()
            refresh()  # the language of the session (or Vietnamese), not the account's
            return _render(status, detail() if detail else None, title() if title else None)


def init_app(app: Flask) -> None:
    from workflow_app.api.errors import api_busy_response, api_error_response

    @app.errorhandler(CSRFError)
    def _csrf(error):
        db.session.rollback()
        if _is_api():
            return api_error_response(error)
        return _render_safely(400, lambda: _("The form expired or was sent from elsewhere. "
                                             "Reload the page and try again."))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        db.session.rollback()
        if _is_api():
            return api_error_response(error)
        detail = error.description if getattr(error, "show_detail", False) else None
        return _render_safely(error.code or 500, (lambda: detail) if detail else None)

    @app.errorhandler(IntegrityError)
    def _integrity(error: IntegrityError):
        db.session.rollback()
        if is_chain_collision(error):
            app.logger.error("Audit chain: an event not written by the application occupies "
                             "the next place; refusing %s %s", request.method, request.path)
            if _is_api():
                with begin_mode("DEFERRED"):
                    return api_error_response(error)
            return _render_safely(503, audit_chain_message,
                                  lambda: _("The audit trail needs checking"))
        app.logger.warning("Refused by a database constraint on %s %s: %s", request.method,
                           request.path, error.orig)
        if _is_api():
            with begin_mode("DEFERRED"):  # reads the caller's language, never waits
                return api_error_response(error)
        return _render_safely(409, conflict_message)

    @app.errorhandler(OperationalError)
    def _operational(error: OperationalError):
        if not is_busy(error):
            return _unexpected(error)
        db.session.rollback()
        app.logger.warning("Database busy on %s %s: the lock was not free within the busy "
                           "timeout", request.method, request.path)
        if _is_api():
            with begin_mode("DEFERRED"):
                return api_busy_response(RETRY_AFTER_SECONDS)
        response, status = _render_safely(503)
        return response, status, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        if _is_api():
            return api_error_response(error)
        return _render_safely(500)
