"""The subscription form and the buttons of the webhook pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from workflow_app.formkit import AppForm, choices
from workflow_app.webhooks.service.events import EVENT_KINDS
from workflow_app.webhooks.service.subscriptions import MAX_URL


class EventsField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SubscriptionForm(AppForm):
    url = StringField(_l("Receiver's address (URL)"),
                      validators=[DataRequired(), Length(max=MAX_URL)])
    description = StringField(_l("Description (who receives it, what for)"),
                              validators=[Optional(), Length(max=255)])
    events = EventsField(_l("Events to send"), choices=choices(EVENT_KINDS.items()),
                         validators=[DataRequired(message=_l("Choose at least one kind of "
                                                             "event."))])


class ActionForm(AppForm):
    """A button that only needs the CSRF token."""
