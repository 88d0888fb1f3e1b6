"""Batches over the API: one covering letter for many nominees, a shared document copied to
each dossier, submission of the complete ones (the others reported with the engine's
reason), scoped and role-checked like the batch pages."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from tests.support.api_fixtures import error_code
from tests.support.dossier_factories import PDF, PNG, events_of
from workflow_app.models.audit import AuditEvent
from workflow_app.models.batch import DossierBatch
from workflow_app.models.dossier import Dossier


@pytest.fixture
def people(make_person, submitting_unit):
    return [make_person(f"Cán bộ số {n}", unit=submitting_unit) for n in (1, 2, 3)]


@pytest.fixture
def award(make_award):
    return make_award()


def _batch(unit, award, people, **fields) -> dict:
    return {"unit_id": unit.id, "title": "Tờ trình số 12/TTr-CTHADS", "award_id": award.id,
            "commendation_type": "CONG_TRANG", "year": 2025,
            "person_ids": [p.id for p in people], **fields}


def _upload(call, batch_id, doc_type, data=PDF, name="chung.pdf"):
    return call("POST", f"/api/v1/batches/{batch_id}/documents",
                data={"doc_type": doc_type, "file": (io.BytesIO(data), name)},
                content_type="multipart/form-data")


def _dossiers(session, batch_id) -> list[Dossier]:
    session.expire_all()
    return list(session.scalars(select(Dossier).where(Dossier.batch_id == batch_id)
                                .order_by(Dossier.id)))


def test_a_batch_shares_its_documents_and_submits_the_complete_dossiers(
        as_user, session, award, submitter, submitting_unit, people):
    call = as_user(submitter, locale="en")
    created = call("POST", "/api/v1/batches", json=_batch(submitting_unit, award, people))
    assert created.status_code == 201, created.get_data(as_text=True)
    batch = created.get_json()
    assert [d["nominee_person"]["id"] for d in batch["dossiers"]] == [p.id for p in people]
    assert "TO_TRINH" in batch["document_types"]
    dossiers = _dossiers(session, batch["id"])
    assert [d.state for d in dossiers] == ["draft"] * 3
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "batch.created")).one()
    assert event.data["dossier_ids"] == [d.id for d in dossiers]

    for doc_type in ("TO_TRINH", "BAO_CAO_THANH_TICH"):
        shared = _upload(call, batch["id"], doc_type)
        assert shared.status_code == 201, shared.get_data(as_text=True)
        assert all(o["done"] for o in shared.get_json()["outcomes"])
    assert all(len(events_of(session, d.id, "dossier.document_added")) == 2 for d in dossiers)
    ready = dossiers[0]
    patched = call("PATCH", f"/api/v1/dossiers/{ready.id}",
                   json={"version": ready.version, "summary": "Hoàn thành xuất sắc."})
    assert patched.status_code == 200

    sent = call("POST", f"/api/v1/batches/{batch['id']}/submit")
    assert sent.status_code == 200, sent.get_data(as_text=True)
    outcomes = {o["dossier_id"]: o for o in sent.get_json()["outcomes"]}
    assert outcomes[ready.id]["done"] and outcomes[ready.id]["reason"] == ""
    assert not outcomes[dossiers[1].id]["done"]
    assert "summary" in outcomes[dossiers[1].id]["reason"]
    assert [d.state for d in _dossiers(session, batch["id"])] == ["submitted", "draft", "draft"]

    after = call("GET", f"/api/v1/batches/{batch['id']}").get_json()
    assert after["dossiers"][0]["missing"] == [] and after["dossiers"][1]["missing"]
    late = _upload(call, batch["id"], "KHAC", data=PNG, name="anh.png").get_json()
    assert {o["dossier_id"]: o["done"] for o in late["outcomes"]} == {
        ready.id: False, dossiers[1].id: True, dossiers[2].id: True}


def test_a_shared_document_is_downloaded_and_removed_from_the_dossiers_that_can_change(
        as_user, session, award, submitter, submitting_unit, people):
    call = as_user(submitter)
    batch = call("POST", "/api/v1/batches",
                 json=_batch(submitting_unit, award, people[:2])).get_json()
    shared = _upload(call, batch["id"], "TO_TRINH").get_json()["document"]
    url = f"/api/v1/batches/{batch['id']}/documents/{shared['id']}"
    download = call("GET", url)
    assert download.status_code == 200 and download.data == PDF
    assert download.mimetype == "application/pdf"
    removed = call("DELETE", url)
    assert removed.status_code == 200
    assert all(o["done"] for o in removed.get_json()["outcomes"])
    assert call("GET", f"/api/v1/batches/{batch['id']}").get_json()["documents"] == []
    assert all(events_of(session, d.id, "dossier.document_removed")
               for d in _dossiers(session, batch["id"]))
    gone = call("DELETE", url)
    assert gone.status_code == 404 and error_code(gone) == "document_gone"


def test_batches_are_scoped_like_the_pages(
        as_user, award, submitter, submitting_unit, people, other_submitter, auditor):
    batch = as_user(submitter)("POST", "/api/v1/batches",
                               json=_batch(submitting_unit, award, people[:1])).get_json()
    other = as_user(other_submitter)
    assert other("GET", "/api/v1/batches").get_json()["items"] == []
    for method, path in (("GET", ""), ("POST", "/submit"), ("DELETE", "/documents/1")):
        hidden = other(method, f"/api/v1/batches/{batch['id']}{path}")
        assert hidden.status_code == 404, (method, path)
        assert error_code(hidden) == "not_found"
    assert _upload(other, batch["id"], "TO_TRINH").status_code == 404
    listed = as_user(auditor)("GET", "/api/v1/batches").get_json()
    assert [b["id"] for b in listed["items"]] == [batch["id"]]


def test_who_may_create_and_what_is_refused(
        as_user, session, award, submitter, submitting_unit, people, reviewer, make_person,
        other_unit):
    body = _batch(submitting_unit, award, people)
    refused = as_user(reviewer)("POST", "/api/v1/batches", json=body)
    assert refused.status_code == 403 and error_code(refused) == "role_required"
    read_only = as_user(submitter, scope="read")("POST", "/api/v1/batches", json=body)
    assert read_only.status_code == 403 and error_code(read_only) == "insufficient_scope"
    call = as_user(submitter, locale="en")
    stranger = make_person("Người ngoài", unit=other_unit)
    outside = call("POST", "/api/v1/batches",
                   json=_batch(submitting_unit, award, [*people, stranger]))
    assert outside.status_code == 422
    assert outside.get_json()["error"]["details"][0]["loc"] == ["person_ids"]
    empty = call("POST", "/api/v1/batches", json=_batch(submitting_unit, award, []))
    assert empty.status_code == 422 and "at least one nominee" in empty.get_json()[
        "error"]["message"]
    assert session.scalar(select(DossierBatch)) is None
    assert session.scalar(select(Dossier)) is None
