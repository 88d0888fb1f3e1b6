"""Re-authentication on the pages of signing acts (issue 17 item 6): signing minutes,
issuing a decision, a revoking decision or a submission letter, recording an eligibility
override, a quota exception or a digitally signed PDF ask for the password again (and the
authenticator code where the user has one), as casting a ballot does, through the same check
and the same lockout (`accounts/service/reauth.py`).

A page's form mixes in `ReauthFields`; its template renders `reauth_fields(form)` from
`_form.html`; its view calls `confirm_identity(form, purpose)` after validating the form and
before writing anything. A failure commits only the failed attempt (throttle and audit) and
returns the message to show next to the form. Forms that live inside another page (the
override of an eligibility rule, a quota exception) answer with a redirect back to it; what
the user typed is kept for that one page (`keep_typed`, read back by `kept_text`) so a wrong
password loses nothing.
"""

from __future__ import annotations

from flask import request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import PasswordField, StringField
from wtforms.validators import Length, Optional

from workflow_app.accounts.service import reauth
from workflow_app.extensions import db


class ReauthFields:
    """The two fields of re-authentication, mixed into a page's form. Optional for WTForms
    so the same form serves the preview step; `confirm_identity` requires the password."""

    password = PasswordField(_l("Your password"), validators=[Optional(), Length(max=256)])
    code = StringField(_l("Code from your authenticator app"),
                       validators=[Optional(), Length(max=10)])


def confirm_identity(form, purpose: str) -> str | None:
    """None when the signed-in user proved who they are; else the message to show (the
    failed attempt is already committed). Call before any write of the act."""
    if not form.password.data:
        return reauth.missing_password(purpose)
    problem = reauth.check(db.session, current_user, form.password.data, form.code.data,
                           request.remote_addr or "unknown", purpose)
    if problem is not None:
        db.session.commit()  # keep the failed attempt: it counts towards the throttle
        form.code.data = ""
    return problem


KEPT = "signing.kept"
KEPT_MAX = 4000


def keep_typed(key: str, text: str | None) -> None:
    """Keep what the user typed in a form refused by re-authentication, for the next page."""
    session[KEPT] = {"key": key, "text": (text or "")[:KEPT_MAX]}


def kept_text(key: str) -> str:
    """What was kept for `key` (once; then forgotten), else ""."""
    kept = session.get(KEPT)
    if not kept or kept.get("key") != key:
        return ""
    session.pop(KEPT, None)
    return kept.get("text", "")


def init_app(app) -> None:
    app.jinja_env.globals.update(kept_text=kept_text)
