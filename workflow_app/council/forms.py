"""Council forms. Selects accept only the offered choices; ballots are read by `read_choices`
against the member's own paper, never trusted as sent."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from workflow_app.council.labels import OUTCOMES
from workflow_app.formkit import choices


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token."""


class SessionForm(FlaskForm):
    council_id = SelectField(_l("Council"), coerce=int)
    held_on = DateField(_l("Date of the session"), validators=[DataRequired()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=255)])
    title = StringField(_l("Session title"), validators=[Optional(), Length(max=255)])


class AddItemForm(FlaskForm):
    dossier_id = SelectField(_l("Dossier awaiting the council"), coerce=int)


class OpenRoundForm(FlaskForm):
    item_id = SelectField(_l("Put to the vote"), coerce=int)


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=2000)])


class DecideForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=choices([
        ("accept", _l("Accept: the member steps out of this item")),
        ("reject", _l("Reject: the member votes on this item"))]))


class RulingForm(FlaskForm):
    decision = SelectField(_l("Ruling"), choices=choices(OUTCOMES.items()))
    reason = TextAreaField(_l("Reason (shown in the minutes)"),
                           validators=[DataRequired(), Length(max=4000)])


class CastForm(FlaskForm):
    """The confirmation step: re-authentication before the ballot is cast."""

    password = PasswordField(_l("Your password"), validators=[DataRequired(),
                                                              Length(max=256)])
    code = StringField(_l("Code from your authenticator app"),
                       validators=[Optional(), Length(max=10)])


class ReceiptCheckForm(FlaskForm):
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
