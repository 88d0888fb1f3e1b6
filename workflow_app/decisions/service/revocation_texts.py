"""Default wording of a revoking decision — configurable templates the signer edits before
issuing, not quotations of the law. Document text is Vietnamese whatever the interface
language, so these strings are not translated.

Sourced facts used here (LEGAL_FACTS): the Law's number and date (§0, [P]); the implementing
decree in force on the decision's date — Nghị định 98/2023/NĐ-CP (31/12/2023, in force
01/01/2024) until 30/06/2025, then Nghị định 152/2025/NĐ-CP (14/06/2025, in force 01/07/2025)
(§0, [S]); the four grounds of Art. 93 k2 a–d and the recovery of award items and money
(§4.3, [P]). The phrases naming each ground paraphrase LEGAL_FACTS' summary of Art. 93 k2;
the article's exact words were not available — the signer checks them before issuing.
"""

from __future__ import annotations

from datetime import date

LAW_BASIS = "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 ngày 15 tháng 6 năm 2022;"
DECREE_152_FROM = date(2025, 7, 1)
DECREE_98 = "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ;"
DECREE_152 = "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ;"
GROUND_PHRASE = {
    "fraudulent_declaration": "gian dối trong việc kê khai thành tích",
    "false_papers": "cung cấp thông tin sai sự thật hoặc giấy tờ giả",
    "unlawful_procedure": "việc thẩm định, xét duyệt, đề nghị khen thưởng không đúng quy định "
                          "của pháp luật",
    "later_violation": "có kết luận, quyết định hoặc bản án của cơ quan có thẩm quyền xác định "
                       "có vi phạm làm mất tiêu chuẩn khen thưởng trong thời gian được tính để "
                       "khen thưởng",
}
SUMMARY = "Về việc hủy bỏ quyết định khen thưởng đối với {recipient}"
PROPOSAL = "Xét đề nghị hủy bỏ khen thưởng ngày {day}{evidence}."
CANCEL = ("Hủy bỏ việc tặng {award} năm {year} cho {recipient} tại Quyết định số {number} "
          "ngày {decided} của {issuer}, do {ground} (điểm {point} khoản 2 Điều 93 Luật Thi đua, "
          "khen thưởng).")
RECOVER = ("Thu hồi hiện vật khen thưởng và tiền thưởng đã nhận theo quy định tại khoản 2 "
           "Điều 93 Luật Thi đua, khen thưởng.")
IN_FORCE = "Quyết định này có hiệu lực kể từ ngày ký."
EXECUTION = ("Thủ trưởng các đơn vị có liên quan và {subject} có tên tại Điều 1 chịu trách "
             "nhiệm thi hành Quyết định này.")
RECIPIENTS = ("Như Điều 4;", "Lưu: VT, TĐKT.")


def decree_basis(on: date) -> str:
    """The implementing decree in force on `on` (LEGAL_FACTS §0)."""
    return DECREE_152 if on >= DECREE_152_FROM else DECREE_98


def vn_day(day: date) -> str:
    return day.strftime("%d/%m/%Y")
