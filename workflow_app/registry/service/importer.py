"""Validate an XLSX workbook row by row and import it all at once (or not at all).

`validate(session, data)` → ImportPlan with `problems` (sheet, row, column, reason) and the
rows ready to insert; `apply(session, plan, actor)` inserts them, flushes and audits
`registry.imported` with the counts and the file's SHA-256. Callers commit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.catalogue.service.queries import today_local
from workflow_app.models.catalogue import Award
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.registry import AwardRecord, Initiative, PerformanceRating, UnitRating
from workflow_app.registry.service import layout
from workflow_app.registry.service.folding import fold, same_name


@dataclass
class Problem:
    sheet: str
    row: int  # as Excel numbers it (header = 1)
    column: str
    reason: str


@dataclass
class ImportPlan:
    sha256: str
    problems: list[Problem] = field(default_factory=list)
    awards: list[AwardRecord] = field(default_factory=list)
    ratings: list[PerformanceRating | UnitRating] = field(default_factory=list)
    initiatives: list[Initiative] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def counts(self) -> dict[str, int]:
        return {"awards": len(self.awards), "ratings": len(self.ratings),
                "initiatives": len(self.initiatives)}


class _Row:
    """One data row: cells by header name, and a way to report a problem on a column."""

    def __init__(self, plan: ImportPlan, sheet: str, number: int, cells: dict[str, Any]):
        self.plan, self.sheet, self.number, self.cells = plan, sheet, number, cells
        self.failed = False

    def fail(self, column: str, reason) -> None:
        self.plan.problems.append(Problem(self.sheet, self.number, column, str(reason)))
        self.failed = True

    def text(self, column: str) -> str:
        value = self.cells.get(column)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return " ".join(str(value).split())

    def year(self) -> int | None:
        raw = self.cells.get("year")
        try:
            value = int(raw) if not isinstance(raw, float) or raw.is_integer() else None
        except (TypeError, ValueError):
            value = None
        if value is None or not 1945 <= value <= today_local().year + 1:
            self.fail("year", _l("“%(value)s” is not a year between 1945 and next year.",
                                 value=self.text("year")))
            return None
        return value

    def date(self, column: str) -> date | None:
        raw = self.cells.get(column)
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        text = self.text(column)
        for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        if text:
            self.fail(column, _l("“%(value)s” is not a date (dd/mm/yyyy).", value=text))
        return None


class _Resolver:
    """Units, persons and award codes, loaded once for the whole file."""

    def __init__(self, session: Session):
        self.units = {u.code.casefold(): u for u in session.scalars(select(OrgUnit))}
        self.awards = set(session.scalars(select(Award.code)))
        self.session = session
        self._persons: dict[int, list[Person]] = {}

    def unit(self, row: _Row) -> OrgUnit | None:
        code = row.text("unit_code")
        unit = self.units.get(code.casefold()) if code else None
        if unit is None:
            row.fail("unit_code", _l("Unknown unit code “%(code)s”.", code=code))
        return unit

    def person(self, row: _Row, unit: OrgUnit) -> Person | None:
        name, national_id = row.text("full_name"), row.text("national_id")
        born = row.date("date_of_birth")
        if not national_id and born is None:
            if not row.failed:
                row.fail("date_of_birth", _l("Give the date of birth or the national ID "
                                             "number to identify the person."))
            return None
        if unit.id not in self._persons:
            self._persons[unit.id] = list(self.session.scalars(
                select(Person).where(Person.unit_id == unit.id)))
        candidates = [p for p in self._persons[unit.id] if same_name(p.full_name, name)]
        if national_id:
            candidates = [p for p in candidates if p.national_id == national_id]
        if born is not None:
            candidates = [p for p in candidates if p.date_of_birth == born]
        if len(candidates) != 1:
            row.fail("full_name", _l("No single person “%(name)s” in unit %(unit)s with this "
                                     "date of birth or national ID.", name=name, unit=unit.code)
                     if not candidates else
                     _l("Several persons match “%(name)s”; give the national ID.", name=name))
            return None
        return candidates[0]

    def recipient(self, row: _Row) -> tuple[Person | None, OrgUnit | None]:
        unit = self.unit(row)
        if unit is None:
            return None, None
        if not row.text("full_name"):
            return None, unit
        return self.person(row, unit), None


def _read_sheets(data: bytes, plan: ImportPlan) -> dict[str, list[_Row]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a non-XLSX file
        plan.problems.append(Problem("", 0, "", str(_l("The file is not an XLSX workbook."))))
        return {}
    sheets: dict[str, list[_Row]] = {}
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
            sheets[name].append(_Row(plan, name, number, cells))
    book.close()
    if not plan.problems and not any(sheets.values()):
        plan.problems.append(Problem("", 0, "", str(_l("The workbook has no data rows."))))
    return sheets


def validate(session: Session, data: bytes) -> ImportPlan:
    """Check every row; the plan holds unsaved rows only when there is no problem at all."""
    from workflow_app.registry.service.import_rows import (
        check_awards,
        check_initiatives,
        check_ratings,
    )

    plan = ImportPlan(hashlib.sha256(data).hexdigest())
    if len(data) > layout.MAX_BYTES:
        plan.problems.append(Problem("", 0, "", str(_l("The file is too large."))))
        return plan
    sheets = _read_sheets(data, plan)
    resolver = _Resolver(session)
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
