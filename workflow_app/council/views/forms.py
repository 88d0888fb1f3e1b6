"""Council forms. Selects accept only the offered choices; ballots are read by `read_choices`
against the member's own paper, never trusted as sent."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from workflow_app.council.service.labels import OUTCOMES
from workflow_app.council.service.sessions import MAX_REASON, MAX_TEXT
from workflow_app.formkit import AppForm, DateField, choices
from workflow_app.signing import ReauthFields


class ActionForm(AppForm):
    """A button that only needs the CSRF token."""


class SignMinutesForm(ReauthFields, AppForm):
    """The chair's sign-off of the minutes: the password again (workflow_app/signing.py)."""


TOO_LONG = _l("At most %(max)d characters.")
DATE_NEEDED = _l("Give the date of the session (dd/mm/yyyy).")


class SessionDetailsForm(AppForm):
    """Date, place and title of a session (the date window is the service's rule:
    `sessions.check_date`)."""

    held_on = DateField(_l("Date of the session"),
                        validators=[DataRequired(message=DATE_NEEDED)])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=MAX_TEXT,
                                                                    message=TOO_LONG)])
    title = StringField(_l("Session title"), validators=[Optional(), Length(
        max=MAX_TEXT, message=TOO_LONG)])


class SessionForm(SessionDetailsForm):
    council_id = SelectField(_l("Council"), coerce=int)


class SessionChangeForm(SessionDetailsForm):
    reason = TextAreaField(_l("Reason for the change (sent to the members)"), validators=[
        DataRequired(message=_l("Give the reason for the change.")),
        Length(max=MAX_REASON, message=TOO_LONG)])


class CancelSessionForm(AppForm):
    reason = TextAreaField(_l("Reason for cancelling (sent to the members)"), validators=[
        DataRequired(message=_l("Give the reason for cancelling the session.")),
        Length(max=MAX_REASON, message=TOO_LONG)])


class AddItemForm(AppForm):
    dossier_id = SelectField(_l("Dossier awaiting the council"), coerce=int)


class OpenRoundForm(AppForm):
    item_id = SelectField(_l("Put to the vote"), coerce=int)


class ReasonForm(AppForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class DecideForm(AppForm):
    decision = SelectField(_l("Decision"), choices=choices([
        ("accept", _l("Accept: the member steps out of this item")),
        ("reject", _l("Reject: the member votes on this item"))]))


class RulingForm(AppForm):
    decision = SelectField(_l("Ruling"), choices=choices(OUTCOMES.items()))
    reason = TextAreaField(_l("Reason (shown in the minutes)"),
                           validators=[DataRequired(), Length(max=4000)])


class CastForm(AppForm):
    """The confirmation step: re-authentication before the ballot is cast."""

    password = PasswordField(_l("Your password"), validators=[DataRequired(),
                                                              Length(max=256)])
    code = StringField(_l("Code from your authenticator app"),
                       validators=[Optional(), Length(max=10)])


class ReceiptCheckForm(AppForm):
    """Checking a receipt code: sent by POST so the code never reaches a URL or a log."""

    receipt = StringField(_l("My receipt code"),
                          validators=[DataRequired(), Length(min=14, max=14)])


def read_choices(form_data, items) -> tuple[dict[int, str], list[int]]:
    """The choice sent for each item of the paper (`item-<id>` fields); missing item ids."""
    chosen, missing = {}, []
    for item in items:
        value = form_data.get(f"item-{item.id}", "")
        if value in ("agree", "disagree", "abstain"):
            chosen[item.id] = value
        else:
            missing.append(item.id)
    return chosen, missing
