"""The chair's sign-off: a number from the BB series, shown everywhere, and exactly once
under real concurrency (two threads, each with its own session, on SQLite and PostgreSQL)."""

from __future__ import annotations

import io
from collections import Counter

from docx import Document
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.support.council_factories import race
from tests.support.factories import REAUTH
from tests.support.helpers import csrf_token, login_as
from workflow_app.attachments.storage import Storage
from workflow_app.council.service import ballots, minutes_sign, rounds
from workflow_app.models.audit import AuditEvent
from workflow_app.models.council import CouncilSession
from workflow_app.models.council_minutes import CouncilMinutes
from workflow_app.models.decision import DocumentSeries
from workflow_app.models.user import User

SIGNERS = 3


def _sign(client, meeting_id):
    token = csrf_token(client, f"/council/sessions/{meeting_id}/minutes")
    return client.post(f"/council/sessions/{meeting_id}/minutes/sign",
                       data={"csrf_token": token, **REAUTH})


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [p.text for cell in table._cells for p in cell.paragraphs]
    return "\n".join(parts)


def _series(session) -> list[tuple[str, int]]:
    return [(s.doc_type, s.last_number) for s in session.scalars(select(DocumentSeries))]


def test_sign_off_numbers_the_minutes_in_page_files_and_audit(app, client, session,
                                                              voted_session):
    kit, meeting_, _round = voted_session()
    login_as(app, client, kit.chair)
    draft = client.get(f"/council/sessions/{meeting_.id}/minutes.docx").data
    assert "Số:       /BB-HĐTĐKT" in _docx_text(draft)  # a draft has no number yet
    # Signing asks for the chair's password again; a wrong one signs nothing.
    token = csrf_token(client, f"/council/sessions/{meeting_.id}/minutes")
    wrong = client.post(f"/council/sessions/{meeting_.id}/minutes/sign",
                        data={"csrf_token": token, "password": "not-my-password"})
    assert wrong.status_code == 422 and 'data-testid="reauth-error"' in wrong.get_data(
        as_text=True)
    assert session.scalar(select(CouncilMinutes)) is None and _series(session) == []
    assert _sign(client, meeting_.id).status_code == 302
    row = session.scalar(select(CouncilMinutes))
    assert row.reference == "01/BB-HĐTĐKT" and (row.number, row.issuer_unit_id) == (
        1, kit.council.unit_id)
    assert row.content["number"]["reference"] == "01/BB-HĐTĐKT"
    assert _series(session) == [("BB", 1)]
    page = client.get(f"/council/sessions/{meeting_.id}/minutes").get_data(as_text=True)
    assert "01/BB-HĐTĐKT" in page
    docx = client.get(f"/council/sessions/{meeting_.id}/minutes.docx").data
    assert "Số: 01/BB-HĐTĐKT" in _docx_text(docx)
    pdf = client.get(f"/council/sessions/{meeting_.id}/minutes.pdf").data
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "01/BB-HĐTĐKT" in pdf_text
    [event] = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "council.minutes_signed"))
    assert event.data["reference"] == "01/BB-HĐTĐKT"


def test_the_next_minutes_of_the_council_take_the_next_number(
        app, client, session, tx, voted_session, meeting, council_dossier):
    kit, first, _round = voted_session()
    login_as(app, client, kit.chair)
    assert _sign(client, first.id).status_code == 302
    second = meeting(kit, [council_dossier()])
    assert _sign(client, second.id).status_code == 409  # no round yet: refused, no number
    assert _series(session) == [("BB", 1)]
    voting_round = rounds.open_round(tx, tx.get(CouncilSession, second.id),
                                     actor=kit.secretary)
    tx.commit()
    for member in kit.members:
        [item] = ballots.paper_items(voting_round, member)
        ballots.cast(tx, voting_round, member, {item.id: "agree"}, actor=member.user)
    rounds.close_round(tx, voting_round, actor=kit.secretary)
    tx.commit()
    assert _sign(client, second.id).status_code == 302
    references = sorted(session.scalars(select(CouncilMinutes.reference)))
    assert references == ["01/BB-HĐTĐKT", "02/BB-HĐTĐKT"]


def test_a_unit_without_symbol_gets_a_clear_refusal_and_keeps_its_counter(
        app, client, session, voted_session, root_unit):
    kit, meeting_, _round = voted_session()
    from workflow_app.models.org import OrgUnit

    unit = session.get(OrgUnit, root_unit.id)
    unit.symbol = ""
    session.flush()
    login_as(app, client, kit.chair)
    refused = _sign(client, meeting_.id)
    assert refused.status_code == 409
    assert "ký hiệu" in refused.get_data(as_text=True)
    assert session.scalar(select(func.count()).select_from(CouncilMinutes)) == 0
    assert _series(session) == []


def test_concurrent_sign_offs_give_one_minutes_one_number_one_event(app, session, tmp_path,
                                                                   voted_session):
    kit, meeting_, _round = voted_session()
    storage = Storage(tmp_path / "documents")

    def sign(own) -> None:
        minutes_sign.sign_off(own, own.get(CouncilSession, meeting_.id),
                              actor=own.get(User, kit.chair.id), storage=storage)

    outcomes = race(app, [sign] * SIGNERS)
    assert Counter(outcomes) == Counter({"ok": 1, "CouncilError": SIGNERS - 1}), outcomes
    [row] = session.scalars(select(CouncilMinutes)).all()
    assert row.reference == "01/BB-HĐTĐKT"
    assert _series(session) == [("BB", 1)]  # the refused ones burnt no number
    events = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "council.minutes_signed")).all()
    assert [e.data["reference"] for e in events] == ["01/BB-HĐTĐKT"]
    assert events[0].data["docx_sha256"] == row.docx_sha256
