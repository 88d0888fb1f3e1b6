"""Forms of the council management pages (councils, seats, terms, roles, quorum rule).

Selects accept only the offered choices; dates are checked by WTForms; the business rules
(overlapping terms, a second chair, a bad quorum ratio) are the services' and come back as
form errors."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from workflow_app.council.service.labels import MEMBER_ROLES
from workflow_app.formkit import AppForm, DateField, choices


def role_choices() -> list:
    return choices(MEMBER_ROLES.items())


def comparator_choices() -> list:
    return choices([(">", _l("more than (>)")), (">=", _l("at least (≥)"))])


class _Basis:
    basis = StringField(_l("Basis (decision)"), validators=[Optional(), Length(max=255)])


class QuorumFields:
    quorum_comparator = SelectField(_l("Quorum: members present"), choices=comparator_choices())
    quorum_ratio = StringField(_l("of the voting members (fraction)"), default="1/2",
                               validators=[DataRequired(), Length(max=20)])
    recuse_nominee_unit = BooleanField(
        _l("Also recuse members of the nominee's unit (not only the nominee)"))


class CouncilForm(_Basis, QuorumFields, AppForm):
    unit_id = SelectField(_l("Unit (the council's level and scope)"), coerce=int)
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=255)])


class RulesForm(_Basis, QuorumFields, AppForm):
    pass


class SeatForm(_Basis, AppForm):
    user_id = SelectField(_l("Person (account)"), coerce=int)
    role = SelectField(_l("Role"), choices=role_choices())
    term_from = DateField(_l("Term from"), validators=[DataRequired()])
    term_to = DateField(_l("Term to (empty: open)"), validators=[Optional()])
    voting = SelectField(_l("Voting right"), choices=choices([
        ("default", _l("As the role says (everyone but the secretary)")),
        ("yes", _l("Votes")), ("no", _l("Does not vote"))]))


class EndTermForm(_Basis, AppForm):
    last_day = DateField(_l("Last day of the term"), validators=[DataRequired()])


class RoleForm(_Basis, AppForm):
    role = SelectField(_l("New role"), choices=role_choices())
