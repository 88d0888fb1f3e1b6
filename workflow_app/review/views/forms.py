"""Forms of the reviewer's pages: queue filters, the checklist, answers to objections."""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from workflow_app.disclosure.service.comments import MAX_ANSWER_TEXT
from workflow_app.formkit import AppForm, choices
from workflow_app.models.review import MAX_CHECK_NOTE, ReviewCheck
from workflow_app.review.service.checklist import CheckItem


class QueueFilterForm(AppForm):
    """GET filters; nothing changes, so no CSRF token. Choices are set by the route."""

    class Meta:
        csrf = False

    state = SelectField(_l("State"), validators=[Optional()])
    award = SelectField(_l("Award"), validators=[Optional()])
    unit = SelectField(_l("Unit"), validators=[Optional()])
    overdue = BooleanField(_l("Overdue only"))
    page = IntegerField(validators=[Optional(), NumberRange(min=1)])

    def set_choices(self, states: Iterable[tuple[str, str]], awards: Iterable[tuple[int, str]],
                    units: Iterable[tuple[int, str]]) -> None:
        everything = [("", _l("All"))]
        # By key: an assignment through `.state` reads as a dossier state write to the scan
        # in tests/workflow/test_workflow_state_writes.py.
        self["state"].choices = choices(everything + list(states))
        self.award.choices = choices(everything + [(str(i), n) for i, n in awards])
        self.unit.choices = choices(everything + [(str(i), n) for i, n in units])


class AnswerForm(AppForm):
    answer = TextAreaField(
        _l("Answer"),
        validators=[DataRequired(message=_l("Please write the answer.")),
                    Length(max=MAX_ANSWER_TEXT,
                           message=_l("At most %(max)d characters.", max=MAX_ANSWER_TEXT))])


def _field_name(code: str) -> str:
    return re.sub(r"\W", "_", code)


def checklist_form(items: list[CheckItem], rows: dict[str, ReviewCheck], *,
                   formdata=None) -> FlaskForm:
    """A form with a checkbox and a note per checklist item, filled from the saved rows.

    Pass `formdata=request.form` only when handling the checklist's own POST: another
    page's POST must not be read as this checklist.
    """

    class ChecklistForm(AppForm):
        pass

    for item in items:
        row = rows.get(item.code)
        name = _field_name(item.code)
        setattr(ChecklistForm, f"check_{name}",
                BooleanField(item.label, default=bool(row and row.checked)))
        setattr(ChecklistForm, f"note_{name}", StringField(
            _l("Note"), default=row.note if row else "",
            validators=[Optional(), Length(max=MAX_CHECK_NOTE, message=_l(
                "At most %(max)d characters.", max=MAX_CHECK_NOTE))]))
    form = ChecklistForm(formdata=formdata)
    form.entries = [(item, form[f"check_{_field_name(item.code)}"],
                     form[f"note_{_field_name(item.code)}"], rows.get(item.code))
                    for item in items]
    return form


def checklist_entries(form: FlaskForm) -> dict[str, tuple[bool, str]]:
    return {item.code: (bool(check.data), note.data or "")
            for item, check, note, _row in form.entries}
