"""Filters of the auditor's pages (GET forms, no CSRF: they change nothing). Every filter
whose values are known is a choice: actions by their labels, actors by name, units by name,
kinds of subject, years; days are date pickers (Vietnam days)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from workflow_app.auditor.service import labels
from workflow_app.extensions import db
from workflow_app.formkit import AppForm, DateField, choices
from workflow_app.i18n import current_locale
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User
from workflow_app.url_ids import MAX_ID


def _action_choices():
    locale = current_locale()
    families = sorted(((f"{code}.", str(label)) for code, label in
                       labels.FAMILY_LABELS.items()), key=lambda p: p[1].lower())
    return [("", _l("All actions"))] + [
        (code, _l("%(family)s: every action", family=label)) for code, label in families
    ] + labels.action_choices(locale)


def _actor_choices():
    users = db.session.scalars(select(User).options(selectinload(User.person)))
    pairs = sorted(((str(u.id), f"{u.person.full_name} ({u.username})" if u.person
                     else u.username) for u in users), key=lambda p: p[1].lower())
    return [("", _l("Anyone"))] + pairs


def _unit_choices():
    units = db.session.execute(select(OrgUnit.code, OrgUnit.name, OrgUnit.path)
                               .order_by(OrgUnit.path)).all()
    return [("", _l("All units"))] + [
        (code, "\u2003" * max(path.count("/") - 2, 0) + name) for code, name, path in units]


def _subject_choices():
    return [("", _l("Any kind"))] + labels.subject_choices()


class _Period:
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))


class LogFilterForm(_Period, AppForm):
    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validators=[Optional()], validate_choice=True)
    actor_id = SelectField(_l("Who"), validators=[Optional()])
    unit = SelectField(_l("Unit (with sub-units)"), validators=[Optional()])
    subject_type = SelectField(_l("Kind of subject"), validators=[Optional()])
    subject_id = StringField(_l("Subject number"), validators=[Optional(), Length(max=64)])
    before = IntegerField(validators=[Optional(), NumberRange(min=1, max=MAX_ID)])

    def offer_choices(self) -> LogFilterForm:
        """The choices (read from the database): the page calls it before validating."""
        self.action.choices = choices(_action_choices())
        self.actor_id.choices = choices(_actor_choices())
        self.unit.choices = choices(_unit_choices())
        self.subject_type.choices = choices(_subject_choices())
        return self


class ExceptionFilterForm(_Period, AppForm):
    class Meta:
        csrf = False

    kind = SelectField(_l("Kind of exception"), validators=[Optional()])
    unit = SelectField(_l("Unit (with sub-units)"), validators=[Optional()])

    def offer_choices(self, kinds) -> ExceptionFilterForm:
        self.kind.choices = choices([("", _l("Every kind"))] + list(kinds))
        self.unit.choices = choices(_unit_choices())
        return self


class SampleForm(_Period, AppForm):
    class Meta:
        csrf = False

    size = IntegerField(_l("Sample size"), default=10,
                        validators=[Optional(), NumberRange(min=1, max=500)])
    seed = IntegerField(_l("Seed (leave empty for a new one)"),
                        validators=[Optional(), NumberRange(min=0, max=2**31 - 1)])
    unit = SelectField(_l("Unit (with sub-units)"), validators=[Optional()])
    programme = StringField(_l("Audit programme"), validators=[Optional(), Length(max=120)])

    def offer_choices(self) -> SampleForm:
        self.unit.choices = choices(_unit_choices())
        return self


class EvidenceForm(AppForm):
    class Meta:
        csrf = False

    kind = SelectField(_l("Evidence pack for"))
    ident = StringField(_l("Number"), validators=[DataRequired(), Length(max=64)])

    def offer_choices(self) -> EvidenceForm:
        self.kind.choices = choices([
            ("decision", _l("A decision (by its number, e.g. 12/QĐ-BTP)")),
            ("dossier", _l("A dossier (by its number)")),
            ("council_session", _l("A council session (by its number)"))])
        return self
