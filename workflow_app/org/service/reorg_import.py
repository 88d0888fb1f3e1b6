"""A reorganisation from an XLSX workbook (issue 19 item 6): one change per row, previewed
with everything each row will change, applied all together in one transaction, or nothing
when any row is wrong.

Columns (first row, any order): kind (merged | split | renamed | moved | dissolved, or in
Vietnamese: sáp nhập, chia tách, đổi tên, điều chuyển, giải thể), units, successors, heirs
(unit codes, several separated by ";"), new_name, new_parent, effective_date,
decision_number, decision_date, issuer, grants (move | lapse), note. Dates as dd/mm/yyyy,
yyyy-mm-dd or date cells.

Rows apply in order, each seeing the ones before it (a district unit dissolved in row 2,
its province's Sở merged in row 3): the preview applies them inside a savepoint and rolls
it back, so what it shows is exactly what applying does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.models.org import OrgUnit
from workflow_app.org.service import reorg

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 500
REQUIRED = ("kind", "units", "effective_date", "decision_number", "decision_date", "issuer")
KINDS = {"merged": "merged", "split": "split", "renamed": "renamed", "moved": "moved",
         "dissolved": "dissolved", "sáp nhập": "merged", "chia tách": "split",
         "đổi tên": "renamed", "điều chuyển": "moved", "giải thể": "dissolved"}
GRANTS = {"move": "move", "lapse": "lapse", "chuyển": "move", "chấm dứt": "lapse"}


@dataclass
class RowResult:
    number: int
    change: reorg.Change | None = None
    plan: reorg.Plan | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    sha256: str
    rows: list[RowResult] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # about the file itself
    applied: bool = False

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems and not any(r.problems for r in self.rows)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _read(data: bytes, result: ImportResult) -> list[tuple[int, dict]]:
    from openpyxl import load_workbook

    if len(data) > MAX_BYTES:
        result.problems.append(_("The file is too large."))
        return []
    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a non-XLSX file
        result.problems.append(_("The file is not an XLSX workbook."))
        return []
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = [_text(c).casefold() for c in next(rows, ())]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        result.problems.append(_("Missing columns: %(columns)s.", columns=", ".join(missing)))
        book.close()
        return []
    found = []
    for number, values in enumerate(rows, start=2):
        if all(_text(v) == "" for v in values):
            continue
        if len(found) >= MAX_ROWS:
            result.problems.append(_("Too many rows (at most %(max)d).", max=MAX_ROWS))
            break
        found.append((number, {h: v for h, v in zip(header, values, strict=False) if h}))
    book.close()
    if not found and not result.problems:
        result.problems.append(_("The workbook has no data rows."))
    return found


def _units(session: Session, cell, row: RowResult, column: str) -> list[OrgUnit]:
    codes = [c.strip() for c in _text(cell).replace(",", ";").split(";") if c.strip()]
    units = []
    for code in codes:
        unit = session.scalar(select(OrgUnit).where(OrgUnit.code == code))
        if unit is None:
            row.problems.append(_("%(column)s: no unit has the code “%(code)s”.",
                                  column=column, code=code[:40]))
        else:
            units.append(unit)
    return units


def _change(session: Session, cells: dict, row: RowResult) -> reorg.Change | None:
    kind = KINDS.get(_text(cells.get("kind")).casefold())
    if kind is None:
        row.problems.append(_("kind: “%(value)s” is not one of sáp nhập, chia tách, đổi tên, "
                              "điều chuyển, giải thể.", value=_text(cells.get("kind"))[:40]))
    dates = {}
    for column in ("effective_date", "decision_date"):
        dates[column] = _day(cells.get(column))
        if dates[column] is None:
            row.problems.append(_("%(column)s: enter the date as dd/mm/yyyy.", column=column))
    grants_text = _text(cells.get("grants")).casefold()
    grants = GRANTS.get(grants_text) if grants_text else None
    if grants_text and grants is None:
        row.problems.append(_("grants: write “move” or “lapse”."))
    units = _units(session, cells.get("units"), row, "units")
    successors = _units(session, cells.get("successors"), row, "successors")
    heirs = _units(session, cells.get("heirs"), row, "heirs")
    parents = _units(session, cells.get("new_parent"), row, "new_parent")
    if row.problems:
        return None
    return reorg.Change(
        kind=kind, effective_date=dates["effective_date"],
        decision_number=_text(cells.get("decision_number"))[:60],
        decision_date=dates["decision_date"], decision_issuer=_text(cells.get("issuer"))[:255],
        units=units, successors=successors, heirs=heirs,
        new_name=_text(cells.get("new_name"))[:255], new_parent=parents[0] if parents else None,
        grants_choice=grants, note=_text(cells.get("note"))[:2000])


def run(session: Session, data: bytes, *, apply: bool, actor=None,
        filename: str = "") -> ImportResult:
    """Preview (apply=False) or apply every row. Applied only when every row is right;
    otherwise nothing is written (the savepoint is rolled back). Callers commit."""
    result = ImportResult(hashlib.sha256(data).hexdigest())
    cells_by_row = _read(data, result)
    if result.problems:
        return result
    savepoint = session.begin_nested()
    events = []
    try:
        for number, cells in cells_by_row:
            row = RowResult(number)
            result.rows.append(row)
            row.change = _change(session, cells, row)
            if row.change is None:
                continue
            row.plan = reorg.preview(session, row.change)
            row.problems.extend(row.plan.problems)
            if not row.problems:
                events.append(reorg.apply(session, row.change, actor=actor))
    except Exception:
        savepoint.rollback()
        raise
    if apply and result.ok:
        savepoint.commit()
        record(session, "org.imported", "org_event", events[0].id, actor=actor,
               data={"sha256": result.sha256, "filename": filename[:255],
                     "event_ids": [e.id for e in events]})
        result.applied = True
    else:
        savepoint.rollback()
    return result
