"""Languages: Vietnamese by default, English second; the choice is remembered per user."""

from __future__ import annotations

from flask import Flask, session
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

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


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))


def select_locale() -> str:
    if current_user and current_user.is_authenticated and current_user.locale in LOCALES:
        return current_user.locale
    chosen = session.get("locale")
    return chosen if chosen in LOCALES else "vi"


def current_locale() -> str:
    return str(get_locale() or "vi")


def init_app(app: Flask) -> None:
    @app.context_processor
    def _inject_locale():
        return {
            "current_locale": current_locale(),
            "locale_names": LOCALE_NAMES,
            "role_label": role_label,
        }
