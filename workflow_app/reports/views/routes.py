"""Report pages: statistics with drill-down, process reports; each as XLSX and printable PDF.

Every signed-in user may open them; what they count is scoped: the registry by the persons'
scope (`org.service.scope`: admins and auditors everything, others the units their grants
cover), the dossiers by the dossiers' scope (`dossiers.service.access`)."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from workflow_app.catalogue.service.queries import today_local
from workflow_app.downloads import PDF_MIMETYPE, send_bytes, send_xlsx
from workflow_app.extensions import db
from workflow_app.i18n import current_locale
from workflow_app.reports.service import charts, exports, process
from workflow_app.reports.service import statistics as stats
from workflow_app.reports.service.filters import GROUPING_LABELS, SOURCE_LABELS, FilterError
from workflow_app.reports.views.pages import bp, process_form, statistics_form, viewer
from workflow_app.workflow.engine import get_calendar


@bp.app_template_filter("pct")
def pct(share: float | None) -> str:
    """A share (0..1) as a percentage with one decimal, a comma in Vietnamese."""
    if share is None:
        return "—"
    text = f"{share * 100:.1f} %".replace("-", "−")  # the same minus sign as `signed`
    return text.replace(".", ",") if current_locale() == "vi" else text


@bp.app_template_filter("signed")
def signed(number: int) -> str:
    return f"+{number}" if number > 0 else ("0" if number == 0 else f"−{-number}")


@bp.get("/")
def index():
    return redirect(url_for("reports.statistics"))


def _statistics_or_400(args):
    locale = current_locale()
    form, query = statistics_form(args, locale)
    table, problem = None, None
    if query is not None:
        try:
            table = stats.statistics(db.session, viewer(), query, locale)
        except FilterError as exc:
            problem = str(exc.args[0])
    return form, query, table, problem, locale


@bp.get("/statistics")
def statistics():
    form, query, table, problem, locale = _statistics_or_400(request.args)
    bars = lines = None
    if table is not None and table.rows:
        label = GROUPING_LABELS[query.group_by]
        bars = charts.bar_chart([(r.label, r.total) for r in table.rows[:15]],
                                title=_("%(counted)s by %(what)s, %(start)d–%(end)d",
                                        counted=str(SOURCE_LABELS[query.source]),
                                        what=str(label).lower(), start=query.year_from,
                                        end=query.year_to), testid="chart-bars")
        top = table.rows[:5]
        lines = charts.line_chart(
            [(_("Total"), [table.totals.count(y) for y in table.years]),
             *((r.label, [r.count(y) for y in table.years]) for r in top)],
            table.years, title=_("Per year"), testid="chart-lines")
    return render_template("reports/statistics.html", form=form, query=query, table=table,
                           problem=problem, bars=bars, lines=lines, locale=locale,
                           grouping=GROUPING_LABELS, filters=_filters(query, table, locale)
                           ), (200 if table is not None else 400)


def _filters(query, table, locale: str) -> list[tuple[str, str]]:
    """The filters in words for the printed page (the form is not printed); none when the
    filters could not be applied."""
    return exports.filter_lines(db.session, query, locale) if table is not None else []


@bp.get("/statistics/records")
def statistics_records():
    form, query, table, problem, locale = _statistics_or_400(request.args)
    if query is None or problem:
        return render_template("reports/statistics.html", form=form, query=query, table=None,
                               problem=problem, bars=None, lines=None, locale=locale,
                               grouping=GROUPING_LABELS), 400
    key = request.args.get("key", "")[:80]
    year = request.args.get("year", type=int)
    if year is not None and not query.year_from <= year <= query.year_to:
        return render_template("reports/records.html", page=None, query=query, key=key,
                               year=None, locale=locale, row=None,
                               problem=_("Choose a year of the table.")), 400
    try:
        page = stats.records(db.session, viewer(), query, key, year,
                             page=request.args.get("page", 1, type=int))
    except FilterError as exc:
        return render_template("reports/records.html", page=None, problem=str(exc.args[0]),
                               query=query, key=key, year=year, locale=locale), 400
    row = next((r for r in table.rows if r.key == key), None) if table else None
    return render_template("reports/records.html", page=page, query=query, key=key, year=year,
                           row=row, locale=locale, problem=None,
                           filters=_filters(query, table, locale),
                           award_names=stats.award_names(db.session, locale, today_local()))


@bp.get("/statistics.xlsx")
def statistics_xlsx():
    form, query, table, problem, locale = _statistics_or_400(request.args)
    if table is None:
        return statistics()
    return send_xlsx(exports.statistics_filename(query),
                     exports.statistics_sheets(db.session, viewer(), table, locale))


@bp.get("/statistics.pdf")
def statistics_pdf():
    form, query, table, problem, locale = _statistics_or_400(request.args)
    if table is None:
        return statistics()
    return send_bytes(exports.statistics_pdf(db.session, table, locale),
                      exports.statistics_filename(query, "pdf"), PDF_MIMETYPE)


def _process_report(args):
    locale = current_locale()
    form, query = process_form(args, locale)
    if query is None:
        return form, None, None, locale
    return form, query, process.process_report(db.session, viewer(), query, locale,
                                               calendar=get_calendar()), locale


@bp.get("/process")
def process_page():
    form, query, report, locale = _process_report(request.args)
    step_chart = state_chart = None
    if report is not None:
        if report.steps:
            step_chart = charts.bar_chart(
                [(f"{s.label} ({process_label(s.workflow, locale)})", round(s.average, 1))
                 for s in report.steps],
                title=_("Average working days per step"), testid="chart-steps")
        if report.states:
            state_chart = charts.bar_chart([(s.label, s.count) for s in report.states],
                                           title=_("Dossiers by state"),
                                           testid="chart-states")
    return render_template("reports/process.html", form=form, query=query, report=report,
                           step_chart=step_chart, state_chart=state_chart, locale=locale,
                           process_label=process_label,
                           small_max=process.SMALL_COLLECTIVE_MAX_PERSONS,
                           filters=(exports.process_filter_lines(db.session, query, locale)
                                    if query is not None else []),
                           ), (200 if report is not None else 400)


def process_label(workflow: str, locale: str) -> str:
    from workflow_app.dossiers.service.labels import procedure_label

    return procedure_label(workflow, locale)


@bp.get("/process.xlsx")
def process_xlsx():
    form, query, report, locale = _process_report(request.args)
    if report is None:
        return process_page()
    return send_xlsx(exports.process_filename(query), exports.process_sheets(report, locale))


@bp.get("/process.pdf")
def process_pdf():
    form, query, report, locale = _process_report(request.args)
    if report is None:
        return process_page()
    return send_bytes(exports.process_pdf(report, locale,
                                          exports.process_filter_lines(db.session, query, locale)),
                      exports.process_filename(query, "pdf"), PDF_MIMETYPE)

