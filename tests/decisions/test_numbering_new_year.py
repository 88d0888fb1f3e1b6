"""Every numbered series restarts at 01 on 1 January (Vietnam date of the document), and the
first document of the new year is issued although last year's register already has the same
printed reference: `01/QĐ-BTP` of 2025 and `01/QĐ-BTP` of 2026 are different documents.
Uniqueness is (issuer, series, year, number) — checked here through the real services and
pages for QĐ (award and revoking decisions share it), TTr and BB, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.support.factories import REAUTH
from tests.support.helpers import csrf_token, login_as
from tests.support.new_year_data import (
    DEC_30,
    DEC_31,
    JAN_1,
    JAN_2,
    bearer_headers,
    decide_on,
    fill_previous_year,
    forward_on,
    propose_for,
    qd_numbers,
    revoke_on,
)
from workflow_app.attachments.storage import Storage
from workflow_app.council.service import minutes_sign
from workflow_app.models.catalogue import AwardVersion
from workflow_app.models.council import CouncilSession
from workflow_app.models.council_minutes import CouncilMinutes
from workflow_app.models.decision import Decision, DocumentSeries, SubmissionLetter
from workflow_app.models.dossier import Dossier
from workflow_app.models.user import User


@pytest.fixture
def signer(make_user, make_person):
    person = make_person("Lê Thành Long", position="Bộ trưởng")
    return make_user("signer-btp", roles=["signer", "reviewer"], person=person)


@pytest.fixture
def reviewer(make_user):
    return make_user("reviewer-btp", roles=["reviewer"])


@pytest.fixture
def storage(tmp_path):
    return Storage(tmp_path / "documents")


@pytest.fixture
def higher_award(make_award, tx):
    award = make_award()
    version = tx.scalars(select(AwardVersion).where(AwardVersion.award_id == award.id)).one()
    version.conferring_level = "prime_minister"
    tx.commit()
    return award


def _form(dossier_id: int, on) -> dict:
    return {"dossier_ids": [str(dossier_id)], "issued_on": on.isoformat(), "place": "Hà Nội",
            "summary": "Về việc tặng Bằng khen", "authority": "BỘ TRƯỞNG BỘ TƯ PHÁP",
            "bases": "Căn cứ A;", "articles": "Tặng Bằng khen.\nQuyết định này có hiệu lực.",
            "recipients": "Như Điều 3;\nLưu: VT, TĐKT."}


def _issue_on_page(client, dossier_id: int, on):
    token = csrf_token(client, "/decisions/to-sign")
    return client.post("/decisions/issue",
                       data={**_form(dossier_id, on), "csrf_token": token, **REAUTH})


def _state(session, dossier_id: int) -> str:
    return session.scalar(select(Dossier.state).where(Dossier.id == dossier_id))


def test_the_first_decision_of_a_new_year_is_issued_on_the_signing_page(
        app, client, session, tx, signer, make_dossier):
    ids = [make_dossier("council_approved").id for _ in range(4)]
    tx.rollback()
    login_as(app, client, signer)
    for dossier_id, on in zip(ids, (DEC_30, DEC_31, JAN_1, JAN_2), strict=True):
        response = _issue_on_page(client, dossier_id, on)
        assert response.status_code == 303, response.get_data(as_text=True)[:300]
    assert qd_numbers(session) == {2025: [(1, "01/QĐ-BTP"), (2, "02/QĐ-BTP")],
                                   2026: [(1, "01/QĐ-BTP"), (2, "02/QĐ-BTP")]}
    assert {_state(session, i) for i in ids} == {"decided"}
    assert sorted((s.year, s.last_number) for s in session.scalars(select(DocumentSeries))) \
        == [(2025, 2), (2026, 2)]
    # Each 01/QĐ-BTP page shows its own decision (looked up by id, never by reference).
    decisions = session.scalars(select(Decision).where(Decision.number == 1)
                                .order_by(Decision.year)).all()
    for decision in decisions:
        page = client.get(f"/decisions/{decision.id}").get_data(as_text=True)
        assert "01/QĐ-BTP" in page and decision.items[0].awardee_name in page


def test_the_first_decision_of_a_new_year_is_issued_over_the_api(
        app, session, tx, signer, make_dossier):
    ids = [make_dossier("council_approved").id for _ in range(2)]
    tx.rollback()
    client = app.test_client()
    headers = bearer_headers(app, signer)
    references = []
    for dossier_id, on in zip(ids, (DEC_31, JAN_1), strict=True):
        body = {**_form(dossier_id, on), "dossier_ids": [dossier_id], "bases": ["Căn cứ A;"],
                "articles": ["Tặng Bằng khen."], "recipients": ["Như Điều 3;"]}
        response = client.post("/api/v1/decisions", json={**body, **REAUTH}, headers=headers)
        assert response.status_code == 201, response.get_data(as_text=True)[:300]
        references.append(response.get_json()["reference"])
    assert references == ["01/QĐ-BTP", "01/QĐ-BTP"]
    assert qd_numbers(session) == {2025: [(1, "01/QĐ-BTP")], 2026: [(1, "01/QĐ-BTP")]}


def test_revoking_decisions_share_the_qd_series_across_the_new_year(
        tx, session, signer, reviewer, make_dossier, storage):
    a, b, c, d = (make_dossier("council_approved").id for _ in range(4))
    decide_on(tx, signer.id, [a], storage, DEC_30)  # 01/QĐ-BTP (2025)
    tx.commit()
    revoking_a = propose_for(tx, reviewer.id, a, DEC_31)
    assert revoke_on(tx, signer.id, revoking_a, storage, DEC_31).reference == "02/QĐ-BTP"
    tx.commit()
    for dossier_id in (b, c):  # 03 and 04/QĐ-BTP (2025)
        decide_on(tx, signer.id, [dossier_id], storage, DEC_31)
        tx.commit()
    # 2026: revoking decisions 01 and 02 (as 2025's revoking 02), then an award decision 03.
    revoked = []
    for dossier_id, on in ((b, JAN_1), (c, JAN_2)):
        revocation_id = propose_for(tx, reviewer.id, dossier_id, on)
        revoked.append(revoke_on(tx, signer.id, revocation_id, storage, on))
        tx.commit()
    assert [(r.year, r.reference) for r in revoked] == [(2026, "01/QĐ-BTP"),
                                                        (2026, "02/QĐ-BTP")]
    assert decide_on(tx, signer.id, [d], storage, JAN_2).reference == "03/QĐ-BTP"
    tx.commit()
    assert qd_numbers(session) == {
        2025: [(1, "01/QĐ-BTP"), (2, "02/QĐ-BTP"), (3, "03/QĐ-BTP"), (4, "04/QĐ-BTP")],
        2026: [(1, "01/QĐ-BTP"), (2, "02/QĐ-BTP"), (3, "03/QĐ-BTP")]}
    assert [_state(session, i) for i in (a, b, c, d)] == ["revoked"] * 3 + ["decided"]


def test_submission_letters_restart_at_the_new_year(tx, session, signer, make_dossier,
                                                    higher_award, storage):
    ids = [make_dossier("council_approved", award=higher_award).id for _ in range(3)]
    for dossier_id, on in zip(ids, (DEC_30, DEC_31, JAN_1), strict=True):
        forward_on(tx, signer.id, [dossier_id], storage, on)
        tx.commit()
    rows = session.execute(select(SubmissionLetter.year, SubmissionLetter.reference)
                           .order_by(SubmissionLetter.id)).all()
    assert [tuple(r) for r in rows] == [(2025, "01/TTr-BTP"), (2025, "02/TTr-BTP"),
                                        (2026, "01/TTr-BTP")]
    assert {_state(session, i) for i in ids} == {"forwarded"}


def test_minutes_restart_on_the_first_of_january_vietnam_time(
        tx, session, voted_session, storage, monkeypatch):
    kit_a, first, _ = voted_session()
    kit_b, second, _ = voted_session()
    moments = iter([datetime(2025, 12, 31, 16, 30, tzinfo=UTC),   # 31/12 23:30 in Vietnam
                    datetime(2025, 12, 31, 17, 30, tzinfo=UTC)])  # 01/01 00:30 in Vietnam
    monkeypatch.setattr(minutes_sign, "utcnow", lambda: next(moments))
    for kit, meeting in ((kit_a, first), (kit_b, second)):
        minutes_sign.sign_off(tx, tx.get(CouncilSession, meeting.id),
                              actor=tx.get(User, kit.chair.id), storage=storage)
        tx.commit()
    rows = session.execute(select(CouncilMinutes.year, CouncilMinutes.number,
                                  CouncilMinutes.reference).order_by(CouncilMinutes.id)).all()
    assert [tuple(r) for r in rows] == [(2025, 1, "01/BB-HĐTĐKT"), (2026, 1, "01/BB-HĐTĐKT")]


def test_after_a_year_of_three_hundred_decisions_the_new_year_starts_at_01(
        app, client, session, tx, signer, make_dossier, root_unit):
    fill_previous_year(tx, root_unit.id, 300, 2025)
    first, late = make_dossier("council_approved").id, make_dossier("council_approved").id
    tx.rollback()
    login_as(app, client, signer)
    assert _issue_on_page(client, first, JAN_1).status_code == 303
    assert _issue_on_page(client, late, DEC_31).status_code == 303  # last year's register
    numbers = qd_numbers(session)
    assert numbers[2026] == [(1, "01/QĐ-BTP")]
    assert len(numbers[2025]) == 301 and numbers[2025][-1] == (301, "301/QĐ-BTP")
    assert [n for n, _ in numbers[2025]] == list(range(1, 302))
    issued = session.scalar(select(Decision).where(Decision.year == 2026))
    assert [item.dossier_id for item in issued.items] == [first]
