"""A cluster of four units in 2017 (Cụm III of seed 001: its head assesses), their officers,
and `make_table()`: a criteria table with standard, bonus and penalty items and A/B/C bands."""

from __future__ import annotations

import pytest

from workflow_app.org.service import clusters as cluster_service
from workflow_app.scoring.service.building import CriterionSpec, GroupSpec, create_table

YEAR = 2017
BANDS = [{"code": "A", "label_vi": "Xếp loại A", "label_en": "Grade A", "min_points": "15",
          "rating": "excellent"},
         {"code": "B", "label_vi": "Xếp loại B", "label_en": "Grade B", "min_points": "10",
          "rating": "good"},
         {"code": "C", "label_vi": "Xếp loại C", "label_en": "Grade C", "min_points": "0"}]
GROUPS = [
    GroupSpec("Thực hiện nhiệm vụ trọng tâm", code="I", criteria=[
        CriterionSpec("Xây dựng, thẩm định VBQPPL", "10", code="1",
                      guidance="100 % đúng hạn: 10 điểm"),
        CriterionSpec("Chế độ báo cáo", "5,5", code="2")]),
    GroupSpec("Điểm thưởng, điểm trừ", code="II", criteria=[
        CriterionSpec("Sáng kiến được công nhận", "2", kind="bonus", code="3"),
        CriterionSpec("Báo cáo chậm", "3", kind="penalty", code="4")]),
]


@pytest.fixture
def cluster_world(session, make_unit, root_unit, make_user):
    organiser = make_unit("Vụ Thi đua - Khen thưởng", parent=root_unit, code="VTDKT-S")
    names = ("Cục Trợ giúp pháp lý", "Thanh tra Bộ", "Cục Con nuôi", "Cục Bồi thường nhà nước")
    units = [make_unit(name, parent=root_unit, code=f"S{i}") for i, name in enumerate(names)]
    cluster = cluster_service.create_cluster(session, code="CUM-III", name="Cụm thi đua số III",
                                             kind="cluster", organiser=organiser)
    for index, unit in enumerate(units):
        cluster_service.set_membership(session, cluster, unit, YEAR,
                                       "head" if index == 0 else "member")
    session.commit()
    return {
        "cluster": cluster, "units": units, "organiser_unit": organiser,
        "organiser": make_user("vu-tdkt-s", roles=["reviewer"], unit=organiser),
        "officers": [make_user(f"officer-s{i}", roles=["submitter"], unit=u)
                     for i, u in enumerate(units)],
    }


@pytest.fixture
def make_table(tx, cluster_world):
    def make(groups=GROUPS, bands=BANDS):
        from workflow_app.models.org import Cluster, OrgUnit
        table = create_table(tx, cluster_world["organiser"], title="Bảng chấm điểm Cụm III 2017",
                             year=YEAR, assessor=tx.get(OrgUnit, cluster_world["units"][0].id),
                             groups=groups, bands=bands,
                             cluster=tx.get(Cluster, cluster_world["cluster"].id))
        tx.commit()
        return table

    return make
