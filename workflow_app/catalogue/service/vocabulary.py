"""The closed vocabularies a catalogue file may use (codes are data; labels live in `words`)."""

from __future__ import annotations

from workflow_app.models.catalogue import AWARD_KINDS, AWARD_SUBJECTS, CONFERRING_LEVELS, WORKFLOWS

__all__ = ["AWARD_KINDS", "AWARD_SUBJECTS", "CONFERRING_LEVELS", "WORKFLOWS"]

# Council vote rules (DESIGN §5).
VOTE_METHODS = ("secret_ballot", "open_vote", "cluster_acclamation")
VOTE_NUMERATORS = ("agree",)
VOTE_DENOMINATORS = ("all_members", "present_members", "valid_ballots")
COMPARATORS = (">=", ">")

# Dossier documents (LEGAL_FACTS §9, Law Art. 84).
DOCUMENT_CODES = (
    "TO_TRINH",  # tờ trình (submission)
    "BAO_CAO_THANH_TICH",  # báo cáo thành tích (full achievement report)
    "BAO_CAO_TOM_TAT_THANH_TICH",  # báo cáo tóm tắt thành tích (short, simplified procedure)
    "BIEN_BAN_BINH_XET",  # biên bản bình xét thi đua (review minutes, titles)
    "BIEN_BAN_HOI_DONG",  # biên bản xét khen thưởng / Hội đồng (council minutes, forms)
    "XAC_NHAN_SANG_KIEN",  # certification of the initiative
    "XAC_NHAN_DE_TAI",  # certification of the science topic / S&T work
    "XAC_NHAN_THANH_TICH_DOT_XUAT",  # certification of an ad hoc achievement
    "BAO_CAO_LAY_Y_KIEN_NHAN_DAN",  # report on the public consultation
    "FILE_DIEN_TU",  # electronic file of the dossier
    "QUYET_DINH",  # decision
    "HO_SO_HUY_BO",  # revocation dossier
)
# Documents the procedure itself cannot do without.
NORMAL_CORE_DOCUMENTS = ("TO_TRINH", "BAO_CAO_THANH_TICH")
SIMPLIFIED_CORE_DOCUMENTS = ("TO_TRINH", "BAO_CAO_TOM_TAT_THANH_TICH")

# The five cases of the simplified procedure (Law Art. 85; ND 98/2023 Art. 40 k1).
SIMPLIFIED_CASES = (
    "POLITICAL_TASK",  # serving the political tasks of the Party and State
    "DOT_XUAT",  # ad hoc outstanding achievement, rescue, regional/world prize
    "HEAD_DISCOVERED",  # achievement discovered by the head of the agency
    "CONG_HIEN",  # service period (cống hiến)
    "NIEN_HAN",  # seniority (niên hạn)
    "DOI_NGOAI",  # external affairs (đối ngoại)
    "STATE_SECRET",  # achievement involving State secrets
)

QUOTA_KINDS = ("none", "share_of")
QUOTA_GROUPS = ("cluster_leaders",)  # a quota base that is not an award

# Yearly assessment ratings, best first.
RATINGS = ("excellent", "good", "complete")  # HTXSNV, HTTNV, HTNV
SCOPES = ("unit", "ministry", "nationwide")  # recognised scope of an initiative/topic
DISCIPLINE_LEVELS = ("reprimand", "warning")  # khiển trách, cảnh cáo (and above)
CLUSTER_LEVELS = ("ministry", "central")  # cluster run by a ministry/province, or by HĐTĐKT TW
MOVEMENT_LAUNCHERS = ("ministry", "prime_minister")
HOLD_WHEN = ("same_year", "before")
