"""A dossier's documents over the API: multipart uploads judged by content (refusals store
and record nothing), downloads with the detected type, removal kept as history, the same
scope and roles as the pages, and idempotent retries of an upload."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace

import pytest
from sqlalchemy import select

from tests.support.api_fixtures import error_code
from tests.support.dossier_factories import EXE, PDF, PNG, events_of, fresh
from workflow_app.attachments.storage import Storage
from workflow_app.models.dossier import DossierDocument


@pytest.fixture
def storage_root(app):
    return app.extensions["workflow_config"].instance_dir / "attachments"


def _stored(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _documents(session, dossier_id: int) -> list[DossierDocument]:
    session.expire_all()
    return list(session.scalars(select(DossierDocument).where(
        DossierDocument.dossier_id == dossier_id).order_by(DossierDocument.id)))


def _upload(call, dossier_id, data=PDF, name="To trinh.pdf", doc_type="TO_TRINH", **kw):
    return call("POST", f"/api/v1/dossiers/{dossier_id}/documents",
                data={"doc_type": doc_type, "file": (io.BytesIO(data), name)},
                content_type="multipart/form-data", **kw)


def test_an_upload_is_stored_by_hash_attached_and_audited(
        as_user, session, make_dossier, submitter, storage_root):
    dossier = make_dossier(documents=[])
    response = _upload(as_user(submitter), dossier.id)
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    digest = hashlib.sha256(PDF).hexdigest()
    assert (body["sha256"], body["mimetype"], body["size"]) == (digest, "application/pdf",
                                                                len(PDF))
    assert body["filename"] == "To trinh.pdf" and body["removed_at"] is None
    [document] = _documents(session, dossier.id)
    assert document.id == body["id"] and Storage(storage_root).get(digest) == PDF
    [event] = events_of(session, dossier.id, "dossier.document_added")
    assert event.data["sha256"] == digest and event.actor_id == submitter.id
    assert fresh(session, dossier.id).version == dossier.version + 1


@pytest.mark.parametrize(("data", "code"), [(EXE, "file_rejected"), (b"", "file_rejected")])
def test_wrong_content_is_refused_and_nothing_is_kept(
        as_user, session, make_dossier, submitter, storage_root, data, code):
    dossier = make_dossier(documents=[])
    response = _upload(as_user(submitter, locale="en"), dossier.id, data=data, name="a.pdf")
    assert response.status_code == 422 and error_code(response) == code
    assert _documents(session, dossier.id) == [] and _stored(storage_root) == []
    assert events_of(session, dossier.id, "dossier.document_added") == []


def test_malformed_uploads_are_4xx_with_a_reason(as_user, make_dossier, submitter):
    dossier = make_dossier(documents=[])
    call = as_user(submitter)
    as_json = call("POST", f"/api/v1/dossiers/{dossier.id}/documents",
                   json={"doc_type": "TO_TRINH"})
    assert as_json.status_code == 415 and error_code(as_json) == "unsupported_media_type"
    no_file = call("POST", f"/api/v1/dossiers/{dossier.id}/documents",
                   data={"doc_type": "TO_TRINH"}, content_type="multipart/form-data")
    assert no_file.status_code == 422
    assert no_file.get_json()["error"]["details"][0]["loc"] == ["file"]
    odd_type = _upload(call, dossier.id, doc_type="NOT_OFFERED")
    assert odd_type.status_code == 422 and error_code(odd_type) == "file_rejected"


def test_an_oversized_upload_is_a_json_413_and_nothing_is_kept(
        make_app, config, make_token, bearer, session, make_dossier, submitter, storage_root):
    small = make_app(replace(config, max_content_length=2048))
    dossier = make_dossier(documents=[])
    client = small.test_client()
    response = client.post(f"/api/v1/dossiers/{dossier.id}/documents",
                           headers=bearer(make_token(submitter)),
                           data={"doc_type": "TO_TRINH",
                                 "file": (io.BytesIO(PDF + b"0" * 4096), "big.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 413 and error_code(response) == "too_large"
    assert _documents(session, dossier.id) == [] and _stored(storage_root) == []


def test_only_submitters_of_the_unit_upload_while_the_dossier_is_editable(
        as_user, session, make_dossier, submitter, reviewer, other_submitter):
    draft = make_dossier(documents=[])
    by_reviewer = _upload(as_user(reviewer), draft.id)
    assert by_reviewer.status_code == 403 and error_code(by_reviewer) == "role_required"
    assert _upload(as_user(other_submitter), draft.id).status_code == 404
    read_only = _upload(as_user(submitter, scope="read"), draft.id)
    assert read_only.status_code == 403 and error_code(read_only) == "insufficient_scope"
    sent = make_dossier("submitted", documents=[])
    late = _upload(as_user(submitter), sent.id)
    assert late.status_code == 409 and error_code(late) == "not_editable"
    assert _documents(session, draft.id) == _documents(session, sent.id) == []


def test_a_download_has_the_detected_type_and_only_readers_get_it(
        as_user, make_dossier, submitter, other_submitter, auditor):
    dossier = make_dossier(documents=[])
    document = _upload(as_user(submitter), dossier.id, data=PNG, name="anh.pdf").get_json()
    url = f"/api/v1/dossiers/{dossier.id}/documents/{document['id']}"
    response = as_user(auditor)("GET", url)
    assert response.status_code == 200 and response.data == PNG
    assert response.mimetype == "image/png"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    hidden = as_user(other_submitter)("GET", url)
    assert hidden.status_code == 404 and hidden.mimetype == "application/json"
    elsewhere = as_user(submitter)("GET", f"/api/v1/dossiers/{dossier.id}/documents/999999")
    assert elsewhere.status_code == 404


def test_removal_keeps_the_document_as_history(as_user, session, make_dossier, submitter):
    dossier = make_dossier(documents=[])
    call = as_user(submitter)
    first = _upload(call, dossier.id).get_json()
    second = _upload(call, dossier.id, data=PNG, name="b.png", doc_type="KHAC").get_json()
    removed = call("DELETE", f"/api/v1/dossiers/{dossier.id}/documents/{first['id']}")
    assert removed.status_code == 200 and removed.get_json()["removed_at"]
    [event] = events_of(session, dossier.id, "dossier.document_removed")
    assert event.data["document_id"] == first["id"]
    listed = call("GET", f"/api/v1/dossiers/{dossier.id}/documents").get_json()
    assert [d["id"] for d in listed["items"]] == [second["id"]]
    everything = call("GET", f"/api/v1/dossiers/{dossier.id}/documents?include_removed=true"
                             "&limit=1").get_json()
    assert [d["id"] for d in everything["items"]] == [first["id"]]
    rest = call("GET", f"/api/v1/dossiers/{dossier.id}/documents?include_removed=true"
                       f"&limit=1&cursor={everything['next_cursor']}").get_json()
    assert [d["id"] for d in rest["items"]] == [second["id"]] and rest["next_cursor"] is None
    again = call("DELETE", f"/api/v1/dossiers/{dossier.id}/documents/{first['id']}")
    assert again.status_code == 404 and error_code(again) == "document_gone"
    history = call("GET", f"/api/v1/dossiers/{dossier.id}/documents/{first['id']}")
    assert history.status_code == 200 and history.data == PDF


def test_a_retried_upload_runs_once_and_a_reused_key_is_refused(
        as_user, session, make_dossier, submitter):
    dossier = make_dossier(documents=[])
    call = as_user(submitter)
    key = {"Idempotency-Key": "upload-1"}
    first = _upload(call, dossier.id, headers=key)
    retry = _upload(call, dossier.id, headers=key)
    assert first.status_code == retry.status_code == 201
    assert retry.headers.get("Idempotent-Replayed") == "true"
    assert retry.get_json() == first.get_json()
    assert len(_documents(session, dossier.id)) == 1
    other = _upload(call, dossier.id, data=PNG, name="b.png", headers=key)
    assert other.status_code == 422 and error_code(other) == "idempotency_key_reused"
    assert len(_documents(session, dossier.id)) == 1
