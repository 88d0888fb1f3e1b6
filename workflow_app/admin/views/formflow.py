"""The one way an admin form is handled: validate, call the service, commit or explain."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import flash, redirect, request
from flask_wtf import FlaskForm

from workflow_app.extensions import db


def submit(form: FlaskForm, apply: Callable[[], Any], errors: type[Exception] | tuple,
           success: str, redirect_to: Callable[[Any], str]):
    """Return (response, status): a redirect after a committed change, else (None, status)
    with the form carrying its errors — 400 for invalid input, 422 for a broken rule."""
    if not form.validate_on_submit():
        return None, 400 if request.method == "POST" else 200
    try:
        result = apply()
    except errors as exc:
        db.session.rollback()
        form.form_errors.append(str(exc))
        return None, 422
    db.session.commit()
    flash(success, "success")
    return redirect(redirect_to(result)), 302
