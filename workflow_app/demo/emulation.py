"""The emulation year replayed from the seeds (DEMO ONLY), through the services and the engine.

- Seed 001: the Ministry's 2017 movement, launched by QĐ 131/QĐ-BTP of 25/01/2017, and under
  it Cụm thi đua số III's plan 207/KH-CTĐIII ("Chung tay xây dựng quê hương"; the cluster's
  theme "Tôn trọng kỷ cương, tăng cường công nghệ, thi về đích sớm"), the cluster's
  inspections of Cục Trợ giúp pháp lý and Thanh tra Bộ in 2017, and a year-end scoring whose
  ranking leads to the acclamation already in the demo (Cục Hộ tịch, quốc tịch, chứng thực
  and Thanh tra Bộ first). The seed gives neither the criteria nor the points: the table and
  every score below are INVENTED (the dates of the inspections too: the seed says "6 tháng
  đầu năm và cả năm").
- Seed 002: the 2018 pact of the Khu vực thi đua of the central-coast and Central Highlands
  justice agencies (Đồng Hới, 19/03/2018). The seed names 26 units of 13 provinces without
  listing them: only the demo's four units of the area sign (ILLUSTRATIVE), with invented
  signatories' posts.
- Seed 003: Sở Tư pháp Bình Định's thematic plan 16/KH-STP of 07/03/2023 (period 01/01 –
  31/10/2023) under QĐ 236/QĐ-BTP of 28/02/2023, with the areas of work the article lists
  (14 named there).
- Seed 000: Sở Tư pháp Quảng Bình rated A five years running, 2016–2020 (the registry's
  "excellent", entered as the Ministry's rating of each year).
- Seed 004: the Khối thi đua các bộ, ngành Nội chính Trung ương's 2022 year, at its half-year
  review of 05/08/2022 (the movement stays "Sơ kết 6 tháng"): the block's theme and the
  directions for the last six months in the article's words, the four movements of the
  Central Emulation and Commendation Council it names, Bộ Tư pháp as the one member the
  article names. The article gives no launching document: its number
  (`SEED_004_DOCUMENT`, symbol MINHHOA) and date are ILLUSTRATIVE, and say so.

Idempotent: nothing is done when the 2017 movement exists.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.models.movement import Movement
from workflow_app.models.org import Cluster, OrgUnit
from workflow_app.models.registry import UnitRating
from workflow_app.models.user import User
from workflow_app.movements.service import inspections, pacts
from workflow_app.movements.service.movements import PlanFields, create_movement
from workflow_app.scoring.service.building import CriterionSpec, GroupSpec, create_table
from workflow_app.scoring.service.results import lock_results, publish_results
from workflow_app.scoring.service.scores import ScoreInput, save_scores
from workflow_app.workflow import fire

CUM_III = ("BTP-CHTQTCT", "BTP-TCTHADS", "BTP-CBTNN", "BTP-CKTVB", "BTP-CDKGDBD", "BTP-CTGPL",
           "BTP-CCN", "BTP-CCNTT", "BTP-TTR", "BTP-CCTPN", "BTP-CBTTP", "BTP-CQLXLVPHC")
# INVENTED points (of 30, 25, 25, 20 and a bonus of 5), in the order of CUM_III.
POINTS = ((29, 24.5, 25, 19.5, 5), (27, 22, 23, 18, 2), (28, 23.5, 24, 19, 3),
          (28.5, 24, 24, 19, 3.5), (27, 23, 22.5, 18.5, 2), (26.5, 22, 23, 18, 2.5),
          (26, 22.5, 22, 17.5, 1), (27, 21.5, 22.5, 18, 1.5), (29, 24, 24.5, 19.5, 4.5),
          (25.5, 21, 22, 17, 1), (26, 22, 21.5, 18, 2), (26.5, 21.5, 22, 17.5, 1.5))
SEED_004_DOCUMENT = "01/KH-MINHHOA"  # ILLUSTRATIVE: seed 004 names no launching document
SEED_004_AREAS = (  # "6 tháng cuối năm" (seed 004), in the article's words
    "Tham mưu thể chế hóa những định hướng chính sách lớn, then chốt trong văn kiện Đại hội "
    "XIII của Đảng, các kết luận của Bộ Chính trị, Ban Bí thư",
    "Phong trào thi đua “Cả nước chung sức xây dựng nông thôn mới”",
    "Phong trào thi đua “Vì người nghèo – Không để ai bị bỏ lại phía sau”",
    "Phong trào thi đua “Doanh nghiệp Việt Nam hội nhập và phát triển”",
    "Phong trào thi đua “Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở”",
    "Phát hiện, bồi dưỡng, nhân rộng tấm gương người tốt, việc tốt, điển hình tiên tiến",
    "Tổ chức thực hiện tốt đợt kiểm tra của Khối ở các đơn vị thuộc bộ, ban, ngành theo đúng "
    "kế hoạch đã đề ra",
    "Đào tạo, bồi dưỡng, tập huấn cho đội ngũ cán bộ làm công tác thi đua, khen thưởng",
)
SEED_004_REVIEW = (
    "Sơ kết công tác thi đua, khen thưởng 06 tháng đầu năm 2022 ngày 05/08/2022: các bộ, "
    "ngành trong Khối đã hưởng ứng, phát động và tổ chức triển khai có hiệu quả các phong "
    "trào thi đua; tồn tại: chưa thật sự đồng đều ở các cơ quan, đơn vị, có lúc, có nơi còn "
    "biểu hiện tính hình thức, chưa nhân rộng được nhiều điển hình tiên tiến.")
BINH_DINH_AREAS = (
    "Xây dựng, thẩm định văn bản quy phạm pháp luật",
    "Kiểm tra, rà soát, hệ thống hóa văn bản quy phạm pháp luật",
    "Phổ biến, giáo dục pháp luật",
    "Hòa giải ở cơ sở và tiếp cận pháp luật của người dân ở cơ sở",
    "Hộ tịch, chứng thực", "Bổ trợ tư pháp", "Trợ giúp pháp lý",
    "Quản lý xử lý vi phạm hành chính và theo dõi thi hành pháp luật",
    "Bồi thường Nhà nước", "Lý lịch tư pháp", "Nuôi con nuôi",
    "Ứng dụng công nghệ thông tin",
    "Thanh tra, giải quyết khiếu nại, tố cáo, phòng, chống tham nhũng",
    "Kiện toàn tổ chức, bộ máy",
)


def _units(session: Session, codes) -> dict[str, OrgUnit]:
    return {u.code: u for u in session.scalars(select(OrgUnit).where(OrgUnit.code.in_(codes)))}


def _launch(session: Session, actor: User, movement: Movement, number: str, day: date,
            signer: str, *, start: bool = True) -> None:
    fire(session, movement, "launch", actor, movement.version, document_number=number,
         document_date=day.isoformat(), document_signer=signer)
    if start:
        fire(session, movement, "start", actor, movement.version)


def load_demo_emulation(session: Session) -> list[str]:
    if session.scalar(select(Movement.id).where(Movement.document_number == "131/QĐ-BTP")):
        return []
    reviewer = session.scalar(select(User).where(User.username == "demo.reviewer"))
    officer = session.scalar(select(User).where(User.username == "demo.vutdkt"))
    units = _units(session, (*CUM_III, "BTP", "STP-QB", "STP-BD", "THADS-QB", "THADS-BD"))
    if reviewer is None or officer is None or len(units) < len(CUM_III) + 5:
        return ["emulation year skipped: load the demo units and accounts first"]
    done = [*_seed_001(session, reviewer, officer, units), *_seed_003(session, reviewer, units),
            *_seed_002(session, reviewer, units), *_seed_000(session, units),
            *_seed_004(session, reviewer, units)]
    session.flush()
    return done


def _seed_001(session: Session, reviewer: User, officer: User,
              units: dict[str, OrgUnit]) -> list[str]:
    ministry = create_movement(session, reviewer, units["BTP"], PlanFields(
        title="Phong trào thi đua ngành Tư pháp năm 2017",
        theme="Toàn ngành Tư pháp siết chặt kỷ luật, kỷ cương, tăng cường ứng dụng công nghệ "
              "thông tin, thi đua hoàn thành xuất sắc nhiệm vụ chính trị được giao năm 2017",
        kind="regular", scope="sector", year=2017, period_start=date(2017, 1, 1),
        period_end=date(2017, 12, 31), participant_ids=[units[c].id for c in CUM_III]))
    _launch(session, reviewer, ministry, "131/QĐ-BTP", date(2017, 1, 25), "Bộ trưởng Bộ Tư pháp")
    cluster = session.scalar(select(Cluster).where(Cluster.code == "CUM-III"))
    plan = create_movement(session, reviewer, units["BTP"], PlanFields(
        title="Kế hoạch thực hiện nội dung thi đua “Chung tay xây dựng quê hương” của Cụm thi "
              "đua số III năm 2017",
        theme="Chủ đề thi đua của Cụm: “Tôn trọng kỷ cương, tăng cường công nghệ, thi về đích "
              "sớm”.",
        kind="thematic", scope="cluster", year=2017, period_start=date(2017, 1, 1),
        period_end=date(2017, 12, 31), parent_id=ministry.id, cluster_id=cluster.id,
        participant_ids=[units[c].id for c in CUM_III],
        areas=["Hoạt động tư pháp liên quan trực tiếp đến người dân",
               "Hỗ trợ nâng cao hiệu lực, hiệu quả quản lý nhà nước tại cơ sở",
               "Chung sức xây dựng nông thôn mới"]))
    _launch(session, reviewer, plan, "207/KH-CTĐIII", date(2017, 3, 1),
            "Trưởng Cụm thi đua số III")
    for code, day in (("BTP-CTGPL", date(2017, 7, 12)), ("BTP-TTR", date(2017, 11, 8))):
        inspections.record_inspection(
            session, reviewer, plan, units[code], held_on=day, today=date.today(),
            findings="Kiểm tra công tác thi đua, khen thưởng 6 tháng đầu năm và cả năm 2017: "
                     "đơn vị triển khai đầy đủ kế hoạch, hoàn thành các chỉ tiêu thi đua đã "
                     "đăng ký (ngày kiểm tra và kết quả cụ thể: dữ liệu minh họa).")
    table = create_table(
        session, reviewer, title="Bảng chấm điểm thi đua Cụm thi đua số III năm 2017 "
                                 "(dữ liệu minh họa)", year=2017,
        assessor=units["BTP-CHTQTCT"], cluster=cluster,
        groups=[GroupSpec("Thực hiện nhiệm vụ chuyên môn", code="I", criteria=[
                    CriterionSpec("Hoàn thành chỉ tiêu, nhiệm vụ công tác năm", "30", code="1"),
                    CriterionSpec("Siết chặt kỷ luật, kỷ cương hành chính", "25", code="2")]),
                GroupSpec("Công tác thi đua, khen thưởng", code="II", criteria=[
                    CriterionSpec("Triển khai phong trào thi đua của Bộ và của Cụm", "25",
                                  code="3"),
                    CriterionSpec("Ứng dụng công nghệ thông tin", "20", code="4",
                                  guidance="Văn bản điện tử có chữ ký số trên 95 %: 20 điểm"),
                    CriterionSpec("Sáng kiến, mô hình hay được nhân rộng", "5", kind="bonus",
                                  code="5")])],
        bands=[{"code": "A", "label_vi": "Xếp loại A", "label_en": "Grade A",
                "min_points": "95", "rating": "excellent"},
               {"code": "B", "label_vi": "Xếp loại B", "label_en": "Grade B",
                "min_points": "85", "rating": "good"},
               {"code": "C", "label_vi": "Xếp loại C", "label_en": "Grade C",
                "min_points": "0", "rating": "completed"}])
    session.flush()
    criteria = [c.id for g in table.groups for c in g.criteria]
    for code, points in zip(CUM_III, POINTS, strict=True):
        save_scores(session, officer, table, units[code], "self", table.version,
                    [ScoreInput(c, str(p), "") for c, p in zip(criteria, points, strict=True)])
    save_scores(session, officer, table, units["BTP-TCTHADS"], "assessor", table.version,
                [ScoreInput(criteria[0], "26", "Hai chỉ tiêu hoàn thành sau thời hạn "
                                               "(dữ liệu minh họa).")])
    lock_results(session, reviewer, table, table.version)
    publish_results(session, reviewer, table, table.version)
    return ["movement 131/QĐ-BTP (2017) and Cụm III's plan 207/KH-CTĐIII launched, two "
            "inspections, an illustrative year-end scoring of Cụm III published"]


def _seed_003(session: Session, reviewer: User, units: dict[str, OrgUnit]) -> list[str]:
    ministry = create_movement(session, reviewer, units["BTP"], PlanFields(
        title="Kế hoạch phát động phong trào thi đua theo chuyên đề đối với các cơ quan Tư pháp "
              "địa phương năm 2023",
        theme="Phong trào thi đua theo chuyên đề đối với các cơ quan Tư pháp địa phương.",
        kind="thematic", scope="sector", year=2023, period_start=date(2023, 1, 1),
        period_end=date(2023, 12, 31), participant_ids=[units["STP-BD"].id,
                                                        units["STP-QB"].id]))
    _launch(session, reviewer, ministry, "236/QĐ-BTP", date(2023, 2, 28), "Bộ trưởng Bộ Tư pháp")
    plan = create_movement(session, reviewer, units["STP-BD"], PlanFields(
        title="Kế hoạch phát động phong trào thi đua theo chuyên đề năm 2023 của Sở Tư pháp "
              "tỉnh Bình Định",
        theme="“Đoàn kết, kỷ cương, trách nhiệm, sáng tạo, thi đua hoàn thành xuất sắc nhiệm "
              "vụ”",
        kind="thematic", scope="unit", year=2023, period_start=date(2023, 1, 1),
        period_end=date(2023, 10, 31), parent_id=ministry.id,
        participant_ids=[units["STP-BD"].id], areas=list(BINH_DINH_AREAS)))
    _launch(session, reviewer, plan, "16/KH-STP", date(2023, 3, 7), "Giám đốc Sở Tư pháp")
    return ["QĐ 236/QĐ-BTP (2023) and Sở Tư pháp Bình Định's plan 16/KH-STP launched"]


def _seed_002(session: Session, reviewer: User, units: dict[str, OrgUnit]) -> list[str]:
    area = session.scalar(select(Cluster).where(Cluster.code == "KV-DHMT-TN"))
    if area is None or not pacts.members_of(session, area, 2018):
        return ["seed 002 pact skipped: the area has no 2018 members"]
    pact = pacts.save_pact(
        session, reviewer, area, 2018, place="Đồng Hới, Quảng Bình",
        text="Các đơn vị thành viên Khu vực thi đua ký kết giao ước thi đua năm 2018 "
             "(văn bản minh họa: bài báo không đăng toàn văn giao ước).",
        targets=["100 % đơn vị hoàn thành các chỉ tiêu, nhiệm vụ được giao",
                 "Thực hiện tốt phong trào thi đua do Bộ Tư pháp phát động"])
    for member in pacts.members_of(session, area, 2018):
        pacts.sign(session, reviewer, pact, member.unit, signed_by="Thủ trưởng đơn vị",
                   on_behalf_of=member.unit.name, signed_on=date(2018, 3, 19),
                   today=date.today())
    return ["seed 002 pact of 2018 signed by the area's demo units (illustrative list)"]


def _seed_004(session: Session, reviewer: User, units: dict[str, OrgUnit]) -> list[str]:
    block = session.scalar(select(Cluster).where(Cluster.code == "KHOI-NCTW"))
    if block is None or not block.members_in(2022):
        return ["seed 004 skipped: the Khối Nội chính has no 2022 members"]
    movement = create_movement(session, reviewer, units["BTP"], PlanFields(
        title="Phong trào thi đua Khối thi đua các bộ, ngành Nội chính Trung ương năm 2022",
        theme="Đẩy mạnh phong trào thi đua yêu nước ở từng bộ, ngành trong Khối để tạo động "
              "lực thúc đẩy việc hoàn thành nhiệm vụ chính trị của từng bộ, ngành trong năm "
              "2022; tạo sự chuyển biến mạnh mẽ trong phong trào thi đua; đảm bảo thường "
              "xuyên, liên tục, thực chất, hiệu quả, tránh phô trương, hình thức.",
        kind="regular", scope="cluster", year=2022, period_start=date(2022, 1, 1),
        period_end=date(2022, 12, 31), cluster_id=block.id,
        participant_ids=[m.unit_id for m in block.members_in(2022)],
        areas=list(SEED_004_AREAS)))
    _launch(session, reviewer, movement, SEED_004_DOCUMENT, date(2022, 1, 1),
            "Số, ngày văn bản phát động: minh họa (bài báo không nêu)")
    fire(session, movement, "open_half_year_review", reviewer, movement.version,
         SEED_004_REVIEW)
    return ["seed 004: the Khối Nội chính's 2022 movement at its half-year review "
            "(illustrative launching document)"]


def _seed_000(session: Session, units: dict[str, OrgUnit]) -> list[str]:
    unit = units["STP-QB"]
    for year in range(2016, 2021):
        if session.scalar(select(UnitRating.id).where(UnitRating.unit_id == unit.id,
                                                      UnitRating.year == year)) is None:
            session.add(UnitRating(unit_id=unit.id, year=year, rating="excellent"))
    return ["Sở Tư pháp Quảng Bình rated A (excellent) 2016–2020"]
