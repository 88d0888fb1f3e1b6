"""Council minutes: content from what happened, no ballot-member link, DOCX/PDF, sign-off."""

from __future__ import annotations

import hashlib
import io
import json

from docx import Document
from sqlalchemy import select

from tests.support.factories import REAUTH
from tests.support.helpers import csrf_token, login_as
from workflow_app.council.service import minutes, rounds
from workflow_app.models.audit import AuditEvent
from workflow_app.models.ballot import Ballot
from workflow_app.models.council import AgendaItem, CouncilSession


def test_content_reflects_recusal_written_vote_and_tally(tx, voted_session):
    kit, meeting_, voting_round = voted_session()
    content = minutes.minutes_of(tx, meeting_)
    by_name = {m["name"]: m["attendance"] for m in content["members"]}
    assert by_name[kit.members[-1].name] == "absent_written_vote"
    assert by_name[kit.members[0].name] == "present"
    [round_] = content["rounds"]
    assert round_["written_papers"] == 1
    assert round_["quorum"]["present_count"] == 4 and round_["quorum"]["met"] is True
    assert round_["ballot_set_hash"] == voting_round.ballot_set_hash
    first = content["items"][0]
    assert [(r["member"], r["kind"]) for r in first["recusals"]] == [
        (kit.members[1].name, "declared")]
    # 3 present non-recused agree + 1 written disagree; 4 of 5 members minus 1 recused.
    assert (first["tally"]["agree"], first["tally"]["disagree"]) == (3, 1)
    assert first["tally"]["denominator"] == 4 and first["outcome"] == "approved"
    second = content["items"][1]
    assert (second["tally"]["agree"], second["tally"]["denominator"]) == (4, 5)
    head = content["audit_head"]
    assert head["seq"] == tx.scalar(select(AuditEvent.seq).order_by(
        AuditEvent.seq.desc()).limit(1))


def test_minutes_hold_no_receipt_or_ballot_id(tx, voted_session):
    _kit, meeting_, voting_round = voted_session()
    text = json.dumps(minutes.minutes_of(tx, meeting_), ensure_ascii=False)
    for ballot_id, receipt in tx.execute(select(Ballot.id, Ballot.receipt).where(
            Ballot.round_id == voting_round.id)):
        assert ballot_id not in text and receipt not in text


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [p.text for cell in table._cells for p in cell.paragraphs]
    return "\n".join(parts)


def test_docx_download_has_tally_outcome_and_hash(app, client, voted_session, make_user,
                                                  make_unit, root_unit):
    kit, meeting_, voting_round = voted_session()
    stranger = make_user("submitter-far", roles=["submitter"],
                         unit=make_unit("Sở Tư pháp tỉnh X", parent=root_unit))
    login_as(app, client, stranger)
    for path in ("minutes.pdf", "minutes/view"):  # the view applies the download's check
        assert client.get(f"/council/sessions/{meeting_.id}/{path}").status_code == 404
    login_as(app, client, kit.members[2].user)
    response = client.get(f"/council/sessions/{meeting_.id}/minutes.docx")
    assert response.status_code == 200
    text = _docx_text(response.data)
    assert "BIÊN BẢN" in text and "/BB-" in text
    assert "Đồng ý: 3; không đồng ý: 1" in text and "Cần 3/4" in text
    assert "Kết quả: Đạt" in text
    assert voting_round.ballot_set_hash in text
    assert "THƯ KÝ" in text and kit.secretary.display_name in text
    pdf = client.get(f"/council/sessions/{meeting_.id}/minutes.pdf")
    assert pdf.data.startswith(b"%PDF")
    viewed = client.get(f"/council/sessions/{meeting_.id}/minutes/view")
    assert viewed.data.startswith(b"%PDF") and viewed.mimetype == "application/pdf"
    assert viewed.headers["Content-Disposition"].startswith("inline;")
    assert viewed.headers["Content-Security-Policy"].startswith("sandbox allow-scripts")
    page = client.get(f"/council/sessions/{meeting_.id}/minutes")
    assert voting_round.ballot_set_hash in page.get_data(as_text=True)
    assert 'data-testid="view-minutes"' in page.get_data(as_text=True)


def _sign(client, meeting_id):
    token = csrf_token(client, f"/council/sessions/{meeting_id}/minutes")
    return client.post(f"/council/sessions/{meeting_id}/minutes/sign",
                       data={"csrf_token": token, **REAUTH})


def test_only_the_chair_signs_and_only_after_every_round_closed(app, client, tx,
                                                               voted_session):
    kit, meeting_, voting_round = voted_session(close=False)
    login_as(app, client, kit.secretary)
    assert _sign(client, meeting_.id).status_code == 403
    login_as(app, client, kit.chair)
    refused = _sign(client, meeting_.id)
    assert refused.status_code == 409
    assert "mọi vòng bỏ phiếu" in refused.get_data(as_text=True)
    rounds.close_round(tx, voting_round, actor=kit.secretary)
    tx.commit()
    assert _sign(client, meeting_.id).status_code == 302


def test_signed_minutes_are_frozen_and_match_the_audit_event(app, client, tx, session,
                                                            voted_session):
    kit, meeting_, _round = voted_session()
    login_as(app, client, kit.chair)
    assert _sign(client, meeting_.id).status_code == 302
    docx = client.get(f"/council/sessions/{meeting_.id}/minutes.docx").data
    pdf = client.get(f"/council/sessions/{meeting_.id}/minutes.pdf").data
    event = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "council.minutes_signed")).one()
    assert event.data["docx_sha256"] == hashlib.sha256(docx).hexdigest()
    assert event.data["pdf_sha256"] == hashlib.sha256(pdf).hexdigest()
    assert event.data["audit_head"]["seq"] == event.seq - 1
    # A later change does not alter the signed minutes.
    item = tx.scalars(select(AgendaItem).where(AgendaItem.session_id == meeting_.id)
                      .order_by(AgendaItem.position)).first()
    item.ruling_reason = "CHANGED LATER"
    tx.get(CouncilSession, meeting_.id).place = "Somewhere else"
    tx.commit()
    assert client.get(f"/council/sessions/{meeting_.id}/minutes.docx").data == docx
    page = client.get(f"/council/sessions/{meeting_.id}/minutes").get_data(as_text=True)
    assert "Somewhere else" not in page and "Phòng họp số 1" in page
    again = _sign(client, meeting_.id)
    assert again.status_code == 409 and "đã được ký xác nhận" in again.get_data(as_text=True)
