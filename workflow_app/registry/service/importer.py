"""Validate an XLSX workbook row by row and import it all at once (or not at all).

`validate(session, data)` → ImportPlan with `problems` (sheet, row, column, reason) and the
rows ready to insert; `apply(session, plan, actor)` inserts them, flushes and audits
`registry.imported` with the counts and the file's SHA-256. Callers commit.
"""

from __future__ import annotations

import hashlib
from io import BytesIO

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.registry.service import layout
from workflow_app.registry.service.folding import fold
from workflow_app.registry.service.import_plan import ImportPlan, Problem, Resolver, Row
from workflow_app.registry.service.import_rows import check_awards, check_initiatives, check_ratings


def _read_sheets(data: bytes, plan: ImportPlan) -> dict[str, list[Row]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a non-XLSX file
        plan.problems.append(Problem("", 0, "", str(_l("The file is not an XLSX workbook."))))
        return {}
    sheets: dict[str, list[Row]] = {}
    for worksheet in book.worksheets:
        name = worksheet.title.strip().casefold()
        if name not in layout.SHEETS:
            plan.problems.append(Problem(worksheet.title, 0, "", str(_l(
                "Unknown sheet; expected awards, ratings or initiatives."))))
            continue
        rows = worksheet.iter_rows(values_only=True)
        header = [str(c or "").strip().casefold() for c in next(rows, ())]
        missing = [c for c in layout.REQUIRED[name] if c not in header]
        for column in missing:
            plan.problems.append(Problem(name, 1, column, str(_l("Missing column."))))
        if missing:
            continue
        sheets[name] = []
        for number, values in enumerate(rows, start=2):
            if number > layout.MAX_ROWS + 1:
                plan.problems.append(Problem(name, number, "", str(_l("Too many rows."))))
                break
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            cells = {h: v for h, v in zip(header, values, strict=False) if h}
            sheets[name].append(Row(plan, name, number, cells))
    book.close()
    if not plan.problems and not any(sheets.values()):
        plan.problems.append(Problem("", 0, "", str(_l("The workbook has no data rows."))))
    return sheets


def validate(session: Session, data: bytes) -> ImportPlan:
    """Check every row; the plan holds unsaved rows only when there is no problem at all."""
    plan = ImportPlan(hashlib.sha256(data).hexdigest())
    if len(data) > layout.MAX_BYTES:
        plan.problems.append(Problem("", 0, "", str(_l("The file is too large."))))
        return plan
    sheets = _read_sheets(data, plan)
    resolver = Resolver(session)
    check_awards(session, resolver, sheets.get("awards", []), plan)
    check_ratings(session, resolver, sheets.get("ratings", []), plan)
    check_initiatives(session, resolver, sheets.get("initiatives", []), plan)
    return plan


def apply(session: Session, plan: ImportPlan, actor=None, filename: str = "") -> None:
    """Insert a valid plan in the caller's transaction and audit it."""
    if not plan.ok:
        raise ValueError("refusing to import a plan with problems")
    session.add_all([*plan.awards, *plan.ratings, *plan.initiatives])
    session.flush()
    record(session, "registry.imported", "registry", plan.sha256[:16], actor=actor,
           data={**plan.counts, "sha256": plan.sha256, "filename": filename})


__all__ = ["ImportPlan", "Problem", "apply", "fold", "validate"]
