"""Names of dossier document types (codes from LEGAL_FACTS §9 / Law Art. 84), for messages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DOCUMENT_LABELS = {
    "TO_TRINH": _l("Submission letter (tờ trình)"),
    "BAO_CAO_THANH_TICH": _l("Achievement report (báo cáo thành tích)"),
    "BAO_CAO_TOM_TAT_THANH_TICH": _l("Short achievement report (báo cáo tóm tắt thành tích)"),
    "BIEN_BAN_BINH_XET": _l("Review minutes (biên bản bình xét)"),
    "BIEN_BAN_HOI_DONG": _l("Council minutes (biên bản họp Hội đồng)"),
    "XAC_NHAN_SANG_KIEN": _l("Certification of the initiative (xác nhận sáng kiến)"),
    "XAC_NHAN_DE_TAI": _l("Certification of the research work (xác nhận đề tài)"),
    "XAC_NHAN_THANH_TICH_DOT_XUAT": _l(
        "Certification of the ad hoc achievement (xác nhận thành tích đột xuất)"
    ),
    "BAO_CAO_LAY_Y_KIEN_NHAN_DAN": _l("Report on the public consultation"),
    "FILE_DIEN_TU": _l("Electronic file of the dossier"),
    "QUYET_DINH": _l("Decision (quyết định)"),
    "HO_SO_HUY_BO": _l("Revocation dossier"),
}


def document_label(code: str) -> str:
    """The translated name of a document type; the code itself when it is unknown."""
    label = DOCUMENT_LABELS.get(code)
    return str(label) if label is not None else code
