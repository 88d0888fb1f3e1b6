"""Forms of the catalogue pages."""

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField

from workflow_app.formkit import AppForm


class ReloadForm(AppForm):
    """The admin's "Reload from files" button (CSRF-protected, no fields)."""

    submit = SubmitField(_l("Reload from files"))
