"""Forms of the catalogue pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SubmitField


class ReloadForm(FlaskForm):
    """The admin's "Reload from files" button (CSRF-protected, no fields)."""

    submit = SubmitField(_l("Reload from files"))
