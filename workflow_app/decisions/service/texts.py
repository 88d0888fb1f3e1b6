"""Default wording of issued documents — configurable templates, not legal claims.

These are the usual phrasings of award decisions and submission letters; the signer edits
every one of them on the issue form before the document is issued. Document text is
Vietnamese whatever the interface language, so these strings are not translated.
Placeholders: {awards} the award names, {issuer} the issuing body's name, {authority}.
"""

from __future__ import annotations

DECISION_SUMMARY = "Về việc tặng {awards}"
# The issuer's founding text (the decree on its functions and organisation) is configuration
# (OrgUnit.founding_ground); until it is entered this placeholder stands in its place, and no
# document is issued with it (legal_grounds.check_lines).
FOUNDING_BASIS = ("Căn cứ [số, ngày, cơ quan ban hành văn bản quy định chức năng, nhiệm vụ, "
                  "quyền hạn và cơ cấu tổ chức của {issuer}];")
# Stands for an award whose rule version has no formal "Căn cứ" lines in the catalogue yet.
AWARD_GROUNDS_MISSING = "Căn cứ [văn bản quy định về {award}: nhập trong danh mục khen thưởng];"
COUNCIL_PROPOSAL = "Theo đề nghị của Hội đồng Thi đua - Khen thưởng {issuer}."
ARTICLES = (
    "Tặng {awards} cho các cá nhân, tập thể có tên trong danh sách kèm theo Quyết định này.",
    "Quyết định này có hiệu lực kể từ ngày ký.",
    "Thủ trưởng các đơn vị có liên quan và các cá nhân, tập thể có tên tại Điều 1 chịu trách "
    "nhiệm thi hành Quyết định này.",
)
RECIPIENTS = ("Như Điều 3;", "Lưu: VT, TĐKT.")
ANNEX_TITLE = "DANH SÁCH ĐƯỢC KHEN THƯỞNG"

SUBMISSION_SUMMARY = "Về việc đề nghị tặng {awards}"
SUBMISSION_ADDRESSEE = {
    "prime_minister": "Kính gửi: Thủ tướng Chính phủ",
    "president": "Kính gửi: Chủ tịch nước",
}
SUBMISSION_BODY = (
    "Căn cứ kết quả xét duyệt của Hội đồng Thi đua - Khen thưởng {issuer}, {issuer} kính trình "
    "xem xét, quyết định tặng {awards} cho các cá nhân, tập thể có tên trong danh sách kèm theo.",
    "Hồ sơ đề nghị khen thưởng của từng trường hợp được gửi kèm theo Tờ trình này.",
)
SUBMISSION_RECIPIENTS = ("Như trên;", "Lưu: VT, TĐKT.")
SUBMISSION_ANNEX_TITLE = "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"


def article_lines(texts: list[str]) -> list[tuple[str, str]]:
    """Number the articles: [("Điều 1.", text), …]."""
    return [(f"Điều {index}.", text) for index, text in enumerate(texts, start=1)]
