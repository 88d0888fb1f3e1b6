"""XLSX exports of the lists (issue 14 item 5): the dossier list and the appraisal queue with
their filters, a person's and a unit's registry, a decision's annex and a session's
tallies — pages and API, read back: Vietnamese headers, dates as dates, numbers as numbers,
formula-looking text kept as text, each scoped as the list it exports."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from openpyxl import load_workbook

from tests.support.helpers import login_as
from workflow_app.downloads import XLSX_MIMETYPE
from workflow_app.models.base import utcnow
from workflow_app.models.decision import Decision, DecisionItem
from workflow_app.models.org import Person
from workflow_app.models.registry import AwardRecord, PerformanceRating
from workflow_app.models.user import User


def _book(response):
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == XLSX_MIMETYPE
    return load_workbook(io.BytesIO(response.data))


def _rows(sheet) -> list[list]:
    return [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]


def test_every_list_exports_with_its_filters_and_scope(
        app, session, client, call_as, tx, make_dossier, submitting_unit, make_user, make_unit,
        root_unit, voted_session):
    other_unit = make_unit("Sở Tư pháp tỉnh B", parent=root_unit)
    outsider = make_user("submitter-b", roles=["submitter", "reviewer", "signer"],
                         unit=other_unit)
    officer = make_user("officer", roles=["reviewer", "signer"], unit=submitting_unit)
    admin = make_user("admin-x", roles=["admin"])
    late = make_dossier("in_appraisal", now=utcnow() - timedelta(days=90), year=2024,
                        title='=HYPERLINK("http://evil.example","bấm vào")')
    fresh = make_dossier("in_appraisal")
    make_dossier()  # a draft: not in the queue
    kit, meeting, _round = voted_session()
    nominee = tx.get(Person, late.nominee_person_id)
    tx.add_all([
        AwardRecord(person_id=nominee.id, award_code="CSTDCS", year=2024,
                    decision_number="901/QĐ-BTP", decision_date=date(2024, 12, 30),
                    issuer="Bộ Tư pháp", source="import"),
        AwardRecord(person_id=nominee.id, award_code="LDTT", year=2023,
                    decision_number="12/QĐ-CTHADS", decision_date=date(2023, 12, 20),
                    source="import", revoked_at=utcnow(), revocation_number="5/QĐ-BTP"),
        PerformanceRating(person_id=nominee.id, year=2024, rating="excellent"),
    ])
    decision = Decision(issuer_unit_id=submitting_unit.id, doc_type="QD", year=2025,
                        number=7, reference="07/QĐ-CTHADS", issued_on=date(2025, 12, 30),
                        place="Đồng Hới", summary="Tặng danh hiệu Lao động tiên tiến",
                        signer_name="Lê Văn Ký", signer_title="Cục trưởng",
                        docx_sha256="0" * 64, pdf_sha256="0" * 64)
    decision.items.append(DecisionItem(position=1, awardee_name="@SUM(A1:A9)",
                                       awardee_unit="Phòng Nghiệp vụ", award_name="Lao động "
                                       "tiên tiến", dossier_id=fresh.id,
                                       certificate_sha256="0" * 64))
    tx.add(decision)
    tx.commit()
    nominee_id, decision_id, meeting_id = nominee.id, decision.id, meeting.id
    secretary_id = kit.secretary.id
    tx.commit()  # end tx's read before the pages write (SQLite's lock)

    # The dossier list, page: its filters (year 2024 → only `late`), in Vietnamese.
    login_as(app, client, session.get(User, officer.id))
    book = _book(client.get("/dossiers/export.xlsx?year=2024"))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Số hồ sơ", "Đối tượng được đề nghị", "Cá nhân hoặc tập thể"]
    [row] = list(sheet.iter_rows(min_row=2))
    assert row[0].value == late.id and row[0].data_type == "n"
    title = row[header.index("Tiêu đề hồ sơ")]
    assert title.value.startswith("=HYPERLINK") and title.data_type == "s" and title.quotePrefix
    received = row[header.index("Ngày tiếp nhận")]
    assert isinstance(received.value, datetime) and received.number_format == "dd/mm/yyyy"
    assert row[header.index("Năm")].value == 2024
    assert row[header.index("Quá hạn")].value == "x"  # its step's clock, as the list shows
    assert isinstance(row[header.index("Hạn xử lý")].value, datetime)
    # … and the API: another filter, newest first; an outsider gets the header only.
    api = call_as(session.get(User, officer.id))
    rows = _rows(_book(api("GET", "/api/v1/dossiers/export",
                           query_string={"state": "in_appraisal"})).worksheets[0])
    assert [r[0] for r in rows] == [fresh.id, late.id]
    empty = _book(call_as(outsider)("GET", "/api/v1/dossiers/export")).worksheets[0]
    assert _rows(empty) == []

    # The appraisal queue: its urgency order (the overdue first), the overdue filter.
    queue = _book(client.get("/review/export.xlsx")).worksheets[0]
    header = [c.value for c in queue[1]]
    rows = _rows(queue)
    assert rows[0][0] == late.id and rows[0][header.index("Quá hạn")] == "x"
    assert {r[0] for r in rows} >= {late.id, fresh.id}
    only = _rows(_book(api("GET", "/api/v1/review/queue/export",
                           query_string={"overdue": "true"})).worksheets[0])
    assert [r[0] for r in only] == [late.id]
    assert _rows(_book(call_as(outsider)("GET", "/api/v1/review/queue/export"))
                 .worksheets[0]) == []

    # A person's registry: awards (revoked marked), ratings; 404 outside the scope.
    admin_api = call_as(admin)
    book = _book(admin_api("GET", f"/api/v1/registry/persons/{nominee_id}/export"))
    awards, ratings, initiatives = book.worksheets
    by_code = {r[1]: r for r in _rows(awards)}
    assert by_code["CSTDCS"][0] == 2024 and by_code["CSTDCS"][4] == datetime(2024, 12, 30)
    assert by_code["LDTT"][8] == "5/QĐ-BTP" and isinstance(by_code["LDTT"][7], datetime)
    assert _rows(ratings)[0][0] == 2024 and _rows(initiatives) == []
    hidden = call_as(outsider)("GET", f"/api/v1/registry/persons/{nominee_id}/export")
    assert hidden.status_code == 404
    assert _book(client.get(f"/registry/units/{submitting_unit.id}/export.xlsx")).worksheets

    # A decision's annex, to its readers: a formula-looking name stays text.
    [annex_row] = list(_book(client.get(f"/decisions/{decision_id}/annex.xlsx"))
                       .worksheets[0].iter_rows(min_row=2))
    assert annex_row[1].value == "@SUM(A1:A9)" and annex_row[1].quotePrefix
    assert annex_row[5].value == fresh.id
    assert call_as(outsider)("GET", f"/api/v1/decisions/{decision_id}/annex").status_code == 404

    # A session's tallies: counts as numbers, the outcome in words.
    secretary = call_as(session.get(User, secretary_id))
    tallies = _book(secretary("GET", f"/api/v1/council/sessions/{meeting_id}/tallies"))
    sheet = tallies.worksheets[0]
    header = [c.value for c in sheet[1]]
    rows = _rows(sheet)
    assert len(rows) == 2
    agree = header.index("Đồng ý")
    assert sorted(r[agree] for r in rows) == [3, 4]  # one member recused from the first
    assert {r[header.index("Kết quả")] for r in rows} == {"Thông qua"}
    assert call_as(outsider)("GET", f"/api/v1/council/sessions/{meeting_id}/tallies") \
        .status_code == 404
