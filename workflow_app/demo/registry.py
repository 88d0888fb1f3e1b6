"""Demo award history (DEMO ONLY): ratings and past titles for the staff of Cục Hộ tịch,
quốc tịch, chứng thực, so that eligibility shows rules met as well as rules not met.

Vương Thị Hạnh has a gap in her CSTĐCS history (2023 and 2025, not 2024) and a
ministry-scope initiative in 2025: a CSTĐ Bộ dossier for her for 2025 is flagged on the
"three consecutive CSTĐCS" rule (Law 2022 Art. 22) and cannot be submitted without a
reviewer's override — the "gap in the history" case of issue 5.

Written as registry imports would be (source "import"), idempotently: a person who already
has any rating is left alone. The decision numbers are invented demo numbers (900…).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.audit.chain import record
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.registry import AwardRecord, Initiative, PerformanceRating

UNIT_CODES = ("BTP-CHTQTCT", "BTP-CHTQTCT-PHT")
YEARS = range(2021, 2026)
# name → (years rated excellent, years holding CSTDCS, holds BK_TTG since,
#         (initiative year, scope) or None)
HISTORY = {
    "Nguyễn Văn Quang": ((2023, 2025), (2023, 2024, 2025), 2020, (2024, "unit")),
    "Đặng Minh Khôi": ((2025,), (2024, 2025), None, (2025, "unit")),
    "Tô Văn Nam": ((), (2025,), None, None),
    "Vương Thị Hạnh": ((2023, 2025), (2023, 2025), None, (2025, "ministry")),
}
NO_HISTORY = ((), (), None, None)


def _award(session: Session, person: Person, code: str, year: int, n: int) -> None:
    session.add(AwardRecord(person_id=person.id, award_code=code, year=year,
                            decision_number=f"{900 + n}/QĐ-BTP", decision_date=date(year, 12, 20),
                            issuer="Bộ Tư pháp (dữ liệu minh họa)", source="import"))


def load_demo_registry(session: Session) -> list[str]:
    units = session.scalars(select(OrgUnit.id).where(OrgUnit.code.in_(UNIT_CODES))).all()
    persons = session.scalars(select(Person).where(Person.unit_id.in_(units))).all()
    rated = set(session.scalars(select(PerformanceRating.person_id).where(
        PerformanceRating.person_id.in_([p.id for p in persons]))))
    added, n = 0, 0
    for person in persons:
        if person.id in rated:
            continue
        excellent, cstdcs, bk_ttg, initiative = HISTORY.get(person.full_name, NO_HISTORY)
        for year in YEARS:
            rating = "excellent" if year in excellent else "good"
            session.add(PerformanceRating(person_id=person.id, year=year, rating=rating))
            n += 1
            _award(session, person, "LDTT", year, n)
            if year in cstdcs:
                n += 1
                _award(session, person, "CSTDCS", year, n)
        if bk_ttg:
            n += 1
            _award(session, person, "BK_TTG", bk_ttg, n)
        if initiative:
            year, scope = initiative
            session.add(Initiative(person_id=person.id, year=year, scope=scope,
                                   title="Sáng kiến số hóa sổ hộ tịch (minh họa)",
                                   recognised_by="Bộ trưởng" if scope == "ministry"
                                   else "Cục trưởng"))
        added += 1
    if added:
        session.flush()
        record(session, "registry.imported", "registry", "demo", actor_label="demo",
               data={"persons": added, "source": "demo history"})
        return [f"award history for {added} persons of Cục Hộ tịch, quốc tịch, chứng thực"]
    return []
