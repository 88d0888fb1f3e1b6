"""A reorganisation from XLSX (issue 19 item 6): previewed row by row (each row seeing the
ones before it), applied all together, or nothing at all when one row is wrong."""

from __future__ import annotations

import io
from datetime import date

import pytest
from flask_babel import force_locale
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.support.helpers import login_as, post_form
from workflow_app.models import AuditEvent, OrgEvent, OrgUnit
from workflow_app.org.service import reorg_import

HEADER = ("kind", "units", "successors", "effective_date", "decision_number",
          "decision_date", "issuer", "grants")


@pytest.fixture(autouse=True)
def _english(app):
    with force_locale("en"):
        yield


@pytest.fixture
def units(make_unit, root_unit):
    qb = make_unit("Sở Tư pháp tỉnh Quảng Bình", kind="provincial_justice", parent=root_unit,
                   code="STP-QB")
    make_unit("Phòng Tư pháp huyện Bố Trạch", kind="division", parent=qb, code="PTP-BT")
    qt = make_unit("Sở Tư pháp tỉnh Quảng Trị", kind="provincial_justice", parent=root_unit,
                   code="STP-QT")
    return qb, qt


def _xlsx(*rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = _xlsx(("giải thể", "PTP-BT", "", "01/07/2025", "Chưa xác minh", "01/07/2025",
              "UBND huyện Bố Trạch", ""),
             ("sáp nhập", "STP-QB", "STP-QT", date(2025, 7, 1), "Chưa xác minh", "2025-07-01",
              "UBND tỉnh Quảng Trị", ""))


def _events(session) -> int:
    return session.scalar(select(func.count(OrgEvent.id)))


def test_preview_sees_earlier_rows_and_writes_nothing(session, tx, units):
    result = reorg_import.run(tx, GOOD, apply=False)
    tx.rollback()
    assert result.ok and not result.applied and _events(session) == 0
    first, second = result.rows
    assert [u.code for u in first.plan.closing] == ["PTP-BT"]
    # Row 3 runs after row 2: the district unit has already closed, so only the Sở closes.
    assert [u.code for u in second.plan.closing] == ["STP-QB"]
    assert session.scalar(select(OrgUnit.valid_to).where(OrgUnit.code == "PTP-BT")) is None


def test_apply_records_every_row_in_one_go(session, tx, units):
    result = reorg_import.run(tx, GOOD, apply=True, filename="sap-xep.xlsx")
    tx.commit()
    assert result.applied and _events(session) == 2
    assert session.scalar(select(OrgUnit.valid_to).where(OrgUnit.code == "STP-QB")) == \
        date(2025, 7, 1)
    [audit] = session.scalars(select(AuditEvent).where(AuditEvent.action == "org.imported"))
    assert audit.data["filename"] == "sap-xep.xlsx" and len(audit.data["event_ids"]) == 2


@pytest.mark.parametrize("bad_row, words", [
    (("sáp nhập", "STP-QB", "NOPE", "01/07/2025", "1", "01/07/2025", "UBND", ""), "NOPE"),
    (("sáp nhập", "STP-QB", "STP-QB", "01/07/2025", "1", "01/07/2025", "UBND", ""), "itself"),
    (("gộp", "STP-QB", "STP-QT", "01/07/2025", "1", "01/07/2025", "UBND", ""), "kind"),
    (("sáp nhập", "STP-QB", "STP-QT", "31/02/2025", "1", "01/07/2025", "UBND", ""),
     "effective_date"),
])
def test_one_bad_row_and_nothing_is_applied(session, tx, units, bad_row, words):
    data = _xlsx(("giải thể", "PTP-BT", "", "01/07/2025", "1", "01/07/2025", "UBND", ""),
                 bad_row)
    result = reorg_import.run(tx, data, apply=True)
    tx.rollback()
    assert not result.ok and not result.applied and _events(session) == 0
    assert not result.rows[0].problems and words in " ".join(result.rows[1].problems)
    assert session.scalar(select(OrgUnit.valid_to).where(OrgUnit.code == "PTP-BT")) is None


def test_not_a_workbook_is_refused(tx):
    result = reorg_import.run(tx, b"not a workbook", apply=True)
    assert result.problems and not result.applied


def test_admin_page_previews_then_applies_the_file(app, client, session, units, make_user):
    login_as(app, client, make_user("root", roles=["admin"]))
    path = "/admin/reorganisations/import"

    def upload(action):
        return post_form(client, path, {"action": action,
                                        "file": (io.BytesIO(GOOD), "sap-xep.xlsx")},
                         content_type="multipart/form-data")

    preview = upload("preview")
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and 'data-testid="import-ok"' in html
    assert html.count('data-testid="reorg-plan"') == 2 and _events(session) == 0
    assert upload("apply").status_code == 302 and _events(session) == 2
