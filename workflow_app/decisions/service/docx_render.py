"""Draw an `OfficialDocument` as DOCX (python-docx), in Times New Roman as offices use.

Layout per ND 30/2020 Annex I: a borderless two-column header table (issuer and number on
the left, national title, motto, place and date on the right), then the title, summary,
bases, body, a two-column footer (recipients left, signature right) and the annex table.
Issued files are rendered once and stored by hash; they are never re-rendered.
"""

from __future__ import annotations

import io
from datetime import datetime

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from workflow_app.decisions.service.layout import (
    ANNEX_HEADERS,
    MOTTO,
    NATIONAL_TITLE,
    OfficialDocument,
)

FONT = "Times New Roman"
CENTER, LEFT, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT,
                                WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY)


def _style_defaults(document) -> None:
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(0)
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21)
    section.orientation = WD_ORIENT.PORTRAIT
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    core = document.core_properties
    core.created = core.modified = datetime(2000, 1, 1)
    core.author = core.last_modified_by = ""
    core.revision = 1


def _para(container, text: str = "", *, align=LEFT, bold=False, italic=False, size=14,
          lead: str = "", indent: bool = False, space_before: int = 0):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_before = Pt(space_before)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    if lead:
        run = paragraph.add_run(lead + " ")
        run.bold, run.font.size = True, Pt(size)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _cell(table, row: int, col: int):
    cell = table.cell(row, col)
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    return cell


def _header(document, doc: OfficialDocument) -> None:
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    left, right = _cell(table, 0, 0), _cell(table, 0, 1)
    left.width, right.width = Cm(6.5), Cm(9.5)
    _para(left, doc.issuer_name.upper(), align=CENTER, bold=True, size=13)
    _para(left, "_______", align=CENTER, size=10)
    _para(left, doc.number_line, align=CENTER, size=13, space_before=6)
    _para(right, NATIONAL_TITLE, align=CENTER, bold=True, size=12)
    _para(right, MOTTO, align=CENTER, bold=True, size=13)
    _para(right, "_______________________", align=CENTER, size=10)
    _para(right, doc.date_line, align=CENTER, italic=True, size=13, space_before=6)


def _footer(document, doc: OfficialDocument) -> None:
    table = document.add_table(rows=1, cols=2)
    left, right = _cell(table, 0, 0), _cell(table, 0, 1)
    if doc.recipients or not doc.cosigner_title:
        _para(left, "Nơi nhận:", bold=True, italic=True, size=12)
    for line in doc.recipients:
        _para(left, f"- {line}", size=11)
    if doc.cosigner_title:
        _para(left, doc.cosigner_title, align=CENTER, bold=True)
        for _ in range(4):
            _para(left, "")
        _para(left, doc.cosigner_name, align=CENTER, bold=True)
    for line in doc.signer_title.splitlines():
        _para(right, line, align=CENTER, bold=True)
    for _ in range(4):
        _para(right, "")
    _para(right, doc.signer_name, align=CENTER, bold=True)


def _annex(document, doc: OfficialDocument) -> None:
    document.add_page_break()
    _para(document, doc.annex_title, align=CENTER, bold=True)
    _para(document, doc.annex_subtitle, align=CENTER, italic=True)
    table = document.add_table(rows=1, cols=len(ANNEX_HEADERS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, heading in enumerate(ANNEX_HEADERS):
        _para(_cell(table, 0, index), heading, align=CENTER, bold=True, size=12)
    for number, row in enumerate(doc.annex_rows, start=1):
        cells = table.add_row().cells
        for index, value in enumerate((str(number), row.name, row.position, row.unit, row.award)):
            cells[index].paragraphs[0].text = ""
            run = cells[index].paragraphs[0].add_run(value)
            run.font.size = Pt(12)


def render_docx(doc: OfficialDocument) -> bytes:
    """The document as DOCX bytes."""
    document = Document()
    _style_defaults(document)
    _header(document, doc)
    _para(document, doc.doc_title, align=CENTER, bold=True, space_before=18)
    _para(document, doc.summary, align=CENTER, bold=True)
    _para(document, "________", align=CENTER, size=10)
    if doc.authority:
        _para(document, doc.authority, align=CENTER, bold=True, space_before=12)
    if doc.addressee:
        _para(document, doc.addressee, align=CENTER, space_before=12)
    for basis in doc.bases:
        _para(document, basis, align=JUSTIFY, italic=True, indent=True, space_before=6)
    if doc.operative_heading:
        _para(document, doc.operative_heading, align=CENTER, bold=True, space_before=12)
    for paragraph in doc.paragraphs:
        _para(document, paragraph.text, lead=paragraph.lead, align=JUSTIFY, indent=True,
              bold=paragraph.centred_bold, space_before=6)
    _para(document, "")
    _footer(document, doc)
    if doc.annex_rows:
        _annex(document, doc)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
