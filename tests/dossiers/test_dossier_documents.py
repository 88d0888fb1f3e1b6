"""Documents: uploads checked by content (abuse refused cleanly, nothing stored or recorded),
removal kept as history, downloads only for readers, as attachments with nosniff."""

from __future__ import annotations

import hashlib
import io
from dataclasses import replace
from urllib.parse import quote

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from tests.support.dossier_factories import (
    DOCX,
    EXE,
    HTML,
    PDF,
    PLAIN_ZIP,
    PNG,
    events_of,
    fresh,
    upload,
)
from tests.support.helpers import csrf_token, login_as
from tests.support.workflow_factories import place
from workflow_app.attachments.storage import Storage
from workflow_app.dossiers.service.documents import FileTooLarge, add_document
from workflow_app.models.dossier import DossierDocument


@pytest.fixture(autouse=True)
def english(app):
    with force_locale("en"):
        yield


@pytest.fixture
def storage_root(app):
    return app.extensions["workflow_config"].instance_dir / "attachments"


def _stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _documents(session, dossier_id: int) -> list[DossierDocument]:
    session.expire_all()
    return list(session.scalars(select(DossierDocument).where(
        DossierDocument.dossier_id == dossier_id).order_by(DossierDocument.id)))


def test_a_pdf_is_stored_by_hash_and_recorded_with_its_hash(
        signed_in, session, make_dossier, submitter, storage_root):
    dossier = make_dossier(documents=[])
    response = upload(signed_in(submitter), dossier.id, "TO_TRINH", "To trinh 12.PDF", PDF)
    assert response.status_code == 302
    [document] = _documents(session, dossier.id)
    digest = hashlib.sha256(PDF).hexdigest()
    assert (document.doc_type, document.sha256, document.size) == ("TO_TRINH", digest, len(PDF))
    assert (document.filename, document.mimetype) == ("To trinh 12.pdf", "application/pdf")
    assert Storage(storage_root).get(digest) == PDF
    [event] = events_of(session, dossier.id, "dossier.document_added")
    assert event.data["sha256"] == digest and event.data["document_id"] == document.id
    assert event.actor_id == submitter.id
    assert fresh(session, dossier.id).version == 2


@pytest.mark.parametrize(("name", "data", "expected"), [
    ("report.pdf", EXE, "not a PDF, Word (DOCX), Excel (XLSX), JPEG or PNG"),
    ("report.pdf", HTML, "The type is judged from the file"),
    ("report.docx", PLAIN_ZIP, "not a PDF, Word (DOCX)"),
    ("empty.pdf", b"", "The file is empty."),
])
def test_wrong_content_is_refused_and_nothing_is_stored_or_recorded(
        signed_in, session, make_dossier, submitter, storage_root, name, data, expected):
    dossier = make_dossier(documents=[])
    response = upload(signed_in(submitter), dossier.id, "TO_TRINH", name, data)
    assert response.status_code == 422
    assert expected in response.get_data(as_text=True)
    assert _documents(session, dossier.id) == []
    assert _stored_files(storage_root) == []
    assert events_of(session, dossier.id, "dossier.document_added") == []
    assert fresh(session, dossier.id).version == 1


@pytest.mark.parametrize(("name", "clean"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\system32\\boot.ini", None),  # the form parser eats backslashes
    ("/var/www/index.html", "index.pdf"),
    ("bad\x00name<>.exe", "badname.pdf"),
])
def test_path_tricks_in_the_name_are_dropped(signed_in, session, make_dossier, submitter,
                                             storage_root, name, clean):
    dossier = make_dossier(documents=[])
    assert upload(signed_in(submitter), dossier.id, "TO_TRINH", name, PDF).status_code == 302
    [document] = _documents(session, dossier.id)
    assert "/" not in document.filename and "\\" not in document.filename
    assert not document.filename.startswith(".") and document.filename.endswith(".pdf")
    assert clean is None or document.filename == clean
    [stored] = _stored_files(storage_root)
    assert stored.name == document.sha256 and stored.is_relative_to(storage_root)


def test_an_oversized_request_gets_413_with_the_limit_and_nothing_is_kept(
        make_app, config, session, make_dossier, submitter, storage_root):
    small = make_app(replace(config, max_content_length=2048))
    client = small.test_client()
    session.merge(submitter).locale = "en"  # read the English message
    session.commit()
    login_as(small, client, submitter)
    dossier = make_dossier(documents=[])
    token = csrf_token(client, f"/dossiers/{dossier.id}")
    response = client.post(f"/dossiers/{dossier.id}/documents", data={
        "csrf_token": token, "files-TO_TRINH": (io.BytesIO(PDF + b"0" * 4096), "big.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 413
    assert "larger than the limit" in response.get_data(as_text=True)
    assert _documents(session, dossier.id) == [] and _stored_files(storage_root) == []


def test_the_service_enforces_the_size_limit_too(tx, make_dossier, submitter, storage_root):
    dossier = make_dossier(documents=[])
    with pytest.raises(FileTooLarge) as error:
        add_document(tx, dossier, submitter, doc_type="TO_TRINH", filename="a.pdf",
                     data=PDF + b"0" * 100, storage=Storage(storage_root), max_size=50)
    tx.rollback()
    assert error.value.code == 413 and _stored_files(storage_root) == []


def test_uploads_need_an_editable_dossier_the_submitter_role_and_a_listed_type(
        signed_in, session, make_dossier, submitter, reviewer, storage_root):
    sent = make_dossier("submitted", documents=[])
    response = upload(signed_in(submitter), sent.id, "TO_TRINH", "a.pdf", PDF)
    assert response.status_code == 409
    assert "only while it is a draft or returned" in response.get_data(as_text=True)
    draft = make_dossier(documents=[])
    assert upload(signed_in(reviewer), draft.id, "TO_TRINH", "a.pdf", PDF).status_code == 403
    response = upload(signed_in(submitter), draft.id, "QUYET_DINH", "a.pdf", PDF)
    assert response.status_code == 422
    assert _documents(session, sent.id) == _documents(session, draft.id) == []
    assert _stored_files(storage_root) == []


def test_removal_keeps_the_row_and_the_history(signed_in, session, make_dossier, submitter):
    dossier = make_dossier(documents=[])
    client = signed_in(submitter)
    upload(client, dossier.id, "TO_TRINH", "to-trinh.pdf", PDF)
    [document] = _documents(session, dossier.id)
    response = client.post(f"/dossiers/{dossier.id}/documents/{document.id}/remove",
                           data={"csrf_token": csrf_token(client, f"/dossiers/{dossier.id}")})
    assert response.status_code == 302
    [kept] = _documents(session, dossier.id)
    assert kept.removed_at is not None and kept.removed_by_id == submitter.id
    assert fresh(session, dossier.id).documents == []
    [event] = events_of(session, dossier.id, "dossier.document_removed")
    assert event.data["sha256"] == document.sha256
    page = client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert "1 removed document" in page and "Submission letter (tờ trình)" in page
    again = client.post(f"/dossiers/{dossier.id}/documents/{document.id}/remove",
                        data={"csrf_token": csrf_token(client, f"/dossiers/{dossier.id}")})
    assert again.status_code == 404
    assert client.get(f"/dossiers/{dossier.id}/documents/{document.id}").status_code == 200


def test_download_is_an_attachment_with_the_detected_type_rfc5987_name_and_nosniff(
        signed_in, session, make_dossier, submitter):
    dossier = make_dossier(documents=[])
    client = signed_in(submitter)
    upload(client, dossier.id, "BAO_CAO_THANH_TICH", "Báo cáo thành tích.png", DOCX)
    [document] = _documents(session, dossier.id)
    response = client.get(f"/dossiers/{dossier.id}/documents/{document.id}")
    assert response.status_code == 200 and response.data == DOCX
    assert response.mimetype == ("application/vnd.openxmlformats-officedocument"
                                 ".wordprocessingml.document")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote('Báo cáo thành tích.docx')}" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"
    # "View" is for what a browser shows safely: a DOCX stays a download, with no link.
    viewed = client.get(f"/dossiers/{dossier.id}/documents/{document.id}/view")
    assert viewed.data == DOCX and viewed.headers["Content-Disposition"].startswith("attachment;")
    assert "sandbox" not in viewed.headers["Content-Security-Policy"]
    assert f'data-testid="view-{document.id}"' not in client.get(
        f"/dossiers/{dossier.id}").get_data(as_text=True)


def test_only_readers_of_the_dossier_may_download_or_view(signed_in, session, make_dossier,
                                                          submitter, other_submitter, auditor,
                                                          admin_user, reviewer):
    dossier = make_dossier(documents=[])
    upload(signed_in(submitter), dossier.id, "TO_TRINH", "a.png", PNG)
    [document] = _documents(session, dossier.id)
    path = f"/dossiers/{dossier.id}/documents/{document.id}"
    for shown in (path, path + "/view"):  # the view applies the download's checks
        assert signed_in(other_submitter).get(shown).status_code == 404  # another unit
        assert signed_in(admin_user).get(shown).status_code == 404
        assert signed_in(auditor).get(shown).data == PNG
        assert signed_in(reviewer).get(shown).data == PNG
    other = make_dossier(documents=[])  # the right document under the wrong dossier
    assert signed_in(submitter).get(
        f"/dossiers/{other.id}/documents/{document.id}/view").status_code == 404
    # An image is shown in the page: inline, its own type, sandboxed, framed by us only.
    viewed = signed_in(reviewer).get(path + "/view")
    assert viewed.mimetype == "image/png"
    assert viewed.headers["Content-Disposition"].startswith('inline; filename="a.png"')
    assert viewed.headers["X-Content-Type-Options"] == "nosniff"
    policy = viewed.headers["Content-Security-Policy"]
    assert policy.startswith("sandbox;") and "default-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy and viewed.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert signed_in(reviewer).get(path).headers["Content-Disposition"].startswith("attachment;")
    place(session, fresh(session, dossier.id), "in_appraisal")  # on the reviewer's page too
    session.commit()
    for page in (f"/dossiers/{dossier.id}", f"/review/dossiers/{dossier.id}"):
        html = signed_in(reviewer).get(page).get_data(as_text=True)
        assert f'href="{path}/view"' in html and 'data-view="image"' in html, page


def test_a_file_altered_in_storage_is_not_served(signed_in, session, make_dossier, submitter,
                                                 storage_root):
    dossier = make_dossier(documents=[])
    client = signed_in(submitter)
    upload(client, dossier.id, "TO_TRINH", "a.pdf", PDF)
    [document] = _documents(session, dossier.id)
    Storage(storage_root).path_for(document.sha256).write_bytes(b"%PDF-1.4 forged")
    assert client.get(f"/dossiers/{dossier.id}/documents/{document.id}").status_code == 404
