"""Forms of the registry pages (CSRF through FlaskForm)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange


class ImportForm(FlaskForm):
    file = FileField(_l("XLSX file"), validators=[FileRequired(_l("Choose a file."))])
    dry_run = BooleanField(_l("Only check the file, import nothing"))


class OverrideForm(FlaskForm):
    rule_id = HiddenField(validators=[DataRequired(), Length(max=60)])
    reason = TextAreaField(_l("Reason for the override"),
                           validators=[DataRequired(_l("Give the reason.")), Length(max=2000)])


class QuotaExceptionForm(FlaskForm):
    unit_id = HiddenField(validators=[DataRequired()])
    award_code = HiddenField(validators=[DataRequired(), Length(max=30)])
    year = IntegerField(validators=[DataRequired(), NumberRange(1945, 2200)])
    reason = TextAreaField(_l("Reason and reference of the decision to exceed the quota"),
                           validators=[DataRequired(_l("Give the reason.")), Length(max=2000)])


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Name or unit"), validators=[Length(max=120)])
