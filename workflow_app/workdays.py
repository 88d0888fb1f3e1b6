"""The working-day calendar: weekends, public holidays and swapped days.

Time limits in the procedure are counted in working days (ngày làm việc). A day counts when it
is Monday to Friday and not a public holiday, or when it is a Saturday or Sunday declared a
working day (làm bù). Holidays come from `workflow_app/data/holidays/` (see its README): the
fixed-date ones every year, and one file per year for the lunar-date holidays and the
Government's yearly arrangements. All of it is configurable data, not a cited legal rule.

Counting convention: a period that starts on day `a` counts the working days after `a` up to
and including `b` — the day something is received is not counted, the way time limits are
usually counted from the next day.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

from workflow_app.config import DATA_DIR

HOLIDAYS_DIR = DATA_DIR / "holidays"
# Vietnam has one time zone and no daylight saving: dates are taken at UTC+7.
VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")
YEAR_STATUSES = ("provisional", "confirmed")


class CalendarError(ValueError):
    """A holiday file is malformed; the message names the file and the entry."""


def local_date(moment: datetime) -> date:
    """The calendar date in Vietnam of an aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; use timezone-aware UTC")
    return moment.astimezone(VIETNAM_TZ).date()


@dataclass(frozen=True)
class WorkCalendar:
    """Which dates are working days. Immutable; share one instance freely."""

    fixed: frozenset[tuple[int, int]] = frozenset()  # (month, day) off every year
    days_off: frozenset[date] = frozenset()
    working_days: frozenset[date] = frozenset()  # weekend days that are worked
    configured_years: frozenset[int] = frozenset()
    # (vi, en) names: by date for the yearly entries, by (month, day) for the fixed ones.
    names: dict[date, tuple[str, str]] = field(default_factory=dict, compare=False)
    fixed_names: dict[tuple[int, int], tuple[str, str]] = field(
        default_factory=dict, compare=False
    )

    def is_configured(self, year: int) -> bool:
        """True when the year has its own file (lunar holidays and yearly arrangements)."""
        return year in self.configured_years

    def is_working_day(self, day: date) -> bool:
        if day in self.working_days:
            return True
        if day.weekday() >= 5 or day in self.days_off:
            return False
        return (day.month, day.day) not in self.fixed

    def holiday_name(self, day: date, locale: str = "vi") -> str | None:
        """The name of the holiday or swapped day on `day`, if any."""
        names = self.names.get(day) or self.fixed_names.get((day.month, day.day))
        if names is None:
            return None
        return names[1] if locale == "en" else names[0]

    def add_working_days(self, start: date, count: int) -> date:
        """The day on which `count` working days after `start` have passed (`start` excluded).

        `count` = 0 gives `start` itself; negative counts go backwards.
        """
        step = 1 if count >= 0 else -1
        day, remaining = start, abs(count)
        while remaining:
            day += timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when `end` is before `start`."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1
            for offset in range(1, (end - start).days + 1)
            if self.is_working_day(start + timedelta(days=offset))
        )


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CalendarError(f"{path.name}: invalid TOML: {exc}") from exc


def _names(path: Path, where: str, entry: dict) -> tuple[str, str]:
    vi, en = entry.get("name_vi"), entry.get("name_en")
    if not (isinstance(vi, str) and vi.strip() and isinstance(en, str) and en.strip()):
        raise CalendarError(f"{path.name}: {where}: name_vi and name_en are required")
    return vi, en


def load_calendar(directory: Path = HOLIDAYS_DIR) -> WorkCalendar:
    """Read `fixed.toml` and every `<year>.toml`; raise CalendarError on any bad entry."""
    fixed: dict[tuple[int, int], tuple[str, str]] = {}
    names: dict[date, tuple[str, str]] = {}
    fixed_path = directory / "fixed.toml"
    for i, entry in enumerate(_read(fixed_path).get("holiday", []), 1):
        where = f"holiday #{i}"
        try:
            date(2000, entry["month"], entry["day"])  # 2000 is a leap year: 29/2 allowed
        except (KeyError, TypeError, ValueError) as exc:
            raise CalendarError(f"{fixed_path.name}: {where}: bad month/day ({exc})") from exc
        fixed[(entry["month"], entry["day"])] = _names(fixed_path, where, entry)
    days_off: set[date] = set()
    working: set[date] = set()
    years: set[int] = set()
    for path in sorted(directory.glob("[0-9][0-9][0-9][0-9].toml")):
        data = _read(path)
        year = data.get("year")
        if year != int(path.stem):
            raise CalendarError(f"{path.name}: year = {year!r} does not match the file name")
        if data.get("status") not in YEAR_STATUSES:
            raise CalendarError(f"{path.name}: status must be one of {', '.join(YEAR_STATUSES)}")
        for key, target in (("day_off", days_off), ("working_day", working)):
            for i, entry in enumerate(data.get(key, []), 1):
                where = f"{key} #{i}"
                day = entry.get("date")
                if not isinstance(day, date) or isinstance(day, datetime) or day.year != year:
                    raise CalendarError(f"{path.name}: {where}: date must be a day in {year}")
                if key == "working_day" and day.weekday() < 5:
                    raise CalendarError(f"{path.name}: {where}: {day} is already a weekday")
                names[day] = _names(path, where, entry)
                target.add(day)
        years.add(year)
    return WorkCalendar(frozenset(fixed), frozenset(days_off), frozenset(working),
                        frozenset(years), names, fixed)


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The shipped calendar, read once per process."""
    return load_calendar()
