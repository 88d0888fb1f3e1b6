"""The result of an acclamation contest as a document (biên bản kết quả bình xét, suy tôn),
attached to each nominee's flag dossier as its `BIEN_BAN_BINH_XET`.

Built from the stored contest and its ranked result only; Vietnamese whatever the interface
language (as all documents, see `minutes_doc.py`). The number is left blank for the cluster
head's records office, as on paper: the system does not keep the cluster's register.
"""

from __future__ import annotations

from datetime import date

from workflow_app.attachments.storage import ATTACHMENTS, Storage, app_storage
from workflow_app.decisions.service.layout import OfficialDocument, Paragraph
from workflow_app.decisions.service.pdf_render import render_pdf
from workflow_app.models.acclamation import AcclamationContest

REFERENCE = "      /BB-CTĐ"
DOC_TYPE = "BIEN_BAN_BINH_XET"
DENOMINATORS = {"all_members": "các đơn vị thành viên khác",
                "present_members": "các đơn vị khác dự và bỏ phiếu",
                "valid_ballots": "các phiếu hợp lệ của đơn vị khác"}


def attachment_storage() -> Storage:
    """Where dossier documents are stored (`dossiers.views.pages.storage`)."""
    return app_storage(ATTACHMENTS)


def _award_name(contest: AcclamationContest) -> str:
    version = contest.award.version_on(date.fromisoformat(contest.rule["rule_on"]))
    return version.name_vi if version is not None else contest.award.code


def document_of(contest: AcclamationContest, voted: int, recorder: str) -> OfficialDocument:
    conference = contest.conference
    cluster = conference.cluster
    rule = contest.rule
    head = next((m.unit.name for m in cluster.members_in(conference.year) if m.role == "head"),
                "")
    lines = [Paragraph(
        f"Ngày {conference.held_on:%d/%m/%Y}"
        f"{', tại ' + conference.place if conference.place else ''}, {cluster.name} tổ chức "
        f"hội nghị tổng kết năm {conference.year}, bình xét, suy tôn {contest.seats} đơn vị "
        f"đề nghị tặng {_award_name(contest)}.")]
    lines.append(Paragraph(
        f"Số đơn vị thành viên: {len(contest.voters)}; số đơn vị bỏ phiếu: {voted}. "
        f"Mỗi đơn vị bỏ phiếu cho tối đa {contest.seats} đơn vị khác. Được suy tôn: đạt "
        f"{'trên' if rule.get('comparator') == '>' else 'từ'} {rule.get('ratio')} số phiếu của "
        f"{DENOMINATORS.get(rule.get('denominator'), rule.get('denominator'))} và nằm trong "
        f"{contest.seats} vị trí dẫn đầu (quy tắc cấu hình, chưa xác định được căn cứ pháp lý)."))
    lines.append(Paragraph("KẾT QUẢ", centred_bold=True))
    for result in contest.results:
        marks = []
        if result.tied:
            marks.append("bằng phiếu")
        if result.acclaimed:
            marks.append("ĐƯỢC SUY TÔN")
        lines.append(Paragraph(
            f"{result.unit.name}: {result.votes} phiếu (cần {result.votes_needed}/"
            f"{result.denominator}){' — ' + ', '.join(marks) if marks else ''}.",
            lead=f"Hạng {result.rank}."))
    lines.append(Paragraph(f"Mã băm bộ phiếu (SHA-256): {contest.tally_hash}."))
    return OfficialDocument(
        issuer_name=cluster.name, reference=REFERENCE, place=conference.place or "—",
        issued_on=conference.held_on, doc_title="BIÊN BẢN",
        summary=f"Kết quả bình xét, suy tôn {_award_name(contest)} năm {conference.year}",
        signer_title="ĐƠN VỊ TRƯỞNG CỤM", signer_name=head,
        cosigner_title="NGƯỜI GHI KẾT QUẢ", cosigner_name=recorder,
        paragraphs=lines, recipients=[])


def render(contest: AcclamationContest, voted: int, recorder: str) -> bytes:
    """The PDF of the contest's result."""
    return render_pdf(document_of(contest, voted, recorder))
