"""Forms of the scoring pages (CSRF through FlaskForm)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from workflow_app.formkit import AppForm, DateField, SubForm, choices
from workflow_app.models.registry import RATINGS
from workflow_app.registry.service.labels import RATING
from workflow_app.scoring.service.building import MAX_BANDS
from workflow_app.scoring.service.criteria_rows import CriterionRow
from workflow_app.scoring.service.labels import KIND
from workflow_app.scoring.service.points import parse_points

BAND_ROWS = 6  # rows shown on a new table: the four usual classes and two spare
CRITERION_ROWS = 12  # blank criterion rows on a new table; "more rows" adds MORE_ROWS
MORE_ROWS = 10
MAX_CRITERION_ROWS = 300
DEFAULT_BANDS = (
    {"code": "A", "label": "Hoàn thành xuất sắc nhiệm vụ", "min_points": "90",
     "rating": "excellent"},
    {"code": "B", "label": "Hoàn thành tốt nhiệm vụ", "min_points": "75", "rating": "good"},
    {"code": "C", "label": "Hoàn thành nhiệm vụ", "min_points": "50", "rating": "completed"},
    {"code": "D", "label": "Không hoàn thành nhiệm vụ", "min_points": "0",
     "rating": "not_completed"},
)


class BandRowForm(SubForm):
    """One classification band: its code, its name, the lowest total it takes, and the
    registry rating its units get when the results are published. A blank row is ignored."""

    code = StringField(_l("Code"), validators=[Length(max=20)])
    label = StringField(_l("Name of the class"), validators=[Length(max=120)])
    min_points = StringField(_l("From (points)"), validators=[Length(max=20)])
    rating = SelectField(_l("Rating written to the registry"), choices=choices(
        [("", _l("None"))] + [(code, RATING[code]) for code in RATINGS]), default="")

    def is_blank(self) -> bool:
        return not any((f.data or "").strip() for f in (self.code, self.label, self.min_points))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.is_blank():
            return valid
        if not (self.code.data or "").strip():
            self.code.errors.append(_l("Give the class a short code (e.g. A)."))
        if not (self.label.data or "").strip():
            self.label.errors.append(_l("Give the name of the class (e.g. Hoàn thành xuất "
                                        "sắc nhiệm vụ)."))
        try:
            lowest = parse_points(self.min_points.data)
        except ValueError:
            lowest = None
        if lowest is None:
            self.min_points.errors.append(_l("Write the lowest total of the class as a number "
                                             "(e.g. 90 or 92,5)."))
        return valid and not (self.code.errors or self.label.errors or self.min_points.errors)

    def as_band(self) -> dict:
        label = self.label.data.strip()
        return {"code": self.code.data.strip(), "label_vi": label, "label_en": label,
                "min_points": self.min_points.data, "rating": self.rating.data or None}


class CriterionRowForm(SubForm):
    """One row of the criteria table (scoring/service/criteria_rows.py says how rows read)."""

    group = StringField(_l("Group (starts a new group)"), validators=[Length(max=255)])
    code = StringField(_l("Code"), validators=[Length(max=20)])
    title = StringField(_l("Criterion"), validators=[Length(max=1000)])
    max_points = StringField(_l("Maximum points"), validators=[Length(max=20)])
    kind = SelectField(_l("Kind"), choices=choices(KIND.items()), default="standard")
    guidance = StringField(_l("How it is scored"), validators=[Length(max=2000)])

    def as_row(self, number: int) -> CriterionRow:
        return CriterionRow(number=number, group=self.group.data or "", code=self.code.data or "",
                            title=self.title.data or "", max_points=self.max_points.data or "",
                            kind=self.kind.data or "standard",
                            guidance=self.guidance.data or "")


class TableForm(AppForm):
    title = StringField(_l("Name of the criteria table"),
                        validators=[DataRequired(), Length(max=255)])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(1945, 2200)])
    assessor_unit_id = SelectField(_l("Assessing unit (the cluster head or the standing "
                                      "agency)"), coerce=int)
    criteria = FieldList(FormField(CriterionRowForm), min_entries=CRITERION_ROWS,
                         max_entries=MAX_CRITERION_ROWS)
    bands = FieldList(FormField(BandRowForm), min_entries=BAND_ROWS, max_entries=MAX_BANDS)

    def validate_bands(self, field) -> None:
        rows = [row.form for row in field if not row.form.is_blank()]
        if not rows:
            raise ValidationError(_l("Give at least one class (e.g. A, Hoàn thành xuất sắc "
                                     "nhiệm vụ, from 90 points)."))
        seen: set[str] = set()
        for row in rows:
            code = (row.code.data or "").strip()
            if code and code in seen:
                row.code.errors.append(_l("Two classes have the code %(code)s.", code=code))
                raise ValidationError(_l("Each class needs its own code."))
            seen.add(code)

    def criterion_rows(self) -> list[CriterionRow]:
        return [row.form.as_row(n) for n, row in enumerate(self.criteria, 1)]

    def add_criterion_rows(self) -> None:
        for _ in range(min(MORE_ROWS, MAX_CRITERION_ROWS - len(self.criteria))):
            self.criteria.append_entry()

    def band_list(self) -> list[dict]:
        return [row.form.as_band() for row in self.bands if not row.form.is_blank()]


class VersionForm(AppForm):
    version = HiddenField(validators=[DataRequired()])


class SheetForm(AppForm):
    """The score sheet's fixed part; the points and notes are `points-<id>`, `note-<id>`."""

    version = HiddenField(validators=[DataRequired()])
    side = HiddenField(validators=[DataRequired()])


class AcclamationForm(AppForm):
    award_id = SelectField(_l("Award to acclaim for"), coerce=int)
    seats = IntegerField(_l("Units to acclaim"), validators=[InputRequired(),
                                                             NumberRange(1, 100)])
    held_on = DateField(_l("Date of the year-end conference"), validators=[InputRequired()])
    place = StringField(_l("Place"), validators=[Length(max=255)])
