"""Revocation (Law Art. 93) at service level: proposal, the numbered revoking decision (DOCX
parsed back), registry and eligibility effects, dismissal, higher-level awards, imported
entries, refusals that leave nothing behind."""

from __future__ import annotations

import hashlib
import io
from datetime import date

import pytest
from docx import Document
from flask_babel import force_locale
from pypdf import PdfReader
from sqlalchemy import func, select

from tests.support.helpers import audit_events
from tests.support.registry_data import give, initiative
from tests.support.revocation_data import TODAY, decide, entry_of, proposal
from workflow_app.attachments.storage import Storage
from workflow_app.catalogue.service.loader import load_catalogue
from workflow_app.catalogue.service.queries import award_by_code
from workflow_app.decisions.service import revocation as service
from workflow_app.decisions.service import revocation_issue
from workflow_app.eligibility.service.evaluate import evaluate
from workflow_app.eligibility.service.quotas import count_nominees
from workflow_app.models.catalogue import AwardVersion
from workflow_app.models.decision import DocumentSeries
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import Person
from workflow_app.models.registry import AwardRecord
from workflow_app.models.revocation import Revocation, RevocationDecision
from workflow_app.models.user import User
from workflow_app.workdays import default_calendar
from workflow_app.workflow import Forbidden, GuardFailed, fire


@pytest.fixture
def signer(make_user, make_person):
    person = make_person("Lê Thành Long", position="Bộ trưởng")
    return make_user("signer-btp", roles=["signer"], person=person)


@pytest.fixture
def reviewer(make_user):
    return make_user("reviewer-btp", roles=["reviewer"])


@pytest.fixture
def storage(tmp_path):
    return Storage(tmp_path / "documents")


@pytest.fixture
def decided(tx, signer, make_dossier, storage):
    """A dossier decided by decision 01/QĐ-BTP, with its registry entry."""
    dossier = make_dossier("council_approved")
    decide(tx, signer, [dossier], storage)
    return dossier




def _issue(tx, signer, revocation, storage, **changes):
    user = tx.get(User, signer.id)
    inp = revocation_issue.default_input(tx, user, revocation, TODAY)
    for key, value in changes.items():
        setattr(inp, key, value)
    return revocation_issue.issue_revocation(tx, user, revocation, inp, storage, TODAY)


def test_proposal_then_numbered_decision_revokes_dossier_and_registry(
        tx, signer, reviewer, decided, storage):
    entry = entry_of(tx, decided)
    name = decided.nominee_name
    for version in decided.award.versions:  # as the conferring decision wrote it
        version.official_name = "Bằng khen của Bộ trưởng Bộ Tư pháp"
    tx.commit()
    revocation = service.propose(tx, tx.get(User, reviewer.id), entry, proposal(), TODAY)
    tx.commit()
    assert (decided.state, revocation.status, revocation.level) == (
        "revocation_proposed", "proposed", "own")
    [event] = audit_events(tx, "dossier.propose_revocation")
    assert event.data["input"]["ground"] == "false_papers"
    assert audit_events(tx, "revocation.proposed")[0].data["point"] == "Art. 93 k2 b"

    decision = _issue(tx, signer, revocation, storage)
    tx.commit()
    assert decision.reference == "02/QĐ-BTP"  # the issuer's QĐ series, after the award's 01
    tx.refresh(decided)
    tx.refresh(entry)
    assert decided.state == "revoked"
    assert (entry.revocation_number, entry.is_active) == ("02/QĐ-BTP", False)
    assert (revocation.status, revocation.decision_reference) == ("revoked", "02/QĐ-BTP")
    issued = audit_events(tx, "revocation.issued")[0].data
    assert (issued["docx_sha256"], issued["pdf_sha256"]) == (decision.docx_sha256,
                                                             decision.pdf_sha256)
    for sha in (decision.docx_sha256, decision.pdf_sha256):
        assert hashlib.sha256(storage.get(sha)).hexdigest() == sha
    assert audit_events(tx, "registry.revoked")[0].data["revocation_number"] == "02/QĐ-BTP"
    assert audit_events(tx, "dossier.revoke")[0].to_state == "revoked"

    docx = Document(io.BytesIO(storage.get(decision.docx_sha256)))
    header = " ".join(c.text for c in docx.tables[0].rows[0].cells)
    assert "Số: 02/QĐ-BTP" in header and "Hà Nội, ngày 02 tháng 12 năm 2024" in header
    text = "\n".join(p.text for p in docx.paragraphs)
    assert f"hủy bỏ quyết định khen thưởng đối với {name}" in text  # the summary line
    article_1 = next(p.text for p in docx.paragraphs if p.text.startswith("Điều 1."))
    assert name in article_1 and "01/QĐ-BTP" in article_1 and "15/11/2024" in article_1
    assert "cung cấp thông tin sai sự thật hoặc giấy tờ giả" in article_1
    assert "Hủy bỏ việc tặng Bằng khen của Bộ trưởng Bộ Tư pháp năm" in article_1
    assert "điểm b khoản 2 Điều 93" in article_1
    assert "Thu hồi hiện vật khen thưởng và tiền thưởng" in text
    assert "Nghị định số 98/2023/NĐ-CP" in text  # the decree in force on 02/12/2024
    signature = " ".join(c.text for c in docx.tables[-1].rows[0].cells)
    assert "Lê Thành Long" in signature
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(
        storage.get(decision.pdf_sha256))).pages)
    assert "02/QĐ-BTP" in pdf and name in pdf


def test_revoked_award_leaves_eligibility_and_quota_counts(
        app, tx, session, signer, reviewer, storage, make_dossier, submitting_unit):
    load_catalogue(session, actor_label="test")
    session.commit()
    person = Person(full_name="Phạm Thị Thu", unit_id=submitting_unit.id, position="Chuyên viên")
    session.add(person)
    session.commit()
    give(session, "CSTDCS", 2022, 2023, person=person)
    initiative(session, person, 2024, "ministry")
    cstdcs = award_by_code(tx, "CSTDCS")
    for version in tx.scalars(select(AwardVersion).where(AwardVersion.award_id == cstdcs.id)):
        version.quota = {}  # the default quota is not what this test is about
    tx.commit()
    dossier = make_dossier("council_approved", award=cstdcs, nominee=tx.get(Person, person.id),
                           year=2024)
    decide(tx, signer, [dossier], storage)

    def cstd_bo_rule():
        with app.test_request_context(), force_locale("en"):
            results = evaluate(tx, tx.get(Person, person.id), "CSTD_BO", 2024, TODAY)
        return results[0]

    assert cstd_bo_rule().status == "met"  # CSTĐCS 2022, 2023 and (decided now) 2024
    assert count_nominees(tx, submitting_unit, "CSTDCS", 2024) == 1
    revocation = service.propose(tx, tx.get(User, reviewer.id), entry_of(tx, dossier),
                                 proposal("fraudulent_declaration"), TODAY)
    _issue(tx, signer, revocation, storage)
    tx.commit()
    rule = cstd_bo_rule()
    assert rule.status == "not_met" and "2024 missing" in rule.explanation
    assert count_nominees(tx, submitting_unit, "CSTDCS", 2024) == 0


def test_dismissal_keeps_the_award_and_a_new_proposal_may_follow(
        tx, signer, reviewer, decided, storage):
    entry = entry_of(tx, decided)
    first = service.propose(tx, tx.get(User, reviewer.id), entry, proposal(), TODAY)
    tx.commit()
    with pytest.raises(service.RevocationError):  # one live proposal per entry
        service.propose(tx, tx.get(User, reviewer.id), entry, proposal(), TODAY)
    tx.rollback()
    with pytest.raises(service.RevocationInputError):
        service.dismiss(tx, tx.get(User, signer.id), first, "  ")
    tx.rollback()
    service.dismiss(tx, tx.get(User, signer.id), first, "Kết luận thanh tra đã bị hủy.")
    tx.commit()
    tx.refresh(decided)
    tx.refresh(entry)
    assert (decided.state, first.status, entry.is_active) == ("decided", "dismissed", True)
    assert audit_events(tx, "dossier.dismiss_revocation")[0].data["reason"].startswith("Kết luận")
    second = service.propose(tx, tx.get(User, reviewer.id), entry,
                             proposal("unlawful_procedure"), TODAY)
    tx.commit()
    assert second.status == "proposed" and decided.state == "revocation_proposed"


def test_engine_refuses_revocation_triggers_without_the_revocation_record(
        tx, signer, reviewer, decided, storage):
    with pytest.raises(GuardFailed) as refused:
        fire(tx, decided, "propose_revocation", tx.get(User, reviewer.id), reason="x")
    tx.rollback()
    assert refused.value.guard == "revocation_proposal_recorded"
    revocation = service.propose(tx, tx.get(User, reviewer.id), entry_of(tx, decided),
                                 proposal(), TODAY)
    tx.commit()
    for trigger, guard in (("revoke", "revocation_decided"),
                           ("dismiss_revocation", "revocation_dismissed")):
        with pytest.raises(GuardFailed) as refused:
            fire(tx, decided, trigger, tx.get(User, signer.id), reason="x",
                 document_number="09/QĐ-BTP")
        tx.rollback()
        assert refused.value.guard == guard
    assert tx.get(Revocation, revocation.id).status == "proposed"


@pytest.mark.parametrize("problem", ["future", "before_award", "no_articles", "outsider",
                                     "dismissed"])
def test_refused_issuance_writes_nothing_and_burns_no_number(
        tx, signer, reviewer, decided, storage, make_user, make_unit, root_unit, make_person,
        problem):
    other = make_unit("Sở Tư pháp tỉnh C", parent=root_unit, symbol="STP")
    outsider = make_user("signer-c", roles=["signer"], unit=other,
                         person=make_person("Võ Văn Ký", position="Giám đốc", unit=other))
    revocation = service.propose(tx, tx.get(User, reviewer.id), entry_of(tx, decided),
                                 proposal(), TODAY)
    tx.commit()
    counter = tx.scalar(select(DocumentSeries.last_number))
    user = tx.get(User, signer.id)
    inp = revocation_issue.default_input(tx, user, revocation, TODAY)
    error = service.RevocationError
    if problem == "future":
        inp.issued_on = date(2099, 1, 1)
    elif problem == "before_award":
        inp.issued_on = date(2024, 11, 1)
    elif problem == "no_articles":
        inp.articles = []
    elif problem == "outsider":
        user, error = tx.get(User, outsider.id), Forbidden
    else:
        service.dismiss(tx, user, revocation, "Giữ nguyên.")
        tx.commit()
    with pytest.raises(error):
        revocation_issue.issue_revocation(tx, user, revocation, inp, storage, TODAY)
    tx.rollback()
    assert tx.scalar(select(func.count()).select_from(RevocationDecision)) == 0
    assert tx.scalar(select(DocumentSeries.last_number)) == counter
    assert entry_of(tx, decided).is_active


def test_proposal_input_is_checked_and_scoped(tx, reviewer, decided, make_user, make_unit,
                                              root_unit):
    entry = entry_of(tx, decided)
    user = tx.get(User, reviewer.id)
    for bad in (proposal("not_a_ground"), proposal(explanation=" "),
                proposal(conclusion_received_on=date(2099, 1, 1)),
                proposal(conclusion_received_on=date(2020, 1, 1))):
        with pytest.raises(service.RevocationInputError):
            service.propose(tx, user, entry, bad, TODAY)
        tx.rollback()
    narrow = make_user("reviewer-other", roles=["reviewer"],
                       unit=make_unit("Cục Khác", parent=root_unit))
    with pytest.raises(Forbidden):
        service.propose(tx, tx.get(User, narrow.id), entry_of(tx, decided), proposal(), TODAY)
    tx.rollback()
    assert tx.scalar(select(func.count()).select_from(Revocation)) == 0
    assert tx.get(Dossier, decided.id).state == "decided"


def test_award_of_the_prime_minister_is_revoked_by_recording_its_decision(
        tx, signer, reviewer, make_dossier, make_award, storage):
    award = make_award()
    version = tx.scalars(select(AwardVersion).where(AwardVersion.award_id == award.id)).one()
    version.conferring_level = "prime_minister"
    tx.commit()
    dossier = make_dossier("decided", award=award)
    entry = AwardRecord(person_id=dossier.nominee_person_id, award_code=award.code,
                        year=dossier.year, decision_number="125/QĐ-TTg",
                        decision_date=date(2024, 10, 1), issuer="Thủ tướng Chính phủ",
                        source="higher_decision", dossier_id=dossier.id)
    tx.add(entry)
    tx.commit()
    revocation = service.propose(tx, tx.get(User, reviewer.id), entry, proposal(), TODAY)
    tx.commit()
    assert revocation.level == "higher"
    user = tx.get(User, signer.id)
    with pytest.raises(service.RevocationError):  # not decided by this body
        revocation_issue.issue_revocation(
            tx, user, revocation, revocation_issue.RevocationInput(TODAY, "Hà Nội", "x", "y",
                                                                   articles=["z"]),
            storage, TODAY)
    tx.rollback()
    with pytest.raises(service.RevocationInputError):
        revocation_issue.record_higher_revocation(tx, user, revocation, number="12 QĐ TTg",
                                                  decided_on=TODAY, today=TODAY)
    tx.rollback()
    revocation_issue.record_higher_revocation(tx, user, revocation, number="12/QĐ-TTg",
                                              decided_on=TODAY, today=TODAY)
    tx.commit()
    tx.refresh(entry)
    assert (entry.revocation_number, tx.get(Dossier, dossier.id).state) == ("12/QĐ-TTg",
                                                                          "revoked")
    assert tx.scalar(select(func.count()).select_from(RevocationDecision)) == 0
    assert audit_events(tx, "revocation.recorded")[0].data["reference"] == "12/QĐ-TTg"


def test_imported_entry_without_dossier_is_revoked_and_recovery_recorded(
        tx, session, signer, reviewer, make_person, storage):
    person = make_person("Đỗ Văn Nhập")
    [entry] = give(session, "GK", 2023, person=person)
    entry = tx.get(AwardRecord, entry.id)
    revocation = service.propose(tx, tx.get(User, reviewer.id), entry,
                                 proposal("later_violation", conclusion_received_on=None), TODAY)
    tx.commit()
    assert revocation.dossier_id is None
    decision = _issue(tx, signer, revocation, storage)
    tx.commit()
    assert decision.reference == "01/QĐ-BTP" and not tx.get(AwardRecord, entry.id).is_active
    user = tx.get(User, reviewer.id)
    with pytest.raises(service.RevocationInputError):
        service.record_recovery(tx, user, revocation, date(2099, 1, 1), "", TODAY)
    tx.rollback()
    service.record_recovery(tx, user, revocation, TODAY, "Biên nhận số 3", TODAY)
    tx.commit()
    assert tx.get(Revocation, revocation.id).recovered_on == TODAY
    with pytest.raises(service.RevocationError):
        service.record_recovery(tx, user, revocation, TODAY, "", TODAY)
    tx.rollback()
    assert [e.data["note"] for e in audit_events(tx, "revocation.recovered")] == ["Biên nhận số 3"]


def test_deadlines_follow_legal_facts(tx, reviewer, decided):
    revocation = service.propose(tx, tx.get(User, reviewer.id), entry_of(tx, decided),
                                 proposal(conclusion_received_on=date(2024, 11, 25)), TODAY)
    tx.commit()
    limits = service.deadlines(revocation)
    assert limits.filing_due == date(2024, 12, 2)  # 07 days after the conclusion arrived
    assert limits.filed_late  # proposed today, long after 02/12/2024
    calendar = default_calendar()
    assert calendar.working_days_between(limits.filed_on, limits.decision_due) == 5
    assert calendar.is_working_day(limits.decision_due)
