"""Bar charts drawn into the printable PDF reports (fpdf2 shapes, the embedded font): the same
bars the page draws as SVG, so a printed report carries its chart. Each bar is labelled with its
value, so the chart reads in black and white."""

from __future__ import annotations

from collections.abc import Sequence

from workflow_app.decisions.service.pdf_render import FAMILY

BAR_COLOUR = (31, 95, 168)  # charts.PALETTE[0]
ROW = 6.0  # mm per bar
LABEL_SHARE = 0.38  # of the page's width, for the labels


def _fit(pdf, text: str, width: float) -> str:
    """`text`, cut with "…" to fit `width` at the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def bar_chart(pdf, items: Sequence[tuple[str, float]], title: str) -> None:
    """Horizontal bars, largest scale = the largest value; nothing drawn without a value."""
    values = [max(0.0, float(v)) for _, v in items]
    if not items or not any(values):
        return
    pdf.set_font(FAMILY, "B", 11)
    pdf.multi_cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
    label_w = pdf.epw * LABEL_SHARE
    bars_w = pdf.epw - label_w - 14
    top = max(values)
    pdf.set_font(FAMILY, "", 9)
    for (label, _value), value in zip(items, values, strict=True):
        if pdf.will_page_break(ROW):
            pdf.add_page()
        y = pdf.get_y()
        pdf.set_x(pdf.l_margin)
        pdf.cell(label_w - 2, ROW, _fit(pdf, str(label), label_w - 2), align="R")
        width = bars_w * value / top
        pdf.set_fill_color(*BAR_COLOUR)
        if width > 0:
            pdf.rect(pdf.l_margin + label_w, y + 1, width, ROW - 2, style="F")
        pdf.set_xy(pdf.l_margin + label_w + width + 1.5, y)
        pdf.cell(12, ROW, f"{value:g}")
        pdf.set_xy(pdf.l_margin, y + ROW)
    pdf.ln(2)
