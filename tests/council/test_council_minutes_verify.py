"""Signed minutes checked against their stored files and the audit trail: a clean session
verifies; a changed file, a changed tally, attendance line or ruling is named."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import select, update

from tests.support.factories import REAUTH
from tests.support.helpers import csrf_token, login_as, run_cli
from workflow_app.council.service import chair, minutes_sign, minutes_verify
from workflow_app.council.service import rounds as rounds_service
from workflow_app.models.council import AgendaItem, CouncilSession
from workflow_app.models.council_minutes import CouncilMinutes


@pytest.fixture
def signed_minutes(app, client, tx, voted_session):
    """The shared scenario, plus the chair reserving item 2 and ruling on it; signed off."""
    kit, meeting_, voting_round = voted_session(close=False)
    second = tx.scalars(select(AgendaItem).where(AgendaItem.session_id == meeting_.id)
                        .order_by(AgendaItem.position)).all()[1]
    chair.hold(tx, second, "Cần xem xét thêm ý kiến của cơ quan thường trực", actor=kit.chair)
    tx.commit()
    rounds_service.close_round(tx, voting_round, actor=kit.secretary)
    tx.commit()
    chair.rule(tx, second, "rejected", "Hồ sơ chưa đủ minh chứng thành tích", actor=kit.chair)
    tx.commit()
    login_as(app, client, kit.chair)
    token = csrf_token(client, f"/council/sessions/{meeting_.id}/minutes")
    response = client.post(f"/council/sessions/{meeting_.id}/minutes/sign",
                           data={"csrf_token": token, **REAUTH})
    assert response.status_code == 302
    return kit, meeting_


def _verify(app, session, meeting_id):
    with app.test_request_context():
        return minutes_verify.verify(session, session.get(CouncilSession, meeting_id),
                                     minutes_sign.document_storage())


def _failing(result) -> dict[str, list[str]]:
    return {c.code: c.problems for c in result.checks if not c.ok}


def _tamper_content(session, meeting_id, change) -> None:
    row = session.scalar(select(CouncilMinutes).where(CouncilMinutes.session_id == meeting_id))
    content = copy.deepcopy(row.content)
    change(content)
    session.execute(update(CouncilMinutes).where(CouncilMinutes.id == row.id)
                    .values(content=content))


def test_untouched_minutes_match_files_and_audit_trail(app, session, signed_minutes):
    _kit, meeting_ = signed_minutes
    result = _verify(app, session, meeting_.id)
    assert result.signed and result.reference == "01/BB-HĐTĐKT"
    assert [c.code for c in result.checks] == list(minutes_verify.CHECKS)
    assert result.ok, result.problems()


def test_a_changed_pdf_file_is_named(app, session, signed_minutes):
    _kit, meeting_ = signed_minutes
    row = session.scalar(select(CouncilMinutes))
    with app.test_request_context():
        path = minutes_sign.document_storage().path_for(row.pdf_sha256)
    path.write_bytes(path.read_bytes() + b"% appended later\n")
    result = _verify(app, session, meeting_.id)
    assert list(_failing(result)) == ["files"]
    [problem] = _failing(result)["files"]
    assert "PDF" in problem and "DOCX" not in problem


def test_a_changed_tally_and_attendance_are_named_line_by_line(app, session, signed_minutes):
    kit, meeting_ = signed_minutes
    absent = kit.members[-1].name

    def change(content):
        content["items"][0]["tally"]["agree"] = 4
        content["items"][0]["tally"]["disagree"] = 0
        next(m for m in content["members"] if m["name"] == absent)["attendance"] = "present"

    _tamper_content(session, meeting_.id, change)
    failing = _failing(_verify(app, session, meeting_.id))
    assert set(failing) == {"signature", "attendance", "tallies"}
    assert any("4" in p and "3" in p for p in failing["tallies"])  # agree: 4 vs 3
    assert len(failing["tallies"]) == 2  # agree and disagree, nothing else
    [attendance] = failing["attendance"]
    assert absent in attendance
    assert len(failing["signature"]) == 1  # only the content's hash differs


def test_a_changed_ruling_or_dropped_recusal_is_named(app, session, signed_minutes):
    kit, meeting_ = signed_minutes

    def change(content):
        content["items"][1]["ruling"] = "approved"
        content["items"][0]["recusals"] = []

    _tamper_content(session, meeting_.id, change)
    failing = _failing(_verify(app, session, meeting_.id))
    assert set(failing) == {"signature", "chair", "recusals"}
    [recusal] = failing["recusals"]
    assert kit.members[1].name in recusal


def test_the_cli_reports_ok_then_names_the_difference(app, session, signed_minutes):
    _kit, meeting_ = signed_minutes
    clean = run_cli(app, "council", "verify-minutes")
    assert clean.exit_code == 0, clean.output
    assert f"session {meeting_.id}: minutes 01/BB-HĐTĐKT OK" in clean.output
    _tamper_content(session, meeting_.id,
                    lambda c: c["rounds"][0].update(ballot_set_hash="0" * 64))
    tampered = run_cli(app, "council", "verify-minutes", str(meeting_.id))
    assert tampered.exit_code == 1
    assert "DIFFER" in tampered.output and "0" * 64 in tampered.output


def test_the_page_is_for_auditors_chair_and_secretary(app, client, session, make_user,
                                                      root_unit, signed_minutes):
    kit, meeting_ = signed_minutes
    url = f"/council/sessions/{meeting_.id}/minutes/verify"
    auditor = make_user("auditor-en", roles=["auditor"], unit=root_unit, locale="en")
    login_as(app, client, auditor)
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="verify-ok"' in page and "01/BB-HĐTĐKT" in page
    minutes_page = client.get(f"/council/sessions/{meeting_.id}/minutes")
    assert url in minutes_page.get_data(as_text=True)
    _tamper_content(session, meeting_.id,
                    lambda c: c["items"][1].update(hold_reason="Lý do khác"))
    page = client.get(url).get_data(as_text=True)
    assert 'data-testid="verify-failed"' in page and "Lý do khác" in page
    login_as(app, client, kit.secretary)
    assert client.get(url).status_code == 200
    login_as(app, client, kit.members[1].user)  # an ordinary member
    assert client.get(url).status_code == 403


def test_unsigned_minutes_are_not_verified(app, client, voted_session):
    kit, meeting_, _round = voted_session()
    login_as(app, client, kit.chair)
    page = client.get(f"/council/sessions/{meeting_.id}/minutes/verify")
    assert page.status_code == 200 and 'data-testid="verify-unsigned"' in page.get_data(
        as_text=True)
