"""What an administrative document says, independent of the file format.

`OfficialDocument` is filled by the services (decision, tờ trình) and drawn by the DOCX
renderer, the PDF renderer and the HTML preview alike, so the three never disagree. The
layout follows Nghị định 30/2020 Annex I (LEGAL_FACTS §6): national title and motto,
issuer, number/symbol, place and date, type and summary, body, signer, recipients.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
NUMBER_PENDING = "(số sẽ cấp khi ban hành)"


def vietnamese_date(place: str, day: date) -> str:
    """"Hà Nội, ngày 05 tháng 02 năm 2024".

    Days below 10 and months below 3 take a leading zero — the ND 30/2020 Annex I
    convention as applied by offices (not yet listed in LEGAL_FACTS; verify).
    """
    day_text = f"{day.day:02d}"
    month_text = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day_text} tháng {month_text} năm {day.year}"


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph; `lead` is printed bold before the text ("Điều 1.")."""

    text: str
    lead: str = ""
    centred_bold: bool = False


@dataclass(frozen=True)
class AnnexRow:
    name: str
    position: str
    unit: str
    award: str


@dataclass(frozen=True)
class OfficialDocument:
    issuer_name: str  # upper-cased when drawn
    reference: str  # "2307/QĐ-BTP" or NUMBER_PENDING
    place: str
    issued_on: date
    doc_title: str  # "QUYẾT ĐỊNH", "TỜ TRÌNH"
    summary: str  # trích yếu
    signer_title: str  # "BỘ TRƯỞNG"
    signer_name: str
    authority: str = ""  # "BỘ TRƯỞNG BỘ TƯ PHÁP" (decisions), centred bold under the summary
    addressee: str = ""  # "Kính gửi: Thủ tướng Chính phủ" (tờ trình)
    bases: list[str] = field(default_factory=list)  # "Căn cứ …;"
    operative_heading: str = ""  # "QUYẾT ĐỊNH:"
    paragraphs: list[Paragraph] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    annex_title: str = ""
    annex_rows: list[AnnexRow] = field(default_factory=list)
    # A second signature block in the footer's left column (minutes: the secretary).
    cosigner_title: str = ""
    cosigner_name: str = ""

    @property
    def number_line(self) -> str:
        return f"Số: {self.reference}"

    @property
    def date_line(self) -> str:
        return vietnamese_date(self.place, self.issued_on)

    @property
    def annex_subtitle(self) -> str:
        """"(Kèm theo Quyết định số 01/QĐ-BTP ngày 15 tháng 11 năm 2024)"."""
        day = vietnamese_date("", self.issued_on)[2:]
        return f"(Kèm theo {self.doc_title.capitalize()} số {self.reference} {day})"


ANNEX_HEADERS = ("STT", "Họ và tên", "Chức vụ", "Đơn vị", "Hình thức khen thưởng")
