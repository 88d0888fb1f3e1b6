"""Award decisions over the API: what is ready, the prefilled wording, a preview that writes
nothing, issuing one decision for many dossiers (numbered, files stored and audited), the
list, one decision and its downloads — scoped like the pages; concurrent issues never share
or skip a number."""

from __future__ import annotations

import hashlib
import threading

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.support.api_fixtures import error_code
from tests.support.decisions_data import (
    DOCX,
    PENDING,
    count,
    events,
    make_signer,
    ok,
    state_of,
    wording,
)
from tests.support.factories import REAUTH
from tests.support.workflow_factories import TEST_GROUND
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.models.audit import AuditEvent
from workflow_app.models.decision import Decision, DocumentSeries
from workflow_app.models.registry import AwardRecord


@pytest.fixture
def signer(make_user, make_person):
    return make_signer(make_user, make_person)


@pytest.fixture
def signer_b(make_user, make_person, province_b):
    return make_signer(make_user, make_person, province_b, "signer-b")


def test_signer_previews_then_issues_one_decision_for_many_dossiers(
        as_user, session, signer, make_dossier):
    ids = [make_dossier("council_approved").id for _ in range(2)]
    make_dossier("submitted")  # not ready
    call = as_user(signer)
    first = ok(call("GET", "/api/v1/decisions/ready?limit=1"))
    second = ok(call("GET", f"/api/v1/decisions/ready?limit=1&cursor={first['next_cursor']}"))
    assert [d["id"] for d in first["items"] + second["items"]] == ids
    assert second["next_cursor"] is None
    assert first["items"][0]["annex_row"]["award"] == first["items"][0]["award_name"]

    draft = ok(call("POST", "/api/v1/decisions/draft", json={}))
    assert draft["dossier_ids"] == ids and draft["authority"].startswith("BỘ TRƯỞNG")
    assert TEST_GROUND in draft["bases"]  # the award rule's formal legal bases
    body = {key: draft[key] for key in ("dossier_ids", "issued_on", "place", "summary",
                                        "authority", "bases", "articles", "recipients")}
    preview = ok(call("POST", "/api/v1/decisions/preview", json=body))
    assert preview["reference"] == PENDING and len(preview["annex"]) == 2
    assert preview["paragraphs"][0]["lead"] == "Điều 1."
    assert preview["signer_name"] == "Lê Thành Long"
    assert (count(session, Decision), count(session, DocumentSeries)) == (0, 0)
    assert {state_of(session, i) for i in ids} == {"council_approved"}

    issued = ok(call("POST", "/api/v1/decisions",
                     json={**body, "issuer_id": preview["issuer"]["id"], **REAUTH}), 201)
    year = today_vn().year
    assert issued["reference"] == "01/QĐ-BTP" and issued["number"] == 1
    assert [item["dossier_id"] for item in issued["items"]] == ids
    assert issued["file_stem"] == f"QD-01-BTP-{year}"
    assert {state_of(session, i) for i in ids} == {"decided"}
    records = session.scalars(select(AwardRecord).order_by(AwardRecord.id)).all()
    assert [(r.dossier_id, r.decision_number, r.source) for r in records] == \
        [(i, "01/QĐ-BTP", "decision") for i in ids]
    [event] = events(session, "decision.issued")
    assert event.data["dossier_ids"] == ids and event.actor_id == signer.id
    assert event.data["docx_sha256"] == issued["docx_sha256"]


def test_an_issued_decision_is_listed_read_and_downloaded_as_stored(
        as_user, session, signer, submitter, make_dossier):
    ids = [make_dossier("council_approved").id for _ in range(2)]
    call = as_user(signer)
    issued = ok(call("POST", "/api/v1/decisions", json={**wording(ids), **REAUTH}), 201)
    url = f"/api/v1/decisions/{issued['id']}"
    one = ok(call("GET", url))
    assert one["bases"] == ["Căn cứ A;", "Căn cứ B;"]  # blank entries dropped
    assert one["articles"][0] == "Tặng Bằng khen." and one["authority"] == "BỘ TRƯỞNG BỘ TƯ PHÁP"
    [event] = events(session, "decision.issued")
    docx = call("GET", f"{url}/docx")
    assert docx.status_code == 200 and docx.mimetype == DOCX
    assert docx.headers["Content-Disposition"].startswith("attachment;")
    assert hashlib.sha256(docx.data).hexdigest() == event.data["docx_sha256"]
    pdf = call("GET", f"{url}/pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    assert hashlib.sha256(pdf.data).hexdigest() == event.data["pdf_sha256"]
    for item in one["items"]:
        certificate = call("GET", f"{url}/certificates/{item['id']}")
        assert certificate.mimetype == "application/pdf"
        assert (hashlib.sha256(certificate.data).hexdigest()
                == event.data["certificates"][str(item["dossier_id"])])
    missing = call("GET", f"{url}/certificates/999999")
    assert missing.status_code == 404 and error_code(missing) == "not_found"
    # The submitting unit's officer reads it too (one of its dossiers is in the annex).
    mine = as_user(submitter)
    assert [d["id"] for d in ok(mine("GET", "/api/v1/decisions"))["items"]] == [issued["id"]]
    assert ok(mine("GET", url))["reference"] == "01/QĐ-BTP"


def test_another_units_users_see_nothing_and_cannot_decide_its_dossiers(
        as_user, session, tx, signer, signer_b, submitter_b, make_dossier):
    ids = [make_dossier("council_approved").id]
    issued = ok(as_user(signer)("POST", "/api/v1/decisions", json={**wording(ids), **REAUTH}), 201)
    other = as_user(submitter_b)
    assert ok(other("GET", "/api/v1/decisions"))["items"] == []
    for suffix in ("", "/docx", "/pdf", f"/certificates/{issued['items'][0]['id']}"):
        hidden = other("GET", f"/api/v1/decisions/{issued['id']}{suffix}")
        assert hidden.status_code == 404 and error_code(hidden) == "not_found"
        assert "QĐ" not in hidden.get_data(as_text=True)
    waiting = make_dossier("council_approved")
    waiting_id, nominee = waiting.id, waiting.nominee_name
    tx.rollback()  # end the read: SQLite would keep the requests' writers waiting
    call_b = as_user(signer_b)
    assert ok(call_b("GET", "/api/v1/decisions/ready"))["items"] == []
    for url, body in (("/api/v1/decisions", {**wording([waiting_id]), **REAUTH}),
                      ("/api/v1/decisions/draft", {"dossier_ids": [waiting_id]}),
                      ("/api/v1/decisions/preview", wording([waiting_id]))):
        refused = call_b("POST", url, json=body)
        assert refused.status_code == 422 and error_code(refused) == "selection_invalid"
        assert "outside your units" in refused.get_json()["error"]["message"]
        assert nominee not in refused.get_data(as_text=True)
    assert state_of(session, waiting_id) == "council_approved"
    assert count(session, Decision) == 1


def test_roles_and_token_scope_are_enforced(as_user, session, signer, submitter, make_dossier):
    ids = [make_dossier("council_approved").id]
    refused = as_user(submitter)("POST", "/api/v1/decisions", json={**wording(ids), **REAUTH})
    assert refused.status_code == 403 and error_code(refused) == "role_required"
    assert as_user(submitter)("GET", "/api/v1/decisions/ready").status_code == 403
    reader = as_user(signer, scope="read")
    assert ok(reader("POST", "/api/v1/decisions/preview", json=wording(ids)))["annex"]
    write = reader("POST", "/api/v1/decisions", json={**wording(ids), **REAUTH})
    assert write.status_code == 403 and error_code(write) == "insufficient_scope"
    assert count(session, Decision) == 0


def test_bad_input_is_refused_with_a_reason_and_takes_no_number(
        as_user, session, signer, make_dossier):
    ready = make_dossier("council_approved").id
    draft = make_dossier().id
    call = as_user(signer)
    future = call("POST", "/api/v1/decisions",
                  json={**wording([ready], issued_on="2999-01-01"), **REAUTH})
    assert future.status_code == 422 and error_code(future) == "selection_invalid"
    assert "future" in future.get_json()["error"]["message"]
    not_ready = call("POST", "/api/v1/decisions", json={**wording([ready, draft]), **REAUTH})
    assert error_code(not_ready) == "selection_invalid"
    assert f"Dossier {draft}" in not_ready.get_json()["error"]["message"]
    for bad in ({"articles": []}, {"place": ""}, {"colour": "red"}, {"dossier_ids": ["1"]},
                {"articles": ["a\nb"]}, {"bases": ["x" * 2000] * 3}):
        response = call("POST", "/api/v1/decisions", json={**wording([ready], **bad), **REAUTH})
        assert response.status_code == 422 and error_code(response) == "validation_failed", bad
    missing = call("POST", "/api/v1/decisions", json=wording([ready]))
    assert error_code(missing) == "validation_failed"
    assert missing.get_json()["error"]["details"][0]["loc"] == ["password"]
    wrong = call("POST", "/api/v1/decisions", json={**wording([ready]), "password": "nope"})
    assert wrong.status_code == 422 and error_code(wrong) == "reauth_failed"
    assert "not correct" in wrong.get_json()["error"]["message"]
    failed = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "auth.reauth_failed")).one()  # kept, though nothing else was
    assert failed.data["purpose"] == "decision"
    unknown = call("POST", "/api/v1/decisions/draft", json={"dossier_ids": [999999]})
    assert unknown.status_code == 422 and error_code(unknown) == "selection_invalid"
    assert unknown.get_json()["error"]["details"][0]["loc"] == ["dossier_ids"]
    as_text = call("POST", "/api/v1/decisions/draft", json={"dossier_ids": ["1"]})
    assert as_text.status_code == 422 and error_code(as_text) == "validation_failed"
    assert (count(session, Decision), count(session, DocumentSeries)) == (0, 0)
    assert state_of(session, ready) == "council_approved"


def test_nothing_ready_and_an_unlinked_signer_are_explained(as_user, make_user, make_dossier):
    lonely = as_user(make_user("signer-unlinked", roles=["signer"], locale="en"))
    response = lonely("POST", "/api/v1/decisions/draft", json={})
    assert response.status_code == 409 and error_code(response) == "nothing_ready"
    make_dossier("council_approved")
    unlinked = lonely("POST", "/api/v1/decisions/draft", json={})
    assert unlinked.status_code == 422 and error_code(unlinked) == "selection_invalid"
    assert "linked to a person" in unlinked.get_json()["error"]["message"]


def test_concurrent_issues_through_the_api_never_share_or_skip_a_number(
        app, session, signer, make_token, make_dossier):
    ids = [make_dossier("council_approved").id for _ in range(4)]
    headers = {"Authorization": f"Bearer {make_token(signer)}"}
    # Use the token once: its last-use stamp would otherwise serialise the racers early.
    assert FlaskClient(app).get("/api/v1/me", headers=headers).status_code == 200
    barrier = threading.Barrier(len(ids))
    answers: list[tuple[int, str]] = []

    def issue(dossier_id: int) -> None:
        client = FlaskClient(app)  # no shared test session across threads
        barrier.wait(timeout=10)
        response = client.post("/api/v1/decisions", json={**wording([dossier_id]), **REAUTH},
                               headers=headers)
        answers.append((response.status_code, (response.get_json() or {}).get("reference")))

    threads = [threading.Thread(target=issue, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert sorted(answers) == [(201, f"0{n}/QĐ-BTP") for n in range(1, len(ids) + 1)]
    numbers = session.scalars(select(Decision.number).order_by(Decision.number)).all()
    assert numbers == list(range(1, len(ids) + 1))
    assert {state_of(session, i) for i in ids} == {"decided"}
