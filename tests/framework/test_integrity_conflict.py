"""A unique constraint refusing a row is never a 500: whatever route hits it answers 409 with
a clear reason (the error page in the user's language; under /api/v1 the JSON error shape,
code `conflict`), the transaction is rolled back — nothing half-written — and the next
request works. The violation is real: a decision numbered behind the app's back (the series
counter not told) takes the number the next issuance allocates."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.support.api_fixtures import error_code
from tests.support.factories import REAUTH
from tests.support.helpers import csrf_token, login_as
from tests.support.new_year_data import bearer_headers
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.models.audit import AuditEvent
from workflow_app.models.decision import Decision, DocumentSeries
from workflow_app.models.dossier import Dossier
from workflow_app.models.registry import AwardRecord

CONFLICT_VI = "Không lưu được: dữ liệu trùng với một bản ghi vừa được lưu cùng lúc"
CONFLICT_EN = "This could not be saved: it clashes with a record saved at the same time"


def _plant_decision_01(session, issuer_id: int) -> None:
    """Decision 01/QĐ-BTP of this year, written directly: the counter still says 0."""
    today = today_vn()
    session.add(Decision(
        issuer_unit_id=issuer_id, doc_type="QĐ", year=today.year, number=1,
        reference="01/QĐ-BTP", issued_on=today, place="Hà Nội", summary="Nhập tay",
        content={}, signer_name="Lê Thành Long", signer_title="BỘ TRƯỞNG",
        docx_sha256="0" * 64, pdf_sha256="0" * 64))
    session.commit()


def _form(dossier_id: int) -> dict:
    return {"dossier_ids": [str(dossier_id)], "issued_on": today_vn().isoformat(),
            "place": "Hà Nội", "summary": "Về việc tặng Bằng khen",
            "authority": "BỘ TRƯỞNG BỘ TƯ PHÁP", "bases": "Căn cứ A;",
            "articles": "Tặng Bằng khen.", "recipients": "Như Điều 3;"}


def _api_body(dossier_id: int) -> dict:
    form = _form(dossier_id)
    return {**form, "dossier_ids": [dossier_id], "bases": [form["bases"]],
            "articles": [form["articles"]], "recipients": [form["recipients"]]}


def _nothing_written(session, dossier_id: int) -> None:
    assert session.scalars(select(Decision.summary)).all() == ["Nhập tay"]
    assert session.scalar(select(func.count()).select_from(DocumentSeries)) == 0
    assert session.scalar(select(func.count()).select_from(AwardRecord)) == 0
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "decision.issued")) == 0
    assert session.scalar(select(Dossier.state).where(Dossier.id == dossier_id)) == \
        "council_approved"


def _counter_catches_up(session, issuer_id: int) -> None:
    session.add(DocumentSeries(issuer_unit_id=issuer_id, doc_type="QĐ",
                               year=today_vn().year, last_number=1))
    session.commit()


def test_a_unique_violation_on_the_signing_page_is_a_409_page_in_vietnamese(
        app, client, session, tx, make_user, make_person, make_dossier, root_unit):
    signer = make_user("signer-btp", roles=["signer"],
                       person=make_person("Lê Thành Long", position="Bộ trưởng"))
    dossier_id = make_dossier("council_approved").id
    tx.rollback()
    _plant_decision_01(session, root_unit.id)
    login_as(app, client, signer)
    token = csrf_token(client, "/decisions/to-sign")
    response = client.post("/decisions/issue",
                           data={**_form(dossier_id), "csrf_token": token, **REAUTH})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'data-testid="error-page"' in page and CONFLICT_VI in page
    assert "Traceback" not in page and "IntegrityError" not in page
    _nothing_written(session, dossier_id)
    # The request's session was rolled back: the same signer goes on working.
    assert client.get("/decisions/to-sign").status_code == 200
    _counter_catches_up(session, root_unit.id)
    issued = client.post("/decisions/issue",
                         data={**_form(dossier_id), "csrf_token": token, **REAUTH})
    assert issued.status_code == 303
    assert session.scalar(select(Decision.reference).where(Decision.number == 2)) == \
        "02/QĐ-BTP"


def test_a_unique_violation_over_the_api_is_a_409_conflict_in_the_error_shape(
        app, session, tx, make_user, make_person, make_dossier, root_unit):
    signer = make_user("signer-btp", roles=["signer"], locale="en",
                       person=make_person("Lê Thành Long", position="Bộ trưởng"))
    dossier_id = make_dossier("council_approved").id
    tx.rollback()
    _plant_decision_01(session, root_unit.id)
    headers = bearer_headers(app, signer)
    client = app.test_client()
    response = client.post("/api/v1/decisions",
                           json={**_api_body(dossier_id), **REAUTH}, headers=headers)
    assert response.status_code == 409 and response.mimetype == "application/json"
    assert response.get_json() == {"error": {
        "code": "conflict", "message": response.get_json()["error"]["message"],
        "details": None}}
    assert response.get_json()["error"]["message"].startswith(CONFLICT_EN)
    _nothing_written(session, dossier_id)
    _counter_catches_up(session, root_unit.id)
    retried = client.post("/api/v1/decisions",
                          json={**_api_body(dossier_id), **REAUTH}, headers=headers)
    assert retried.status_code == 201 and retried.get_json()["reference"] == "02/QĐ-BTP"


def _event_behind_the_apps_back(session) -> None:
    """An event inserted at the next place of the chain, the head row not moved."""
    from datetime import UTC, datetime

    from sqlalchemy import insert

    from workflow_app.audit.canonical import event_hash

    last = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
    fields = {"seq": last.seq + 1, "occurred_at": datetime.now(UTC), "actor_id": None,
              "actor_label": "forger", "action": "test.event", "subject_type": "thing",
              "subject_id": "x", "from_state": None, "to_state": None, "data": {}}
    session.execute(insert(AuditEvent.__table__).values(
        **fields, prev_hash=last.hash, hash=event_hash(last.hash, fields)))
    session.commit()


def test_an_event_written_behind_the_apps_back_stops_writes_with_a_reason_not_a_retry(
        app, client, session, tx, make_user, make_person, make_dossier, root_unit):
    signer = make_user("signer-btp", roles=["signer"],
                       person=make_person("Lê Thành Long", position="Bộ trưởng"))
    dossier_id = make_dossier("council_approved").id
    tx.rollback()
    login_as(app, client, signer)
    token = csrf_token(client, "/decisions/to-sign")
    headers = bearer_headers(app, signer)
    _event_behind_the_apps_back(session)
    page = client.post("/decisions/issue",
                       data={**_form(dossier_id), "csrf_token": token, **REAUTH})
    assert page.status_code == 503
    text = page.get_data(as_text=True)
    assert "Nhật ký kiểm toán cần được kiểm tra" in text and "flask audit verify" in text
    assert CONFLICT_VI not in text and "Retry-After" not in page.headers
    api = client.post("/api/v1/decisions",
                      json={**_api_body(dossier_id), **REAUTH}, headers=headers)
    assert api.status_code == 503 and error_code(api) == "audit_chain_conflict"
    assert "flask audit verify" in api.get_json()["error"]["message"]
    assert session.scalar(select(func.count()).select_from(Decision)) == 0
    assert session.scalar(select(Dossier.state).where(Dossier.id == dossier_id)) == \
        "council_approved"
