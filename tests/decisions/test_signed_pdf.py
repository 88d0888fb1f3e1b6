"""Digitally signed PDFs of issued decisions (issue 20 item 1), service level, on both
databases: a throw-away CA (root, intermediate, signers) built with `cryptography`, the issued
PDF signed with pyHanko as a signer's tool would, revocation through a CRL the test serves
on 127.0.0.1 (allowed as an outbound host)."""

from __future__ import annotations

import hashlib
import io

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from sqlalchemy import func, select

from tests.support.pki import build_pki, sign
from workflow_app.attachments.storage import ATTACHMENTS, DOCUMENTS, app_storage
from workflow_app.auditor.service import evidence
from workflow_app.decisions.service import issue, signed_pdf, trust_roots
from workflow_app.decisions.service.pades import SignatureRefused
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.models.audit import AuditEvent
from workflow_app.models.base import utcnow
from workflow_app.models.signature import SignedPdf
from workflow_app.models.user import User


@pytest.fixture(scope="module")
def pki():
    built = build_pki()
    yield built
    built.server.close()


@pytest.fixture
def signer(make_user, make_person):
    person = make_person("Lê Thành Long", position="Bộ trưởng")
    return make_user("signer-btp", roles=["signer", "reviewer"], person=person)


@pytest.fixture
def user(tx, signer, submitting_unit, submitter):
    """The signer in `tx` (the units and accounts the dossiers need are made first: `tx`
    holds the embedded database's write lock from its first statement)."""
    return tx.get(User, signer.id)


@pytest.fixture
def decision(tx, user, make_dossier):
    dossier = make_dossier("council_approved")
    made = issue.issue_decision(tx, user, issue.default_input(user, [dossier], today_vn()),
                                app_storage(DOCUMENTS), today_vn())
    tx.commit()
    return made


@pytest.fixture
def trusted(tx, user, pki):
    """The throw-away root (PEM) and its intermediate (DER), configured."""
    trust_roots.add_certificate(tx, pki.root.pem, user)
    trust_roots.add_certificate(tx, pki.intermediate.der, user)
    tx.commit()


def issued_pdf(decision) -> bytes:
    return app_storage(DOCUMENTS).get(decision.pdf_sha256)


def record(tx, user, decision, data, pki, allowed=None):
    return signed_pdf.record_signed_pdf(
        tx, user, decision, data, app_storage(DOCUMENTS), utcnow(),
        allowed_hosts=(pki.server.host,) if allowed is None else allowed)


def refused(tx, user, decision, data, pki, **kwargs) -> SignatureRefused:
    with pytest.raises(SignatureRefused) as caught:
        record(tx, user, decision, data, pki, **kwargs)
    tx.rollback()
    assert tx.scalar(select(func.count()).select_from(SignedPdf)) == 0
    assert tx.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "decision.signed_pdf_recorded")) == 0
    return caught.value


def test_a_valid_signature_is_recorded_and_audited_and_becomes_the_pdf_of_record(
        tx, user, decision, trusted, pki):
    data = sign(issued_pdf(decision), pki.signer, [pki.intermediate])
    requests_before = pki.server.requests
    row = record(tx, user, decision, data, pki)
    tx.commit()

    assert pki.server.requests > requests_before  # the CRLs were fetched through the gate
    assert row.sha256 == hashlib.sha256(data).hexdigest()
    assert app_storage(DOCUMENTS).get(row.sha256) == data
    assert row.issued_sha256 == decision.pdf_sha256
    assert "CN=Lê Thành Long" in row.signer_subject
    assert row.signer_serial == format(pki.signer.certificate.serial_number, "X")
    assert "CA trung gian" in row.signer_issuer
    assert row.revocation == "good"
    assert signed_pdf.pdf_of_record(tx, decision) == row.sha256
    event = tx.scalars(select(AuditEvent).where(
        AuditEvent.action == "decision.signed_pdf_recorded")).one()
    assert (event.subject_type, event.subject_id) == ("decision", str(decision.id))
    assert event.data["signed_pdf_sha256"] == row.sha256
    assert event.data["issued_pdf_sha256"] == decision.pdf_sha256
    assert event.data["signer_serial"] == row.signer_serial
    assert event.data["signer_subject"] == row.signer_subject
    assert event.data["validation"]["revocation"] == "good"
    root_fingerprint = hashlib.sha256(pki.root.der).hexdigest()
    assert event.data["validation"]["signatures"][0]["trust_anchor"] == root_fingerprint

    # The auditor's evidence pack lists the signed file, checked against the event, and
    # the event with the signer's certificate and the result.
    pack = evidence.build(tx, "decision", str(decision.id), "en", app_storage(ATTACHMENTS),
                          app_storage(DOCUMENTS))
    signed_docs = [d for d in pack.documents if d.sha256 == row.sha256]
    assert len(signed_docs) == 1 and signed_docs[0].ok
    assert signed_docs[0].event_seq == event.seq
    assert event.seq in [e.seq for e in pack.events]

    with pytest.raises(SignatureRefused) as again:  # a second upload is refused
        record(tx, user, decision, data, pki)
    assert again.value.check == "already_signed"


def test_a_file_changed_after_signing_is_refused(tx, user, decision, trusted, pki):
    data = sign(issued_pdf(decision), pki.signer, [pki.intermediate])
    # An incremental update after the signature that changes the page's content.
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    stream = generic.StreamObject(stream_data=b"BT /F1 24 Tf 100 100 Td (SUA DOI) Tj ET")
    page["/Contents"] = writer.add_object(stream)
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)
    assert refused(tx, user, decision, out.getvalue(), pki).check == "modified"

    # A byte changed inside the signed range (the signature field's name, after the issued
    # bytes): the file still reads, the signature no longer matches.
    tampered = bytearray(data)
    at = data.index(b"(Signature1)", len(issued_pdf(decision))) + len(b"(Signature")
    tampered[at] = ord("2")
    assert refused(tx, user, decision, bytes(tampered), pki).check == "not_intact"


def test_a_signed_copy_of_another_pdf_is_refused(tx, user, decision, trusted, pki):
    other = issued_pdf(decision).replace(b"/Producer", b"/Producex", 1)
    if other == issued_pdf(decision):  # no /Producer: append a harmless comment instead
        other = issued_pdf(decision) + b"\n% khac\n"
    data = sign(other, pki.signer, [pki.intermediate])
    assert refused(tx, user, decision, data, pki).check == "not_the_issued_pdf"


def test_a_signer_under_an_unconfigured_root_is_refused(tx, user, decision, trusted, pki):
    data = sign(issued_pdf(decision), pki.stranger, [pki.stranger_root])
    error = refused(tx, user, decision, data, pki)
    assert error.check == "untrusted"
    assert "chứng thư số gốc" in str(error.message)  # in the default language, Vietnamese


def test_an_expired_certificate_is_refused(tx, user, decision, trusted, pki):
    data = sign(issued_pdf(decision), pki.expired, [pki.intermediate])
    assert refused(tx, user, decision, data, pki).check == "not_valid_at_signing_time"


def test_a_revoked_certificate_is_refused_through_the_local_crl(
        tx, user, decision, trusted, pki):
    data = sign(issued_pdf(decision), pki.revoked, [pki.intermediate])
    error = refused(tx, user, decision, data, pki)
    assert error.check == "revoked"


def test_revocation_through_a_local_ocsp_responder(tx, user, decision, trusted, pki):
    revoked = sign(issued_pdf(decision), pki.ocsp_revoked, [pki.intermediate])
    assert refused(tx, user, decision, revoked, pki).check == "revoked"
    good = sign(issued_pdf(decision), pki.ocsp_good, [pki.intermediate])
    row = record(tx, user, decision, good, pki)
    assert row.revocation == "good"
    assert "CN=Người ký OCSP" in row.signer_subject


def test_two_uploads_at_once_record_one(tx, user, decision, trusted, pki, monkeypatch):
    """The second of two concurrent uploads, which did not see the first when it checked,
    is refused by the database's uniqueness and reported as already signed (no 500)."""
    data = sign(issued_pdf(decision), pki.signer, [pki.intermediate])
    record(tx, user, decision, data, pki)
    tx.commit()
    monkeypatch.setattr(signed_pdf, "signed_of", lambda session, document: None)
    with pytest.raises(SignatureRefused) as second:
        record(tx, user, decision, data, pki)
    assert second.value.check == "already_signed"
    tx.rollback()
    assert tx.scalar(select(func.count()).select_from(SignedPdf)) == 1


def test_revocation_not_allowed_is_recorded_as_could_not_be_checked(
        tx, user, decision, trusted, pki):
    """The CRL host is not on the allow-list: nothing is fetched, the signature is accepted
    and the result says plainly that revocation could not be checked."""
    data = sign(issued_pdf(decision), pki.revoked, [pki.intermediate])
    before = pki.server.requests
    row = record(tx, user, decision, data, pki, allowed=())
    assert pki.server.requests == before
    assert row.revocation == "unchecked"
    notes = row.validation["revocation_notes"]
    assert {n["reason"] for n in notes} == {"not_allowed"}
    assert any(pki.server.host in n["address"] for n in notes)


def test_not_a_pdf_and_an_unsigned_pdf_are_refused(tx, user, decision, trusted, pki):
    assert refused(tx, user, decision, b"PK\x03\x04 not a pdf", pki).check == "not_pdf"
    assert refused(tx, user, decision, b"", pki).check == "not_pdf"
    unsigned = issued_pdf(decision)
    assert refused(tx, user, decision, unsigned, pki).check == "no_signature"


def test_nothing_is_accepted_without_a_configured_trust_root(tx, user, decision, pki):
    data = sign(issued_pdf(decision), pki.signer, [pki.intermediate])
    assert refused(tx, user, decision, data, pki).check == "no_trust_roots"


def test_the_issued_hash_must_match_the_audit_trail(tx, user, decision, trusted, pki):
    data = sign(issued_pdf(decision), pki.signer, [pki.intermediate])
    decision.pdf_sha256 = hashlib.sha256(b"other").hexdigest()  # the row no longer matches
    tx.flush()
    assert refused(tx, user, decision, data, pki).check == "audit_mismatch"


def test_the_signature_is_pades_readable_by_pyhanko(decision, pki):
    """Sanity of the fixture itself: what the tests upload carries one signature, appended
    after the issued bytes."""
    issued = issued_pdf(decision)
    data = sign(issued, pki.signer, [pki.intermediate])
    assert data.startswith(issued)
    assert len(PdfFileReader(io.BytesIO(data)).embedded_signatures) == 1


def _agency_config(tmp_path, pki, who=None, chain=None, **changes):
    import dataclasses

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    from workflow_app.config import current_config

    who = who or pki.signer
    bundle = pkcs12.serialize_key_and_certificates(
        b"agency", who.key, who.certificate,
        [c.certificate for c in (chain if chain is not None else [pki.intermediate])],
        serialization.BestAvailableEncryption(b"mat-khau"))
    path = tmp_path / "agency.p12"
    path.write_bytes(bundle)
    return dataclasses.replace(current_config(), agency_signing_key=str(path),
                               agency_signing_passphrase="mat-khau", **changes)


def test_server_side_signing_with_the_agency_certificate_and_a_visible_stamp(
        tx, user, decision, trusted, pki, tmp_path):
    from workflow_app.decisions.service import agency_signing

    config = _agency_config(tmp_path, pki, agency_stamp_box="-1,300,60,560,140")
    row = agency_signing.sign_with_agency_certificate(
        tx, user, decision, app_storage(DOCUMENTS), utcnow(), config,
        allowed_hosts=(pki.server.host,))
    tx.commit()
    assert "CN=Lê Thành Long" in row.signer_subject and row.revocation == "good"
    data = app_storage(DOCUMENTS).get(row.sha256)
    assert data.startswith(issued_pdf(decision))
    reader = PdfFileReader(io.BytesIO(data))
    signature = reader.embedded_signatures[0]
    assert signature.field_name == agency_signing.FIELD
    widget = signature.sig_field
    assert [float(v) for v in widget["/Rect"]] == [300, 60, 560, 140]  # visible, where set
    last_page = reader.root["/Pages"]["/Kids"][-1].get_object()
    assert widget["/P"].get_object() == last_page or any(
        a.get_object() is widget for a in last_page.get("/Annots", []))
    assert "/AP" in widget  # the drawn stamp
    assert tx.scalars(select(AuditEvent).where(
        AuditEvent.action == "decision.signed_pdf_recorded")).one().data["signer_serial"] \
        == row.signer_serial


def test_server_side_signing_refuses_when_off_or_untrusted(
        tx, user, decision, trusted, pki, tmp_path):
    import dataclasses

    from workflow_app.config import current_config
    from workflow_app.decisions.service import agency_signing

    storage = app_storage(DOCUMENTS)
    off = dataclasses.replace(current_config(), agency_signing_key="")
    with pytest.raises(SignatureRefused) as caught:
        agency_signing.sign_with_agency_certificate(tx, user, decision, storage, utcnow(), off)
    assert caught.value.check == "agency_signing_off"
    stranger = _agency_config(tmp_path, pki, who=pki.stranger, chain=[pki.stranger_root])
    with pytest.raises(SignatureRefused) as caught:
        agency_signing.sign_with_agency_certificate(tx, user, decision, storage, utcnow(),
                                                    stranger)
    assert caught.value.check == "untrusted"
    wrong = dataclasses.replace(_agency_config(tmp_path, pki), agency_signing_passphrase="x")
    with pytest.raises(SignatureRefused) as caught:
        agency_signing.sign_with_agency_certificate(tx, user, decision, storage, utcnow(), wrong)
    assert caught.value.check == "agency_certificate_unreadable"
    tx.rollback()
    assert tx.scalar(select(func.count()).select_from(SignedPdf)) == 0


def test_a_submission_letter_is_signed_the_same_way(
        tx, user, trusted, pki, make_dossier, make_award):
    """A tờ trình: its reviewer (the role that issues it) records the signed PDF, checked
    against the hash `submission.issued` recorded; it becomes the PDF of record."""
    from workflow_app.decisions.service import forwarding
    from workflow_app.models.catalogue import AwardVersion

    award = make_award()
    tx.scalars(select(AwardVersion).where(AwardVersion.award_id == award.id)).one() \
        .conferring_level = "prime_minister"
    tx.commit()
    dossier = make_dossier("council_approved", award=award)
    letter = forwarding.forward_dossiers(tx, user, forwarding.default_input(
        user, [dossier], today_vn()), app_storage(DOCUMENTS), today_vn())
    tx.commit()
    assert signed_pdf.may_upload(user, letter)  # the test user is also a reviewer
    data = sign(app_storage(DOCUMENTS).get(letter.pdf_sha256), pki.signer, [pki.intermediate])
    row = record(tx, user, letter, data, pki)
    tx.commit()
    assert (row.document_kind, row.document_id) == ("submission", letter.id)
    assert signed_pdf.pdf_of_record(tx, letter) == row.sha256
    event = tx.scalars(select(AuditEvent).where(
        AuditEvent.action == "submission.signed_pdf_recorded")).one()
    assert (event.subject_type, event.subject_id) == ("submission_letter", str(letter.id))
    assert event.data["issued_pdf_sha256"] == letter.pdf_sha256


def test_the_auditor_cross_checks_the_signed_pdf_against_its_event(
        tx, user, decision, trusted, pki):
    from workflow_app.auditor.service import crosschecks

    row = record(tx, user, decision, sign(issued_pdf(decision), pki.signer,
                                          [pki.intermediate]), pki)
    tx.commit()
    clean = crosschecks.documents(tx, app_storage(DOCUMENTS))
    assert clean.ok, clean.problems
    row.sha256 = decision.pdf_sha256  # the row swapped behind the application's back
    tx.flush()
    found = crosschecks.documents(tx, app_storage(DOCUMENTS))
    assert any(f"#{row.id}" in problem and row.sha256 in problem for problem in found.problems)
    tx.rollback()
