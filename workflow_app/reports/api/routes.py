"""The reports over the API, through the same services as the pages (`reports.service`):
statistics (JSON, and XLSX as a separate operation), the records behind a figure (keyset
pages), the process report of a year (JSON and XLSX).

Scope as on the pages: the statistics count the registry records of the persons and units
your roles cover (admins and auditors: all); the process report reads the dossiers you may
read (auditors: all). A filter that cannot apply is a 422 `invalid_filter` with the reason.
"""

from __future__ import annotations

from flask_babel import gettext as _

from workflow_app.api.auth import caller
from workflow_app.api.errors import ApiError
from workflow_app.api.operations import operation
from workflow_app.api.pagination import decode_cursor, encode_cursor
from workflow_app.api.presenters import unit_ref
from workflow_app.api.schemas.shared import Ref
from workflow_app.catalogue.service.queries import today_local
from workflow_app.downloads import XLSX_MIMETYPE, send_xlsx
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.models.dossier import Dossier
from workflow_app.reports.api.schemas import (
    AwardCount,
    FilterOut,
    OutcomeOut,
    ProcessOut,
    ProcessQueryIn,
    QuotaUseOut,
    RecordOut,
    RecordPage,
    RecordsQuery,
    ReturnOut,
    ShareOut,
    StateCountOut,
    StatisticsOut,
    StatisticsQuery,
    StatRowOut,
    StepTimeOut,
    YearCount,
)
from workflow_app.reports.service import exports, process
from workflow_app.reports.service import statistics as stats
from workflow_app.reports.service.filters import FilterError, StatsQuery
from workflow_app.workflow.engine import get_calendar

TAGS = ["reports"]
FILTERS = ("Filters: period (year_from, year_to), unit_id with or without sub_units, award, "
           "level, subject, commendation_type, attribute; rows by group_by.")


def _query(query: StatisticsQuery) -> StatsQuery:
    year_to = query.year_to or today_local().year
    try:
        return StatsQuery(
            year_from=query.year_from or year_to - 4, year_to=year_to, unit_id=query.unit_id,
            sub_units=query.sub_units, award=query.award.upper(), level=query.level or "",
            subject=query.subject or "", commendation_type=query.commendation_type or "",
            attribute=query.attribute or "", group_by=query.group_by,
            source=query.source).check()
    except FilterError as exc:
        raise ApiError(422, "invalid_filter", str(exc.args[0])) from exc


def _table(query: StatsQuery) -> stats.Statistics:
    try:
        return stats.statistics(db.session, caller(), query, current_locale())
    except FilterError as exc:
        raise ApiError(422, "invalid_filter", str(exc.args[0])) from exc


def _row(row: stats.StatRow, table: stats.Statistics, label: str | None = None) -> StatRowOut:
    first = table.query.year_from
    return StatRowOut(key=row.key, label=label or row.label, total=row.total, share=row.share,
                      years=[YearCount(year=y, count=row.count(y), change=row.change(y, first))
                             for y in table.years])


@operation("GET", "/reports/statistics", summary="Award statistics",
           description="Active awards of the registry (revoked ones do not count) by a "
                       "grouping and year: counts, shares of the total and the change on "
                       "the year before; the records behind a figure: "
                       "GET /reports/statistics/records with the row's key. " + FILTERS,
           tags=TAGS, query=StatisticsQuery, response=StatisticsOut, errors=[422])
def get_statistics(query: StatisticsQuery) -> StatisticsOut:
    table = _table(_query(query))
    return StatisticsOut(
        years=table.years, rows=[_row(r, table) for r in table.rows],
        total=_row(table.totals, table, _("Total")),
        filters=[FilterOut(name=n, value=v) for n, v in
                 exports.filter_lines(db.session, table.query, current_locale())])


@operation("GET", "/reports/statistics/xlsx", summary="Award statistics as XLSX",
           description="The statistics table, the records behind it and the filters, one "
                       "sheet each, headers in the caller's language. " + FILTERS,
           tags=TAGS, query=StatisticsQuery, errors=[422], raw_content_type=XLSX_MIMETYPE)
def download_statistics_xlsx(query: StatisticsQuery):
    table = _table(_query(query))
    return send_xlsx(exports.statistics_filename(table.query),
                     exports.statistics_sheets(db.session, caller(), table, current_locale()))


@operation("GET", "/reports/statistics/records", summary="The records behind a figure",
           description="Award records of one row (`key`) and year of the statistics, or of "
                       "all rows and years, by id. " + FILTERS,
           tags=TAGS, query=RecordsQuery, response=RecordPage, errors=[422])
def list_statistics_records(query: RecordsQuery) -> RecordPage:
    stats_query, locale = _query(query), current_locale()
    names = stats.award_names(db.session, locale, today_local())
    after = decode_cursor(query.cursor)
    try:
        rows, more = stats.records_after(db.session, caller(), stats_query, query.key,
                                         query.year, after, query.limit)
        total = stats.count_records(db.session, caller(), stats_query, query.key, query.year)
    except (FilterError, ValueError) as exc:
        raise ApiError(422, "invalid_filter", _("Unknown row key.")) from exc
    items = [_record_out(row, person, unit, names, locale) for row, person, unit in rows]
    return RecordPage(items=items, total=total,
                      next_cursor=encode_cursor(rows[-1][0].id) if more and rows else None)


def _record_out(row, person, unit, names: dict[str, str], locale: str) -> RecordOut:
    dossier = isinstance(row, Dossier)
    code = row.award.code if dossier else row.award_code
    return RecordOut(
        id=row.id, year=row.year, award_code=code, award_name=names.get(code, code),
        person=Ref(id=person.id, name=person.full_name) if person is not None else None,
        unit=unit_ref(unit, locale), is_leader=person.is_leader if person is not None else None,
        decision_number=None if dossier else row.decision_number,
        decision_date=None if dossier else row.decision_date,
        issuer=None if dossier else row.issuer, source=None if dossier else row.source,
        state=row.state if dossier else None, title=row.title if dossier else None)


def _process(query: ProcessQueryIn) -> process.ProcessReport:
    chosen = process.ProcessQuery(year=query.year or today_local().year, unit_id=query.unit_id)
    return process.process_report(db.session, caller(), chosen, current_locale(),
                                  calendar=get_calendar())


@operation("GET", "/reports/process", summary="Process report of a year",
           description="The dossiers of a year you may read: by state and step; working days "
                       "per step against its limit (met, late; the clock stops while "
                       "returned); returns for supplementation and their reasons; council "
                       "outcomes per award; quota use per submitting unit; awards to "
                       "front-line workers and small collectives per unit.",
           tags=TAGS, query=ProcessQueryIn, response=ProcessOut)
def get_process_report(query: ProcessQueryIn) -> ProcessOut:
    report, locale = _process(query), current_locale()
    return ProcessOut(
        year=report.query.year, total=report.total,
        states=[StateCountOut(workflow=s.workflow, state=s.state, label=s.label, step=s.step,
                              step_label=s.step_label, count=s.count) for s in report.states],
        steps=[StepTimeOut(workflow=s.workflow, step=s.step, label=s.label, limit=s.limit,
                           dossiers=s.dossiers, finished=s.finished, met=s.met, late=s.late,
                           average=round(s.average, 2), max_days=s.max_days)
               for s in report.steps],
        returns_per_award=[AwardCount(award=a, count=n) for a, n in report.returns_per_award],
        returns=[ReturnOut(dossier_id=r.dossier_id, title=r.title, award=r.award, unit=r.unit,
                           returned_at=r.returned_at, reason=r.reason) for r in report.returns],
        outcomes=[OutcomeOut(award=o.award, approved=o.approved, rejected=o.rejected,
                             pending=o.pending) for o in report.outcomes],
        quotas=[QuotaUseOut(unit=unit_ref(q.unit, locale), award_code=q.award_code, used=q.used,
                            cap=q.cap, over=q.over, counted_over=q.counted_over,
                            level=q.level) for q in report.quotas],
        shares=[ShareOut(unit_id=s.unit_id, unit=s.unit, individual=s.individual,
                         front_line=s.front_line, collective=s.collective,
                         small_collective=s.small_collective) for s in report.shares])


@operation("GET", "/reports/process/xlsx", summary="Process report of a year as XLSX",
           description="The parts of the process report, one sheet each, headers in the "
                       "caller's language.",
           tags=TAGS, query=ProcessQueryIn, raw_content_type=XLSX_MIMETYPE)
def download_process_xlsx(query: ProcessQueryIn):
    report = _process(query)
    return send_xlsx(exports.process_filename(report.query),
                     exports.process_sheets(report, current_locale()))
