"""The base of every form, and small helpers shared by forms.

Every form of the app derives from `AppForm` (a page form: CSRF through Flask-WTF) or, for a
form nested in another through `FormField`, from `SubForm`. Both make WTForms' and
Flask-WTF's own messages ("This field is required.", "Not a valid integer value." …) speak
the request's language through the project's catalogue (`wtforms_i18n`), and make a field
whose input could not be read (31/02 in a date field) say so rather than "required".
`tests/framework/test_form_messages_vi.py` checks that every form class does.
"""

from __future__ import annotations

from collections.abc import Iterable

import wtforms
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import Form, HiddenField, IntegerField, SelectChoice, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length, NumberRange

from workflow_app import wtforms_i18n
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.base import utcnow
from workflow_app.models.org import OrgUnit
from workflow_app.workdays import local_date


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


def not_in_future(form, field) -> None:
    if field.data is not None and field.data > local_date(utcnow()):
        raise ValidationError(_l("The date cannot be in the future."))


class DateField(wtforms.DateField):
    """A date input whose unreadable value ("2024-02-30") gets our clear message."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("Enter a valid date.")) from None


class QuotaExceptionForm(AppForm):
    """Recording the decision to exceed a quota: posted from the registry's unit page and
    from the council secretary's session page."""

    unit_id = HiddenField(validators=[DataRequired()])
    award_code = HiddenField(validators=[DataRequired(), Length(max=30)])
    year = IntegerField(validators=[DataRequired(), NumberRange(1945, 2200)])
    reason = TextAreaField(_l("Reason and reference of the decision to exceed the quota"),
                           validators=[DataRequired(_l("Give the reason.")), Length(max=2000)])


def unit_choices(blank: str | None = None) -> list:
    """Every unit, in tree order and indented (admin and council management forms)."""
    units = db.session.scalars(select(OrgUnit).order_by(OrgUnit.path)).all()
    locale = current_locale()
    by_id = {u.id: u for u in units}

    def label(unit: OrgUnit) -> str:
        return "— " * unit.depth + unit.display_name(locale)

    ordered = sorted(units, key=lambda u: [by_id[int(i)].name for i in u.path.strip("/").split("/")
                                            if i and int(i) in by_id])
    pairs = [(u.id, label(u)) for u in ordered]
    return choices(([(0, blank)] if blank is not None else []) + pairs)
