"""Several documents in one sending from the dossier page (issue 17 item 1): several types
and several files per type; one refused file keeps the whole sending out, each refusal
named; the same file attached as another type is accepted with a warning."""

from __future__ import annotations

import hashlib
import html
import re

import pytest
from sqlalchemy import select

from tests.support.dossier_factories import (
    DOCX,
    EXE,
    PDF,
    PNG,
    events_of,
    fresh,
    upload_many,
)
from workflow_app.models.dossier import DossierDocument


@pytest.fixture
def storage_root(app):
    return app.extensions["workflow_config"].instance_dir / "attachments"


def _stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _documents(session, dossier_id: int) -> list[DossierDocument]:
    session.expire_all()
    return list(session.scalars(select(DossierDocument).where(
        DossierDocument.dossier_id == dossier_id).order_by(DossierDocument.id)))


def _text(response) -> str:
    """The page as text: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", response.get_data(as_text=True)))


def _page(client, dossier_id: int) -> str:
    return _text(client.get(f"/dossiers/{dossier_id}"))


def test_several_types_and_several_files_per_type_go_in_one_sending(
        signed_in, session, make_dossier, submitter, storage_root):
    dossier = make_dossier(documents=[])
    client = signed_in(submitter)
    response = upload_many(client, dossier.id, [
        ("TO_TRINH", "to-trinh.pdf", PDF),
        ("BAO_CAO_THANH_TICH", "bao-cao.docx", DOCX),
        ("BAO_CAO_THANH_TICH", "phu-luc.png", PNG),
    ])
    assert response.status_code == 302
    documents = _documents(session, dossier.id)
    assert [(d.doc_type, d.filename) for d in documents] == [
        ("TO_TRINH", "to-trinh.pdf"), ("BAO_CAO_THANH_TICH", "bao-cao.docx"),
        ("BAO_CAO_THANH_TICH", "phu-luc.png")]
    assert {d.sha256 for d in documents} == {hashlib.sha256(x).hexdigest()
                                             for x in (PDF, DOCX, PNG)}
    events = events_of(session, dossier.id, "dossier.document_added")
    assert [e.data["document_id"] for e in events] == [d.id for d in documents]
    assert fresh(session, dossier.id).version == 4  # one per document, as one by one
    assert len(_stored_files(storage_root)) == 3
    page = _page(client, dossier.id)
    assert "Added 3 documents:" in page and "phu-luc.png" in page
    assert "2 attached" in page  # the achievement report's row counts its two files


def test_one_refused_file_keeps_the_whole_sending_out_and_is_named(
        signed_in, session, make_dossier, submitter, storage_root):
    dossier = make_dossier(documents=[])
    response = upload_many(signed_in(submitter), dossier.id, [
        ("TO_TRINH", "to-trinh.pdf", PDF),
        ("BIEN_BAN_BINH_XET", "bien-ban.exe", EXE),
        ("BAO_CAO_THANH_TICH", "rong.pdf", b""),
    ])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    refusals = page.split('data-testid="upload-refusals"', 1)[1].split("</ul>", 1)[0]
    assert refusals.count('data-testid="refusal"') == 2
    refusals = html.unescape(re.sub(r"<[^>]+>", "", refusals))
    assert "Nothing was added" in refusals
    assert "bien-ban.exe: This file is not a PDF, Word (DOCX)" in refusals
    assert "rong.pdf: The file is empty." in refusals
    assert "to-trinh.pdf" not in refusals  # the good one is not blamed...
    assert _documents(session, dossier.id) == []  # ...nor kept
    assert _stored_files(storage_root) == []
    assert events_of(session, dossier.id, "dossier.document_added") == []
    assert fresh(session, dossier.id).version == 1


def test_an_unknown_type_or_no_file_at_all_is_a_clear_refusal(
        signed_in, session, make_dossier, submitter, storage_root):
    dossier = make_dossier(documents=[])
    client = signed_in(submitter)
    response = upload_many(client, dossier.id, [("QUYET_DINH", "qd.pdf", PDF)])
    assert response.status_code == 422
    assert "qd.pdf: Choose the document's type from the list." in _text(response)
    response = upload_many(client, dossier.id, [])
    assert response.status_code == 422
    assert "Choose at least one file." in response.get_data(as_text=True)
    assert _documents(session, dossier.id) == [] and _stored_files(storage_root) == []


def test_the_same_file_as_another_type_is_accepted_with_a_word(
        signed_in, session, make_dossier, submitter):
    dossier = make_dossier(documents=[])
    client = signed_in(submitter)
    assert upload_many(client, dossier.id, [("TO_TRINH", "to-trinh.pdf", PDF)]
                       ).status_code == 302
    assert "the same file" not in _page(client, dossier.id)
    response = upload_many(client, dossier.id, [
        ("BAO_CAO_THANH_TICH", "bao-cao.pdf", PDF),  # the letter again, as the report
        ("BIEN_BAN_BINH_XET", "bien-ban.png", PNG),
        ("XAC_NHAN_SANG_KIEN", "sang-kien.png", PNG),  # twice in the same sending
    ])
    assert response.status_code == 302
    assert len(_documents(session, dossier.id)) == 4  # accepted: a word, not a refusal
    page = _page(client, dossier.id)
    assert ("“bao-cao.pdf” (Achievement report (báo cáo thành tích)) is the same file as "
            "“to-trinh.pdf”, "
            "attached as Submission letter (tờ trình).") in page
    assert "“sang-kien.png”" in page and "is the same file as “bien-ban.png”" in page
    assert "“bien-ban.png” (" not in page  # the first of the pair is not blamed
