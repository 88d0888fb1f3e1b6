"""Process reports (issue 14, item 2): dossiers by state and step; working days per step
against the limit, read from the recorded transitions (the clock paused while returned);
returns and their reasons; council outcomes; awards to front-line workers and small
collectives; the page, its XLSX (read back) and PDF."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.support.helpers import login_as
from tests.support.registry_data import give
from tests.support.workflow_factories import place
from workflow_app.audit import chain
from workflow_app.models.org import OrgUnit, Person
from workflow_app.reports.service import statistics as stats
from workflow_app.reports.service.filters import StatsQuery
from workflow_app.reports.service.process import ProcessQuery, process_report
from workflow_app.workflow import fire


def at(day: int, month: int = 3) -> datetime:
    return datetime(2025, month, day, 2, 0, tzinfo=UTC)  # 09:00 in Vietnam


@pytest.fixture
def history(app, tx, session, monkeypatch, make_dossier, make_user, submitting_unit,
            make_person):
    clock = {"now": at(3)}
    monkeypatch.setattr(chain, "utcnow", lambda: clock["now"])

    def move(dossier, state, moment):
        clock["now"] = moment
        place(tx, dossier, state, now=moment)
        tx.commit()

    reviewer = make_user("rev-process", roles=["reviewer"], unit=submitting_unit)
    one = make_dossier(year=2025, now=at(3), title="Hồ sơ một")
    move(one, "submitted", at(3))
    move(one, "in_appraisal", at(5))                      # 2 working days
    clock["now"] = at(7)                                  # 2 more, then returned
    fire(tx, one, "return_for_supplement", tx.merge(reviewer), reason="Thiếu biên bản họp",
         now=at(7))
    tx.commit()
    move(one, "submitted", at(17))                        # paused: 03/07 → 03/17
    move(one, "in_appraisal", at(18))                     # 1
    move(one, "awaiting_council", at(20))                 # 2 → appraisal 7 days: met
    two = make_dossier(year=2025, now=at(3), title="Hồ sơ hai")
    move(two, "submitted", at(3))
    move(two, "in_appraisal", at(4))                      # 1
    move(two, "awaiting_council", at(4, 4))               # 23 → appraisal 24 > 20: late
    two.vote_outcome = "approved"
    tx.commit()
    make_dossier(year=2025, now=at(3), title="Hồ sơ ba")  # still a draft
    make_dossier(year=2024, now=at(3))                    # another year: not counted

    # registry of 2025: two of three individual awards to front-line workers; one of two
    # collective awards to a small collective (≤ 20 persons)
    small = OrgUnit(code="DIV-S", name="Phòng nhỏ", kind="division",
                    parent_id=submitting_unit.id)
    big = OrgUnit(code="DIV-B", name="Phòng lớn", kind="division", parent_id=submitting_unit.id)
    session.add_all([small, big])
    session.flush()
    small.path, big.path = f"{submitting_unit.path}{small.id}/", f"{submitting_unit.path}{big.id}/"
    session.add_all([Person(full_name=f"Người {i}", unit_id=big.id) for i in range(21)])
    session.commit()
    boss = make_person("Lãnh đạo A", unit=submitting_unit, is_leader=True)
    workers = [make_person(f"Nhân viên {i}", unit=submitting_unit) for i in range(2)]
    give(session, "CSTDCS", 2025, person=boss)
    for person in workers:
        give(session, "CSTDCS", 2025, person=person)
    give(session, "TTLDTT", 2025, unit=small)
    give(session, "TTLDTT", 2025, unit=big)
    give(session, "TTLDTT", 2024, unit=big)  # another year
    return reviewer


def test_process_report_counts_steps_returns_outcomes_and_shares(session, history, tx,
                                                                  submitting_unit,
                                                                  make_dossier):
    report = process_report(session, history, ProcessQuery(2025), now=at(11, 4))
    assert {(s.state, s.count) for s in report.states} == {
        ("draft", 1), ("awaiting_council", 2)} and report.total == 3
    steps = {s.step: s for s in report.steps}
    appraisal = steps["appraisal"]
    assert (appraisal.limit, appraisal.dossiers, appraisal.finished) == (20, 2, 2)
    assert (appraisal.met, appraisal.late, appraisal.max_days) == (1, 1, 24)
    assert appraisal.total_days == 7 + 24 and appraisal.late_share == 0.5
    council = steps["awaiting_council"]
    assert (council.dossiers, council.finished, council.met, council.late) == (2, 0, 0, 0)
    assert report.returns_per_award and report.returns_per_award[0][1] == 1
    assert [r.reason for r in report.returns] == ["Thiếu biên bản họp"]
    assert [(o.approved, o.rejected, o.pending) for o in report.outcomes] == [(1, 0, 1)]
    share = next(s for s in report.shares if s.unit_id == submitting_unit.id)
    assert (share.individual, share.front_line, share.collective, share.small_collective) \
        == (3, 2, 2, 1)
    assert share.front_line_share == pytest.approx(2 / 3) and share.small_share == 0.5
    # later: the council step of the first dossier runs past its 20 working days
    later = process_report(session, history, ProcessQuery(2025), now=at(30, 4))
    assert {s.step: s.late for s in later.steps}["awaiting_council"] == 1
    # statistics over the nominations: drafts and other years left out, by award and unit
    nominations = StatsQuery(2025, 2025, group_by="award", source="dossiers")
    table = stats.statistics(session, history, nominations)
    assert table.totals.total == 2 and len(table.rows) == 1
    assert stats.statistics(session, history, nominations.with_(
        commendation_type="CONG_TRANG")).totals.total == 2
    assert stats.statistics(session, history, nominations.with_(
        commendation_type="DOT_XUAT")).totals.total == 0
    by_unit = stats.statistics(session, history, nominations.with_(group_by="unit"))
    assert [r.total for r in by_unit.rows] == [2]
    page = stats.records(session, history, nominations, table.rows[0].key, 2025)
    assert sorted(d.title for d, _p, _u in page.rows) == ["Hồ sơ hai", "Hồ sơ một"]
    # scope: a reviewer elsewhere sees no dossier
    assert process_report(session, history, ProcessQuery(2024)).total == 1
    assert process_report(session, history, ProcessQuery(2025, unit_id=submitting_unit.id)
                          ).total == 3
    # A dossier that has not reached the council is not "waiting for the vote".
    make_dossier("in_appraisal", year=2025, title="Hồ sơ bốn")
    again = process_report(session, history, ProcessQuery(2025), now=at(11, 4))
    assert [(o.approved, o.rejected, o.pending) for o in again.outcomes] == [(1, 0, 1)]


def test_process_page_xlsx_pdf_and_api(app, client, session, history, make_user, make_unit,
                                       root_unit, as_user, make_award, tx, submitting_unit):
    # Two quotas: CSTĐCS ≤ 15/100 of LĐTT (3 given, none of the base: over, shown) and a
    # group quota nothing was counted against (0 of 0: left out).
    for code, quota in (("CSTDCS", {"kind": "share_of", "award": "LDTT", "max": "15/100"}),
                        ("CO_X", {"kind": "share_of", "group": "cluster_leaders",
                                  "max": "1/5"})):
        make_award(code).versions[0].quota = quota
    tx.commit()
    login_as(app, client, history)
    html = client.get(f"/reports/process?year=2025&unit_id={submitting_unit.id}").get_data(
        as_text=True)
    quotas = html.split('data-testid="process-quotas"')[1].split("</table>")[0]
    assert quotas.count('data-testid="quota-row"') == 1 and "Danh hiệu CO_X" not in quotas
    assert "Danh hiệu CSTDCS" in quotas and "table-danger" in quotas
    assert "Cục Thi hành án dân sự tỉnh A và các đơn vị trực thuộc" in quotas
    assert "Bộ trưởng hoặc Chủ tịch UBND cấp tỉnh" in quotas  # who confers it, in words
    printed = html.split('data-testid="print-filters"')[1].split("</div>")[0]
    assert "Năm: 2025" in printed and "Cục Thi hành án dân sự tỉnh A" in printed
    assert 'data-testid="chart-steps"' in html and 'data-testid="chart-states"' in html
    assert "Thiếu biên bản họp" in html and 'data-testid="step-normal-appraisal"' in html
    # Without a year, the latest year the dossiers are filed under (not an empty this-year).
    default = client.get("/reports/process").get_data(as_text=True)
    assert "Thiếu biên bản họp" in default and 'value="2025"' in default
    assert client.get("/reports/process?year=20x5").status_code == 400
    with client.get("/reports/process.xlsx?year=2025") as response:
        book = load_workbook(BytesIO(response.data))
    assert book.sheetnames[:2] == ["Theo trạng thái", "Thời gian từng bước"]
    steps = list(book["Thời gian từng bước"].iter_rows(values_only=True))
    assert steps[0][2] == "Thời hạn (ngày làm việc)"
    appraisal = next(r for r in steps if r[1] == "Thẩm định")
    assert appraisal[2:7] == (20, 2, 2, 1, 1) and appraisal[7] == 50.0
    reasons = list(book["Lý do trả lại"].iter_rows(values_only=True))
    assert reasons[1][4] == "Thiếu biên bản họp" and isinstance(reasons[1][3], datetime)
    pdf = client.get("/reports/process.pdf?year=2025")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf.data)).pages)
    assert "Báo cáo quy trình xử lý năm 2025" in text and "Thiếu biên bản họp" in text
    assert "Hồ sơ theo trạng thái" in text  # the chart before the tables
    html = client.get("/reports/statistics?source=dossiers&year_from=2025&year_to=2025"
                      "&group_by=award").get_data(as_text=True)
    assert html.count('data-testid="stat-row"') == 1 and ">2<" in html
    nominated = as_user(history)("GET", "/api/v1/reports/statistics/records?source=dossiers"
                                 "&year_from=2025&year_to=2025").get_json()
    assert nominated["total"] == 2 and {i["state"] for i in nominated["items"]} == {
        "awaiting_council"} and nominated["items"][0]["decision_number"] is None
    body = as_user(history)("GET", "/api/v1/reports/process?year=2025").get_json()
    appraisal = next(s for s in body["steps"] if s["step"] == "appraisal")
    assert (appraisal["met"], appraisal["late"], appraisal["limit"]) == (1, 1, 20)
    assert body["total"] == 3 and body["returns"][0]["reason"] == "Thiếu biên bản họp"
    with as_user(history)("GET", "/api/v1/reports/process/xlsx?year=2025") as response:
        assert load_workbook(BytesIO(response.data)).sheetnames == book.sheetnames
    outsider = make_user("rev-elsewhere", roles=["reviewer"],
                         unit=make_unit("Cục khác", parent=root_unit))
    login_as(app, client, outsider)
    assert "Thiếu biên bản họp" not in client.get("/reports/process?year=2025").get_data(
        as_text=True)
    assert as_user(outsider)("GET", "/api/v1/reports/process?year=2025").get_json()[
        "total"] == 0



