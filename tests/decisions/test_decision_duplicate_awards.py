"""Issue 10 item 4: the same award is never recorded twice through a decision.

Two dossiers for the same nominee, award and year cannot be issued in one decision (nor sent
up in one tờ trình), and a decision — local or the higher authority's — cannot confer an
award the registry already holds, active, for that nominee and year (the same check as the
XLSX import). A refusal writes nothing and burns no number: the next decision still gets 01.
Service and pages here (the API in tests/decisions/test_api_decisions_duplicates.py), on
SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.support.decisions_data import make_higher_award
from tests.support.factories import REAUTH
from tests.support.helpers import csrf_token, login_as
from workflow_app.attachments.storage import Storage
from workflow_app.decisions.service import forwarding, issue
from workflow_app.decisions.service.selection import SelectionError
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.eligibility.service.duplicates import award_conflicts
from workflow_app.models.base import utcnow
from workflow_app.models.decision import Decision, DocumentSeries, SubmissionLetter
from workflow_app.models.dossier import Dossier
from workflow_app.models.registry import AwardRecord
from workflow_app.models.user import User

TODAY = date(2024, 11, 15)


@pytest.fixture
def signer(make_user, make_person):
    person = make_person("Lê Thành Long", position="Bộ trưởng")
    return make_user("signer-btp", roles=["signer", "reviewer"], person=person, locale="en")


@pytest.fixture
def storage(tmp_path):
    return Storage(tmp_path / "documents")


def twins(make_dossier, **kwargs) -> tuple[Dossier, Dossier]:
    """Two ready dossiers nominating the same person for the same award and year (the
    duplicate detector flags them `same_nomination`)."""
    first = make_dossier("council_approved", **kwargs)
    second = make_dossier("council_approved", nominee=first.nominee_person, **kwargs)
    assert (first.award_id, first.year) == (second.award_id, second.year)
    return first, second


def counts(session) -> tuple[int, int, int]:
    return tuple(session.scalar(select(func.count()).select_from(model))
                 for model in (Decision, DocumentSeries, AwardRecord))


def add_record(session, dossier: Dossier, *, revoked=False) -> None:
    """The registry already holds the dossier's award for its nominee and year (imported;
    revoked when asked)."""
    session.add(AwardRecord(
        person_id=dossier.nominee_person_id, award_code=dossier.award.code, year=dossier.year,
        decision_number="15/QĐ-BTP", decision_date=date(2024, 3, 1), issuer="Bộ Tư pháp",
        source="import", revoked_at=utcnow() if revoked else None,
        revocation_number="02/QĐ-BTP" if revoked else None))
    session.flush()


# --- service ------------------------------------------------------------------------------

def test_two_dossiers_for_the_same_award_are_refused_in_one_decision(
        tx, signer, make_dossier, storage):
    first, second = twins(make_dossier)
    user = tx.get(User, signer.id)
    inp = issue.default_input(user, [first, second], TODAY)
    with pytest.raises(SelectionError) as refused:
        issue.issue_decision(tx, user, inp, storage, TODAY)
    message = str(refused.value.message)
    assert first.nominee_name in message and f"#{first.id}" in message
    assert f"#{second.id}" in message and str(first.year) in message
    assert f"Award {first.award.code}" in message or f"Danh hiệu {first.award.code}" in message
    tx.rollback()
    assert counts(tx) == (0, 0, 0)  # no decision, no number taken, no registry row
    assert {tx.get(Dossier, d.id).state for d in (first, second)} == {"council_approved"}
    with pytest.raises(SelectionError):  # the preview refuses too
        issue.prepare(tx, user, inp, TODAY)
    tx.rollback()

    inp.dossier_ids = [first.id]
    decision = issue.issue_decision(tx, user, inp, storage, TODAY)
    tx.commit()
    assert decision.reference == "01/QĐ-BTP"  # the refused attempt burnt no number
    assert tx.scalars(select(AwardRecord.dossier_id)).all() == [first.id]


def test_an_award_the_registry_already_holds_is_not_conferred_again(
        tx, signer, make_dossier, storage):
    first, second = twins(make_dossier)
    user = tx.get(User, signer.id)
    issue.issue_decision(tx, user, issue.default_input(user, [first], TODAY), storage, TODAY)
    tx.commit()
    inp = issue.default_input(user, [second], TODAY)
    with pytest.raises(SelectionError) as refused:
        issue.issue_decision(tx, user, inp, storage, TODAY)
    message = str(refused.value.message)
    assert "01/QĐ-BTP" in message and f"#{second.id}" in message
    assert second.nominee_name in message and str(second.year) in message
    tx.rollback()
    assert counts(tx) == (1, 1, 1)
    assert tx.get(Dossier, second.id).state == "council_approved"
    assert tx.scalar(select(DocumentSeries.last_number)) == 1


def test_a_registry_row_from_the_import_blocks_but_a_revoked_one_does_not(
        tx, signer, make_dossier, storage):
    held = make_dossier("council_approved")
    again = make_dossier("council_approved")
    add_record(tx, held)
    add_record(tx, again, revoked=True)
    tx.commit()
    user = tx.get(User, signer.id)
    with pytest.raises(SelectionError) as refused:
        issue.issue_decision(tx, user, issue.default_input(user, [held, again], TODAY),
                             storage, TODAY)
    assert "15/QĐ-BTP" in str(refused.value.message)
    tx.rollback()
    assert counts(tx) == (0, 0, 2)
    decision = issue.issue_decision(tx, user, issue.default_input(user, [again], TODAY),
                                    storage, TODAY)
    tx.commit()
    assert decision.reference == "01/QĐ-BTP"


def test_forwarding_and_the_higher_decision_refuse_the_same_award_twice(
        tx, signer, make_dossier, make_award, storage):
    higher = make_higher_award(make_award, tx)
    first, second = twins(make_dossier, award=higher)
    user = tx.get(User, signer.id)
    with pytest.raises(SelectionError) as refused:  # one tờ trình asking twice
        forwarding.forward_dossiers(tx, user, forwarding.default_input(user, [first, second],
                                                                       TODAY), storage, TODAY)
    assert f"#{first.id}" in str(refused.value.message)
    tx.rollback()
    assert tx.scalars(select(SubmissionLetter)).all() == []
    for dossier in (first, second):  # sent up separately (e.g. by two units)
        forwarding.forward_dossiers(tx, user, forwarding.default_input(user, [dossier], TODAY),
                                    storage, TODAY)
        tx.commit()
    forwarding.record_higher_decision(tx, user, first, number="125/QĐ-TTg",
                                      decided_on=TODAY, expected_version=None, today=TODAY)
    tx.commit()
    with pytest.raises(SelectionError) as refused:
        forwarding.record_higher_decision(tx, user, second, number="130/QĐ-TTg",
                                          decided_on=TODAY, expected_version=None,
                                          today=TODAY)
    message = str(refused.value.message)
    assert "125/QĐ-TTg" in message and f"#{second.id}" in message
    tx.rollback()
    assert tx.get(Dossier, second.id).state == "forwarded"
    assert tx.scalars(select(AwardRecord.dossier_id)).all() == [first.id]


# --- pages --------------------------------------------------------------------------------

def _decision_form(ids) -> dict:
    return {"dossier_ids": [str(i) for i in ids], "issued_on": today_vn().isoformat(),
            "place": "Hà Nội", "summary": "Về việc tặng Danh hiệu",
            "authority": "BỘ TRƯỞNG BỘ TƯ PHÁP", "bases": "Căn cứ A;",
            "articles": "Tặng danh hiệu.\nQuyết định này có hiệu lực kể từ ngày ký.",
            "recipients": "Như Điều 3;\nLưu: VT, TĐKT."}


def test_the_signers_pages_show_the_refusal_and_write_nothing(
        app, client, session, tx, signer, make_dossier):
    first, second = twins(make_dossier)
    ids, name, year = [first.id, second.id], first.nominee_name, first.year
    tx.rollback()
    login_as(app, client, signer)
    token = csrf_token(client, "/decisions/to-sign")
    for path in ("/decisions/preview", "/decisions/issue"):
        response = client.post(path, data={**_decision_form(ids), "csrf_token": token, **REAUTH})
        html = response.get_data(as_text=True)
        assert response.status_code == 422, path
        assert name in html and str(year) in html
        assert f"#{ids[0]}" in html and f"#{ids[1]}" in html
        assert "more than once" in html
    assert counts(session) == (0, 0, 0)
    assert {session.get(Dossier, i).state for i in ids} == {"council_approved"}
    issued = client.post("/decisions/issue",
                         data={**_decision_form(ids[:1]), "csrf_token": token, **REAUTH})
    assert issued.status_code == 303
    assert session.scalars(select(Decision.reference)).all() == ["01/QĐ-BTP"]

    again = client.post("/decisions/issue", data={**_decision_form(ids[1:]),
                                                  "csrf_token": token, **REAUTH})
    html = again.get_data(as_text=True)
    assert again.status_code == 422 and "01/QĐ-BTP" in html and "already" in html
    assert counts(session) == (1, 1, 1)


def test_the_higher_decision_page_refuses_an_award_already_recorded(
        app, client, session, tx, signer, make_dossier, make_award, storage):
    higher = make_higher_award(make_award, tx)
    first, second = twins(make_dossier, award=higher)
    user = tx.get(User, signer.id)
    for dossier in (first, second):
        forwarding.forward_dossiers(tx, user, forwarding.default_input(user, [dossier],
                                                                       today_vn()),
                                    storage, today_vn())
        tx.commit()
    forwarding.record_higher_decision(tx, user, first, number="125/QĐ-TTg",
                                      decided_on=today_vn(), expected_version=None,
                                      today=today_vn())
    tx.commit()
    version = tx.get(Dossier, second.id).version
    second_id = second.id
    tx.rollback()
    login_as(app, client, signer)
    token = csrf_token(client, "/decisions/forwarded")
    response = client.post(f"/decisions/forwarded/{second_id}", data={
        f"d{second_id}-csrf_token": token, f"d{second_id}-number": "130/QĐ-TTg",
        f"d{second_id}-decided_on": today_vn().isoformat(),
        f"d{second_id}-version": str(version)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "125/QĐ-TTg" in html
    assert session.get(Dossier, second_id).state == "forwarded"
    assert session.scalar(select(func.count()).select_from(AwardRecord)) == 1


def test_a_collective_nominated_twice_is_a_conflict_too(tx, make_dossier, submitting_unit):
    first, second = make_dossier("council_approved"), make_dossier("council_approved")
    other = make_dossier("council_approved")
    for dossier in (first, second):
        dossier.nominee_person_id, dossier.nominee_unit_id = None, submitting_unit.id
    tx.flush()
    [conflict] = award_conflicts(tx, [first, second, other])
    assert [d.id for d in conflict.dossiers] == [first.id, second.id]
    assert conflict.records == () and conflict.detail["unit_id"] == submitting_unit.id
    tx.add(AwardRecord(unit_id=submitting_unit.id, award_code=other.award.code,
                       year=other.year, decision_number="7/QĐ-BTP",
                       decision_date=date(2024, 3, 1), source="import"))
    tx.flush()
    [conflict] = award_conflicts(tx, [first])
    assert [r.decision_number for r in conflict.records] == ["7/QĐ-BTP"]
    assert award_conflicts(tx, [other]) == []
    tx.rollback()
