"""XLSX import: each kind of bad row reported with row and column, nothing half-imported,
audited on success; CLI and page (admin or reviewer only)."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from flask_babel import force_locale
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from tests.support.helpers import csrf_token, login_as, run_cli
from workflow_app.models.audit import AuditEvent
from workflow_app.models.registry import AwardRecord, Initiative, PerformanceRating, UnitRating
from workflow_app.registry.service import importer, layout

AWARD_HEAD = list(layout.SHEETS["awards"])


def workbook(**sheets) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(list(layout.SHEETS[name]))
        for row in rows:
            sheet.append(list(row))
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def people(shipped_catalogue, session, make_unit, root_unit, make_person):
    unit = make_unit("Văn phòng Bộ", parent=root_unit, code="BTP-VP")
    a = make_person("Nguyễn Văn A", unit=unit, date_of_birth=date(1980, 3, 15))
    b = make_person("Trần Thị B", unit=unit, national_id="001180000123")
    return unit, a, b


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_valid_file_imports_everything_and_is_audited(session, people):
    unit, a, b = people
    data = workbook(
        awards=[("Nguyễn Văn A", "BTP-VP", "15/03/1980",
                 "", "CSTDCS", 2023, "123/QĐ-BTP", "20/12/2023", "Bộ Tư pháp"),
                ("Trần Thị B", "btp-vp", "", "001180000123", "LDTT", 2023, "9/QĐ-VP",
                 date(2023, 12, 1), ""),
                ("", "BTP-VP", "", "", "TTLDXS", 2023, "124/QĐ-BTP", "2023-12-20", "")],
        ratings=[("Nguyễn Văn A", "BTP-VP", "15/03/1980", "", 2023, "HTXSNV"),
                 ("", "BTP-VP", "", "", 2023, "good")],
        initiatives=[("Nguyễn Văn A", "BTP-VP", "15/03/1980", "", 2023, "Số hoá",
                      "ministry", "", "")])
    plan = importer.validate(session, data)
    assert plan.ok, plan.problems
    importer.apply(session, plan, filename="lich-su.xlsx")
    session.commit()
    records = session.scalars(select(AwardRecord).order_by(AwardRecord.id)).all()
    assert [(r.person_id, r.unit_id, r.award_code) for r in records] == [
        (a.id, None, "CSTDCS"), (b.id, None, "LDTT"), (None, unit.id, "TTLDXS")]
    assert all(r.source == "import" for r in records)
    assert session.scalar(select(PerformanceRating.rating)) == "excellent"
    assert session.scalar(select(UnitRating.rating)) == "good"
    assert session.scalar(select(Initiative.scope)) == "ministry"
    event = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "registry.imported")).one()
    assert event.data["awards"] == 3 and event.data["sha256"] == plan.sha256
    # The same file again: every row is a duplicate against the registry.
    again = importer.validate(session, data)
    assert len(again.problems) == 6 and not again.awards


def test_each_bad_row_is_reported_and_nothing_is_imported(session, people):
    good = ("Nguyễn Văn A", "BTP-VP", "15/03/1980", "", "LDTT", 2024, "1/QĐ-VP",
            "01/12/2024", "")
    data = workbook(awards=[
        good,
        ("Nguyễn Văn Z", "BTP-VP", "15/03/1980", "", "LDTT", 2024, "1/QĐ", "01/12/2024", ""),
        ("Nguyễn Văn A", "NOPE", "15/03/1980", "", "LDTT", 2024, "1/QĐ", "01/12/2024", ""),
        ("Nguyễn Văn A", "BTP-VP", "15/03/1980", "", "XYZ", 2024, "1/QĐ", "01/12/2024", ""),
        ("Nguyễn Văn A", "BTP-VP", "15/03/1980", "", "LDTT", "20x4", "1/QĐ", "01/12/2024", ""),
        ("Nguyễn Văn A", "BTP-VP", "15/03/1980", "", "GK", 2024, "1/QĐ", "31/02/2024", ""),
        good,
        ("Nguyễn Văn A", "BTP-VP", "", "", "GK", 2023, "1/QĐ", "01/12/2024", ""),
    ], ratings=[("Trần Thị B", "BTP-VP", "", "001180000123", 2024, "superb")])
    with force_locale("en"):
        plan = importer.validate(session, data)
    found = {(p.sheet, p.row, p.column) for p in plan.problems}
    assert found == {("awards", 3, "full_name"), ("awards", 4, "unit_code"),
                     ("awards", 5, "award_code"), ("awards", 6, "year"),
                     ("awards", 7, "decision_date"), ("awards", 8, "award_code"),
                     ("awards", 9, "date_of_birth"), ("ratings", 2, "rating")}
    assert "row 2" in next(p.reason for p in plan.problems if p.row == 8)
    with pytest.raises(ValueError):
        importer.apply(session, plan)
    assert _count(session, AwardRecord) == 0


def test_not_a_workbook_and_missing_columns(session, people):
    assert importer.validate(session, b"not xlsx").problems[0].row == 0
    book = Workbook()
    book.active.title = "awards"
    book.active.append(["full_name", "unit_code"])
    out = BytesIO()
    book.save(out)
    missing = {p.column for p in importer.validate(session, out.getvalue()).problems}
    assert {"award_code", "year", "decision_number", "decision_date"} <= missing


def test_cli_import_and_template(app, session, people, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook(awards=[("", "NOPE", "", "", "LDTT", 2024, "1/QĐ", "01/12/2024",
                                      "")]))
    result = run_cli(app, "registry", "import", str(bad))
    assert result.exit_code == 1 and "row 2\tunit_code" in result.output
    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook(awards=[("", "BTP-VP", "", "", "TTLDXS", 2024, "1/QĐ",
                                       "01/12/2024", "")]))
    assert run_cli(app, "registry", "import", "--dry-run", str(good)).exit_code == 0
    assert _count(session, AwardRecord) == 0
    result = run_cli(app, "registry", "import", str(good))
    assert result.exit_code == 0, result.output
    assert _count(session, AwardRecord) == 1
    template = tmp_path / "t.xlsx"
    assert run_cli(app, "registry", "template", str(template)).exit_code == 0
    assert load_workbook(template).sheetnames == ["awards", "ratings", "initiatives"]


def test_import_page_is_for_admins_and_reviewers(app, client, session, people, make_user):
    login_as(app, client, make_user("plain-submitter", roles=["submitter"]))
    assert client.get("/registry/import").status_code == 403
    login_as(app, client, make_user("rev-import", roles=["reviewer"]))
    token = csrf_token(client, "/registry/import")
    bad = workbook(awards=[("", "NOPE", "", "", "LDTT", 2024, "1/QĐ", "01/12/2024", "")])
    response = client.post("/registry/import", data={
        "csrf_token": token, "file": (BytesIO(bad), "bad.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    assert "NOPE" in response.get_data(as_text=True)
    good = workbook(awards=[("", "BTP-VP", "", "", "TTLDXS", 2024, "1/QĐ", "01/12/2024", "")])
    response = client.post("/registry/import", data={
        "csrf_token": token, "file": (BytesIO(good), "good.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code == 302 and _count(session, AwardRecord) == 1
    template = client.get("/registry/import/template.xlsx")
    assert load_workbook(BytesIO(template.data)).sheetnames[0] == "awards"
