"""The signed PDF on the decision's page and over the API (issue 20 item 1), and the
administrator's trust certificates page; on both databases. The CRL the test serves on
127.0.0.1 is on the allow-list of this module's configuration."""

from __future__ import annotations

import dataclasses
import hashlib
import io

import pytest
from sqlalchemy import func, select

from tests.support.factories import REAUTH
from tests.support.helpers import csrf_token, login_as
from tests.support.pki import build_pki, sign
from workflow_app.attachments.storage import DOCUMENTS, app_storage
from workflow_app.decisions.service import issue, trust_roots
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.models.audit import AuditEvent
from workflow_app.models.signature import SignedPdf, TrustCertificate
from workflow_app.models.user import User


@pytest.fixture(scope="module")
def pki():
    built = build_pki()
    yield built
    built.server.close()


@pytest.fixture(scope="module")
def agency_p12(pki, tmp_path_factory) -> str:
    """The agency's seal certificate as PKCS#12 (here the test signer's, under the CA)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    path = tmp_path_factory.mktemp("agency") / "agency.p12"
    path.write_bytes(pkcs12.serialize_key_and_certificates(
        b"agency", pki.signer.key, pki.signer.certificate, [pki.intermediate.certificate],
        serialization.BestAvailableEncryption(b"mat-khau")))
    return str(path)


@pytest.fixture
def config(_backend, pki, agency_p12):
    return dataclasses.replace(_backend.config(), outbound_allowed_hosts=(pki.server.host,),
                               agency_signing_key=agency_p12,
                               agency_signing_passphrase="mat-khau")


@pytest.fixture
def signer(make_user, make_person):
    person = make_person("Lê Thành Long", position="Bộ trưởng")
    return make_user("signer-btp", roles=["signer"], person=person, locale="en")


@pytest.fixture
def decision_id(tx, signer, make_dossier, pki) -> int:
    user = tx.get(User, signer.id)
    dossier = make_dossier("council_approved")
    made = issue.issue_decision(tx, user, issue.default_input(user, [dossier], today_vn()),
                                app_storage(DOCUMENTS), today_vn())
    trust_roots.add_certificate(tx, pki.root.pem, user)
    trust_roots.add_certificate(tx, pki.intermediate.pem, user)
    tx.commit()
    return made.id


def signed_copy(tx, decision_id, pki, who=None) -> bytes:
    from workflow_app.models.decision import Decision

    issued = app_storage(DOCUMENTS).get(tx.get(Decision, decision_id).pdf_sha256)
    return sign(issued, who or pki.signer, [pki.intermediate])


def count(session, model) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model))


def post_page(client, decision_id, data: bytes, password=REAUTH["password"]):
    token = csrf_token(client, f"/decisions/{decision_id}")
    return client.post(f"/decisions/{decision_id}/signed-pdf", data={
        "csrf_token": token, "password": password,
        "file": (io.BytesIO(data), "quyet-dinh-da-ky.pdf")}, content_type="multipart/form-data")


def test_the_signer_uploads_on_the_page_and_the_download_serves_the_signed_file(
        app, client, session, tx, signer, decision_id, pki):
    data = signed_copy(tx, decision_id, pki)
    login_as(app, client, signer)
    page = client.get(f"/decisions/{decision_id}").get_data(as_text=True)
    assert 'data-testid="signed-upload-form"' in page and 'data-testid="reauth"' in page

    wrong = post_page(client, decision_id, data, password="not-my-password")
    assert wrong.status_code == 422
    assert "The signed PDF was not recorded." in wrong.get_data(as_text=True)
    assert count(session, SignedPdf) == 0

    response = post_page(client, decision_id, data)
    assert response.status_code == 303, response.get_data(as_text=True)[:800]
    page = client.get(f"/decisions/{decision_id}").get_data(as_text=True)
    assert "CN=Lê Thành Long" in page
    assert "not revoked" in page
    assert 'data-testid="signed-upload-form"' not in page
    download = client.get(f"/decisions/{decision_id}/pdf")
    assert hashlib.sha256(download.data).hexdigest() == hashlib.sha256(data).hexdigest()


def test_a_refused_file_shows_the_reason_and_records_nothing(
        app, client, session, tx, signer, decision_id, pki):
    login_as(app, client, signer)
    revoked = signed_copy(tx, decision_id, pki, who=pki.revoked)
    response = post_page(client, decision_id, revoked)
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "was revoked" in text and "The signed PDF was not recorded." in text
    response = post_page(client, decision_id, b"%PDF-1.4 broken")
    assert response.status_code == 422
    assert "not a readable PDF" in response.get_data(as_text=True)
    assert count(session, SignedPdf) == 0
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "decision.signed_pdf_recorded")) == 0


def test_a_reader_who_is_not_the_signer_cannot_upload(
        app, client, session, tx, make_user, submitting_unit, decision_id, pki):
    reader = make_user("auditor-btp", roles=["auditor"], locale="en")
    login_as(app, client, reader)
    page = client.get(f"/decisions/{decision_id}").get_data(as_text=True)
    assert 'data-testid="signed-upload-form"' not in page
    response = client.post(f"/decisions/{decision_id}/signed-pdf", data={
        "csrf_token": csrf_token(client, f"/decisions/{decision_id}"),
        "password": REAUTH["password"],
        "file": (io.BytesIO(signed_copy(tx, decision_id, pki)), "x.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 403
    assert count(session, SignedPdf) == 0


def upload(call, decision_id, data, **fields):
    return call("POST", f"/api/v1/decisions/{decision_id}/signed-pdf",
                data={"password": REAUTH["password"], **fields,
                      "file": (io.BytesIO(data), "signed.pdf")},
                content_type="multipart/form-data")


def test_api_records_checks_revocation_and_refuses_with_the_failed_check(
        as_user, session, tx, signer, decision_id, pki):
    call = as_user(signer, locale="en")
    status = call("GET", f"/api/v1/decisions/{decision_id}/signed-pdf").get_json()
    assert status == {"signed": False, "record": None}

    response = upload(call, decision_id, signed_copy(tx, decision_id, pki, who=pki.expired))
    assert response.status_code == 422
    body = response.get_json()["error"]
    assert body["code"] == "signature_refused"
    assert body["details"][0]["type"] == "not_valid_at_signing_time"
    assert count(session, SignedPdf) == 0

    data = signed_copy(tx, decision_id, pki)
    response = upload(call, decision_id, data)
    assert response.status_code == 201, response.get_data(as_text=True)
    out = response.get_json()
    assert out["sha256"] == hashlib.sha256(data).hexdigest()
    assert out["revocation"] == "good"
    assert out["signer_serial"] == format(pki.signer.certificate.serial_number, "X")
    status = call("GET", f"/api/v1/decisions/{decision_id}/signed-pdf").get_json()
    assert status["signed"] is True and status["record"]["sha256"] == out["sha256"]
    pdf = call("GET", f"/api/v1/decisions/{decision_id}/pdf")
    assert pdf.data == data
    again = upload(call, decision_id, data)
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "already_signed"


def test_admin_adds_lists_and_removes_trust_certificates_audited(
        app, client, session, make_user, pki):
    admin = make_user("admin-1", roles=["admin"], locale="en")
    login_as(app, client, admin)

    def add(data: bytes, name: str):
        return client.post("/admin/trust-certificates", data={
            "csrf_token": csrf_token(client, "/admin/trust-certificates"),
            "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")

    assert add(pki.root.pem, "root.pem").status_code == 302
    assert add(pki.intermediate.der, "ca.cer").status_code == 302
    duplicate = add(pki.root.der, "root.cer")
    assert duplicate.status_code == 422
    assert "already in the list" in duplicate.get_data(as_text=True)
    leaf = add(pki.signer.pem, "signer.pem")
    assert leaf.status_code == 422 and "not a CA certificate" in leaf.get_data(as_text=True)
    junk = add(b"hello", "x.pem")
    assert junk.status_code == 422 and "not an X.509" in junk.get_data(as_text=True)

    session.expire_all()
    rows = session.scalars(select(TrustCertificate).order_by(TrustCertificate.id)).all()
    assert [r.kind for r in rows] == ["root", "intermediate"]
    assert rows[0].fingerprint == hashlib.sha256(pki.root.der).hexdigest()
    page = client.get("/admin/trust-certificates").get_data(as_text=True)
    assert "Root CA thử nghiệm" in page
    assert trust_roots.colon_fingerprint(rows[0].fingerprint) in page

    removed = client.post(f"/admin/trust-certificates/{rows[1].id}/remove", data={
        "csrf_token": csrf_token(client, "/admin/trust-certificates")})
    assert removed.status_code == 302
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(TrustCertificate)) == 1
    actions = session.scalars(select(AuditEvent.action).where(
        AuditEvent.subject_type == "trust_certificate").order_by(AuditEvent.seq)).all()
    assert actions == ["trust.certificate_added", "trust.certificate_added",
                       "trust.certificate_removed"]


def test_only_admins_reach_the_trust_certificates(app, client, signer):
    login_as(app, client, signer)
    assert client.get("/admin/trust-certificates").status_code == 403


def test_a_vietnamese_officer_reads_the_result_in_vietnamese_and_vietnam_time(
        app, client, session, tx, make_user, make_person, decision_id, pki):
    from workflow_app.workdays import VIETNAM_TZ

    person = make_person("Nguyễn Văn Ký", position="Thứ trưởng")
    officer = make_user("signer-vi", roles=["signer"], person=person, locale="vi")
    login_as(app, client, officer)
    refusal = post_page(client, decision_id, signed_copy(tx, decision_id, pki, who=pki.expired))
    assert refusal.status_code == 422
    text = refusal.get_data(as_text=True)
    assert "không có hiệu lực tại thời điểm ký" in text
    assert "Bản PDF đã ký số chưa được ghi nhận." in text
    assert post_page(client, decision_id, signed_copy(tx, decision_id, pki)).status_code == 303
    page = client.get(f"/decisions/{decision_id}").get_data(as_text=True)
    assert "Chữ ký số" in page and "chưa bị thu hồi" in page
    assert "not revoked" not in page and "Digital signature" not in page
    session.expire_all()
    row = session.scalars(select(SignedPdf)).one()
    assert row.signed_at.astimezone(VIETNAM_TZ).strftime("%d/%m/%Y %H:%M") in page


def test_the_signer_signs_on_the_server_with_the_agency_certificate(
        app, client, session, tx, signer, decision_id, pki):
    login_as(app, client, signer)
    page = client.get(f"/decisions/{decision_id}").get_data(as_text=True)
    assert 'data-testid="agency-sign-form"' in page
    token = csrf_token(client, f"/decisions/{decision_id}")
    wrong = client.post(f"/decisions/{decision_id}/agency-sign", data={
        "agency-csrf_token": token, "agency-password": "not-mine"})
    assert wrong.status_code == 422 and count(session, SignedPdf) == 0
    response = client.post(f"/decisions/{decision_id}/agency-sign", data={
        "agency-csrf_token": token, "agency-password": REAUTH["password"]})
    assert response.status_code == 303, response.get_data(as_text=True)[:600]
    session.expire_all()
    row = session.scalars(select(SignedPdf)).one()
    download = client.get(f"/decisions/{decision_id}/pdf")
    assert hashlib.sha256(download.data).hexdigest() == row.sha256
    assert b"/ChuKySoCoQuan" in download.data or b"(ChuKySoCoQuan)" in download.data


def test_api_signs_with_the_agency_certificate(as_user, session, signer, decision_id, pki):
    call = as_user(signer, locale="en")
    url = f"/api/v1/decisions/{decision_id}/agency-signature"
    wrong = call("POST", url, json={"password": "not-mine"})
    assert wrong.status_code == 422 and wrong.get_json()["error"]["code"] == "reauth_failed"
    response = call("POST", url, json=REAUTH)
    assert response.status_code == 201, response.get_data(as_text=True)
    out = response.get_json()
    assert out["signer_serial"] == format(pki.signer.certificate.serial_number, "X")
    assert out["revocation"] == "good"
    again = call("POST", url, json=REAUTH)
    assert again.status_code == 409
    assert count(session, SignedPdf) == 1


def test_api_admin_lists_adds_and_removes_trust_certificates(as_user, session, make_user, pki):
    admin = make_user("admin-api", roles=["admin"], locale="en")
    call = as_user(admin)
    before = call("GET", "/api/v1/trust-certificates").get_json()["items"]

    def add(data: bytes):
        return call("POST", "/api/v1/trust-certificates", content_type="multipart/form-data",
                    data={"file": (io.BytesIO(data), "ca.pem")})

    added = add(pki.stranger_root.pem)
    assert added.status_code == 201, added.get_data(as_text=True)
    out = added.get_json()
    assert out["kind"] == "root"
    assert out["fingerprint"] == hashlib.sha256(pki.stranger_root.der).hexdigest()
    refused = add(pki.stranger.pem)  # a signer's certificate, not a CA
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code"] == "certificate_refused"
    listed = call("GET", "/api/v1/trust-certificates").get_json()["items"]
    assert len(listed) == len(before) + 1
    assert call("DELETE", f"/api/v1/trust-certificates/{out['id']}").status_code == 200
    assert call("DELETE", f"/api/v1/trust-certificates/{out['id']}").status_code == 404
    assert len(call("GET", "/api/v1/trust-certificates").get_json()["items"]) == len(before)
    session.expire_all()
    assert session.scalars(select(AuditEvent.action).where(
        AuditEvent.subject_id == str(out["id"]),
        AuditEvent.subject_type == "trust_certificate").order_by(AuditEvent.seq)).all() == [
        "trust.certificate_added", "trust.certificate_removed"]
