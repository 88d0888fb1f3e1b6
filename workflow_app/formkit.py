"""The base of every form, and small helpers shared by forms.

Every form of the app derives from `AppForm` (a page form: CSRF through Flask-WTF) or, for a
form nested in another through `FormField`, from `SubForm`. Both make WTForms' and
Flask-WTF's own messages ("This field is required.", "Not a valid integer value." …) speak
the request's language through the project's catalogue (`wtforms_i18n`), and make a field
whose input could not be read (31/02 in a date field) say so rather than "required".
`tests/test_form_messages_vi.py` checks that every form class does.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import Form, SelectChoice

from workflow_app import wtforms_i18n


class _Translated:
    """Shared by both bases: validation that keeps "cannot read this input" errors."""

    class Meta:
        def get_translations(self, form):
            return wtforms_i18n.translations

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        wtforms_i18n.keep_input_errors(self)
        return valid


class AppForm(_Translated, FlaskForm):
    """Base of every page form (CSRF-protected unless its Meta says `csrf = False`)."""

    class Meta:
        csrf_class = wtforms_i18n.TranslatedCSRF


class SubForm(_Translated, Form):
    """Base of a form nested in another (`FormField`): no CSRF token of its own."""


def choices(pairs: Iterable[tuple[object, object]]) -> list[SelectChoice]:
    """(value, label) pairs as WTForms choices. A select field rejects any other value, so a
    forged id or code gets a form error instead of reaching a service."""
    return [SelectChoice(value, label) for value, label in pairs]
