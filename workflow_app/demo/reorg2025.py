"""The 1 July 2025 reorganisation for the demo's units (DEMO ONLY; issue 19 item 7), applied
by the same service an administrator uses (`org.service.reorg`).

Facts relied on (docs/reorganisation-2025.md, LEGAL_FACTS §11): from 01/07/2025 Quảng Bình
was merged into Quảng Trị (the province keeps the name Quảng Trị) and Bình Định into Gia
Lai; the district level was abolished, so the district Phòng Tư pháp ceased. What the demo
does NOT know and says so instead of inventing it: the number and date of each province's
decision merging the Sở (recorded as "Chưa xác minh", dated on the effective day), and
whether the merged Sở is legally a new body or the absorbing one continuing (recorded as
the absorbing Sở continuing, Quảng Bình's and Bình Định's history passing to it).

Added for the demonstration (`demo` units, not in the seeds): Sở Tư pháp tỉnh Quảng Trị
and Sở Tư pháp tỉnh Gia Lai as they were before the merger, and one district Phòng Tư pháp
per merged province (Bố Trạch — seed 000 names the district; Quy Nhơn — seed 003 speaks of
"Phòng Tư pháp các huyện, thị xã, thành phố" of Bình Định without naming them).

Idempotent: nothing is done when Sở Tư pháp tỉnh Quảng Bình has already closed.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.demo.loader import DemoError
from workflow_app.models.org import OrgUnit
from workflow_app.org.service import reorg
from workflow_app.org.service import units as unit_service

EFFECTIVE = date(2025, 7, 1)
UNVERIFIED = "Chưa xác minh"
NOTE = ("Dữ liệu minh họa: số, ngày quyết định chưa xác minh (LEGAL_FACTS §11 không nêu). "
        "Sự kiện sáp nhập từ 01/07/2025 theo việc sắp xếp đơn vị hành chính cấp tỉnh.")
ADDED_UNITS = (  # (code, name, name_en, kind, parent code)
    ("STP-QT", "Sở Tư pháp tỉnh Quảng Trị", "Quang Tri Department of Justice",
     "provincial_justice", "TPDP"),
    ("STP-GL", "Sở Tư pháp tỉnh Gia Lai", "Gia Lai Department of Justice",
     "provincial_justice", "TPDP"),
    ("PTP-QB-BT", "Phòng Tư pháp huyện Bố Trạch", "Bo Trach District Justice Division",
     "division", "STP-QB"),
    ("PTP-BD-QN", "Phòng Tư pháp thành phố Quy Nhơn", "Quy Nhon City Justice Division",
     "division", "STP-BD"),
)
DISSOLVED = (("PTP-QB-BT", "Ủy ban nhân dân huyện Bố Trạch (chưa xác minh)"),
             ("PTP-BD-QN", "Ủy ban nhân dân thành phố Quy Nhơn (chưa xác minh)"))
MERGERS = (("STP-QB", "STP-QT", "Ủy ban nhân dân tỉnh Quảng Trị (chưa xác minh)"),
           ("STP-BD", "STP-GL", "Ủy ban nhân dân tỉnh Gia Lai (chưa xác minh)"))


def _units(session: Session) -> dict[str, OrgUnit]:
    codes = {"STP-QB", "STP-BD", "TPDP"} | {spec[0] for spec in ADDED_UNITS}
    return {u.code: u for u in session.scalars(select(OrgUnit).where(OrgUnit.code.in_(codes)))}


def load_demo_reorganisation_2025(session: Session) -> list[str]:
    units = _units(session)
    if not {"STP-QB", "STP-BD", "TPDP"} <= set(units):
        return ["2025 reorganisation skipped: load the demo units first"]
    if units["STP-QB"].valid_to is not None:
        return []
    for code, name, name_en, kind, parent in ADDED_UNITS:
        if code not in units:
            units[code] = unit_service.create_unit(
                session, code=code, name=name, name_en=name_en, kind=kind,
                parent=units[parent], symbol="STP" if kind == "provincial_justice" else "")
    try:
        for code, issuer in DISSOLVED:
            reorg.apply(session, _change("dissolved", [units[code]], [], issuer))
        for merged, target, issuer in MERGERS:
            reorg.apply(session, _change("merged", [units[merged]], [units[target]], issuer,
                                         grants="move"))
    except reorg.ReorgError as exc:
        raise DemoError(f"2025 reorganisation: {exc}") from exc
    session.flush()
    return ["the 01/07/2025 reorganisation: Sở Tư pháp Quảng Bình merged into Sở Tư pháp "
            "tỉnh Quảng Trị, Bình Định into Gia Lai, two district Phòng Tư pháp dissolved "
            "(decision numbers unverified, marked so)"]


def _change(kind: str, subjects: list[OrgUnit], successors: list[OrgUnit], issuer: str,
            grants: str | None = None) -> reorg.Change:
    return reorg.Change(kind=kind, effective_date=EFFECTIVE, decision_number=UNVERIFIED,
                        decision_date=EFFECTIVE, decision_issuer=issuer, units=subjects,
                        successors=successors, grants_choice=grants, note=NOTE)
