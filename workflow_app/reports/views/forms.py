"""The report filter forms (GET, no CSRF: they change nothing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField
from wtforms.validators import NumberRange, Optional

from workflow_app.formkit import AppForm, choices


def _year(label):
    return IntegerField(label, validators=[Optional(), NumberRange(
        1945, 2200, _l("Give a year between 1945 and 2200."))])


class StatisticsForm(AppForm):
    class Meta:
        csrf = False

    source = SelectField(_l("Count"), default="awards")
    year_from = _year(_l("From year"))
    year_to = _year(_l("To year"))
    unit_id = SelectField(_l("Unit"), coerce=lambda v: int(v) if v not in (None, "") else None,
                          validate_choice=True)
    sub_units = SelectField(_l("Sub-units"), default="y", choices=choices([
        ("y", _l("With its sub-units")), ("n", _l("The unit only"))]))
    award = SelectField(_l("Award or title"), default="")
    level = SelectField(_l("Level of the deciding authority"), default="")
    subject = SelectField(_l("Individual or collective"), default="")
    commendation_type = SelectField(_l("Commendation type"), default="")
    attribute = SelectField(_l("Leader or front-line worker"), default="")
    group_by = SelectField(_l("Rows by"), default="unit")


class ProcessForm(AppForm):
    class Meta:
        csrf = False

    year = _year(_l("Year of the dossiers"))
    unit_id = SelectField(_l("Unit"), coerce=lambda v: int(v) if v not in (None, "") else None,
                          validate_choice=True)
