"""Factories for dossiers and awards: `tx`, `make_award()`, `make_dossier(state=…)`, `place()`.

The engine needs a real transaction (a row lock, a savepoint), so these factories work in
`tx`, a transactional session of the test's own (`db.new_session()`: BEGIN IMMEDIATE on
SQLite), and commit before returning; they write through `tx` only. Fire transitions in
`tx` too, and end its transaction (commit or roll back) before calling factories that write
through the autocommit `session` fixture (`make_user` …), or SQLite makes them wait for the
lock `tx` holds.

A dossier is opened through the engine (`open_dossier`, audited). To start a test from a later
state, `place` moves it there directly — the one shortcut tests take around `fire` — and
records an audit event for it, so the audit trail still matches every dossier's state.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from workflow_app.audit.chain import record
from workflow_app.extensions import db
from workflow_app.models.base import utcnow
from workflow_app.models.catalogue import Award, AwardVersion
from workflow_app.models.dossier import Dossier, DossierDocument
from workflow_app.models.org import Person
from workflow_app.models.subject import permit_state_write
from workflow_app.workflow import open_dossier

_counter = itertools.count(1)
NORMAL_DOCUMENTS = ("TO_TRINH", "BAO_CAO_THANH_TICH")
SIMPLIFIED_DOCUMENTS = ("TO_TRINH", "BAO_CAO_TOM_TAT_THANH_TICH")


# A formal "Căn cứ" line for test awards (test data, not a real text).
TEST_GROUND = "Căn cứ Thông tư thử nghiệm về khen thưởng của Bộ Tư pháp;"


def add_award_version(session, award: Award, *, basis_key: str | None = None,
                      effective_from: date = date(2024, 1, 1), effective_to: date | None = None,
                      disclosure: bool = False, disclosure_days: int | None = None,
                      required_documents=NORMAL_DOCUMENTS,
                      simplified_documents=SIMPLIFIED_DOCUMENTS) -> AwardVersion:
    version = AwardVersion(
        award=award, basis_key=basis_key or f"TEST_{next(_counter)}",
        name_vi=f"Danh hiệu {award.code}", name_en=f"Award {award.code}", subject="both",
        conferring_level="ministry", workflow="normal", legal_basis="test basis",
        legal_grounds=[TEST_GROUND],
        effective_from=effective_from, effective_to=effective_to,
        disclosure={"required": disclosure, "working_days": disclosure_days},
        required_documents=list(required_documents), source_file="tests", content_hash="0" * 64,
    )
    if hasattr(AwardVersion, "simplified"):
        version.simplified = {"required_documents": list(simplified_documents)}
    session.add(version)
    session.flush()
    return version


def place(session, dossier: Dossier, state: str, *, now=None) -> None:
    """Test shortcut: move `dossier` to `state` (with an audit event), keeping it consistent."""
    before = dossier.state
    with permit_state_write(dossier):
        dossier.state = state
    dossier.state_entered_at = now or utcnow()
    dossier.step_days_carried = 0
    if state != "draft" and dossier.received_at is None:
        dossier.received_at = dossier.state_entered_at
        dossier.award_version = dossier.award.version_on(date.today())
    session.flush()
    record(session, "dossier.test_placed", "dossier", dossier.id, from_state=before,
           to_state=state, actor_label="tests")


@pytest.fixture
def tx(app):
    """A transactional session for the engine; rolled back and closed after the test."""
    session = db.new_session()
    yield session
    session.rollback()
    session.close()


@pytest.fixture
def make_award(tx):
    def make(code: str | None = None, **version_fields) -> Award:
        award = Award(code=code or f"AW{next(_counter)}", kind="title")
        tx.add(award)
        tx.flush()
        add_award_version(tx, award, **version_fields)
        tx.commit()
        return award

    return make


@pytest.fixture
def submitting_unit(make_unit, root_unit):
    return make_unit("Cục Thi hành án dân sự tỉnh A", kind="thads_provincial", parent=root_unit)


@pytest.fixture
def submitter(make_user, submitting_unit):
    return make_user("submitter-a", roles=["submitter"], unit=submitting_unit)


@pytest.fixture
def make_dossier(tx, make_award, submitting_unit, submitter):
    """`make_dossier(state=None, workflow="normal", documents=…, **fields)` → a Dossier
    committed and attached to `tx`. `unit`, `nominee` and `creator` may come from any session.
    """
    default_award: list[Award] = []

    def make(state: str | None = None, *, workflow: str = "normal", award: Award | None = None,
             unit=None, nominee=None, documents=None, creator=None, now=None,
             **fields) -> Dossier:
        if award is None:
            if not default_award:
                default_award.append(make_award())
            award = default_award[0]
        unit = unit or submitting_unit
        if nominee is None:  # made in `tx`: this factory writes through `tx` only
            nominee = Person(full_name=f"Trần Thị {next(_counter)}", unit_id=unit.id,
                             position="Chuyên viên")
            tx.add(nominee)
            tx.flush()
        dossier = Dossier(
            workflow=workflow, unit_id=unit.id, award_id=award.id,
            nominee_person_id=nominee.id,
            commendation_type=fields.pop("commendation_type", "CONG_TRANG"),
            year=fields.pop("year", date.today().year - 1),
            title=fields.pop("title", "Đề nghị tặng danh hiệu"),
            summary=fields.pop("summary", "Hoàn thành xuất sắc nhiệm vụ."),
            **fields,
        )
        open_dossier(tx, dossier, creator or submitter, now=now)
        if documents is None:
            documents = SIMPLIFIED_DOCUMENTS if workflow == "simplified" else NORMAL_DOCUMENTS
        for code in documents:
            dossier.documents.append(DossierDocument(
                doc_type=code, sha256=f"{next(_counter):064x}", filename=f"{code}.pdf", size=1))
        if state is not None and state != dossier.state:
            place(tx, dossier, state, now=now)
        tx.commit()
        return dossier

    return make


def days_ago(n: int) -> date:
    return date.today() - timedelta(days=n)
