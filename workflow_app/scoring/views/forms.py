"""Forms of the scoring pages (CSRF through FlaskForm)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from workflow_app.formkit import AppForm, DateField


class TableForm(AppForm):
    title = StringField(_l("Name of the criteria table"),
                        validators=[DataRequired(), Length(max=255)])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(1945, 2200)])
    assessor_unit_id = SelectField(_l("Assessing unit (the cluster head or the standing "
                                      "agency)"), coerce=int)
    criteria = TextAreaField(_l("Criteria: “# code | group” lines, then “code | criterion | "
                                "maximum | kind | guidance” lines"),
                             validators=[DataRequired(), Length(max=200000)])
    bands = TextAreaField(_l("Bands: “code | name | English name | from points | registry "
                             "rating” lines, best first"),
                          validators=[DataRequired(), Length(max=5000)])


class VersionForm(AppForm):
    version = HiddenField(validators=[DataRequired()])


class SheetForm(AppForm):
    """The score sheet's fixed part; the points and notes are `points-<id>`, `note-<id>`."""

    version = HiddenField(validators=[DataRequired()])
    side = HiddenField(validators=[DataRequired()])


class AcclamationForm(AppForm):
    award_id = SelectField(_l("Award to acclaim for"), coerce=int)
    seats = IntegerField(_l("Units to acclaim"), validators=[InputRequired(),
                                                             NumberRange(1, 100)])
    held_on = DateField(_l("Date of the year-end conference"), validators=[InputRequired()])
    place = StringField(_l("Place"), validators=[Length(max=255)])
