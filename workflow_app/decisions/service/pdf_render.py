"""Draw an `OfficialDocument` as PDF (fpdf2) with the vendored Liberation Serif fonts.

Liberation Serif (SIL OFL, workflow_app/data/fonts/) is metric-compatible with Times New
Roman and covers Vietnamese; the fonts are embedded, so neither the server nor the reader
needs any system font.
"""

from __future__ import annotations

import copy
import threading
from datetime import UTC, date, datetime

from fontTools import ttLib
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import SubsetMap, TTFFont

from workflow_app.config import DATA_DIR
from workflow_app.decisions.service.layout import (
    ANNEX_HEADERS,
    MOTTO,
    NATIONAL_TITLE,
    OfficialDocument,
)

FONT_DIR = DATA_DIR / "fonts"
FAMILY = "LiberationSerif"
_STYLES = {"": "Regular", "B": "Bold", "I": "Italic", "BI": "BoldItalic"}
LINE = 6.5  # mm per line at 13–14 pt
RULE_GAP = 1.5  # mm between a header line's text and the short rule under it (and again below)


class _VendoredFontPdf(FPDF):
    """An FPDF that registers each style of the vendored family the first time it is asked
    for: a style a document never uses is neither parsed nor embedded. Parsing and
    subsetting the fonts were four fifths of a one-page decision's time; most documents use
    three of the four styles, a certificate two."""

    def set_font(self, family=None, style="", size=0) -> None:
        if (family or self.font_family or "").lower() == FAMILY.lower():
            letters = getattr(style, "style", style).upper()
            key = "".join(sorted(letter for letter in letters if letter in "BI"))
            if f"{FAMILY.lower()}{key}" not in self.fonts:
                _add_vendored_font(self, key)
        super().set_font(family, style, size)


# What fpdf2 reads from a font file once per style and process (metrics, character widths,
# the character-to-glyph map): about 25 ms per style and document otherwise. Each document
# gets a copy with its own file handle, glyph subset, descriptor and index, so nothing one
# document writes is seen by another (documents are made on several threads at once).
# Relies on fpdf2's TTFFont fields: the version is pinned to one minor release, and a test
# compares documents made with and without the kept fonts byte for byte.
_PARSED: dict[str, TTFFont] = {}
_PARSED_LOCK = threading.Lock()
USE_PARSED_FONTS = True  # tests turn it off to compare


def _add_vendored_font(pdf: FPDF, key: str) -> None:
    path = FONT_DIR / f"LiberationSerif-{_STYLES[key]}.ttf"
    template = _PARSED.get(key) if USE_PARSED_FONTS else None
    if template is None:
        pdf.add_font(FAMILY, key, str(path))
        if USE_PARSED_FONTS:
            template = copy.copy(pdf.fonts[f"{FAMILY.lower()}{key}"])
            template.ttfont = template.subset = None  # this document's own, not kept
            template.desc = copy.copy(template.desc)  # before this document's output fills it
            with _PARSED_LOCK:
                _PARSED.setdefault(key, template)
        return
    pdf.fonts[f"{FAMILY.lower()}{key}"] = _per_document_copy(template, path,
                                                              index=len(pdf.fonts) + 1)


def _per_document_copy(font: TTFFont, path, *, index: int) -> TTFFont:
    copied = copy.copy(font)  # the parsed metrics and maps are shared and only read
    copied.i = index
    copied.desc = copy.copy(font.desc)  # the output names and numbers it per document
    copied.ttfont = ttLib.TTFont(path, recalcTimestamp=False, lazy=True)  # subset at output
    copied.subset = SubsetMap(copied)
    copied.missing_glyphs = []
    copied.biggest_size_pt = 0
    copied._hbfont = None
    return copied


def new_pdf(orientation: str = "P", on: date | None = None) -> FPDF:
    """An A4 FPDF for the vendored fonts (each style registered when first used); the creation
    date is the document's date (midnight UTC), not the clock, so the same input gives the
    same bytes."""
    pdf = _VendoredFontPdf(orientation=orientation, unit="mm", format="A4")
    day = on or date(2000, 1, 1)
    pdf.set_creation_date(datetime(day.year, day.month, day.day, tzinfo=UTC))
    pdf.set_creator("workflow_app")
    pdf.set_producer("workflow_app")
    return pdf


def _text(pdf: FPDF, text: str, *, style: str = "", size: float = 14, align: str = "L",
          x: float | None = None, w: float = 0, h: float = LINE, indent: bool = False) -> None:
    pdf.set_font(FAMILY, style, size)
    if x is not None:
        pdf.set_x(x)
    if indent:
        text = "\u2003\u2003" + text  # first-line indent (two em spaces)
    pdf.multi_cell(w, h, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _rule(pdf: FPDF, centre: float, width: float, y: float) -> None:
    pdf.line(centre - width / 2, y, centre + width / 2, y)


def _header(pdf: FPDF, doc: OfficialDocument) -> None:
    top = pdf.get_y()
    left_x, left_w = pdf.l_margin, 70
    right_x, right_w = pdf.l_margin + 65, pdf.epw - 65
    pdf.set_xy(left_x, top)
    _text(pdf, doc.issuer_name.upper(), style="B", size=13, align="C", x=left_x, w=left_w)
    _rule(pdf, left_x + left_w / 2, 25, pdf.get_y() + RULE_GAP)
    pdf.set_y(pdf.get_y() + 2 * RULE_GAP + 2)
    _text(pdf, doc.number_line, size=13, align="C", x=left_x, w=left_w)
    left_bottom = pdf.get_y()
    pdf.set_xy(right_x, top)
    _text(pdf, NATIONAL_TITLE, style="B", size=12, align="C", x=right_x, w=right_w)
    _text(pdf, MOTTO, style="B", size=13, align="C", x=right_x, w=right_w)
    _rule(pdf, right_x + right_w / 2, pdf.get_string_width(MOTTO), pdf.get_y() + RULE_GAP)
    pdf.set_y(pdf.get_y() + 2 * RULE_GAP + 2)
    _text(pdf, doc.date_line, style="I", size=13, align="C", x=right_x, w=right_w)
    pdf.set_y(max(left_bottom, pdf.get_y()) + 8)


def _footer(pdf: FPDF, doc: OfficialDocument) -> None:
    pdf.set_y(pdf.get_y() + 4)
    if pdf.get_y() > pdf.h - 75:
        pdf.add_page()
    top = pdf.get_y()
    half = pdf.epw / 2
    if doc.recipients or not doc.cosigner_title:
        _text(pdf, "Nơi nhận:", style="BI", size=12, w=half)
    for line in doc.recipients:
        _text(pdf, f"- {line}", size=11, w=half, h=5)
    if doc.cosigner_title:
        _text(pdf, doc.cosigner_title, style="B", align="C", w=half)
        pdf.set_y(pdf.get_y() + 25)
        _text(pdf, doc.cosigner_name, style="B", align="C", w=half)
    right_x = pdf.l_margin + half
    pdf.set_y(top)
    for line in doc.signer_title.splitlines():
        _text(pdf, line, style="B", align="C", x=right_x, w=half)
    pdf.set_y(pdf.get_y() + 25)
    _text(pdf, doc.signer_name, style="B", align="C", x=right_x, w=half)


def _annex(pdf: FPDF, doc: OfficialDocument) -> None:
    pdf.add_page()
    _text(pdf, doc.annex_title, style="B", align="C")
    _text(pdf, doc.annex_subtitle, style="I", size=13, align="C")
    pdf.ln(4)
    pdf.set_font(FAMILY, "", 12)
    widths = (12, 48, 35, 45, 35)
    with pdf.table(col_widths=widths, text_align=("CENTER", "LEFT", "LEFT", "LEFT", "LEFT"),
                   line_height=6, first_row_as_headings=True) as table:
        heading = table.row()
        for title in ANNEX_HEADERS:
            heading.cell(title)
        for number, row in enumerate(doc.annex_rows, start=1):
            cells = table.row()
            for value in (str(number), row.name, row.position, row.unit, row.award):
                cells.cell(value)


def render_pdf(doc: OfficialDocument) -> bytes:
    """The document as PDF bytes (A4 portrait; margins 20/20/30/20 mm as ND 30 suggests)."""
    pdf = new_pdf(on=doc.issued_on)
    pdf.set_margins(30, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    _header(pdf, doc)
    _text(pdf, doc.doc_title, style="B", align="C")
    _text(pdf, doc.summary, style="B", align="C")
    _rule(pdf, pdf.l_margin + pdf.epw / 2, 30, pdf.get_y() + 0.5)
    pdf.ln(5)
    if doc.authority:
        _text(pdf, doc.authority, style="B", align="C")
        pdf.ln(3)
    if doc.addressee:
        _text(pdf, doc.addressee, align="C")
        pdf.ln(3)
    for basis in doc.bases:
        _text(pdf, basis, style="I", align="J", indent=True)
        pdf.ln(1.5)
    if doc.operative_heading:
        pdf.ln(2)
        _text(pdf, doc.operative_heading, style="B", align="C")
        pdf.ln(2)
    for paragraph in doc.paragraphs:
        if paragraph.lead:
            pdf.set_font(FAMILY, "", 14)
            pdf.multi_cell(0, LINE, f"\u2003\u2003**{paragraph.lead}** {paragraph.text}",
                           align="J", markdown=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        else:
            _text(pdf, paragraph.text, style="B" if paragraph.centred_bold else "",
                  align="C" if paragraph.centred_bold else "J", indent=not paragraph.centred_bold)
        pdf.ln(1.5)
    _footer(pdf, doc)
    if doc.annex_rows:
        _annex(pdf, doc)
    return bytes(pdf.output())
