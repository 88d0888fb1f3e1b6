"""Seed 000's figures as registry history (DEMO ONLY): Sở Tư pháp tỉnh Quảng Bình, 2015–2020.

The article (`/work/shared/seeds/000_*.txt`) gives, for the Justice sector of Quảng Bình over
2015–2020: 442 person-times of Chiến sĩ thi đua cơ sở, 10 of Chiến sĩ thi đua cấp tỉnh
(`CSTD_BO`: "Bộ, ban, ngành, tỉnh"), 1 Chiến sĩ thi đua toàn quốc, 19 collective-times of Tập
thể lao động xuất sắc (recognised by the provincial People's Committee), the Government's
emulation flag (Cờ thi đua của Chính phủ) in 2017 and a Labour Order, Second Class, in 2018.
The article names the Sở as the holder of the Labour Order in one paragraph and "01 cá nhân"
in its closing list; it is recorded here for the Sở, as the paragraph about 2017–2018 says.

Only the totals come from the article. Everything else is invented for the demonstration:
the 80 people (names, dates of birth, who is a leader), two of the collectives (Trung tâm Trợ
giúp pháp lý, Phòng Xây dựng và kiểm tra VBQPPL), how the figures spread over years and
people, every decision number (9xxx, marked "minh họa") and date. The rows go through the
registry's own XLSX import (`registry.service.importer`), as an officer would load them, so
the statistics page can be checked against the article (tests/reports).

Idempotent: nothing is added when the Sở already has any award record of 2015–2020.
"""

from __future__ import annotations

import io
from datetime import date

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workflow_app.demo.loader import DemoError
from workflow_app.models.catalogue import Award
from workflow_app.models.org import OrgUnit, Person
from workflow_app.models.registry import AwardRecord
from workflow_app.org.service import persons as person_service
from workflow_app.org.service import units as unit_service
from workflow_app.registry.service import importer

SO = "STP-QB"
YEARS = range(2015, 2021)
FIGURES = {"CSTDCS": 442, "CSTD_BO": 10, "CSTDTQ": 1, "TTLDXS": 19, "CO_CP": 1, "HCLD2": 1}
EXTRA_UNITS = (  # invented for the demonstration
    ("STP-QB-TGPL", "Trung tâm Trợ giúp pháp lý nhà nước", "State Legal Aid Centre"),
    ("STP-QB-XDKT", "Phòng Xây dựng và kiểm tra văn bản quy phạm pháp luật",
     "Legislative Drafting and Review Division"),
)
PEOPLE = 80
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Thanh", "Quốc", "Hữu", "Ngọc")
GIVEN = ("An", "Bảo", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hiền", "Hùng", "Khánh", "Lan",
         "Linh", "Long", "Mai", "Nam", "Nga", "Phong", "Phương", "Quân", "Sơn", "Tâm", "Thảo",
         "Thắng", "Trang", "Trung", "Tuấn", "Uyên", "Vinh", "Xuân", "Yến")
HEADER = ("full_name", "unit_code", "date_of_birth", "award_code", "year", "decision_number",
          "decision_date", "issuer")


def _name(i: int) -> str:
    return f"{FAMILY[i % 10]} {MIDDLE[(i // 10) % 8]} {GIVEN[(i * 7) % len(GIVEN)]}"


def _born(i: int) -> date:
    return date(1968 + i % 30, 1 + i % 12, 1 + (i * 3) % 28)


def _collectives(session: Session, so: OrgUnit) -> list[OrgUnit]:
    existing = {u.code for u in session.scalars(select(OrgUnit).where(OrgUnit.parent_id == so.id))}
    for code, name, name_en in EXTRA_UNITS:
        if code not in existing:
            unit_service.create_unit(session, code=code, name=name, name_en=name_en,
                                     kind="division", parent=so)
    session.flush()
    return list(session.scalars(select(OrgUnit).where(OrgUnit.parent_id == so.id)
                                .order_by(OrgUnit.code)))


def _people(session: Session, units: list[OrgUnit]) -> list[Person]:
    people = []
    for i in range(PEOPLE):
        unit = units[i % len(units)]
        name = _name(i)
        person = session.scalar(select(Person).where(Person.unit_id == unit.id,
                                                     Person.full_name == name))
        if person is None:
            person = person_service.create_person(
                session, full_name=name, unit=unit, position="Chuyên viên (minh họa)",
                is_leader=i % 8 == 0, date_of_birth=_born(i))
        people.append(person)
    return people


def rows(so: OrgUnit, units: list[OrgUnit], people: list[Person]) -> list[tuple]:
    """The award rows of the import: seed 000's totals spread over years, people, units."""
    out: list[tuple] = []
    n = 9000

    def add(person: Person | None, unit: OrgUnit, code: str, year: int, symbol: str,
            issuer: str) -> None:
        nonlocal n
        n += 1
        out.append((person.full_name if person else "", unit.code,
                    person.date_of_birth if person else None, code, year,
                    f"{n}/QĐ-{symbol}", date(year, 12, 20), f"{issuer} (minh họa)"))

    unit_of = {u.id: u for u in units}
    per_year = [FIGURES["CSTDCS"] // 6 + (1 if k < FIGURES["CSTDCS"] % 6 else 0)
                for k in range(6)]
    for k, year in enumerate(YEARS):
        for j in range(per_year[k]):
            person = people[(k * 7 + j) % len(people)]
            add(person, unit_of[person.unit_id], "CSTDCS", year, "STP", "Giám đốc Sở Tư pháp")
    for j in range(FIGURES["CSTD_BO"]):
        person = people[j * 3]
        add(person, unit_of[person.unit_id], "CSTD_BO", 2016 + j % 5, "UBND",
            "Chủ tịch UBND tỉnh Quảng Bình")
    add(people[1], unit_of[people[1].unit_id], "CSTDTQ", 2020, "TTg", "Thủ tướng Chính phủ")
    slots = [(unit, year) for year in YEARS for unit in units][: FIGURES["TTLDXS"]]
    for unit, year in slots:
        add(None, unit, "TTLDXS", year, "UBND", "Chủ tịch UBND tỉnh Quảng Bình")
    add(None, so, "CO_CP", 2017, "TTg", "Thủ tướng Chính phủ")
    add(None, so, "HCLD2", 2018, "CTN", "Chủ tịch nước")
    return out


def workbook(table: list[tuple]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "awards"
    sheet.append(HEADER)
    for row in table:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def load_seed000_history(session: Session) -> list[str]:
    so = session.scalar(select(OrgUnit).where(OrgUnit.code == SO))
    if so is None:
        return []
    held = session.scalar(
        select(func.count(AwardRecord.id)).outerjoin(Person, Person.id == AwardRecord.person_id)
        .join(OrgUnit, OrgUnit.id == func.coalesce(Person.unit_id, AwardRecord.unit_id))
        .where(OrgUnit.path.startswith(so.path), AwardRecord.year.in_(list(YEARS))))
    if held:
        return []
    known = set(session.scalars(select(Award.code).where(Award.code.in_(list(FIGURES)))))
    if known != set(FIGURES):
        return ["seed 000 award history skipped: load the award catalogue first "
                "(flask catalogue load)"]
    units = _collectives(session, so)
    people = _people(session, units)
    session.flush()
    plan = importer.validate(session, workbook(rows(so, units, people)))
    if not plan.ok:
        problems = "; ".join(f"{p.sheet} {p.row} {p.column}: {p.reason}"
                             for p in plan.problems[:5])
        raise DemoError(f"seed 000 history does not import: {problems}")
    importer.apply(session, plan, filename="seed000-demo.xlsx")
    return [f"seed 000 award history of Sở Tư pháp tỉnh Quảng Bình, 2015–2020 "
            f"({len(plan.awards)} awards)"]



