"""What an XLSX registry import reads and plans to write: its rows, the problems found (each
with its sheet, row and column), and the persons and units the rows name."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.catalogue.service.queries import today_local
from workflow_app.models.catalogue import Award
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.registry import AwardRecord, Initiative, PerformanceRating, UnitRating
from workflow_app.registry.service.folding import same_name


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


class Row:
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


class Resolver:
    """Units, persons and award codes, loaded once for the whole file."""

    def __init__(self, session: Session):
        self.units = {u.code.casefold(): u for u in session.scalars(select(OrgUnit))}
        self.awards = set(session.scalars(select(Award.code)))
        self.session = session
        self._persons: dict[int, list[Person]] = {}

    def unit(self, row: Row) -> OrgUnit | None:
        code = row.text("unit_code")
        unit = self.units.get(code.casefold()) if code else None
        if unit is None:
            row.fail("unit_code", _l("Unknown unit code “%(code)s”.", code=code))
        return unit

    def person(self, row: Row, unit: OrgUnit) -> Person | None:
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

    def recipient(self, row: Row) -> tuple[Person | None, OrgUnit | None]:
        unit = self.unit(row)
        if unit is None:
            return None, None
        if not row.text("full_name"):
            return None, unit
        return self.person(row, unit), None
