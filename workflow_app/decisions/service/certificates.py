"""Certificates (Giấy khen, Bằng khen …) per awardee: one landscape A4 page as PDF.

The certificate repeats what the decision says (authority, award, awardee, decision number
and date, signer); its wording is a configurable template, not a prescribed form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workflow_app.decisions.service.layout import MOTTO, NATIONAL_TITLE, vietnamese_date
from workflow_app.decisions.service.pdf_render import FAMILY, new_pdf


@dataclass(frozen=True)
class Certificate:
    authority: str  # "BỘ TRƯỞNG BỘ TƯ PHÁP"
    award_name: str
    awardee_name: str
    awardee_position: str
    awardee_unit: str
    achievement: str
    decision_reference: str
    place: str
    issued_on: date
    signer_title: str
    signer_name: str


def _centred(pdf, text: str, style: str, size: float, h: float) -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.set_x(pdf.l_margin)
    pdf.multi_cell(0, h, text, align="C", new_x="LMARGIN", new_y="NEXT")


def render_certificate(cert: Certificate) -> bytes:
    pdf = new_pdf("L", on=cert.issued_on)
    pdf.set_margins(25, 18, 25)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
    pdf.set_line_width(0.3)
    pdf.rect(13, 13, pdf.w - 26, pdf.h - 26)
    pdf.set_y(20)
    _centred(pdf, NATIONAL_TITLE, "B", 14, 7)
    _centred(pdf, MOTTO, "B", 14, 7)
    pdf.ln(5)
    _centred(pdf, cert.authority, "B", 16, 8)
    _centred(pdf, "TẶNG", "B", 15, 8)
    pdf.ln(2)
    _centred(pdf, cert.award_name.upper(), "B", 28, 13)
    pdf.ln(3)
    _centred(pdf, cert.awardee_name, "B", 22, 11)
    details = ", ".join(part for part in (cert.awardee_position, cert.awardee_unit) if part)
    if details:
        _centred(pdf, details, "I", 15, 8)
    if cert.achievement:
        pdf.ln(2)
        _centred(pdf, cert.achievement, "", 15, 8)
    bottom = pdf.h - 62
    half = (pdf.w - 50) / 2
    pdf.set_xy(pdf.l_margin, bottom + 8)
    pdf.set_font(FAMILY, "I", 12)
    pdf.multi_cell(half, 6, f"Quyết định số {cert.decision_reference}\nSổ vàng số: ……",
                   align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(pdf.l_margin + half, bottom)
    pdf.set_font(FAMILY, "I", 13)
    pdf.multi_cell(half, 7, vietnamese_date(cert.place, cert.issued_on), align="C",
                   new_x="LEFT", new_y="NEXT")
    pdf.set_font(FAMILY, "B", 14)
    pdf.multi_cell(half, 7, cert.signer_title, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_y(pdf.get_y() + 18)
    pdf.set_x(pdf.l_margin + half)
    pdf.multi_cell(half, 7, cert.signer_name, align="C")
    return bytes(pdf.output())
