"""The vendored fonts in documents: each style parsed once per process and registered only
when a document uses it, with the same bytes as a document that parses them afresh."""

from __future__ import annotations

import io
import re
from concurrent.futures import ThreadPoolExecutor

from fpdf.enums import XPos, YPos
from pypdf import PdfReader

from workflow_app.decisions.service import pdf_render
from workflow_app.decisions.service.pdf_render import FAMILY, new_pdf

LINES = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
         "Tặng Bằng khen cho bà Nguyễn Thị Ánh Tuyết, Chi cục Thi hành án dân sự")


def _document(styles=("", "B", "I"), extra: str = "") -> bytes:
    pdf = new_pdf(on=None)
    pdf.add_page()
    for number, style in enumerate(styles):
        pdf.set_font(FAMILY, style, 13)
        pdf.multi_cell(0, 6, f"{LINES[number % len(LINES)]} {extra}", new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)
    return bytes(pdf.output())


def _embedded_fonts(data: bytes) -> list[str]:
    """The fonts the whole file carries, by name: one descriptor and one embedded font file
    each (fpdf2 writes its dictionaries uncompressed)."""
    names = sorted(name.decode() for name in re.findall(rb"/FontName /(\S+)", data))
    assert data.count(b"/FontFile2") == len(names)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1  # and it reads back
    return names


def test_a_document_made_with_the_parsed_fonts_has_the_bytes_of_one_parsed_afresh(monkeypatch):
    _document()  # the styles are parsed and kept by now
    kept = [_document(), _document(extra="Hà Nội, ngày 01 tháng 01 năm 2027")]
    monkeypatch.setattr(pdf_render, "USE_PARSED_FONTS", False)
    afresh = [_document(), _document(extra="Hà Nội, ngày 01 tháng 01 năm 2027")]
    assert kept == afresh
    assert kept[0] != kept[1]  # the glyphs of each document are its own


def test_documents_made_on_several_threads_at_once_are_each_whole():
    alone = {text: _document(extra=text) for text in ("Quảng Trị", "Gia Lai", "Đồng Hới")}
    with ThreadPoolExecutor(max_workers=6) as pool:
        made = list(pool.map(lambda text: (text, _document(extra=text)), list(alone) * 4))
    assert all(data == alone[text] for text, data in made)


def test_only_the_styles_a_document_uses_are_embedded():
    assert _embedded_fonts(_document(styles=("", "B"))) == [
        "MPDFAA+LiberationSerif", "MPDFAA+LiberationSerifBold"]
    assert len(_embedded_fonts(_document(styles=("", "B", "I", "BI")))) == 4
