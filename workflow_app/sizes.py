"""File sizes as every page shows them: one formatter, so that the same file is never
"1.0 KB" on one page and "988 B" on another (issue 17 item 7).

Binary units (1 KB = 1024 B, as the upload limit is counted), one decimal from KB up,
the decimal sign of the reader's language ("1,5 MB" in Vietnamese), and GB and TB for
what the status page measures (an instance folder of 77,4 GB, not "79241.8 MB")."""

from __future__ import annotations

from babel.numbers import format_decimal

UNITS = ("KB", "MB", "GB", "TB")


def file_size(size: int | None, locale: str = "vi") -> str:
    """`size` bytes for a reader: "988 B", "1,0 KB", "20,0 MB", "77,4 GB"."""
    if size is None:
        return ""
    if size < 1024:
        return f"{format_decimal(size, format='#,##0', locale=locale)} B"
    value = float(size)
    for unit in UNITS:
        value /= 1024
        if value < 1024 or unit == UNITS[-1]:
            # 1023.96 KB rounds to "1024,0 KB": say "1,0 MB" instead.
            if round(value, 1) >= 1024 and unit != UNITS[-1]:
                continue
            return f"{format_decimal(value, format='#,##0.0', locale=locale)} {unit}"
    raise AssertionError("unreachable")  # pragma: no cover


def init_app(app) -> None:
    """The `filesize` filter of every template, in the language of the request."""
    from workflow_app.i18n import current_locale

    app.jinja_env.filters["filesize"] = lambda size: file_size(size, current_locale())
