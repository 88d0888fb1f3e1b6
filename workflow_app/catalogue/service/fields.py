"""Typed reading of one TOML table, collecting problems instead of stopping at the first.

`Entry` wraps one entry of a catalogue file (the `[basis]` table or one `[[award]]`). Each
getter checks one field, records a `Problem` (file, entry, "path: reason") when it is wrong
and returns None, so a whole file is checked in one pass.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from workflow_app.catalogue.service.errors import Problem

CODE_RE = re.compile(r"^[A-Z][A-Z0-9_]{0,29}$")
FRACTION_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")
_MISSING = object()


def parse_fraction(text: str) -> Fraction | None:
    """`"9/10"` → Fraction(9, 10) when 0 < value <= 1; anything else → None."""
    match = FRACTION_RE.match(text) if isinstance(text, str) else None
    if not match or int(match.group(2)) == 0:
        return None
    value = Fraction(int(match.group(1)), int(match.group(2)))
    return value if 0 < value <= 1 else None


class Entry:
    """One entry of one file; problems go to the shared list."""

    def __init__(self, file: str, label: str, problems: list[Problem]) -> None:
        self.file = file
        self.label = label
        self.problems = problems
        self._count_at_start = len(problems)
        # (path, award code) for every reference to another award; checked across files.
        self.award_refs: list[tuple[str, str]] = []

    @property
    def ok(self) -> bool:
        return len(self.problems) == self._count_at_start

    def fail(self, path: str, reason: str) -> None:
        self.problems.append(Problem(self.file, self.label, f"{path}: {reason}"))

    def table(self, data: Any, path: str) -> dict | None:
        if not isinstance(data, dict):
            self.fail(path, "must be a table")
            return None
        return data

    def only_keys(self, data: dict, path: str, allowed: set[str]) -> None:
        """Unknown keys are errors: a typo such as `sorce` must not pass silently."""
        for key in sorted(set(data) - allowed):
            self.fail(f"{path}.{key}" if path else key, "unknown field")

    def _get(self, data: dict, key: str, path: str, required: bool) -> Any:
        if key not in data:
            if required:
                self.fail(_join(path, key), "missing required field")
            return _MISSING
        return data[key]

    def text(self, data: dict, key: str, path: str = "", *, required: bool = True,
             max_len: int = 2000, pattern: re.Pattern | None = None) -> str | None:
        value = self._get(data, key, path, required)
        if value is _MISSING:
            return None
        where = _join(path, key)
        if not isinstance(value, str) or not value.strip():
            self.fail(where, "must be a non-empty text")
            return None
        if len(value) > max_len:
            self.fail(where, f"is longer than {max_len} characters")
            return None
        if pattern is not None and not pattern.match(value):
            self.fail(where, f"'{value}' does not match {pattern.pattern}")
            return None
        return value.strip()

    def choice(self, data: dict, key: str, choices: tuple[str, ...], path: str = "", *,
               required: bool = True) -> str | None:
        value = self._get(data, key, path, required)
        if value is _MISSING:
            return None
        if value not in choices:
            self.fail(_join(path, key), f"'{value}' is not one of: {', '.join(choices)}")
            return None
        return value

    def boolean(self, data: dict, key: str, path: str = "", *, required: bool = True,
                default: bool | None = None) -> bool | None:
        value = self._get(data, key, path, required)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.fail(_join(path, key), "must be true or false")
            return None
        return value

    def integer(self, data: dict, key: str, path: str = "", *, required: bool = True,
                minimum: int = 1, maximum: int = 100) -> int | None:
        value = self._get(data, key, path, required)
        if value is _MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(_join(path, key), "must be a whole number")
            return None
        if not minimum <= value <= maximum:
            self.fail(_join(path, key), f"must be between {minimum} and {maximum}")
            return None
        return value

    def fraction(self, data: dict, key: str, path: str = "", *,
                 required: bool = True) -> str | None:
        value = self._get(data, key, path, required)
        if value is _MISSING:
            return None
        if not isinstance(value, str) or parse_fraction(value) is None:
            self.fail(_join(path, key), f"'{value}' is not a fraction like \"2/3\" with a "
                                        "value above 0 and at most 1")
            return None
        numerator, denominator = value.split("/")
        return f"{int(numerator)}/{int(denominator)}"

    def day(self, data: dict, key: str, path: str = "", *, required: bool = True) -> date | None:
        value = self._get(data, key, path, required)
        if value is _MISSING:
            return None
        if isinstance(value, datetime) or not isinstance(value, date):
            self.fail(_join(path, key), f"'{value}' must be a date written 2024-01-01 "
                                        "(no quotes, no time)")
            return None
        return value

    def text_list(self, data: dict, key: str, path: str = "", *, required: bool = True,
                  choices: tuple[str, ...] | None = None) -> list[str] | None:
        value = self._get(data, key, path, required)
        if value is _MISSING:
            return None
        where = _join(path, key)
        if not isinstance(value, list) or not value:
            self.fail(where, "must be a non-empty list")
            return None
        result: list[str] = []
        for item in value:
            if not isinstance(item, str) or not item.strip():
                self.fail(where, f"{item!r} must be a non-empty text")
            elif choices is not None and item not in choices:
                self.fail(where, f"unknown code '{item}' (known: {', '.join(choices)})")
            elif item in result:
                self.fail(where, f"'{item}' is listed twice")
            else:
                result.append(item.strip())
        return result if len(result) == len(value) else None


    def award_ref(self, data: dict, key: str, path: str = "", *,
                  required: bool = True) -> str | None:
        """An award code referenced by a rule; whether it exists is checked across files."""
        code = self.text(data, key, path, required=required, max_len=30, pattern=CODE_RE)
        if code is not None:
            self.award_refs.append((_join(path, key), code))
        return code


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
