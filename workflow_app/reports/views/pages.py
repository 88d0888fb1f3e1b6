"""What the report pages share: the blueprint, the viewer, reading the filter forms."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from workflow_app.catalogue.service.queries import today_local
from workflow_app.dossiers.service.labels import COMMENDATION_TYPE_LABELS
from workflow_app.extensions import db
from workflow_app.formkit import choices
from workflow_app.reports.service import process
from workflow_app.reports.service import statistics as stats
from workflow_app.reports.service.filters import (
    ATTRIBUTE_LABELS,
    GROUPING_LABELS,
    LEVEL_LABELS,
    SOURCE_LABELS,
    SUBJECT_LABELS,
    StatsQuery,
)
from workflow_app.reports.service.process import ProcessQuery
from workflow_app.reports.views.forms import ProcessForm, StatisticsForm

bp = Blueprint("reports", __name__, url_prefix="/reports")
ANY = ("", _l("All"))


def viewer():
    return current_user._get_current_object()


def statistics_form(args, locale: str) -> tuple[StatisticsForm, StatsQuery | None]:
    """The filter form filled from `args`, and the query when it is valid."""
    form = StatisticsForm(args)
    form.unit_id.choices = choices([("", _l("Every unit you may see")),
                                    *stats.unit_choices(db.session, locale)])
    names = stats.award_names(db.session, locale, today_local())
    form.award.choices = choices([ANY, *sorted(names.items(), key=lambda kv: kv[1])])
    form.level.choices = choices([ANY, *((k, v) for k, v in LEVEL_LABELS.items()
                                        if k != "unknown")])
    form.subject.choices = choices([ANY, *SUBJECT_LABELS.items()])
    form.commendation_type.choices = choices([ANY, *COMMENDATION_TYPE_LABELS.items()])
    form.attribute.choices = choices([ANY, *((k, v) for k, v in ATTRIBUTE_LABELS.items()
                                            if k != "none")])
    form.group_by.choices = choices(GROUPING_LABELS.items())
    form.source.choices = choices(SOURCE_LABELS.items())
    this_year = today_local().year
    if form.year_to.data is None and not form.year_to.raw_data:
        form.year_to.data = this_year
    if form.year_from.data is None and not form.year_from.raw_data:
        form.year_from.data = (form.year_to.data or this_year) - 4
    if not form.validate():
        return form, None
    query = StatsQuery(
        year_from=form.year_from.data, year_to=form.year_to.data,
        unit_id=form.unit_id.data or None, sub_units=form.sub_units.data != "n",
        award=form.award.data or "", level=form.level.data or "",
        subject=form.subject.data or "", commendation_type=form.commendation_type.data or "",
        attribute=form.attribute.data or "", group_by=form.group_by.data or "unit",
        source=form.source.data or "awards")
    return form, query


def process_form(args, locale: str) -> tuple[ProcessForm, ProcessQuery | None]:
    form = ProcessForm(args)
    form.unit_id.choices = choices([("", _l("Every unit you may see")),
                                    *stats.unit_choices(db.session, locale)])
    if form.year.data is None and not form.year.raw_data:
        form.year.data = process.latest_year(db.session, viewer()) or today_local().year
    if not form.validate():
        return form, None
    return form, ProcessQuery(year=form.year.data, unit_id=form.unit_id.data or None)
