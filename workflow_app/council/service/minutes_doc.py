"""The minutes' content drawn as an administrative document (BIÊN BẢN, symbol BB).

Built from the content dict of `minutes.py` only, so a frozen content renders the same
document again. Document text is Vietnamese whatever the interface language (as in
`decisions/service/texts.py`), so these strings are not translated. Drawn by the decision
pipeline (`decisions/service/docx_render.py`, `decisions/service/pdf_render.py`), with the
chair signing on the right
and the secretary on the left.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from workflow_app.council.service.minutes import PLACE_OF_SIGNING
from workflow_app.decisions.service.docx_render import render_docx
from workflow_app.decisions.service.layout import OfficialDocument, Paragraph
from workflow_app.decisions.service.pdf_render import render_pdf

DRAFT_REFERENCE = "      /BB-HĐTĐKT"  # a draft: the number is given at the chair's sign-off
ATTENDANCE = {"present": "có mặt", "absent": "vắng mặt",
              "absent_written_vote": "vắng mặt, biểu quyết bằng phiếu gửi"}
ROLES = {"chair": "Chủ tịch", "vice_chair": "Phó Chủ tịch", "standing_member": "Thường trực",
         "member": "Ủy viên", "secretary": "Thư ký"}
METHODS = {"secret_ballot": "bỏ phiếu kín", "open_vote": "biểu quyết công khai",
           "cluster_acclamation": "bỏ phiếu kín (sau suy tôn của cụm)"}
DENOMINATORS = {"all_members": "tổng số thành viên", "present_members": "số thành viên dự họp",
                "valid_ballots": "số phiếu hợp lệ"}
OUTCOMES = {"approved": "Đạt", "rejected": "Không đạt"}
# The same word as the pages' Vietnamese for "Abstain" (messages.po), so one term everywhere.
ABSTAIN = "không có ý kiến"
KINDS = {"nominee": "là người được đề nghị", "nominee_unit": "thuộc đơn vị được đề nghị",
         "declared": "tự khai xung đột lợi ích"}


def item_heading(item: dict[str, Any]) -> str:
    """"title — nominee — award", each part once: a dossier title that already names the
    nominee or the award is not followed by it again."""
    parts = [item["title"]]
    for extra in (item["nominee"], item["award"]):
        if extra and extra not in " — ".join(parts):
            parts.append(extra)
    return " — ".join(parts)


def _item_lines(item: dict[str, Any]) -> list[Paragraph]:
    lines = [Paragraph(f"{item_heading(item)}.", lead=f"{item['position']}.")]
    for r in item["recusals"]:
        if r["status"] == "accepted":
            reason = f": {r['reason']}" if r["reason"] else ""
            lines.append(Paragraph(f"Không tham gia biểu quyết: {r['member']} "
                                   f"({KINDS.get(r['kind'], r['kind'])}){reason}."))
    t = item["tally"]
    if t:
        lines.append(Paragraph(
            f"Hình thức: {METHODS.get(t['method'], t['method'])} (vòng {item['round']}). "
            f"Đồng ý: {t['agree']}; không đồng ý: {t['disagree']}; {ABSTAIN}: "
            f"{t['abstain']}. Cần {t['votes_needed']}/{t['denominator']} phiếu đồng ý "
            f"({DENOMINATORS.get(t['rule']['denominator'], t['rule']['denominator'])}, "
            f"trừ thành viên không tham gia). Kết quả: {OUTCOMES.get(t['outcome'], '')}."))
    else:
        lines.append(Paragraph("Chưa đưa ra biểu quyết."))
    if item["held_for_chair"]:
        lines.append(Paragraph(f"Chủ tịch Hội đồng bảo lưu để quyết định: {item['hold_reason']}"))
    if item["ruling"]:
        lines.append(Paragraph(f"Quyết định của Chủ tịch Hội đồng: "
                               f"{OUTCOMES.get(item['ruling'], '')}. Lý do: "
                               f"{item['ruling_reason']}"))
    return lines


def _round_lines(r: dict[str, Any]) -> list[Paragraph]:
    q = r["quorum"]
    rule = q.get("rule") or {}
    return [Paragraph(
        f"Có mặt {q['present_count']}/{q['entitled_count']} thành viên có quyền biểu quyết "
        f"(cần {q['needed']}, quy tắc {rule.get('comparator', '')} {rule.get('ratio', '')}): "
        f"{'đủ' if q['met'] else 'không đủ'} số lượng. Số thành viên vắng mặt biểu quyết "
        f"bằng phiếu gửi: {r['written_papers']}. Số phiếu kín trong hòm phiếu (gồm cả phiếu "
        f"gửi): {r['ballot_count'] if r['ballot_count'] is not None else '—'}. "
        f"Mã băm bộ phiếu (SHA-256): {r['ballot_set_hash'] or '—'}.",
        lead=f"Vòng {r['number']}.")]


def document_of(content: dict[str, Any]) -> OfficialDocument:
    session, council = content["session"], content["council"]
    held_on = date.fromisoformat(session["held_on"])
    paragraphs = [Paragraph(
        f"Hôm nay, ngày {held_on:%d/%m/%Y}, tại {session['place'] or '—'}, "
        f"{council['name']} họp xét đề nghị khen thưởng.")]
    paragraphs.append(Paragraph("I. THÀNH PHẦN", centred_bold=True))
    for m in content["members"]:
        paragraphs.append(Paragraph(
            f"{m['name']} — {ROLES.get(m['role'], m['role'])}: "
            f"{ATTENDANCE.get(m['attendance'], m['attendance'])}."))
    paragraphs.append(Paragraph("II. SỐ LƯỢNG THÀNH VIÊN DỰ HỌP", centred_bold=True))
    for r in content["rounds"]:
        paragraphs.extend(_round_lines(r))
    paragraphs.append(Paragraph("III. KẾT QUẢ BIỂU QUYẾT", centred_bold=True))
    for item in content["items"]:
        paragraphs.extend(_item_lines(item))
    head = content["audit_head"]
    paragraphs.append(Paragraph(
        f"Nhật ký kiểm toán tại thời điểm lập biên bản: sự kiện số {head['seq']}, "
        f"mã băm {head['hash']}."))
    return OfficialDocument(
        issuer_name=council["name"],
        reference=(content.get("number") or {}).get("reference") or DRAFT_REFERENCE,
        place=session.get("city") or PLACE_OF_SIGNING,
        issued_on=held_on, doc_title="BIÊN BẢN",
        summary=f"Họp {council['name']}",
        signer_title="CHỦ TỊCH HỘI ĐỒNG", signer_name=content["chair"],
        cosigner_title="THƯ KÝ", cosigner_name=content["secretary"],
        paragraphs=paragraphs, recipients=[])


def render(content: dict[str, Any]) -> tuple[bytes, bytes]:
    """(DOCX bytes, PDF bytes) of the minutes."""
    doc = document_of(content)
    return render_docx(doc), render_pdf(doc)
