"""Admin forms. Every select is validated against the offered choices."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp

from workflow_app.accounts.service.passwords import MAX_LENGTH, MIN_LENGTH
from workflow_app.formkit import AppForm, DateField, choices
from workflow_app.labels import CLUSTER_ROLE_LABELS

USERNAME_HINT = _l("3–64 characters: lower-case letters, digits, dot, dash, underscore.")


class UserCreateForm(AppForm):
    username = StringField(_l("Username"), validators=[
        DataRequired(), Length(min=3, max=64),
        Regexp(r"^[a-z0-9][a-z0-9._-]+$", message=USERNAME_HINT)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    password = PasswordField(_l("Initial password"), validators=[
        DataRequired(), Length(min=MIN_LENGTH, max=MAX_LENGTH)])
    person_id = SelectField(_l("Person"), coerce=int)


class GrantForm(AppForm):
    role = SelectField(_l("Role"))
    unit_id = SelectField(_l("Over unit (and its sub-units)"), coerce=int)


class UnitForm(AppForm):
    code = StringField(_l("Code"), validators=[
        DataRequired(), Length(max=40),
        Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Letters, digits, dot, dash, underscore."))])
    name = StringField(_l("Name (Vietnamese)"), validators=[DataRequired(), Length(max=255)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=255)])
    kind = SelectField(_l("Kind"))
    symbol = StringField(_l("Document symbol"), validators=[
        Optional(), Length(max=20),
        Regexp(r"^[A-ZĐ0-9-]*$", message=_l("Upper-case letters, digits and dashes, e.g. BTP."))])
    founding_ground = TextAreaField(_l("Legal basis of the unit's organisation (căn cứ)"),
                                    validators=[Optional(), Length(max=1000)])
    head_title = StringField(_l("Title of the unit's head"),
                             validators=[Optional(), Length(max=255)])
    parent_id = SelectField(_l("Parent unit"), coerce=int)


class ClusterForm(AppForm):
    code = StringField(_l("Code"), validators=[
        DataRequired(), Length(max=40),
        Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Letters, digits, dot, dash, underscore."))])
    name = StringField(_l("Name (Vietnamese)"), validators=[DataRequired(), Length(max=255)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=255)])
    kind = SelectField(_l("Kind"), choices=choices([("cluster", _l("Cluster (cụm)")),
                                                    ("block", _l("Block (khối)"))]))
    organiser_unit_id = SelectField(_l("Organised by"), coerce=int)


class MembershipForm(AppForm):
    unit_id = SelectField(_l("Unit"), coerce=int)
    year = IntegerField(_l("Year"), validators=[
        DataRequired(), NumberRange(min=1945, max=2200)])
    role = SelectField(_l("Role in the cluster that year"),
                       choices=choices(CLUSTER_ROLE_LABELS.items()))


class ActionForm(AppForm):
    """A button that only needs the CSRF token."""


class TrustCertificateForm(AppForm):
    """A root or intermediate CA certificate for validating digital signatures."""

    file = FileField(_l("Certificate file (PEM or DER: .pem, .crt, .cer)"),
                     validators=[FileRequired(_l("Choose a certificate file."))])


class ReorgForm(AppForm):
    """A reorganisation (issue 19): previewed first, applied from the preview."""

    kind = SelectField(_l("What the decision does"))
    unit_ids = SelectMultipleField(_l("Unit(s) the decision changes"), coerce=int,
                                   validators=[DataRequired(_l("Choose at least one unit."))])
    successor_ids = SelectMultipleField(_l("Successor unit(s)"), coerce=int)
    heir_ids = SelectMultipleField(_l("Successors that take over the history (split)"),
                                   coerce=int)
    new_name = StringField(_l("New name (rename)"), validators=[Optional(), Length(max=255)])
    new_name_en = StringField(_l("New name in English (rename)"),
                              validators=[Optional(), Length(max=255)])
    new_parent_id = SelectField(_l("New parent unit (move)"), coerce=int)
    effective_date = DateField(_l("Effective date"), validators=[DataRequired()])
    decision_number = StringField(_l("Decision number"), validators=[
        DataRequired(), Length(max=60)])
    decision_date = DateField(_l("Decision date"), validators=[DataRequired()])
    decision_issuer = StringField(_l("Issued by"), validators=[
        DataRequired(), Length(max=255)])
    grants_choice = SelectField(_l("Role grants over the closing units"))
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class ReversalForm(AppForm):
    reason = TextAreaField(_l("Reason for the reversal"), validators=[
        DataRequired(_l("Give the reason.")), Length(max=2000)])


class HistoryRuleForm(AppForm):
    body_unit_id = SelectField(_l("Body (unit and everything below it)"), coerce=int)
    award_code = SelectField(_l("Award"))
    counts_predecessors = SelectField(_l("Predecessors' years"), choices=choices([
        ("yes", _l("Count for the successor")), ("no", _l("Do not count"))]))
    note = TextAreaField(_l("Note (source or reason)"), validators=[Optional(), Length(max=2000)])


class TransferForm(AppForm):
    to_unit_id = SelectField(_l("To unit"), coerce=int)
    effective_date = DateField(_l("Effective date"), validators=[DataRequired()])
    decision_number = StringField(_l("Decision number"), validators=[
        Optional(), Length(max=60)])
    decision_date = DateField(_l("Decision date"), validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])


class ReorgImportForm(AppForm):
    file = FileField(_l("XLSX file"), validators=[FileRequired(_l("Choose a file."))])
