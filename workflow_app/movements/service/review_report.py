"""The half-year and year-end reviews of a movement (sơ kết, tổng kết), generated from what was
recorded: the notes of its review steps (what was said when the half-year review opened or
the movement concluded), registrations, inspections, published scores and classifications,
and the awards conferred on its participants for its year. As a page, and as a DOCX and a PDF in the
layout of the official documents (`decisions.service.layout`), Vietnamese whatever the
interface language (as all documents). The number is left blank, as on paper."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.decisions.service.layout import OfficialDocument, Paragraph
from workflow_app.models.catalogue import Award
from workflow_app.models.movement import Inspection, Movement
from workflow_app.models.registry import AwardRecord
from workflow_app.movements.service.inspections import inspections_of
from workflow_app.movements.service.queries import history, registration_status
from workflow_app.scoring.service.points import show_points
from workflow_app.scoring.service.queries import tables_of_cluster, tables_of_movement
from workflow_app.scoring.service.ranking import ranking

KINDS = {"half_year": "SƠ KẾT 6 THÁNG", "year_end": "TỔNG KẾT"}


@dataclass(frozen=True)
class Review:
    movement: Movement
    kind: str
    registered: list  # Registration rows
    not_registered: list  # OrgUnit rows
    titles: list[tuple[str, int]]  # (award code, count of lines)
    inspections: list[Inspection]
    tables: list[tuple]  # (ScoreTable, [RankRow]) published only
    awards: list[AwardRecord]
    notes: tuple[str, ...] = ()  # the reasons recorded with the movement's steps, oldest first


def build(session: Session, movement: Movement, kind: str) -> Review:
    status = registration_status(session, movement)
    titles = Counter(line.award.code for r in status.registered for line in r.lines)
    participants = [p.unit_id for p in movement.participants]
    awards = list(session.scalars(
        select(AwardRecord).where(AwardRecord.unit_id.in_(participants),
                                  AwardRecord.year == movement.year,
                                  AwardRecord.revoked_at.is_(None))
        .order_by(AwardRecord.award_code, AwardRecord.id))) if participants else []
    tables = [t for t in tables_of_movement(session, movement.id) if t.status == "published"]
    if movement.cluster_id is not None:
        tables += [t for t in tables_of_cluster(session, movement.cluster_id)
                   if t.status == "published" and t.year == movement.year]
    published = [(t, [row for row in ranking(session, t) if row.scored]) for t in tables]
    notes = [e.data["reason"] for e in history(session, movement) if (e.data or {}).get("reason")]
    return Review(movement, kind, status.registered, status.not_registered,
                  sorted(titles.items()), inspections_of(session, movement), published, awards,
                  tuple(notes))


def document_of(session: Session, review: Review, today: date) -> OfficialDocument:
    m = review.movement
    names = {a.code: (a.version_on(today).name_vi if a.version_on(today) else a.code)
             for a in session.scalars(select(Award))}
    launched = ""
    if m.document_number:
        day = f", ngày {m.document_date:%d/%m/%Y}" if m.document_date else ""
        launched = f" ({m.document_number}{day})"
    lines = [Paragraph(
        f"Thực hiện {m.title}{launched}, thời gian từ {m.period_start:%d/%m/%Y} đến "
        f"{m.period_end:%d/%m/%Y}, {len(m.participants)} đơn vị tham gia.")]
    if m.theme:
        lines.append(Paragraph(f"Chủ đề, mục đích: {m.theme}"))
    lines.extend(Paragraph(note) for note in review.notes)
    lines.append(Paragraph("I. ĐĂNG KÝ THI ĐUA", centred_bold=True))
    lines.append(Paragraph(f"Đã đăng ký: {len(review.registered)} đơn vị; chưa đăng ký: "
                           f"{len(review.not_registered)} đơn vị"
                           + (f" ({', '.join(u.name for u in review.not_registered)})"
                              if review.not_registered else "") + "."))
    for code, count in review.titles:
        lines.append(Paragraph(f"{names.get(code, code)}: {count} đăng ký.", lead="–"))
    lines.append(Paragraph("II. KIỂM TRA", centred_bold=True))
    if not review.inspections:
        lines.append(Paragraph("Chưa ghi nhận cuộc kiểm tra nào."))
    for i in review.inspections:
        lines.append(Paragraph(f"{i.unit.name}, ngày {i.held_on:%d/%m/%Y}: {i.findings}",
                               lead="–"))
    lines.append(Paragraph("III. CHẤM ĐIỂM, XẾP LOẠI", centred_bold=True))
    if not review.tables:
        lines.append(Paragraph("Chưa có kết quả chấm điểm được công bố."))
    for table, rows in review.tables:
        lines.append(Paragraph(table.title, lead="–"))
        for row in rows:
            band = row.band["label_vi"] if row.band else "—"
            tie = " (đồng hạng)" if row.tied else ""
            lines.append(Paragraph(f"{row.unit_name}: {show_points(row.total_cp)} điểm, {band}"
                                   f"{tie}.", lead=f"Hạng {row.rank}."))
    if review.kind == "year_end":
        lines.append(Paragraph("IV. KHEN THƯỞNG", centred_bold=True))
        if not review.awards:
            lines.append(Paragraph("Chưa ghi nhận khen thưởng của năm trong sổ theo dõi."))
        for a in review.awards:
            lines.append(Paragraph(f"{a.unit.name}: {names.get(a.award_code, a.award_code)} "
                                   f"({a.decision_number}, {a.decision_date:%d/%m/%Y}).",
                                   lead="–"))
    return OfficialDocument(
        issuer_name=m.unit.name, reference=f"      /BC-{m.unit.symbol or 'TĐKT'}",
        place="—", issued_on=today, doc_title="BÁO CÁO",
        summary=f"{KINDS[review.kind].capitalize()} {m.title}",
        signer_title="THỦ TRƯỞNG ĐƠN VỊ", signer_name="", paragraphs=lines, recipients=[])
