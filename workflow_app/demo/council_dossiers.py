"""Five demo dossiers of the Ministry's units awaiting the council HDTDKT-BTP (DEMO ONLY).

Each is driven as people would drive it, so the audit trail is honest: the demo submitter
opens it and attaches its documents (small PDFs marked as demo), submits it; the demo
reviewer accepts it and sends it to the council — every step through the workflow engine
(`fire`), with its guards (completeness, eligibility against the demo history).

What the walk-through needs:
- `CSTD_BO` for Nguyễn Văn Quang: its vote rule (9/10 of all members, configurable) lets an
  absent member vote in writing — the only awards of the catalogue whose rule does are
  CSTD_BO and CSTDTQ;
- `BK_BO` for Ngô Thị Thanh Huyền of Văn phòng Bộ, the unit of council member Đỗ Văn Thắng:
  with the council's (configurable) "recuse members of the nominee's unit" on, he is
  recused automatically when the item is put on the agenda;
- three more `BK_BO`: Đặng Minh Khôi, Tô Văn Nam and the collective Phòng Hộ tịch.

People and units come from the demo data (seed articles; achievements invented, marked
"minh họa"). Idempotent: a dossier already opened for the same nominee, award and year is
left alone, so a second run adds nothing. Needs the catalogue, the demo accounts and the
demo history (`demo_registry`), which it completes with one ministry-scope initiative.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.attachments.storage import Storage
from workflow_app.audit.chain import record
from workflow_app.council.service.acclamation_doc import attachment_storage
from workflow_app.decisions.service.layout import OfficialDocument, Paragraph
from workflow_app.decisions.service.pdf_render import render_pdf
from workflow_app.dossiers.service.documents import add_document
from workflow_app.dossiers.service.dossiers import create_dossier, today_vn
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.registry import Initiative
from workflow_app.models.user import User
from workflow_app.workflow import fire

YEAR = 2025
REVIEWER = "demo.reviewer"
QUANG_INITIATIVE = ("Giải pháp liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ "
                    "bảo hiểm y tế cho trẻ em dưới 6 tuổi (minh họa)")
DOC_TITLES = {"TO_TRINH": "TỜ TRÌNH", "BAO_CAO_THANH_TICH": "BÁO CÁO THÀNH TÍCH",
              "BIEN_BAN_BINH_XET": "BIÊN BẢN", "BIEN_BAN_HOI_DONG": "BIÊN BẢN",
              "XAC_NHAN_SANG_KIEN": "GIẤY CHỨNG NHẬN"}


@dataclass(frozen=True)
class Spec:
    award: str
    unit: str  # submitting unit (code)
    submitter: str  # username
    nominee: str  # person's name, or "" for the unit itself (collective)
    nominee_unit: str  # code of the nominee's unit
    summary: str


SPECS = (
    Spec("CSTD_BO", "BTP-CHTQTCT", "demo.submitter", "Nguyễn Văn Quang", "BTP-CHTQTCT",
         "Ba năm liền Chiến sĩ thi đua cơ sở (2023–2025); chủ trì giải pháp liên thông đăng "
         "ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi, "
         "được Bộ trưởng công nhận phạm vi toàn ngành (minh họa)."),
    Spec("BK_BO", "BTP-CHTQTCT", "demo.submitter", "Đặng Minh Khôi", "BTP-CHTQTCT",
         "Hai năm liền Chiến sĩ thi đua cơ sở (2024–2025); chỉ đạo số hóa sổ hộ tịch, hoàn "
         "thành xuất sắc nhiệm vụ năm 2025 (minh họa)."),
    Spec("BK_BO", "BTP-CHTQTCT", "demo.submitter", "Tô Văn Nam", "BTP-CHTQTCT-PHT",
         "Trưởng phòng Hộ tịch: hướng dẫn nghiệp vụ đăng ký hộ tịch cho các địa phương sau "
         "sắp xếp chính quyền hai cấp (minh họa)."),
    Spec("BK_BO", "BTP-CHTQTCT", "demo.submitter", "", "BTP-CHTQTCT-PHT",
         "Tập thể Phòng Hộ tịch hoàn thành xuất sắc nhiệm vụ năm 2025; cơ sở dữ liệu hộ tịch "
         "điện tử vận hành thông suốt trên toàn quốc (minh họa)."),
    Spec("BK_BO", "BTP-VP", "demo.vutdkt", "Ngô Thị Thanh Huyền", "BTP-VP",
         "Văn phòng Bộ: tham mưu tổ chức Hội nghị tổng kết công tác tư pháp năm 2025 và "
         "phong trào “Tôn trọng kỷ cương, tăng cường công nghệ, thi về đích sớm” (minh họa)."),
)


def _demo_pdf(doc_type: str, unit: OrgUnit, spec: Spec, award_name: str) -> bytes:
    nominee = spec.nominee or unit.name
    return _drawn(unit.name, today_vn(), DOC_TITLES.get(doc_type, "TÀI LIỆU"),
                  f"Hồ sơ đề nghị tặng {award_name} năm {YEAR} — {nominee}", spec.summary)


@functools.lru_cache(maxsize=64)
def _drawn(issuer: str, day: date, title: str, summary: str, text: str) -> bytes:
    """An illustrative document, drawn once per process: drawing a PDF takes about a quarter
    of a second, half of a demo load, and the same input gives the same bytes (a second
    `demo load` in one process — tests, mostly — reuses them)."""
    return render_pdf(OfficialDocument(
        issuer_name=issuer, reference="      /DEMO", place="Hà Nội", issued_on=day,
        doc_title=title, summary=summary, signer_title="THỦ TRƯỞNG ĐƠN VỊ", signer_name="",
        paragraphs=[Paragraph("TÀI LIỆU MINH HỌA (DỮ LIỆU DEMO) — không có giá trị pháp lý."),
                    Paragraph(text)], recipients=[]))


def _initiative(session: Session, quang: Person) -> bool:
    if session.scalar(select(Initiative.id).where(Initiative.person_id == quang.id,
                                                  Initiative.scope == "ministry")):
        return False
    session.add(Initiative(person_id=quang.id, year=YEAR, scope="ministry",
                           title=QUANG_INITIATIVE,
                           recognised_by="Bộ trưởng Bộ Tư pháp (minh họa)"))
    session.flush()
    record(session, "registry.imported", "registry", "demo", actor_label="demo",
           data={"initiatives": 1, "source": "demo history"})
    return True


def _exists(session: Session, award: Award, person: Person | None, unit: OrgUnit) -> bool:
    nominee = (Dossier.nominee_person_id == person.id) if person is not None else (
        Dossier.nominee_unit_id == unit.id)
    return session.scalar(select(Dossier.id).where(
        Dossier.award_id == award.id, Dossier.year == YEAR, nominee)) is not None


def _drive(session: Session, spec: Spec, award: Award, storage: Storage) -> Dossier | None:
    units = {u.code: u for u in session.scalars(select(OrgUnit).where(
        OrgUnit.code.in_([spec.unit, spec.nominee_unit])))}
    nominee_unit = units[spec.nominee_unit]
    person = session.scalar(select(Person).where(Person.unit_id == nominee_unit.id,
                                                 Person.full_name == spec.nominee)) \
        if spec.nominee else None
    if _exists(session, award, person, nominee_unit):
        return None
    submitter = session.scalar(select(User).where(User.username == spec.submitter))
    reviewer = session.scalar(select(User).where(User.username == REVIEWER))
    version = award.version_on(today_vn())
    dossier = create_dossier(
        session, submitter, unit=units[spec.unit], award=award, commendation_type="CONG_TRANG",
        year=YEAR, person=person, nominee_unit=None if person else nominee_unit,
        summary=spec.summary)
    max_size = current_app.extensions["workflow_config"].max_content_length
    for doc_type in version.required_documents or []:
        add_document(session, dossier, submitter, doc_type=doc_type,
                     filename=f"{doc_type.lower()}-minh-hoa.pdf",
                     data=_demo_pdf(doc_type, units[spec.unit], spec, version.name_vi),
                     storage=storage, max_size=max_size)
    fire(session, dossier, "submit", submitter)
    fire(session, dossier, "accept", reviewer)
    fire(session, dossier, "send_to_council", reviewer)
    return dossier


def load_demo_council_dossiers(session: Session, storage: Storage | None = None) -> list[str]:
    """Open and drive what is missing; return lines saying what was done."""
    awards = {a.code: a for a in session.scalars(select(Award).where(
        Award.code.in_({spec.award for spec in SPECS})))}
    if len(awards) < len({spec.award for spec in SPECS}):
        return ["council dossiers skipped: load the catalogue first"]
    if session.scalar(select(User.id).where(User.username == REVIEWER)) is None:
        return ["council dossiers skipped: load the demo accounts first"]
    quang = session.scalar(select(Person).where(Person.full_name == "Nguyễn Văn Quang"))
    done = []
    if quang is not None and _initiative(session, quang):
        done.append("a ministry-scope initiative for Nguyễn Văn Quang")
    storage = storage or attachment_storage()
    driven = [d for d in (_drive(session, spec, awards[spec.award], storage) for spec in SPECS)
              if d is not None]
    if driven:
        done.append(f"{len(driven)} dossiers awaiting the council HDTDKT-BTP")
    return done
