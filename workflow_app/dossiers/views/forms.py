"""Dossier forms. Every select is validated against the choices offered to this user, so a
forged or stale id is a form error, never a 500."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from workflow_app.dossiers.service import fields as limits
from workflow_app.dossiers.service.fields import FIRST_YEAR
from workflow_app.formkit import AppForm, SubForm, choices
from workflow_app.url_ids import MAX_ID

EXTRA_SECTION_SLOTS = 2


def int_or_none(value):
    if value in (None, ""):
        return None
    return int(value)


class SectionForm(SubForm):
    """One section of the achievement report (no CSRF of its own: part of the outer form)."""

    heading = StringField(_l("Heading"), validators=[Length(max=limits.HEADING_MAX)])
    body = TextAreaField(_l("Text"), validators=[Length(max=limits.SECTION_BODY_MAX)],
                         render_kw={"rows": 5})


class DossierDetailsForm(AppForm):
    """The fields a submitter may change while the dossier is a draft or returned."""

    version = HiddenField()
    award = SelectField(_l("Award"), coerce=int)
    commendation_type = SelectField(_l("Commendation type"))
    year = IntegerField(_l("Year of the achievements"),
                        validators=[InputRequired(), NumberRange(min=FIRST_YEAR, max=2200)])
    year_from = IntegerField(_l("From year (for a period)"),
                             validators=[Optional(), NumberRange(min=FIRST_YEAR, max=2200)])
    movement_reference = StringField(_l("Emulation movement or plan (optional)"),
                                     validators=[Length(max=limits.MOVEMENT_MAX)],
                                     render_kw={"placeholder": "Kế hoạch số 16/KH-STP"})
    title = StringField(_l("Title (optional: made from the award, year and nominee)"),
                        validators=[Length(max=limits.TITLE_MAX)])
    summary = TextAreaField(_l("Achievement summary"),
                            validators=[Length(max=limits.SUMMARY_MAX)], render_kw={"rows": 4})
    sections = FieldList(FormField(SectionForm), max_entries=limits.SECTIONS_MAX
                         + EXTRA_SECTION_SLOTS)


class NewDossierForm(DossierDetailsForm):
    unit = SelectField(_l("Submitting unit"), coerce=int)
    nominee_kind = RadioField(_l("Nominee"), default="person", choices=choices([
        ("person", _l("A person")), ("unit", _l("A unit (collective)"))]))
    person = SelectField(_l("Person"), coerce=int_or_none, validate_choice=True)
    nominee_unit = SelectField(_l("Unit"), coerce=int_or_none, validate_choice=True)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class BatchForm(AppForm):
    unit = SelectField(_l("Submitting unit"), coerce=int)
    title = StringField(_l("Title of the covering letter (tờ trình)"),
                        validators=[InputRequired(), Length(max=limits.TITLE_MAX)])
    award = SelectField(_l("Award"), coerce=int)
    commendation_type = SelectField(_l("Commendation type"))
    year = IntegerField(_l("Year of the achievements"),
                        validators=[InputRequired(), NumberRange(min=FIRST_YEAR, max=2200)])
    movement_reference = StringField(_l("Emulation movement or plan (optional)"),
                                     validators=[Length(max=limits.MOVEMENT_MAX)])
    persons = MultiCheckboxField(_l("People nominated"), coerce=int)
    units = MultiCheckboxField(_l("Units nominated (collectives)"), coerce=int)


class UploadForm(AppForm):
    """One file of a chosen type (a batch's shared documents)."""

    doc_type = SelectField(_l("Document type"))
    file = FileField(_l("File (PDF, DOCX, XLSX, JPEG or PNG)"),
                     validators=[FileRequired(_l("Choose a file."))])


class DocumentsForm(AppForm):
    """A dossier's upload form: its CSRF token here; the files come in one input per
    offered document type, `files-<code>`, each taking several files (`pages.upload_rows`),
    so several types and several files per type go in one sending."""

    FIELD_PREFIX = "files-"


class FilterForm(AppForm):
    """The list's filters (GET, no CSRF). Unknown values are form errors (400), not 500s."""

    class Meta:
        csrf = False

    q = StringField(_l("Nominee or title"), validators=[Length(max=100)])
    # Named "status" in the query string: only the engine assigns anything called `state`.
    status = SelectField(_l("State"), default="")
    award = SelectField(_l("Award"), coerce=int_or_none)
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(min=FIRST_YEAR,
                                                                         max=2200)])
    commendation_type = SelectField(_l("Commendation type"), default="")
    batch = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
    before = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])
