"""The base of every form, and small helpers shared by forms.

Every form of the app derives from `AppForm` (a page form: CSRF through Flask-WTF) or, for a
form nested in another through `FormField`, from `SubForm`. Both make WTForms' and
Flask-WTF's own messages ("This field is required.", "Not a valid integer value." …) speak
the request's language through the project's catalogue (`wtforms_i18n`), and make a field
whose input could not be read (31/02 in a date field) say so rather than "required".
`tests/framework/test_form_messages_vi.py` checks that every form class does.

Days are typed and shown as Vietnamese write them, dd/mm/yyyy, in every browser language:
`DateField` (and `day_input` for a hand-written form) is a text input, never `type=date`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime

import wtforms
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from sqlalchemy import select
from wtforms import Form, HiddenField, IntegerField, SelectChoice, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length, NumberRange
from wtforms.widgets import html_params

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


SUBJECT_ORDER = {"individual": 0, "both": 1, "collective": 2}
SUBJECT_GROUPS = {"individual": _l("For individuals"), "collective": _l("For collectives"),
                  "both": _l("For individuals and collectives")}


def grouped_award_choices(versions, locale: str, value=lambda v: v.award_id
                          ) -> list[SelectChoice]:
    """Award versions for a select, by name, grouped by whom they are for (individuals, both,
    collectives; catalogue order kept within a group). `value` picks what the form posts."""
    ordered = sorted(versions, key=lambda v: SUBJECT_ORDER.get(v.subject, 3))
    return [SelectChoice(value(v), v.name(locale),
                         optgroup=str(SUBJECT_GROUPS.get(v.subject, v.subject)))
            for v in ordered]


def not_in_future(form, field) -> None:
    if field.data is not None and field.data > local_date(utcnow()):
        raise ValidationError(_l("The date cannot be in the future."))


# Days as Vietnamese write them (07/12/2026), whatever the browser's language; ISO days
# (2026-12-07) are read too, for the API's links, bookmarks and old addresses.
DAY_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
DAY_PATTERN = r"\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}"
_DAY_RE = re.compile(DAY_PATTERN)


def day_format_message():
    return _l("Enter the date as day/month/year, e.g. 07/12/2026.")


def parse_day(text: str | None) -> date | None:
    """A day typed as dd/mm/yyyy (or ISO yyyy-mm-dd); None when empty. Raises ValueError
    (with `day_format_message()`) for anything else, 31/02 included."""
    text = (text or "").strip()
    if not text:
        return None
    if _DAY_RE.fullmatch(text):
        for fmt in DAY_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    raise ValueError(str(day_format_message()))


def day_text(day: date | None) -> str:
    return day.strftime(DAY_FORMATS[0]) if day else ""


class DayInput:
    """A text input for a day: digits keyboard on phones, dd/mm/yyyy placeholder and
    pattern (shown the same in every browser language, unlike `type=date`), and the hooks
    `static/js/dates.js` uses to add the slashes and a calendar button. Works without it."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        return day_input(field.name, field._value(), **kwargs)


def day_input(name: str, value: str | date | None = "", **kwargs) -> Markup:
    """The day input's HTML, also for the templates' hand-written forms (Jinja global)."""
    if isinstance(value, date):
        value = day_text(value)
    attrs = {"type": "text", "inputmode": "numeric", "autocomplete": "off",
             "placeholder": "dd/mm/yyyy", "pattern": DAY_PATTERN, "maxlength": 10,
             "title": str(day_format_message()), "data_day_input": "",
             "data_calendar_label": str(_l("Choose on a calendar")), **kwargs}
    html = html_params(name=name, value=value or "", **attrs)
    return Markup(f"<input {html}>")  # noqa: S704 - html_params escapes every value


class DateField(wtforms.DateField):
    """A day typed as dd/mm/yyyy (ISO accepted), shown as dd/mm/yyyy; anything else gets
    the clear message "Enter the date as day/month/year, e.g. 07/12/2026."."""

    widget = DayInput()

    def _value(self):
        if self.data is not None:  # read: shown back as dd/mm/yyyy, even from an ISO link
            return day_text(self.data)
        return " ".join(self.raw_data or ())

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        try:
            self.data = parse_day(" ".join(valuelist))
        except ValueError:
            self.data = None
            raise ValueError(day_format_message()) from None


class QuotaExceptionForm(AppForm):
    """Recording the decision to exceed a quota: posted from the registry's unit page and
    from the council secretary's session page."""

    unit_id = HiddenField(validators=[DataRequired()])
    award_code = HiddenField(validators=[DataRequired(), Length(max=30)])
    year = IntegerField(validators=[DataRequired(), NumberRange(1945, 2200)])
    reason = TextAreaField(_l("Reason and reference of the decision to exceed the quota"),
                           validators=[DataRequired(_l("Give the reason.")), Length(max=2000)])


def unit_choices(blank: str | None = None, *, open_only: bool = False) -> list:
    """Every unit (`open_only`: those not closed by a reorganisation), in tree order and
    indented (admin and council management forms)."""
    query = select(OrgUnit).order_by(OrgUnit.path)
    if open_only:
        query = query.where(OrgUnit.valid_to.is_(None))
    units = db.session.scalars(query).all()
    locale = current_locale()
    by_id = {u.id: u for u in units}

    def label(unit: OrgUnit) -> str:
        return "— " * unit.depth + unit.display_name(locale)

    ordered = sorted(units, key=lambda u: [by_id[int(i)].name for i in u.path.strip("/").split("/")
                                            if i and int(i) in by_id])
    pairs = [(u.id, label(u)) for u in ordered]
    return choices(([(0, blank)] if blank is not None else []) + pairs)
