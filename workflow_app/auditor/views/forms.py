"""Filters for the audit log (GET form, no CSRF: it changes nothing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from workflow_app.formkit import AppForm
from workflow_app.url_ids import MAX_ID


class LogFilterForm(AppForm):
    class Meta:
        csrf = False

    action = StringField(_l("Action"), validators=[Optional(), Length(max=60)])
    actor = StringField(_l("Actor (username)"), validators=[Optional(), Length(max=64)])
    subject_type = StringField(_l("Subject type"), validators=[Optional(), Length(max=30)])
    subject_id = StringField(_l("Subject id"), validators=[Optional(), Length(max=64)])
    unit = StringField(_l("Unit code (with sub-units)"), validators=[Optional(), Length(max=40)])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    before = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))
