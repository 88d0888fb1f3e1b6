"""Statistics over the registry (issue 14, item 1): seed 000's figures imported as registry data
come out exactly; counts checked against independent SQL; filters, shares, year-on-year
change, drill-down, scope; the page, its charts, the XLSX (read back) and the PDF."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text

from tests.support.helpers import login_as, recording
from tests.support.registry_data import give
from workflow_app.demo.seed000 import FIGURES, load_seed000_history
from workflow_app.models.registry import AwardRecord
from workflow_app.reports.service import charts
from workflow_app.reports.service import statistics as stats
from workflow_app.reports.service.filters import FilterError, StatsQuery


@pytest.fixture
def quang_binh(shipped_catalogue, session, make_unit, root_unit, make_user):
    local = make_unit("Khối cơ quan Tư pháp địa phương", parent=root_unit, code="TPDP",
                      kind="other")
    so = make_unit("Sở Tư pháp tỉnh Quảng Bình", parent=local, code="STP-QB",
                   kind="provincial_justice")
    make_unit("Văn phòng Sở", parent=so, code="STP-QB-VP", kind="division")
    make_unit("Phòng Hành chính tư pháp", parent=so, code="STP-QB-HCTP", kind="division")
    other = make_unit("Sở Tư pháp tỉnh Quảng Trị", parent=local, code="STP-QT",
                      kind="provincial_justice")
    assert load_seed000_history(session)
    assert load_seed000_history(session) == []  # idempotent
    session.commit()
    admin = make_user("admin-stats", roles=["admin"])
    reviewer = make_user("rev-qb", roles=["reviewer"], unit=so)
    outsider = make_user("rev-qt", roles=["reviewer"], unit=other)
    return so, other, admin, reviewer, outsider


def _independent(session, where: str = "", **params) -> dict[str, int]:
    rows = session.execute(text(
        "SELECT award_code, COUNT(*) FROM award_record WHERE revoked_at IS NULL "
        "AND year BETWEEN 2015 AND 2020 " + where + " GROUP BY award_code"), params).all()
    return dict(rows)


def test_seed_000_figures_filters_drill_down_and_scope(session, app, quang_binh):
    so, other, admin, reviewer, outsider = quang_binh
    query = StatsQuery(2015, 2020, unit_id=so.id, group_by="award")
    table = stats.statistics(session, admin, query)
    totals = {r.key: r.total for r in table.rows}
    assert totals == FIGURES == _independent(session)  # the article's figures, exactly
    assert table.totals.total == sum(FIGURES.values()) == 474
    cstdcs = next(r for r in table.rows if r.key == "CSTDCS")
    assert [cstdcs.count(y) for y in table.years] == [74, 74, 74, 74, 73, 73]
    assert cstdcs.share == pytest.approx(442 / 474)
    assert cstdcs.change(2020, 2015) == 0 and cstdcs.change(2019, 2015) == -1
    assert cstdcs.change(2015, 2015) == 74 and cstdcs.change_pct(2015, 2015) is None

    # filters, each against an independent count
    collective = stats.statistics(session, admin, query.with_(subject="collective"))
    assert {r.key: r.total for r in collective.rows} == {"TTLDXS": 19, "CO_CP": 1, "HCLD2": 1}
    leaders = stats.statistics(session, admin, query.with_(attribute="leader"))
    expected = _independent(session, "AND person_id IN (SELECT id FROM person WHERE is_leader)")
    assert {r.key: r.total for r in leaders.rows} == expected and expected
    front = stats.statistics(session, admin, query.with_(attribute="front_line"))
    assert front.totals.total + leaders.totals.total == 442 + 10 + 1
    by_level = stats.statistics(session, admin, query.with_(group_by="level"))
    assert {r.key: r.total for r in by_level.rows} == {
        "unit": 442, "ministry": 29, "prime_minister": 2, "president": 1}
    ministry = stats.statistics(session, admin, query.with_(level="ministry"))
    assert ministry.totals.total == 29
    assert stats.statistics(session, admin, query.with_(
        commendation_type="CONG_TRANG")).totals.total == 0  # imported history has no type
    only_so = stats.statistics(session, admin, query.with_(sub_units=False))
    assert only_so.totals.total == 2  # the flag and the order, the Sở's own
    with pytest.raises(FilterError):
        stats.statistics(session, admin, query.with_(year_from=2021))

    # rows by unit: the Sở's divisions and the Sở itself; every figure drills down exactly
    by_unit = stats.statistics(session, admin, query.with_(group_by="unit"))
    assert sum(r.total for r in by_unit.rows) == 474 and len(by_unit.rows) == 5
    assert f"{so.id}.self" in {r.key for r in by_unit.rows}
    for row in by_unit.rows:
        page = stats.records(session, admin, by_unit.query, row.key, 2017)
        assert page.total == row.count(2017)
    drill = stats.records(session, admin, query, "CSTDCS", 2017)
    assert drill.total == 74 and len(drill.rows) == 74
    assert {r.AwardRecord.award_code for r in drill.rows} == {"CSTDCS"}
    assert stats.records(session, admin, query, "", None).total == 474

    # one GROUP BY, not one query per row
    with recording(app.extensions["workflow_db_engine"]) as log:
        stats.grouped_counts(session, admin, query)
    assert len(log.touching("award_record")) == 1

    # scope: a reviewer of the Sở sees it all, a reviewer elsewhere sees none of it
    assert stats.statistics(session, reviewer, query).totals.total == 474
    assert stats.statistics(session, outsider, query).totals.total == 0
    assert stats.statistics(session, outsider, StatsQuery(2015, 2020)).rows == []


def test_statistics_page_chart_table_xlsx_pdf_and_api(app, client, session, quang_binh,
                                                      as_user):
    so, other, admin, reviewer, outsider = quang_binh
    give(session, "GK", 2020, unit=other)  # outside the reviewer's scope
    trap = AwardRecord(unit_id=so.id, award_code="GK", year=2020,
                       decision_number="=HYPERLINK(\"http://x\")", decision_date=so_date(),
                       issuer="+cmd", source="manual")
    session.add(trap)
    session.commit()
    login_as(app, client, reviewer)
    args = f"year_from=2015&year_to=2020&unit_id={so.id}&group_by=award"
    page = client.get(f"/reports/statistics?{args}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-testid="chart-bars"' in html and 'data-testid="chart-lines"' in html
    assert "<script" not in html.split('data-testid="chart-bars"')[1].split("</svg>")[0]
    # Printed, the page states its filters in words (the filter form is not printed).
    printed = html.split('data-testid="print-filters"')[1].split("</div>")[0]
    assert "d-print-block" in html.split('data-testid="print-filters"')[0][-120:]
    for words in ("Giai đoạn: 2015–2020", "Sở Tư pháp tỉnh Quảng Bình (gồm cả đơn vị trực thuộc)",
                  "Nhóm theo: Danh hiệu"):
        assert words in printed, (words, printed)
    # Long Vietnamese award names wrap on words (two lines at most), the full name as tooltip.
    long_name = ("Huân chương Lao động hạng Nhì cho tập thể có thành tích đặc biệt xuất sắc "
                 "trong công tác thi hành án dân sự giai đoạn 2015–2020")
    svg = str(charts.bar_chart([(long_name, 3), ("Giấy khen", 1)], title=long_name))
    spans = re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg)
    assert f"<title>{long_name}</title>" in svg and "Huân chương Lao động hạng Nhì cho" in spans[2]
    assert all(len(t) <= charts.TITLE_CHARS for t in spans) and spans[3].endswith("…")
    assert "Giấy khen" in spans and max(len(t) for t in spans[2:4]) <= charts.LABEL_CHARS
    legend = str(charts.line_chart([(long_name, [1, 2])], [2019, 2020], title="x"))
    assert "đặc biệt xuất sắc" in legend and f"<title>{long_name}</title>" in legend
    assert 'data-key="CSTDCS"' in html and ">442<" in html and "Chiến sĩ thi đua cơ sở" in html
    assert "Huân chương Lao động hạng Nhì" in html
    records = client.get(f"/reports/statistics/records?{args}&key=CSTDCS&year=2016")
    assert records.get_data(as_text=True).count('data-testid="record-row"') == 74
    far = client.get(f"/reports/statistics/records?{args}&year=99999999999999999999")
    assert far.status_code == 400 and "Chọn một năm của bảng" in far.get_data(as_text=True)
    bad = client.get("/reports/statistics?year_from=2020&year_to=2015")
    assert bad.status_code == 400 and 'data-testid="statistics-problem"' in bad.get_data(
        as_text=True)
    assert client.get("/reports/statistics?year_from=abc").status_code == 400

    with client.get(f"/reports/statistics.xlsx?{args}") as response:
        assert response.status_code == 200
        book = load_workbook(BytesIO(response.data))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[0] == "Danh hiệu, hình thức khen thưởng" and header[1] == "2015"
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Chiến sĩ thi đua cơ sở"][1:8] == (74, 74, 74, 74, 73, 73, 442)
    assert rows["Tổng cộng"][7] == 475  # the Sở's own Giấy khen, not Quảng Trị's
    listing = book.worksheets[1]
    assert listing.max_row == 1 + 475
    cells = {c.value: c for row in listing.iter_rows(min_row=2) for c in row}
    assert cells["=HYPERLINK(\"http://x\")"].data_type == "s"  # never a formula
    assert cells["+cmd"].data_type == "s"
    assert any(isinstance(c.value, type(so_date())) or c.is_date for c in cells.values())

    pdf = client.get(f"/reports/statistics.pdf?{args}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    pages = PdfReader(BytesIO(pdf.data)).pages
    words = "".join(p.extract_text() for p in pages)
    assert "442" in words and "Chiến sĩ thi đua cơ sở" in words
    assert "lớn nhất, 2015–2020" in pages[0].extract_text()  # the chart's title, then its bars:
    drawn = pages[0].get_contents().get_data().decode("latin-1")
    assert drawn.count(" re f") == len([v for v in FIGURES.values() if v] + ["GK"])


    # the API: the same figures, the records behind one by keyset pages, refusals with a reason
    call = as_user(reviewer)
    body = call("GET", f"/api/v1/reports/statistics?{args}").get_json()
    assert {r["key"]: r["total"] for r in body["rows"]} == {**FIGURES, "GK": 1}
    cstdcs = next(r for r in body["rows"] if r["key"] == "CSTDCS")
    assert [(y["year"], y["count"], y["change"]) for y in cstdcs["years"]][-2:] == [
        (2019, 73, -1), (2020, 73, 0)]
    assert body["total"]["total"] == 475 and body["filters"][1]["value"] == "2015–2020"
    seen, cursor = [], None
    while True:
        page = call("GET", f"/api/v1/reports/statistics/records?{args}&key=CSTDCS&year=2015"
                    f"&limit=30" + (f"&cursor={cursor}" if cursor else "")).get_json()
        seen += [item["id"] for item in page["items"]]
        assert page["total"] == 74
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 74 and seen == sorted(seen)
    refused = call("GET", "/api/v1/reports/statistics?year_from=2020&year_to=2015")
    assert refused.status_code == 422 and refused.get_json()["error"]["code"] == "invalid_filter"
    wrong_key = call("GET", "/api/v1/reports/statistics/records?group_by=unit&key=CSTDCS")
    assert wrong_key.status_code == 422
    with call("GET", f"/api/v1/reports/statistics/xlsx?{args}") as response:
        assert response.status_code == 200
        api_book = load_workbook(BytesIO(response.data))
    assert [c.value for c in api_book.worksheets[0][2]] == [
        c.value for c in book.worksheets[0][2]]
    outsider_body = as_user(outsider)("GET", f"/api/v1/reports/statistics?{args}").get_json()
    assert outsider_body["rows"] == [] and outsider_body["total"]["total"] == 0


def so_date():
    from datetime import date

    return date(2020, 12, 1)
