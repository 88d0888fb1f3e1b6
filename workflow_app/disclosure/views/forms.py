"""The public comment form. Limits match DisclosureComment's columns."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from workflow_app.formkit import AppForm, choices
from workflow_app.models.disclosure import MAX_AUTHOR_FIELD, MAX_COMMENT_TEXT


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class CommentForm(AppForm):
    kind = RadioField(
        _l("This is"), default="comment",
        choices=choices([("comment", _l("a comment")), ("objection", _l("an objection"))]),
        validators=[InputRequired(message=_l("Choose a comment or an objection."))])
    body = TextAreaField(
        _l("Your comment"), filters=[_strip],
        validators=[DataRequired(message=_l("Please write your comment.")),
                    Length(max=MAX_COMMENT_TEXT, message=_l(
                        "At most %(max)d characters.", max=MAX_COMMENT_TEXT))])
    author_name = StringField(
        _l("Your name (optional)"), filters=[_strip],
        validators=[Optional(), Length(max=MAX_AUTHOR_FIELD, message=_l(
            "At most %(max)d characters.", max=MAX_AUTHOR_FIELD))])
    author_contact = StringField(
        _l("How to reach you (optional: e-mail or telephone)"), filters=[_strip],
        validators=[Optional(), Length(max=MAX_AUTHOR_FIELD, message=_l(
            "At most %(max)d characters.", max=MAX_AUTHOR_FIELD))])
