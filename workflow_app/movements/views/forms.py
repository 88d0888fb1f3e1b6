"""Forms of the movement pages (CSRF through FlaskForm)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from workflow_app.formkit import AppForm, DateField, SubForm, choices, not_in_future
from workflow_app.movements.service.labels import KIND, SCOPE


class PlanForm(AppForm):
    version = HiddenField()
    unit_id = SelectField(_l("Organising unit"), coerce=int)
    title = StringField(_l("Name of the movement or plan"),
                        validators=[DataRequired(), Length(max=255)])
    kind = SelectField(_l("Kind"), choices=choices(KIND.items()))
    scope = SelectField(_l("Scope"), choices=choices(SCOPE.items()))
    theme = TextAreaField(_l("Theme, purpose and targets"), validators=[Length(max=20000)])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(1945, 2200)])
    period_start = DateField(_l("Period from"), validators=[InputRequired()])
    period_end = DateField(_l("Period to"), validators=[InputRequired()])
    parent_id = SelectField(_l("Under the movement of (optional)"), coerce=int)
    cluster_id = SelectField(_l("Cluster or block (for a cluster movement)"), coerce=int)
    registration_deadline = DateField(_l("Registration deadline (optional)"),
                                      validators=[Optional()])
    participant_ids = SelectMultipleField(_l("Participating units"), coerce=int)
    areas = TextAreaField(_l("Areas of work, one per line"), validators=[Length(max=50000)])


class LaunchForm(AppForm):
    version = HiddenField(validators=[DataRequired()])
    document_number = StringField(_l("Number and symbol of the launching document"),
                                  validators=[DataRequired(), Length(max=60)])
    document_date = DateField(_l("Date of the document"),
                              validators=[InputRequired(), not_in_future])
    document_signer = StringField(_l("Signed by"), validators=[Length(max=160)])
    document_file = FileField(_l("The signed document (PDF, DOCX; optional)"))


class ActionForm(AppForm):
    version = HiddenField(validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[Length(max=4000)])


class WindowForm(AppForm):
    version = HiddenField(validators=[DataRequired()])
    registration_deadline = DateField(_l("Registration deadline"), validators=[Optional()])
    registration_reopened = BooleanField(_l("Reopen registration after the deadline"))
    registration_required = BooleanField(_l("Require registration: a unit or person that did "
                                            "not register for a title cannot be submitted "
                                            "for it"))


REGISTRATION_ROWS = 6  # blank rows shown; "more rows" adds MORE_ROWS at a time
MORE_ROWS = 5
MAX_REGISTRATION_ROWS = 200  # beyond that, the XLSX file


class RegistrationRow(SubForm):
    person = StringField(_l("Full name (empty: the unit itself)"),
                         validators=[Length(max=200)])
    # Checked against the titles in force by RegistrationForm.validate_rows (a row left
    # blank, or not sent at all, is no error).
    award = SelectField(_l("Title aimed for"), validate_choice=False)

    def is_blank(self) -> bool:
        return not (self.person.data or "").strip() and not self.award.data


class RegistrationForm(AppForm):
    award_codes: frozenset = frozenset()  # set by set_awards
    unit_id = SelectField(_l("Registering unit"), coerce=int)
    rows = FieldList(FormField(RegistrationRow), min_entries=REGISTRATION_ROWS,
                     max_entries=MAX_REGISTRATION_ROWS)
    commitments = TextAreaField(_l("Commitments"), validators=[Length(max=20000)])

    def set_awards(self, award_choices: list[SelectChoice]) -> None:
        self.award_codes = {c.value for c in award_choices}
        for row in self.rows:
            row.form.award.choices = [SelectChoice("", "—")] + award_choices

    def add_rows(self) -> None:
        for _ in range(min(MORE_ROWS, MAX_REGISTRATION_ROWS - len(self.rows))):
            self.rows.append_entry()

    def validate_rows(self, field) -> None:
        filled = [(n, row.form) for n, row in enumerate(field, 1) if not row.form.is_blank()]
        if not filled:
            raise ValidationError(_l("Choose at least one title."))
        for number, row in filled:
            if not row.award.data:
                raise ValidationError(_l("Row %(row)d: choose the title.", row=number))
            if row.award.data not in self.award_codes:
                raise ValidationError(_l("Row %(row)d: choose a title from the list.",
                                         row=number))

    def filled_rows(self) -> list[tuple[int, str, str]]:
        return [(n, (row.form.person.data or "").strip(), row.form.award.data)
                for n, row in enumerate(self.rows, 1) if not row.form.is_blank()]


class RegistrationFileForm(AppForm):
    unit_id = SelectField(_l("Registering unit"), coerce=int)
    commitments = TextAreaField(_l("Commitments"), validators=[Length(max=20000)])
    file = FileField(_l("XLSX file (columns “Họ và tên”, “Danh hiệu”)"),
                     validators=[FileRequired(_l("Choose a file."))])


class InspectionForm(AppForm):
    unit_id = SelectField(_l("Inspected unit"), coerce=int)
    held_on = DateField(_l("Date of the inspection"), validators=[InputRequired(),
                                                                  not_in_future])
    findings = TextAreaField(_l("Findings"), validators=[DataRequired(), Length(max=20000)])


class PactForm(AppForm):
    text = TextAreaField(_l("Text of the pact"), validators=[DataRequired(), Length(max=50000)])
    targets = TextAreaField(_l("Targets, one per line"), validators=[Length(max=50000)])
    place = StringField(_l("Signed at"), validators=[Length(max=255)])


class SignForm(AppForm):
    unit_id = SelectField(_l("Signing unit"), coerce=int)
    signed_by = StringField(_l("Signed by (name and post)"),
                            validators=[DataRequired(), Length(max=160)])
    on_behalf_of = StringField(_l("On behalf of"), validators=[Length(max=255)])
    signed_on = DateField(_l("Date of signing"), validators=[InputRequired(), not_in_future])


class ElectionForm(AppForm):
    head_unit_id = SelectField(_l("Head for next year"), coerce=int)
    deputy_unit_ids = SelectMultipleField(_l("Deputies for next year"), coerce=int)


class NominationsForm(AppForm):
    unit_id = SelectField(_l("Unit"), coerce=int)
