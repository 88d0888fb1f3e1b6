"""Issuing a decision end to end, and forwarding upward with a tờ trình (service level)."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader
from sqlalchemy import select

from tests.support.factories import ROOT_FOUNDING_GROUND
from tests.support.workflow_factories import TEST_GROUND
from workflow_app.attachments.storage import Storage
from workflow_app.decisions.service import forwarding, issue
from workflow_app.decisions.service.selection import SelectionError
from workflow_app.models.audit import AuditEvent
from workflow_app.models.catalogue import AwardVersion
from workflow_app.models.decision import Decision, DocumentSeries
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit
from workflow_app.models.registry import AwardRecord
from workflow_app.models.user import User

TODAY = date(2024, 11, 15)


@pytest.fixture
def signer(make_user, make_person):
    person = make_person("Lê Thành Long", position="Bộ trưởng")
    return make_user("signer-btp", roles=["signer", "reviewer"], person=person)


@pytest.fixture
def storage(tmp_path):
    return Storage(tmp_path / "documents")


def test_issuing_decides_every_dossier_registers_and_audits_the_file_hashes(
        tx, signer, make_dossier, storage):
    first, second = make_dossier("council_approved"), make_dossier("council_approved")
    names = [first.nominee_name, second.nominee_name]
    user = tx.get(User, signer.id)
    inp = issue.default_input(user, [first, second], TODAY)
    assert inp.authority == "BỘ TRƯỞNG BỘ TƯ PHÁP"
    assert inp.bases[:2] == [ROOT_FOUNDING_GROUND, TEST_GROUND]
    decision = issue.issue_decision(tx, user, inp, storage, TODAY)
    tx.commit()

    assert decision.reference == "01/QĐ-BTP"
    for dossier in (first, second):
        tx.refresh(dossier)
        assert (dossier.state, dossier.decision_number) == ("decided", "01/QĐ-BTP")
        assert dossier.decision_date == TODAY
    records = tx.scalars(select(AwardRecord).order_by(AwardRecord.id)).all()
    assert [(r.dossier_id, r.source, r.decision_number) for r in records] == \
        [(first.id, "decision", "01/QĐ-BTP"), (second.id, "decision", "01/QĐ-BTP")]
    event = tx.scalars(select(AuditEvent).where(AuditEvent.action == "decision.issued")).one()
    assert event.data["docx_sha256"] == decision.docx_sha256
    assert event.data["pdf_sha256"] == decision.pdf_sha256
    for sha in (decision.docx_sha256, decision.pdf_sha256,
                *(item.certificate_sha256 for item in decision.items)):
        assert hashlib.sha256(storage.get(sha)).hexdigest() == sha

    docx = Document(io.BytesIO(storage.get(decision.docx_sha256)))
    cells = [c.text for t in docx.tables for row in t.rows for c in row.cells]
    header = " ".join(cells[:2])
    assert "Số: 01/QĐ-BTP" in header and "Hà Nội, ngày 15 tháng 11 năm 2024" in header
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header and "BỘ TƯ PHÁP" in header
    assert all(name in cells for name in names)  # the annex
    assert any("Lê Thành Long" in cell for cell in cells)  # the signature block
    assert docx.styles["Normal"].font.name == "Times New Roman"
    text = "\n".join(p.text for p in docx.paragraphs)
    assert "QUYẾT ĐỊNH:" in text and "Điều 1." in text

    pdf_text = "".join(page.extract_text() for page in
                       PdfReader(io.BytesIO(storage.get(decision.pdf_sha256))).pages)
    assert "01/QĐ-BTP" in pdf_text and "Lê Thành Long" in pdf_text
    assert all(name in pdf_text for name in names)
    certificate = PdfReader(io.BytesIO(storage.get(decision.items[0].certificate_sha256)))
    page = certificate.pages[0]
    assert page.mediabox.width > page.mediabox.height  # landscape
    assert names[0] in page.extract_text()


def test_simplified_appraised_dossiers_are_issuable(tx, signer, make_dossier, storage):
    dossier = make_dossier("appraised", workflow="simplified")
    user = tx.get(User, signer.id)
    decision = issue.issue_decision(tx, user, issue.default_input(user, [dossier], TODAY),
                                    storage, TODAY)
    tx.commit()
    tx.refresh(dossier)
    assert (dossier.state, decision.number) == ("decided", 1)
    assert not any("Hội đồng" in basis for basis in decision.content["bases"])


@pytest.mark.parametrize("problem", ["empty_place", "future", "no_dossiers", "wrong_state",
                                     "forged_id", "other_unit"])
def test_bad_input_issues_nothing_and_burns_no_number(
        tx, make_user, make_person, make_unit, root_unit, submitting_unit, make_dossier,
        storage, problem):
    # A signer of the submitting unit only (symbol set, so it can issue).
    outside = make_unit("Sở Tư pháp tỉnh B", parent=root_unit)
    outsider = make_user("submitter-b", roles=["submitter"], unit=outside)
    narrow = make_user("signer-a", roles=["signer"], unit=submitting_unit,
                       person=make_person("Phạm Văn Ký", position="Cục trưởng"))
    ready = make_dossier("council_approved")
    draft = make_dossier("in_appraisal")
    foreign = make_dossier("council_approved", unit=outside, creator=outsider)
    tx.get(OrgUnit, submitting_unit.id).symbol = "CTHADS"
    tx.commit()
    user = tx.get(User, narrow.id)
    inp = issue.default_input(user, [ready], TODAY)
    changes = {"empty_place": {"place": "  "}, "future": {"issued_on": date(2099, 1, 1)},
               "no_dossiers": {"dossier_ids": []},
               "wrong_state": {"dossier_ids": [ready.id, draft.id]},
               "forged_id": {"dossier_ids": [ready.id, 999_999]},
               "other_unit": {"dossier_ids": [ready.id, foreign.id]}}[problem]
    for key, value in changes.items():
        setattr(inp, key, value)
    with pytest.raises(SelectionError):
        issue.issue_decision(tx, user, inp, storage, TODAY)
    tx.rollback()
    assert tx.scalars(select(Decision)).all() == []
    assert tx.scalars(select(DocumentSeries)).all() == []
    assert tx.get(Dossier, ready.id).state == "council_approved"


def test_higher_awards_are_forwarded_with_a_numbered_submission_then_decided(
        tx, signer, make_dossier, make_award, storage):
    award = make_award()
    version = tx.scalars(select(AwardVersion).where(AwardVersion.award_id == award.id)).one()
    version.conferring_level = "prime_minister"
    tx.commit()
    first, second = (make_dossier("council_approved", award=award) for _ in range(2))
    user = tx.get(User, signer.id)
    with pytest.raises(SelectionError):  # not decided here
        issue.issue_decision(tx, user, issue.default_input(user, [first], TODAY), storage, TODAY)
    tx.rollback()
    inp = forwarding.default_input(user, [first, second], TODAY)
    assert inp.addressee == "Kính gửi: Thủ tướng Chính phủ"
    letter = forwarding.forward_dossiers(tx, user, inp, storage, TODAY)
    tx.commit()
    assert letter.reference == "01/TTr-BTP"
    tx.refresh(first)
    assert (first.state, first.forward_reference) == ("forwarded", "01/TTr-BTP")
    pdf_text = PdfReader(io.BytesIO(storage.get(letter.pdf_sha256))).pages[0].extract_text()
    assert "TỜ TRÌNH" in pdf_text and "Số: 01/TTr-BTP" in pdf_text

    with pytest.raises(SelectionError):
        forwarding.record_higher_decision(tx, user, first, number="", decided_on=TODAY,
                                          expected_version=first.version, today=TODAY)
    entry = forwarding.record_higher_decision(
        tx, user, first, number="125/QĐ-TTg", decided_on=date(2024, 11, 10),
        expected_version=first.version, today=TODAY)
    tx.commit()
    tx.refresh(first)
    assert (first.state, first.decision_number) == ("decided", "125/QĐ-TTg")
    assert (entry.source, entry.issuer) == ("higher_decision", "Thủ tướng Chính phủ")
    assert tx.get(Dossier, second.id).state == "forwarded"
