"""Forms of the registry pages (CSRF through FlaskForm)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from workflow_app.formkit import AppForm, DateField, QuotaExceptionForm, choices, not_in_future
from workflow_app.models.registry import INITIATIVE_SCOPES, RATINGS
from workflow_app.registry.service.labels import RATING, SCOPE
from workflow_app.signing import ReauthFields


class ImportForm(AppForm):
    file = FileField(_l("XLSX file"), validators=[FileRequired(_l("Choose a file."))])
    dry_run = BooleanField(_l("Only check the file, import nothing"))


class OverrideForm(ReauthFields, AppForm):
    rule_id = HiddenField(validators=[DataRequired(), Length(max=60)])
    reason = TextAreaField(_l("Reason for the override"),
                           validators=[DataRequired(_l("Give the reason.")), Length(max=2000)])


class ReviewerQuotaExceptionForm(ReauthFields, QuotaExceptionForm):
    """A reviewer's or admin's record of a decision to exceed a quota, with the password
    again (the council secretary's, from the session page, records the council's vote)."""


class SearchForm(AppForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or unit"), validators=[Length(max=120)])


def _year_field():
    return IntegerField(_l("Year"), validators=[
        InputRequired(_l("Give the year.")), NumberRange(1945, 2200, _l("Give a real year."))])


class AwardEntryForm(AppForm):
    """One conferred award entered by hand (choices are the catalogue's awards that fit)."""

    award_code = SelectField(_l("Award"), validators=[DataRequired(_l("Choose the award."))])
    year = _year_field()
    decision_number = StringField(_l("Decision number and symbol"), validators=[
        DataRequired(_l("Give the decision number (at most 60 characters).")),
        Length(max=60)])
    decision_date = DateField(_l("Decision date"), validators=[
        InputRequired(_l("Enter a valid date.")), not_in_future])
    issuer = StringField(_l("Issued by"), validators=[Length(max=255)])


class RatingForm(AppForm):
    year = _year_field()
    rating = SelectField(_l("Rating"), choices=choices(
        [("", "—")] + [(code, RATING[code]) for code in RATINGS]),
        validators=[DataRequired(_l("Choose a rating."))])


class InitiativeForm(AppForm):
    year = _year_field()
    title = StringField(_l("Title"), validators=[
        DataRequired(_l("Give the title (at most 255 characters).")), Length(max=255)])
    kind = SelectField(_l("Kind"), choices=choices(
        [("initiative", _l("Initiative (sáng kiến)")),
         ("science_topic", _l("Science topic (đề tài khoa học)"))]))
    scope = SelectField(_l("Recognised at"), choices=choices(
        [(code, SCOPE[code]) for code in INITIATIVE_SCOPES]))
    recognised_by = StringField(_l("Recognised by"), validators=[Length(max=255)])
