"""Friendly error pages in both languages, and JSON errors under /api/ (`api/errors.py`)."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from workflow_app.extensions import db


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
    }


def _render(status: int, detail: str | None = None):
    title, message = _messages().get(status, (_("Error"), ""))
    if request.path.startswith("/api/"):
        return jsonify(error=title, message=detail or message, status=status), status
    return render_template("errors/error.html", status=status, title=title,
                           message=detail or message), status


def _is_api() -> bool:
    return request.path.startswith("/api/")


def init_app(app: Flask) -> None:
    from workflow_app.api.errors import api_error_response

    @app.errorhandler(CSRFError)
    def _csrf(error):
        db.session.rollback()
        if _is_api():
            return api_error_response(error)
        return _render(400, _("The form expired or was sent from elsewhere. Reload the page "
                              "and try again."))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        db.session.rollback()
        if _is_api():
            return api_error_response(error)
        detail = error.description if getattr(error, "show_detail", False) else None
        return _render(error.code or 500, detail)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        if _is_api():
            return api_error_response(error)
        return _render(500)
