"""`<int:…>` in every route matches a possible database id only: 1 … 2^31 − 1.

Werkzeug's own `int` converter takes any run of digits, so `/dossiers/99999999999999999999`
reached the database and failed there as a 500 (SQLite: "Python int too large to convert to
SQLite INTEGER"; PostgreSQL: "integer out of range"), and `/admin/units/0/edit` was read as
"no unit". Here the range is in the converter's regular expression, so an impossible id does
not match the route at all and gets the ordinary 404 (HTML page or the API's JSON error).
It has to be the pattern, not a check in `to_python`: Werkzeug answers 405 instead of 404
when `to_python` refuses a value and another rule with another method shares the path.

The bound is PostgreSQL's `integer`, the type of every id column (SQLAlchemy casts each
bound id to it, so a larger value fails even in a WHERE clause); SQLite's ids are smaller
still in practice. Zero, signs and leading zeros are not ids either.
"""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2_147_483_647


def digits_up_to(limit: int) -> str:
    """A regular expression (no capturing group) matching exactly the decimal numbers
    1 … `limit` (≥ 1), without sign or leading zero."""
    text = str(limit)
    width = len(text)
    if width == 1:
        return f"[1-{text}]"
    options = [f"[1-9][0-9]{{0,{width - 2}}}"]  # every shorter number
    for i, digit in enumerate(text):  # full width: equal to `limit` up to i, smaller at i
        low = "1" if i == 0 else "0"
        if digit > low:
            options.append(f"{text[:i]}[{low}-{int(digit) - 1}][0-9]{{{width - i - 1}}}")
    options.append(text)
    return "(?:" + "|".join(options) + ")"


class IdConverter(IntegerConverter):
    """Replaces Werkzeug's `int` converter app-wide (registered in `create_app`)."""

    regex = digits_up_to(MAX_ID)

    def __init__(self, map: Map) -> None:  # no min/max/signed: an id is an id
        super().__init__(map)

    def to_python(self, value: str) -> int:
        return int(value)
