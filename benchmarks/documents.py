"""Decision documents at scale (issue 16, item 4), against a floor measured in the same run.

Usage: .venv/bin/python benchmarks/documents.py [--awardees N] [--samples S]

Printed, median over S runs, for a decision whose annex lists N awardees (default 1,000) and
for a one-page decision with no annex:
- "product PDF": `decisions.service.pdf_render.render_pdf`, as issuing a decision calls it
  (fonts kept per process after the first document, styles embedded only when used);
- "product DOCX": `decisions.service.docx_render.render_docx`;
- floor "bare fpdf2": the same annex table drawn with fpdf2 alone (the same font file and
  size, the same rows and column widths, `FPDF.table`), the font registered afresh each time
  as a plain fpdf2 program does;
then the PDF's ratio to the floor (target: within 2x) and PDF + DOCX together (target: under
5 s for 1,000 awardees). The first product document of the process (which parses the fonts)
is timed apart. No asserts on time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date

from fpdf import FPDF

from workflow_app.decisions.service.docx_render import render_docx
from workflow_app.decisions.service.layout import (
    ANNEX_HEADERS,
    AnnexRow,
    OfficialDocument,
    Paragraph,
)
from workflow_app.decisions.service.pdf_render import FAMILY, FONT_DIR, render_pdf

WIDTHS = (12, 48, 35, 45, 35)
UNITS = ("Cục Thi hành án dân sự tỉnh Quảng Trị", "Sở Tư pháp tỉnh Gia Lai",
         "Vụ Thi đua - Khen thưởng", "Chi cục Thi hành án dân sự huyện Bố Trạch")


def decision(awardees: int) -> OfficialDocument:
    rows = [AnnexRow(name=f"Nguyễn Thị Ánh Tuyết {n}", position="Chấp hành viên",
                     unit=UNITS[n % len(UNITS)], award="Bằng khen của Bộ trưởng Bộ Tư pháp")
            for n in range(1, awardees + 1)]
    return OfficialDocument(
        issuer_name="Bộ Tư pháp", reference="01/QĐ-BTP", place="Hà Nội",
        issued_on=date(2027, 1, 1), doc_title="QUYẾT ĐỊNH",
        summary="Về việc tặng Bằng khen của Bộ trưởng Bộ Tư pháp", signer_title="BỘ TRƯỞNG",
        signer_name="Nguyễn Hải Ninh", authority="BỘ TRƯỞNG BỘ TƯ PHÁP",
        bases=["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"] * 3,
        operative_heading="QUYẾT ĐỊNH:",
        paragraphs=[Paragraph(lead="Điều 1.", text="Tặng Bằng khen của Bộ trưởng Bộ Tư pháp "
                              "cho các cá nhân có tên trong danh sách kèm theo."),
                    Paragraph(lead="Điều 2.", text="Quyết định này có hiệu lực kể từ ngày ký.")],
        recipients=["Như Điều 2;", "Lưu: VT, TĐKT."],
        annex_title="DANH SÁCH CÁ NHÂN ĐƯỢC TẶNG BẰNG KHEN" if awardees else "",
        annex_rows=rows)


def bare_table(rows: list[AnnexRow]) -> bytes:
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_font(FAMILY, "", str(FONT_DIR / "LiberationSerif-Regular.ttf"))
    pdf.set_margins(30, 20, 20)
    pdf.add_page()
    pdf.set_font(FAMILY, "", 12)
    with pdf.table(col_widths=WIDTHS, line_height=6, first_row_as_headings=False) as table:
        heading = table.row()
        for title in ANNEX_HEADERS:
            heading.cell(title)
        for number, row in enumerate(rows, start=1):
            cells = table.row()
            for value in (str(number), row.name, row.position, row.unit, row.award):
                cells.cell(value)
    return bytes(pdf.output())


def timed(function, *args, samples: int) -> float:
    seconds = []
    for _ in range(samples):
        start = time.perf_counter()
        function(*args)
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--awardees", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=5)
    args = parser.parse_args()

    one_page, large = decision(0), decision(args.awardees)
    print("load average (1, 5, 15 min): " + ", ".join(f"{x:.2f}" for x in os.getloadavg()))
    start = time.perf_counter()
    render_pdf(one_page)
    print(f"first document of the process (fonts parsed): {time.perf_counter() - start:.3f} s")
    for label, doc in (("one page, no annex", one_page),
                       (f"annex of {args.awardees} awardees", large)):
        pdf = timed(render_pdf, doc, samples=args.samples)
        docx = timed(render_docx, doc, samples=args.samples)
        print(f"{label}: product PDF {pdf:.3f} s, product DOCX {docx:.3f} s, "
              f"together {pdf + docx:.3f} s")
        if doc.annex_rows:
            floor = timed(bare_table, doc.annex_rows, samples=args.samples)
            print(f"  floor bare fpdf2 table (same font, rows, widths): {floor:.3f} s; "
                  f"product PDF / floor = {pdf / floor:.2f}x (target within 2x)")


if __name__ == "__main__":
    main()
