"""The reports as XLSX (through `workflow_app.xlsx`: typed, formula-safe, streamed) and as a
printable PDF (fpdf2 with the vendored Liberation Serif, as the decisions are drawn).

Headers are in the reader's language (Vietnamese by default); the filters applied are
written on a sheet of their own (XLSX) and under the title (PDF)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from workflow_app.catalogue.service.queries import award_names, today_local
from workflow_app.decisions.service.pdf_render import FAMILY, new_pdf
from workflow_app.dossiers.service.labels import COMMENDATION_TYPE_LABELS
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User
from workflow_app.registry.service.labels import SOURCE
from workflow_app.reports.service import pdf_charts
from workflow_app.reports.service import statistics as stats
from workflow_app.reports.service.filters import (
    ATTRIBUTE_LABELS,
    GROUPING_LABELS,
    LEVEL_LABELS,
    SOURCE_LABELS,
    SUBJECT_LABELS,
    StatsQuery,
)
from workflow_app.reports.service.process import ProcessQuery, ProcessReport
from workflow_app.workdays import VIETNAM_TZ
from workflow_app.xlsx import Sheet

# ------------------------------------------------------------------ shared


def _pct(share: float | None) -> float | None:
    """A share as a percentage number (12.5), for a spreadsheet column headed "(%)"."""
    return None if share is None else round(share * 100, 1)


def statistics_filename(query: StatsQuery, extension: str = "xlsx") -> str:
    return f"thong-ke-khen-thuong-{query.year_from}-{query.year_to}.{extension}"


def process_filename(query: ProcessQuery, extension: str = "xlsx") -> str:
    return f"bao-cao-quy-trinh-{query.year}.{extension}"


def filter_lines(session: Session, query: StatsQuery, locale: str) -> list[tuple[str, str]]:
    """The filters applied, as (name, value) for a reader."""
    unit = session.get(OrgUnit, query.unit_id) if query.unit_id else None
    lines = [(_("Counted"), str(SOURCE_LABELS[query.source])),
             (_("Period"), f"{query.year_from}–{query.year_to}"),
             (_("Unit"), (unit.display_name(locale) + (
                 " " + _("(with its sub-units)") if query.sub_units else " " + _("(the unit only)"))
             ) if unit else _("Every unit you may see"))]
    if query.award:
        names = award_names(session, locale, today_local())
        lines.append((_("Award or title"), names.get(query.award, query.award)))
    if query.level:
        lines.append((_("Level of the deciding authority"), str(LEVEL_LABELS[query.level])))
    if query.subject:
        lines.append((_("Individual or collective"), str(SUBJECT_LABELS[query.subject])))
    if query.commendation_type:
        lines.append((_("Commendation type"),
                      str(COMMENDATION_TYPE_LABELS[query.commendation_type])))
    if query.attribute:
        lines.append((_("Leader or front-line worker"), str(ATTRIBUTE_LABELS[query.attribute])))
    lines.append((_("Rows by"), str(GROUPING_LABELS[query.group_by])))
    return lines


def process_filter_lines(session: Session, query: ProcessQuery,
                         locale: str) -> list[tuple[str, str]]:
    """The process report's filters, as (name, value) for a reader."""
    unit = session.get(OrgUnit, query.unit_id) if query.unit_id else None
    return [(_("Year"), str(query.year)),
            (_("Unit"), unit.display_name(locale) + " " + _("(with its sub-units)")
             if unit else _("Every unit you may see"))]


# ------------------------------------------------------------------ statistics


def statistics_headers(table: stats.Statistics) -> list[str]:
    return [str(GROUPING_LABELS[table.query.group_by]), *map(str, table.years), _("Total"),
            _("Share (%)"), _("Change %(year)d vs %(before)d", year=table.last_year,
                              before=table.last_year - 1)]


def statistics_rows(table: stats.Statistics) -> Iterator[list]:
    first = table.query.year_from
    for row in [*table.rows, table.totals]:
        label = row.label if row is not table.totals else _("Total")
        yield [label, *(row.count(y) for y in table.years), row.total, _pct(row.share),
               row.change(table.last_year, first)]


def record_headers(source: str = "awards") -> list[str]:
    if source == "dossiers":
        return [_("Year"), _("Award or title"), _("Nominee"), _("Submitting unit"),
                _("Leader or front-line worker"), _("Dossier"), _("Procedure"), _("State"),
                _("Title")]
    return [_("Year"), _("Award or title"), _("Recipient"), _("Unit"),
            _("Leader or front-line worker"), _("Decision number"), _("Decision date"),
            _("Issued by"), _("Source")]


def record_rows(session: Session, user: User, query: StatsQuery, locale: str,
                key: str = "", year: int | None = None) -> Iterator[list]:
    from workflow_app.dossiers.service.labels import procedure_label, state_label

    names = award_names(session, locale, today_local())
    labels = {True: str(ATTRIBUTE_LABELS["leader"]), False: str(ATTRIBUTE_LABELS["front_line"]),
              None: ""}
    sources = {code: str(label) for code, label in SOURCE.items()}
    nominations = query.source == "dossiers"
    for (year_, code, person, leader, unit, unit_en, *tail) in stats.iter_record_values(
            session, user, query, key, year):
        unit_name = unit_en if locale == "en" and unit_en else unit
        head = [year_, names.get(code, code), person if person is not None else unit_name,
                unit_name, labels[leader if person is not None else None]]
        if nominations:
            dossier_id, workflow, state, title = tail
            yield [*head, dossier_id, procedure_label(workflow, locale),
                   state_label(workflow, state, locale), title]
        else:
            number, decided, issuer, source = tail
            yield [*head, number, decided, issuer, sources.get(source, source)]


def statistics_sheets(session: Session, user: User, table: stats.Statistics,
                      locale: str) -> list[Sheet]:
    query = table.query
    return [
        Sheet(_("Statistics"), statistics_headers(table), statistics_rows(table),
              widths=(40, *(8 for _y in table.years), 10, 10, 14)),
        Sheet(_("Records"), record_headers(query.source),
              record_rows(session, user, query, locale),
              widths=(8, 34, 30, 34, 18, 18, 14, 30, 16)),
        Sheet(_("Filters"), [_("Filter"), _("Value")], filter_lines(session, query, locale),
              widths=(34, 60)),
    ]


# ------------------------------------------------------------------ PDF


def _pdf_table(pdf, headers: list[str], rows: list[list], widths: list[float]) -> None:
    pdf.set_font(FAMILY, "", 10)
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=5.5,
                   first_row_as_headings=True) as grid:
        heading = grid.row()
        for title in headers:
            heading.cell(str(title))
        for values in rows:
            row = grid.row()
            for value in values:
                row.cell(_cell_text(value))


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(VIETNAM_TZ).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def _title(pdf, title: str, lines: list[tuple[str, str]]) -> None:
    pdf.add_page()
    pdf.set_font(FAMILY, "B", 15)
    pdf.multi_cell(0, 8, title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "I", 10)
    for name, value in lines:
        pdf.multi_cell(0, 5, f"{name}: {value}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _heading(pdf, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 12)
    pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")


def statistics_pdf(session: Session, table: stats.Statistics, locale: str) -> bytes:
    pdf = new_pdf("L", today_local())
    pdf.set_auto_page_break(True, margin=12)
    _title(pdf, _("Award statistics"), filter_lines(session, table.query, locale))
    pdf_charts.bar_chart(pdf, [(r.label, r.total) for r in table.rows[:15]],
                         _("The largest %(n)d, %(start)d–%(end)d", n=min(15, len(table.rows)),
                           start=table.query.year_from, end=table.query.year_to))
    headers = statistics_headers(table)
    first = 70.0
    rest = (pdf.epw - first) / (len(headers) - 1)
    _pdf_table(pdf, headers, list(statistics_rows(table)), [first, *[rest] * (len(headers) - 1)])
    return bytes(pdf.output())


# ------------------------------------------------------------------ process report


def process_sections(report: ProcessReport, locale: str) -> list[tuple[str, list[str], list]]:
    """(title, headers, rows) of each part of the process report: one sheet or one table."""
    from workflow_app.dossiers.service.labels import procedure_label

    return [
        (_("By state"), [_("Procedure"), _("Step"), _("State"), _("Dossiers")],
         [[procedure_label(s.workflow, locale), s.step_label, s.label, s.count]
          for s in report.states]),
        (_("Step times"), [_("Procedure"), _("Step"), _("Limit (working days)"),
                           _("Dossiers"), _("Finished"), _("Within the limit"), _("Late"),
                           _("Late (%)"), _("Average (working days)"),
                           _("Longest (working days)")],
         [[procedure_label(s.workflow, locale), s.label, s.limit, s.dossiers, s.finished,
           s.met, s.late, _pct(s.late_share), round(s.average, 1), s.max_days]
          for s in report.steps]),
        (_("Returns"), [_("Award or title"), _("Returns for supplementation")],
         [list(r) for r in report.returns_per_award]),
        (_("Return reasons"), [_("Dossier"), _("Award or title"), _("Unit"), _("Returned on"),
                               _("Reason")],
         [[r.title, r.award, r.unit, r.returned_at, r.reason] for r in report.returns]),
        (_("Council outcomes"), [_("Award or title"), _("Approved"), _("Not approved"),
                                 _("Not voted yet")],
         [[o.award, o.approved, o.rejected, o.pending] for o in report.outcomes]),
        (_("Quota use"), [_("Where it is counted"), _("Award or title"), _("Conferred by"),
                          _("Used"), _("Cap"), _("Over the cap")],
         [[q.counted_over, q.award_name, q.level, q.used, q.cap,
           _("Yes") if q.over else _("No")] for q in report.quotas]),
        (_("Fair shares"), [_("Unit"), _("Awards to individuals"), _("Of which front-line"),
                            _("Front-line (%)"), _("Awards to collectives"),
                            _("Of which small collectives"), _("Small collectives (%)")],
         [[s.unit, s.individual, s.front_line, _pct(s.front_line_share), s.collective,
           s.small_collective, _pct(s.small_share)] for s in report.shares]),
    ]


def process_sheets(report: ProcessReport, locale: str) -> list[Sheet]:
    return [Sheet(title, headers, rows, widths=tuple(18 for _h in headers))
            for title, headers, rows in process_sections(report, locale)]


def process_pdf(report: ProcessReport, locale: str,
                filters: list[tuple[str, str]] = ()) -> bytes:
    pdf = new_pdf("L", today_local())
    pdf.set_auto_page_break(True, margin=12)
    _title(pdf, _("Process report %(year)d", year=report.query.year),
           [*filters, (_("Dossiers"), str(report.total))])
    pdf_charts.bar_chart(pdf, [(s.label, s.count) for s in report.states],
                         _("Dossiers by state"))
    for title, headers, rows in process_sections(report, locale):
        _heading(pdf, title)
        if rows:
            width = pdf.epw / len(headers)
            _pdf_table(pdf, headers, rows, [width] * len(headers))
        else:
            pdf.set_font(FAMILY, "I", 10)
            pdf.multi_cell(0, 5, _("Nothing to report."), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
