"""The auditor's pages as XLSX sheets: the same words as the pages (labels, names; times as
date-time cells in Vietnam time) plus the UTC instant as text and the event's hash, so a row
can be traced back to the chain."""

from __future__ import annotations

from collections.abc import Iterator

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from workflow_app.auditor.service import labels, present, queries
from workflow_app.models.audit import AuditEvent
from workflow_app.xlsx import Sheet

EXPORT_MAX = 100_000
BATCH = 500


def _headers() -> list[str]:
    return [_("No."), _("Time (Vietnam)"), _("Time (UTC)"), _("Who"), _("Action"),
            _("Action code"), _("Kind of subject"), _("Subject"), _("From state"),
            _("To state"), _("Reason"), _("Changes"), _("Hash")]


def _cells(row: present.Row) -> list:
    changes = "; ".join(f"{c.label}: {c.old} → {c.new}" for c in row.changes)
    details = "; ".join(f"{label}: {value}" for label, value in row.details)
    return [row.seq, row.moment, row.at_utc, row.actor, row.action_label, row.action,
            row.subject_kind, row.subject_name, row.from_label, row.to_label, row.reason,
            "; ".join(part for part in (details, changes) if part), row.hash]


WIDTHS = (8, 20, 28, 28, 36, 28, 18, 40, 22, 22, 40, 60, 66)


def events_sheet(session: Session, events: list[AuditEvent], locale: str) -> Sheet:
    rows = [_cells(r) for r in present.present(session, events, locale)]
    return Sheet(_("History"), _headers(), rows, WIDTHS)


def _log_rows(session: Session, filters: dict, locale: str) -> Iterator[list]:
    before, sent = None, 0
    while sent < EXPORT_MAX:
        events, before = queries.page(session, {**filters, "before": before},
                                      page_size=BATCH)
        for row in present.present(session, events, locale):
            yield _cells(row)
        sent += len(events)
        if before is None:
            return


def log_sheet(session: Session, filters: dict, locale: str) -> Sheet:
    """Newest first, at most EXPORT_MAX events (narrow the filters for more)."""
    return Sheet(_("Audit log"), _headers(), _log_rows(session, filters, locale), WIDTHS)


def exceptions_sheets(items: list, months: list, kinds: list[tuple[str, str]]) -> list[Sheet]:
    """The exceptions (as listed) and their counts by month."""
    headers = [_("Kind of exception"), _("Time (Vietnam)"), _("Time (UTC)"), _("Who"),
               _("Subject"), _("Rule or limit concerned"), _("Reason"), _("Changes"),
               _("No.")]
    rows = [[x.kind_label, x.row.moment if x.row else None, x.at_utc, x.actor, x.subject,
             x.rule, x.reason,
             "; ".join(f"{c.label}: {c.old} → {c.new}" for c in x.changes),
             x.row.seq if x.row else None] for x in items]
    count_rows = [[month] + [counts.get(kind, 0) for kind, _label in kinds] + [
        sum(counts.values())] for month, counts in months]
    return [Sheet(_("Exceptions"), headers, rows, (28, 20, 28, 28, 40, 50, 40, 50, 8)),
            Sheet(_("Counts by month"), [_("Month")] + [label for _k, label in kinds]
                  + [_("Total")], count_rows)]


def sample_sheets(drawn, args: dict, locale: str) -> list[Sheet]:
    params = [[_("Audit programme"), args.get("programme", "")],
              [_("From"), args.get("date_from", "")], [_("To"), args.get("date_to", "")],
              [_("Unit (with sub-units)"), args.get("unit", "")],
              [_("Sample size"), drawn.size], [_("Seed"), drawn.seed],
              [_("Decided dossiers in the period"), drawn.population],
              [_("How to draw it again"), _("Python: random.Random(seed).sample(the numbers of "
                                            "the decided dossiers in increasing order, size)")]]
    rows = [[d.id, d.nominee_name, d.award.versions[0].name(locale) if d.award.versions
             else d.award.code, d.year, d.unit.name, d.decision_number, d.decision_date,
             labels.state_label(d.state, locale)] for d in drawn.dossiers]
    headers = [_("Dossier"), _("Nominee"), _("Award"), _("Year"), _("Unit"),
               _("Decision number"), _("Decision date"), _("State")]
    return [Sheet(_("Sample"), headers, rows, (10, 30, 40, 8, 40, 18, 14, 24)),
            Sheet(_("How it was drawn"), [_("Parameter"), _("Value")], params, (30, 80))]


def crosschecks_sheet(results) -> Sheet:
    rows = []
    for result in results:
        if result.ok:
            rows.append([result.label, result.checked, _("holds"), ""])
        for problem in result.problems:
            rows.append([result.label, result.checked, _("differs"), problem])
    return Sheet(_("Cross-checks"), [_("Check"), _("Records checked"), _("Result"),
                                     _("What differs")], rows, (50, 12, 12, 100))
