"""The XLSX layout of a registry import (documented in README.md next to this file).

One workbook, up to three sheets, each with the header row below in row 1 (column order is
free; headers are matched case-insensitively). Every sheet is optional, but the workbook
must hold at least one data row.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

# Who the row is about: a person (full_name + unit_code + date_of_birth or national_id)
# or, with full_name empty, the unit itself (unit_code).
RECIPIENT = ("full_name", "unit_code", "date_of_birth", "national_id")
SHEETS: dict[str, tuple[str, ...]] = {
    "awards": RECIPIENT + ("award_code", "year", "decision_number", "decision_date",
                           "issuer"),
    "ratings": RECIPIENT + ("year", "rating"),
    "initiatives": ("full_name", "unit_code", "date_of_birth", "national_id", "year", "title",
                    "scope", "kind", "recognised_by"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "awards": ("unit_code", "award_code", "year", "decision_number", "decision_date"),
    "ratings": ("unit_code", "year", "rating"),
    "initiatives": ("full_name", "unit_code", "year", "title", "scope"),
}
EXAMPLES: dict[str, list[tuple]] = {
    "awards": [("Nguyễn Văn A", "BTP-VP", "15/03/1980", "", "CSTDCS", 2023, "123/QĐ-BTP",
                "20/12/2023", "Bộ Tư pháp"),
               ("", "BTP-VP", "", "", "TTLDXS", 2023, "124/QĐ-BTP", "20/12/2023",
                "Bộ Tư pháp")],
    "ratings": [("Nguyễn Văn A", "BTP-VP", "15/03/1980", "", 2023, "excellent"),
                ("", "BTP-VP", "", "", 2023, "good")],
    "initiatives": [("Nguyễn Văn A", "BTP-VP", "15/03/1980", "", 2023,
                     "Số hoá sổ hộ tịch", "ministry", "initiative", "Hội đồng sáng kiến Bộ")],
}
# Accepted spellings of a rating: the registry codes and the Vietnamese abbreviations.
RATING_WORDS = {"excellent": "excellent", "htxsnv": "excellent", "good": "good",
                "httnv": "good", "completed": "completed", "complete": "completed",
                "htnv": "completed", "not_completed": "not_completed",
                "khtnv": "not_completed"}
SCOPE_WORDS = {"unit": "unit", "co_so": "unit", "ministry": "ministry", "bo": "ministry",
               "national": "national", "nationwide": "national", "toan_quoc": "national"}
KIND_WORDS = {"initiative": "initiative", "sang_kien": "initiative",
              "science_topic": "science_topic", "de_tai": "science_topic"}
MAX_ROWS = 20000
MAX_BYTES = 10 * 1024 * 1024


def template_bytes() -> bytes:
    """A workbook with the three sheets, their headers and example rows to overwrite."""
    book = Workbook()
    book.remove(book.active)
    for name, columns in SHEETS.items():
        sheet = book.create_sheet(name)
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in EXAMPLES[name]:
            sheet.append(list(row))
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = \
                max(14, len(column) + 4)
    out = BytesIO()
    book.save(out)
    return out.getvalue()
