"""Languages, and the few helpers every page's layout needs.

Vietnamese is the default; English is the second language. The choice is remembered on the
account (`User.locale`) when signed in, else in the session. Anything else (an unknown code,
a browser's Accept-Language) never changes the language: the default stays Vietnamese.
"""

from __future__ import annotations

from flask import Flask, current_app, has_request_context, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

DEFAULT_LOCALE = "vi"
LOCALES = ("vi", "en")
LOCALE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


ROLE_LABELS = {
    "submitter": _l("Submitter (unit officer)"),
    "reviewer": _l("Reviewer (standing agency)"),
    "council_member": _l("Council member"),
    "secretary": _l("Council secretary"),
    "chair": _l("Council chair"),
    "signer": _l("Signer"),
    "auditor": _l("Auditor"),
    "admin": _l("Administrator"),
}

# What each role does in the procedure (shown on the home page).
ROLE_DUTIES = {
    "submitter": _l("Prepares the unit's nomination dossiers and follows them to the decision."),
    "reviewer": _l("Appraises dossiers for the standing agency and returns incomplete ones."),
    "council_member": _l("Votes on nominations in council sessions."),
    "secretary": _l("Prepares council sessions, records attendance and closes the votes."),
    "chair": _l("Chairs council sessions and confirms their results."),
    "signer": _l("Signs award decisions for the deciding authority."),
    "auditor": _l("Checks the audit trail and the history of every dossier."),
    "admin": _l("Manages accounts, roles, units and clusters. Cannot change dossiers or votes."),
}


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def role_duty(role: str) -> str:
    return str(ROLE_DUTIES.get(role, ""))


def select_locale() -> str:
    """The account's language when signed in, else the session's, else Vietnamese.

    Outside a request (CLI commands, services called from tests) it is Vietnamese.
    """
    if not has_request_context():
        return DEFAULT_LOCALE
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    chosen = session.get("locale")
    return chosen if chosen in LOCALES else DEFAULT_LOCALE


def current_locale() -> str:
    return str(get_locale() or DEFAULT_LOCALE)


def has_endpoint(endpoint: str) -> bool:
    """True when a view is registered, so templates never link to a page that does not exist."""
    return endpoint in current_app.view_functions


def init_app(app: Flask) -> None:
    @app.context_processor
    def _inject_layout_helpers():
        return {
            "current_locale": current_locale(),
            "locale_names": LOCALE_NAMES,
            "role_label": role_label,
            "role_duty": role_duty,
            "has_endpoint": has_endpoint,
        }
