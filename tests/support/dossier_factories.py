"""Fixtures for the dossier pages and services: people in and out of scope, real files
(and not-quite files) to upload, and helpers to drive the dossier forms."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from sqlalchemy import select

from tests.support.helpers import csrf_token, login_as
from workflow_app.catalogue.service.loader import load_catalogue
from workflow_app.catalogue.service.queries import award_by_code
from workflow_app.models.audit import AuditEvent
from workflow_app.models.dossier import Dossier

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# The documents a CSTD_BO (Chiến sĩ thi đua Bộ) dossier needs before it may be submitted.
CSTD_BO_DOCUMENTS = ["TO_TRINH", "BAO_CAO_THANH_TICH", "BIEN_BAN_BINH_XET", "XAC_NHAN_SANG_KIEN"]


@pytest.fixture
def shipped_catalogue(app, session, data_snapshots):
    """The shipped catalogue loaded (by the actor "test"): loaded once per test process and
    put back for later tests, when it is the first thing in their database."""

    def load():
        load_catalogue(session, actor_label="test")
        session.commit()

    data_snapshots.build_or_restore(("shipped catalogue",), app, load)


@pytest.fixture
def cstd_bo(shipped_catalogue, session):
    """The shipped catalogue loaded, and its CSTD_BO award."""
    return award_by_code(session, "CSTD_BO")


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
PLAIN_ZIP = _zip({"notes.txt": b"not a Word document"})
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64 + b"This program cannot be run in DOS mode"
HTML = b"<!doctype html><html><body><script>alert(1)</script></body></html>"

VERSION_RE = re.compile(r'name="version" value="(\d+)"')


@pytest.fixture
def reviewer(make_user):
    return make_user("reviewer-ministry", roles=["reviewer"], email="reviewer@example.vn")


@pytest.fixture
def auditor(make_user):
    return make_user("auditor-1", roles=["auditor"])


@pytest.fixture
def admin_user(make_user):
    return make_user("admin-1", roles=["admin"])


@pytest.fixture
def other_unit(make_unit, root_unit):
    return make_unit("Cục Thi hành án dân sự tỉnh B", kind="thads_provincial", parent=root_unit)


@pytest.fixture
def other_submitter(make_user, other_unit):
    return make_user("submitter-b", roles=["submitter"], unit=other_unit)


@pytest.fixture
def nominee(make_person, submitting_unit):
    return make_person("Nguyễn Văn Bình", unit=submitting_unit)


@pytest.fixture
def signed_in(app, client, session):
    """`signed_in(user, locale="en")` → the test client, signed in as `user`, whose pages are
    in `locale` (English by default, so that tests read the English messages)."""

    def sign_in(user, locale: str = "en"):
        session.merge(user).locale = locale
        session.commit()
        login_as(app, client, user)
        return client

    return sign_in


def page_version(client, dossier_id: int) -> str:
    """The dossier version the dossier page shows in its action forms."""
    page = client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    match = VERSION_RE.search(page)
    assert match, "no action form with a version on the dossier page"
    return match.group(1)


def upload(client, dossier_id: int, doc_type: str, filename: str, data: bytes):
    token = csrf_token(client, f"/dossiers/{dossier_id}")
    return client.post(f"/dossiers/{dossier_id}/documents", data={
        "csrf_token": token, f"files-{doc_type}": (io.BytesIO(data), filename),
    }, content_type="multipart/form-data")


def upload_many(client, dossier_id: int, files: list[tuple[str, str, bytes]]):
    """One sending of the dossier page's upload form: (doc_type, filename, bytes) each."""
    token = csrf_token(client, f"/dossiers/{dossier_id}")
    data: dict = {"csrf_token": token}
    for doc_type, filename, content in files:
        data.setdefault(f"files-{doc_type}", []).append((io.BytesIO(content), filename))
    return client.post(f"/dossiers/{dossier_id}/documents", data=data,
                       content_type="multipart/form-data")


def post_action(client, dossier_id: int, trigger: str, version, **fields):
    token = csrf_token(client, f"/dossiers/{dossier_id}")
    data = {"csrf_token": token, **({"version": version} if version is not None else {}),
            **fields}
    return client.post(f"/dossiers/{dossier_id}/transitions/{trigger}", data=data)


def events_of(session, dossier_id: int, action: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).where(AuditEvent.subject_type == "dossier",
                                     AuditEvent.subject_id == str(dossier_id))
    if action:
        query = query.where(AuditEvent.action == action)
    return list(session.scalars(query.order_by(AuditEvent.seq)))


def fresh(session, dossier_id: int) -> Dossier:
    session.expire_all()
    return session.get(Dossier, dossier_id)
