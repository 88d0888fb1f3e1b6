"""Forms of the profile page's "API access tokens" section."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from workflow_app.formkit import AppForm

DEFAULT_DAYS = 90


class CreateTokenForm(AppForm):
    """`days` is bounded by `Config.api_token_max_days`, set by `with_max_days`."""

    name = StringField(_l("Token name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("What it is for, e.g. “Personnel database sync”."))
    scope = SelectField(_l("Access"), choices=[
        SelectChoice("read", _l("Read only")), SelectChoice("read-write", _l("Read and write"))],
        default="read")
    days = IntegerField(_l("Valid for (days)"), default=DEFAULT_DAYS,
                        validators=[InputRequired()])

    def with_max_days(self, max_days: int) -> CreateTokenForm:
        self.days.validators = [InputRequired(), NumberRange(
            min=1, max=max_days, message=_l("Between 1 and %(max)d days.", max=max_days))]
        return self


class RevokeTokenForm(AppForm):
    """Only the CSRF token; the token to revoke is in the URL."""
