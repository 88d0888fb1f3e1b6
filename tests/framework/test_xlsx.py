"""XLSX exports (`workflow_app/xlsx.py`), read back: typed cells, and no formula anywhere even
when a value looks like one."""

from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import load_workbook

from workflow_app.xlsx import Sheet, write

DANGEROUS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+2", "-3+4", "@SUM(A1)", "\tcmd", "\rx"]


def _read(sheets):
    buffer = io.BytesIO()
    write(buffer, sheets)
    buffer.seek(0)
    return load_workbook(buffer)


def test_values_that_look_like_formulas_stay_text_and_keep_their_characters():
    book = _read([Sheet("Danh sách", ["Tên"], ([text] for text in DANGEROUS))])
    cells = [row[0] for row in book["Danh sách"].iter_rows(min_row=2)]
    assert [c.value for c in cells] == DANGEROUS
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells)


def test_dates_numbers_and_text_keep_their_types_and_headers_are_bold():
    rows = [[date(2025, 12, 31), 12, 3.5, "Nguyễn Văn Quang", True, None]]
    book = _read([Sheet("Báo cáo: 2025/26", ["Ngày", "Số", "Tỉ lệ", "Họ tên", "Có", "Trống"],
                        rows)])
    sheet = book.worksheets[0]
    assert sheet.title == "Báo cáo- 2025-26"  # characters Excel refuses in a title replaced
    assert [c.value for c in sheet[1]] == ["Ngày", "Số", "Tỉ lệ", "Họ tên", "Có", "Trống"]
    assert all(c.font.b for c in sheet[1])
    day, number, ratio, name, flag, empty = sheet[2]
    assert day.value == datetime(2025, 12, 31) and day.is_date
    assert day.number_format == "dd/mm/yyyy"
    assert (number.value, number.data_type) == (12, "n")
    assert (ratio.value, ratio.data_type) == (3.5, "n")
    assert name.value == "Nguyễn Văn Quang" and not name.quotePrefix
    assert flag.value == "x" and empty.value is None


def test_rows_come_from_an_iterator_read_once():
    produced = []

    def rows():
        for n in range(2000):
            produced.append(n)
            yield [n, f"dòng {n}"]

    book = _read([Sheet("A", ["n", "text"], rows()), Sheet("B", ["x"], [])])
    assert len(produced) == 2000
    assert book["A"].max_row == 2001 and book["A"].cell(2001, 2).value == "dòng 1999"
    assert book.sheetnames == ["A", "B"]
