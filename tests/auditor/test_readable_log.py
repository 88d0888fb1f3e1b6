"""Issue 15 item 1: the log, one subject's history, the verification result and their XLSX
read in Vietnamese: actions and states by their labels, subjects by their names, changes as a
before/after table with field labels, Vietnam time with the UTC instant on hover and in the
export; filters are choices; the page runs a fixed number of queries."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import openpyxl
import pytest

from tests.support.helpers import login_as, post_form, recording
from workflow_app.audit.chain import record
from workflow_app.extensions import db
from workflow_app.models.audit import AuditEvent, AuditVerification
from workflow_app.models.registry import AwardRecord

VN = ZoneInfo("Asia/Ho_Chi_Minh")
RAW = ("dossier.send_to_council", "in_appraisal", "awaiting_council", "eligibility.overridden",
       "review.checklist_saved", "'checked'", "dossier 1", "chain:", "checkpoints:",
       "(UTC)", "Time", "Actor", "trigger", "audit-checkpoints.jsonl", "UPDATE", "DELETE")


@pytest.fixture
def world(app, session, tx, make_user, make_person, make_dossier, submitting_unit):
    person = make_person("Nguyễn Thị Kiểm", position="Kiểm toán viên")
    auditor = make_user("kiemtoan", roles=["auditor"], person=person, locale="vi")
    reviewer = make_user("thamdinh", roles=["reviewer"],
                         person=make_person("Lê Văn Thẩm"), locale="vi")
    dossier = make_dossier()
    dossier_id, nominee = dossier.id, dossier.nominee_name
    tx.commit()
    actor = session.merge(reviewer)
    record(session, "eligibility.overridden", "dossier", dossier_id, actor=actor,
           data={"reason": "Đã có xác nhận bổ sung của Sở", "rule": "CSTD_CS.rating"})
    record(session, "review.checklist_saved", "dossier", dossier_id, actor=actor,
           data={"changes": {"GEN:signatures": [None, {"checked": True, "note": ""}]}})
    record(session, "dossier.send_to_council", "dossier", dossier_id, actor=actor,
           from_state="in_appraisal", to_state="awaiting_council",
           data={"reason": "", "changes": {"council_scheduled_on": [None, "2026-03-05"]}})
    record(session, "unit.updated", "unit", submitting_unit.id, actor=actor,
           data={"changes": {"name": ["Cục THADS tỉnh A", submitting_unit.name]}})
    entry = AwardRecord(person_id=person.id, award_code=dossier.award.code, year=2025,
                        decision_number="05/QĐ-BTP", decision_date=date(2025, 6, 2),
                        source="manual")
    session.add(entry)
    session.flush()
    record(session, "registry.entered", "award_record", entry.id, actor_label="cli")
    session.commit()
    return {"auditor": auditor, "reviewer": reviewer, "dossier_id": dossier_id,
            "nominee": nominee, "unit": submitting_unit, "award": dossier.award.code}


def _no_raw(html: str) -> None:
    body = html.split('<main', 1)[-1]
    body = re.sub(r'<(pre|details)[^>]*>.*?</\1>', "", body, flags=re.S)  # raw data, folded
    text = re.sub(r"<[^>]+>", " ", body)
    for raw in RAW:
        assert raw not in text, raw


def test_log_history_verify_and_export_read_in_vietnamese(app, client, session, world):
    login_as(app, client, world["auditor"])
    dossier_id = world["dossier_id"]
    with recording(db.engine) as statements:
        client.get("/audit/")
    for n in range(10):  # ten more subjects of kinds already shown: no more queries
        record(session, "unit.updated", "unit", 9000 + n, actor=session.merge(world["reviewer"]))
    session.commit()
    with recording(db.engine) as more:
        page = client.get("/audit/").get_data(as_text=True)
    assert len(more) == len(statements) <= 20, more  # names resolved per kind, not per event
    _no_raw(page)
    table = page.split('data-testid="audit-log"')[1]
    assert "Trình Hội đồng xét" in table and "Đang thẩm định → Chờ Hội đồng xét" in table
    assert "Vượt điều kiện" in table or "Bỏ qua điều kiện" in table  # eligibility.overridden
    assert f"#{dossier_id} {world['nominee']}" in table  # the dossier by nominee and award
    assert "Lê Văn Thẩm (thamdinh)" in table  # the actor by full name and username
    assert world["unit"].name in table  # a unit by its name
    # a registry entry by its award's name (not its code); a command-line actor in words
    assert f"Nguyễn Thị Kiểm — Danh hiệu {world['award']} 2025 (05/QĐ-BTP)" in table
    assert "hệ thống (dòng lệnh)" in table and re.search(r">\s*cli\s*<", table) is None
    last = session.get(AuditEvent, session.query(AuditEvent.seq).order_by(
        AuditEvent.seq.desc()).first()[0])
    local = last.occurred_at.astimezone(VN).strftime("%d/%m/%Y %H:%M:%S")
    assert f'title="UTC {last.occurred_at.strftime("%Y-%m-%dT%H:%M:%S")}' in table
    assert local in table
    # filters are choices, labelled in Vietnamese
    filters = page.split('data-testid="log-filters"')[1].split("</form>")[0]
    assert '<select' in filters and 'value="dossier.send_to_council"' in filters
    assert ">Trình Hội đồng xét<" in filters and ">Lê Văn Thẩm (thamdinh)<" in filters
    only = client.get(f"/audit/?action=eligibility.overridden&actor_id={world['reviewer'].id}"
                      f"&subject_type=dossier").get_data(as_text=True)
    assert only.split('data-testid="audit-log"')[1].count("/audit/events/") == 1

    history = client.get(f"/audit/subjects/dossier/{dossier_id}").get_data(as_text=True)
    _no_raw(history)
    title = history.split('data-testid="history-title">')[1].split("</h2>")[0]
    assert title.startswith("Lịch sử: Hồ sơ #") and world["nominee"] in title
    changes = history.split('data-testid="changes"')
    assert len(changes) == 3  # the checklist and the transition's change, as tables
    assert "Đã có xác nhận bổ sung của Sở" in history  # the recorded reason
    assert "05/03/2026" in history and "Ngày họp Hội đồng" in history
    assert "đã đạt" in changes[1] or "đã làm" in changes[1]

    home = client.get("/").get_data(as_text=True)
    panel = home.split('data-testid="panel-auditor"')[1].split("</section>")[0]
    assert 'figure-auditor-last_verification"' in panel and "Nguyên vẹn" not in panel
    verified = post_form(client, "/audit/verify", {}).get_data(as_text=True)
    _no_raw(verified)
    assert "Chuỗi băm nguyên vẹn" in verified
    # the run is kept (beside the chain, which it leaves as it was): the home page shows
    # when, and its result, beside the checkpoint
    run = session.query(AuditVerification).one()
    # the fixture's recorded transition is not the dossier's state: one problem, as shown
    assert (run.actor_id, run.intact, run.problems) == (world["auditor"].id, False, 1)
    assert verified.count('data-testid="verify-problem"') == 1
    assert session.query(AuditEvent).filter(AuditEvent.seq > last.seq).count() == 0
    home = client.get("/").get_data(as_text=True)
    panel = home.split('data-testid="panel-auditor"')[1].split("</section>")[0]
    assert run.ran_at.astimezone(VN).strftime("%d/%m/%Y") in panel
    assert "Phát hiện 1 vấn đề" in panel and "Lần kiểm tra gần nhất" in panel
    assert "Điểm kiểm tra có chữ ký gần nhất" in panel

    xlsx = client.get(f"/audit/log.xlsx?subject_type=dossier&date_from="
                      f"{last.occurred_at.astimezone(VN):%Y-%m-%d}")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    xlsx.close()
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Số TT", "Thời gian (giờ Việt Nam)", "Thời gian (UTC)",
                           "Người thực hiện")
    sent = next(r for r in rows if r[5] == "dossier.send_to_council")
    event = session.get(AuditEvent, sent[0])
    assert sent[2] == event.occurred_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    # a real date-time cell in Vietnam time, shown dd/mm/yyyy hh:mm
    local = event.occurred_at.astimezone(VN).replace(tzinfo=None)
    assert isinstance(sent[1], datetime) and abs(sent[1] - local) < timedelta(seconds=1)
    cell = next(c for c in sheet.iter_rows() if c[0].value == event.seq)[1]
    assert cell.is_date and cell.number_format == "dd/mm/yyyy hh:mm"
    assert sent[4] == "Trình Hội đồng xét" and sent[12] == event.hash
    assert {r[6] for r in rows[1:]} == {"Hồ sơ"}
    one = client.get(f"/audit/subjects/dossier/{dossier_id}.xlsx")
    assert len(list(openpyxl.load_workbook(io.BytesIO(one.data)).active.iter_rows())) == 5
    one.close()
