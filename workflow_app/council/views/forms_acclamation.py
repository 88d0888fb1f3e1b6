"""Forms of the cluster acclamation pages. The candidates of a paper are read from the
`candidate` checkboxes against the contest's voters, never trusted as sent."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from workflow_app.formkit import AppForm, DateField


class ConferenceForm(AppForm):
    cluster_id = SelectField(_l("Cluster or block"), coerce=int)
    year = IntegerField(_l("Year reviewed"), validators=[DataRequired(),
                                                         NumberRange(min=2000, max=2100)])
    held_on = DateField(_l("Date of the conference"), validators=[DataRequired()])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=255)])


class ContestForm(AppForm):
    award_id = SelectField(_l("Flag or title acclaimed"), coerce=int)
    seats = IntegerField(_l("Units to acclaim (K)"), validators=[DataRequired(),
                                                                  NumberRange(min=1, max=50)])


class PaperForm(AppForm):
    voter_unit_id = SelectField(_l("Paper of the unit"), coerce=int)


def read_candidates(form_data, allowed: set[int]) -> tuple[list[int], bool]:
    """The unit ids ticked (`candidate` fields); False when one is not a member unit."""
    chosen, clean = [], True
    for raw in form_data.getlist("candidate"):
        try:
            unit_id = int(raw)
        except ValueError:
            clean = False
            continue
        if unit_id not in allowed:
            clean = False
        chosen.append(unit_id)
    return chosen, clean
