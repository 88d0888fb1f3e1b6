"""Issue 15 item 2: the exceptions page and report: each departure from the ordinary path
with who, when, the rule or limit concerned and the recorded reason; filtered by kind, period
and unit; counts by month; steps past their time limit found by replaying the transitions;
the same as XLSX."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from tests.support.helpers import login_as
from workflow_app.audit import chain
from workflow_app.audit.chain import record
from workflow_app.auditor.service import exceptions
from workflow_app.models.base import utcnow
from workflow_app.models.catalogue import AwardVersion

# After the world's own events: times rise with seq, as `record` writes them.
T0 = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)  # Monday 04/01/2027, 09:00 in Hà Nội


def _at(monkeypatch, moment):
    monkeypatch.setattr(chain, "utcnow", lambda: moment)


@pytest.fixture
def world(app, session, tx, make_user, make_person, make_unit, make_dossier, submitting_unit,
          monkeypatch):
    auditor = make_user("kiemtoan", roles=["auditor"], locale="vi")
    reviewer = make_user("thamdinh", roles=["reviewer"], person=make_person("Lê Văn Thẩm"),
                         locale="vi")
    elsewhere = make_unit("Sở Tư pháp tỉnh B", kind="provincial_justice", code="STP-B")
    overridden = make_dossier()
    version = tx.get(AwardVersion, overridden.award.versions[0].id)
    version.prerequisites = [{"kind": "criterion", "text_vi": "Chấp hành tốt pháp luật",
                              "text_en": "Complies with the law",
                              "source": "Luật TĐKT 2022, Điều 24 k1"}]
    late = make_dossier()
    other = make_dossier(unit=elsewhere,
                         creator=make_user("nop-b", roles=["submitter"], unit=elsewhere))
    running = make_dossier("in_appraisal", now=utcnow() - timedelta(days=60))
    ids = {"overridden": overridden.id, "late": late.id, "other": other.id,
           "running": running.id}
    tx.commit()
    actor = session.merge(reviewer)
    late = ids["late"]
    # in time order; the appraisal step of `late`: received 04/01, accepted 05/01, sent on
    # 15/02 (> 20 working days)
    for days, subject, action, states, data in (
            (0, late, "dossier.submit", ("draft", "submitted"), {"reason": ""}),
            (1, late, "dossier.accept", ("submitted", "in_appraisal"), {"reason": ""}),
            (30, ids["overridden"], "eligibility.overridden", (None, None),
             {"rule_id": "1", "kind": "criterion", "status": "unknown",
              "reason": "Sở đã xác nhận bằng văn bản số 45/STP"}),
            (30, ids["other"], "eligibility.overridden", (None, None),
             {"rule_id": "1", "kind": "criterion", "status": "not_met",
              "reason": "Đơn vị khác"}),
            (30, None, "council.rules_changed", (None, None),
             {"quorum_and_unit_recusal": [{"quorum_ratio": "1/2"}, {"quorum_ratio": "2/3"}]}),
            (42, late, "dossier.send_to_council", ("in_appraisal", "awaiting_council"),
             {"reason": ""}),
            (70, ids["overridden"], "dossier.return_for_supplement",
             ("in_appraisal", "returned"), {"reason": "Thiếu báo cáo thành tích"})):
        _at(monkeypatch, T0 + timedelta(days=days))  # February, March 2027
        kind, subject = ("council", 1) if subject is None else ("dossier", subject)
        record(session, action, kind, subject, actor=actor, from_state=states[0],
               to_state=states[1], data=data)
    monkeypatch.undo()
    session.commit()
    return {"auditor": auditor, **ids}


def test_exceptions_page_report_and_counts(app, client, session, world, monkeypatch):
    login_as(app, client, world["auditor"])
    year = "date_from=01/01/2027&date_to=30/06/2027"  # as typed in the filter (dd/mm/yyyy)
    iso = "date_from=2027-01-01&date_to=2027-06-30"  # old links and bookmarks

    page = client.get(f"/audit/exceptions?kind=eligibility_override&{year}")
    html = page.get_data(as_text=True)
    assert 'value="01/01/2027"' in html and 'value="30/06/2027"' in html
    listed = html.split('data-testid="exceptions"')[1]
    assert listed.count('data-kind="eligibility_override"') == 2
    assert "Sở đã xác nhận bằng văn bản số 45/STP" in listed  # why
    assert "Lê Văn Thẩm (thamdinh)" in listed  # who
    assert "Luật TĐKT 2022, Điều 24 k1" in listed and "Chấp hành tốt pháp luật" in listed
    assert "03/02/2027" in listed  # when, Vietnam time
    one_unit = client.get(f"/audit/exceptions?kind=eligibility_override&unit=STP-B&{iso}")
    assert one_unit.get_data(as_text=True).count('data-kind="eligibility_override"') == 1
    assert 'value="01/01/2027"' in one_unit.get_data(as_text=True)  # shown as dd/mm/yyyy

    everything = client.get(f"/audit/exceptions?{year}").get_data(as_text=True)
    kinds = [k.split('"')[0] for k in everything.split('data-kind="')[1:]]
    assert sorted(kinds) == sorted(["eligibility_override"] * 2 + ["rule_change",
                                   "return_rejection", "late_step"])
    late = everything.split('data-kind="late_step"')[1].split('class="list-group-item')[0]
    assert f"/dossier/{world['late']}" in late and "Trình Hội đồng xét" in late
    assert "Đang thẩm định" in late and "giới hạn 20" in late  # the limit concerned
    rules = everything.split('data-kind="rule_change"')[1].split('class="list-group-item')[0]
    assert "2/3" in rules and "1/2" in rules  # the rule change's diff
    counts = everything.split('data-testid="exception-counts"')[1].split("</table>")[0]
    assert "<td class=\"text-nowrap\">02/2027</td>" in counts
    february = counts.split("02/2027</td>")[1].split("</tr>")[0]
    assert "<strong>3</strong>" in february  # two overrides and the rule change
    # role grants are exceptions too (this year's, made by make_user)
    now = client.get("/audit/exceptions?kind=role_grant").get_data(as_text=True)
    assert now.count('data-kind="role_grant"') >= 2
    # the step still running past its limit, without an end date
    running = client.get("/audit/exceptions?kind=late_step").get_data(as_text=True)
    assert f"/dossier/{world['running']}" in running
    assert 'data-testid="late-limited"' not in running
    monkeypatch.setattr(exceptions, "LATE_MAX", 1)  # more dossiers moved than are replayed
    limited = client.get("/audit/exceptions?kind=late_step").get_data(as_text=True)
    assert 'data-testid="late-limited"' in limited  # and those still running are all read:
    assert f"/dossier/{world['running']}" in limited
    monkeypatch.undo()
    assert client.get("/audit/exceptions?kind=nonsense").status_code == 400

    xlsx = client.get(f"/audit/exceptions.xlsx?{year}")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.data))
    xlsx.close()
    listed_rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(listed_rows) == 1 + 5
    assert any(r[6] == "Thiếu báo cáo thành tích" for r in listed_rows)
    month_rows = list(book.worksheets[1].iter_rows(values_only=True))
    assert [r[0] for r in month_rows[1:]] == ["2027-02", "2027-03"]
    assert [r[-1] for r in month_rows[1:]] == [3, 1]
