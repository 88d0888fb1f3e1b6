"""Notifications from dossier transitions: submitters on return / rejection / decision,
reviewers on arrival — in-app rows and e-mail sent after commit to a real SMTP server."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from tests.support.dossier_factories import post_action
from tests.support.helpers import login_as
from tests.support.smtp_server import LocalSMTP
from workflow_app.models.notification import Notification, OutboxMessage
from workflow_app.workflow import GuardFailed, fire


@pytest.fixture
def smtp():
    with LocalSMTP() as server:
        yield server


def _notes(session, user=None) -> list[Notification]:
    session.expire_all()
    query = select(Notification).order_by(Notification.id)
    if user is not None:
        query = query.where(Notification.user_id == user.id)
    return list(session.scalars(query))


def test_return_tells_the_units_submitters_and_the_creator_in_their_language(
        tx, session, make_dossier, make_user, submitting_unit, root_unit, submitter,
        reviewer):
    colleague = make_user("submitter-a2", roles=["submitter"], unit=submitting_unit,
                          email="a2@example.vn", locale="en")
    ministry_officer = make_user("submitter-root", roles=["submitter"], unit=root_unit)
    dossier = make_dossier("in_appraisal")
    fire(tx, dossier, "return_for_supplement", reviewer, expected_version=dossier.version,
         reason="Thiếu biên bản bình xét")
    tx.commit()
    [to_creator] = _notes(session, submitter)
    [to_colleague] = _notes(session, colleague)
    assert _notes(session, ministry_officer) == [] and _notes(session, reviewer) == []
    assert to_creator.kind == "dossier.return_for_supplement"
    assert to_creator.link == f"/dossiers/{dossier.id}"
    assert "Trả lại để bổ sung" in to_creator.message  # Vietnamese by default
    assert "Thiếu biên bản bình xét" in to_creator.message
    assert "Return for supplementation" in to_colleague.message  # English for this user
    assert "Reason: Thiếu biên bản bình xét" in to_colleague.message
    [mail] = session.scalars(select(OutboxMessage)).all()
    assert mail.recipient == "a2@example.vn" and mail.status == "pending"


def test_rejection_and_decision_tell_the_submitters(tx, session, make_dossier, make_user,
                                                    submitter, reviewer):
    signer = make_user("signer-n", roles=["signer"])
    rejected = make_dossier("in_appraisal")
    fire(tx, rejected, "reject", reviewer, expected_version=rejected.version,
         reason="Không đủ tiêu chuẩn")
    decided = make_dossier("council_approved")
    fire(tx, decided, "record_decision", signer, expected_version=decided.version,
         document_number="2307/QĐ-BTP", document_date=date(2025, 12, 30))
    tx.commit()
    kinds = {(n.kind, n.subject_id) for n in _notes(session, submitter)}
    assert kinds == {("dossier.reject", str(rejected.id)),
                     ("dossier.record_decision", str(decided.id))}
    decision_note = next(n for n in _notes(session, submitter) if n.kind.endswith("decision"))
    assert "Quyết định 2307/QĐ-BTP ngày 30/12/2025." in decision_note.message


def test_arrival_tells_the_reviewers_whose_scope_covers_the_unit(
        tx, session, make_dossier, make_user, other_unit, submitter, reviewer):
    elsewhere = make_user("reviewer-b", roles=["reviewer"], unit=other_unit)
    dossier = make_dossier()
    fire(tx, dossier, "submit", submitter, expected_version=1)
    tx.commit()
    [note] = _notes(session, reviewer)
    assert note.kind == "dossier.submit" and str(dossier.id) == note.subject_id
    assert _notes(session, elsewhere) == [] and _notes(session, submitter) == []


def test_a_refused_transition_notifies_nobody(tx, session, make_dossier, submitter, reviewer):
    dossier = make_dossier(documents=[])
    with pytest.raises(GuardFailed):
        fire(tx, dossier, "submit", submitter, expected_version=1)
    tx.rollback()
    assert _notes(session) == []


def test_return_through_the_page_delivers_the_mail_to_a_real_smtp_server(
        make_app, config, session, make_dossier, make_user, submitting_unit, reviewer, smtp):
    officer = make_user("submitter-mail", roles=["submitter"], unit=submitting_unit,
                        email="can.bo@example.vn")
    dossier = make_dossier("submitted", creator=officer)
    mailing = make_app(replace(config, mail_port=smtp.port))
    client = mailing.test_client()
    login_as(mailing, client, reviewer)
    response = post_action(client, dossier.id, "return_for_supplement", dossier.version,
                           reason="Bổ sung xác nhận sáng kiến")
    assert response.status_code == 302
    [message] = [m for m in smtp.messages if m["To"] == "can.bo@example.vn"]
    body = message.get_body().get_content()
    assert "Bổ sung xác nhận sáng kiến" in body and f"/dossiers/{dossier.id}" in body
    session.expire_all()
    assert session.scalar(select(OutboxMessage.status).where(
        OutboxMessage.recipient == "can.bo@example.vn")) == "sent"
