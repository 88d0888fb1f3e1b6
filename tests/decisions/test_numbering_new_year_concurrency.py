"""Documents issued at the same time on 31 December and 1 January (real threads, each with
its own session, as concurrent requests): each year's series is 01, 02 … without gaps or
duplicates, the two years' identical references are all stored, nothing fails — for QĐ
(award and revoking decisions in one series), TTr and BB, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.support.council_factories import race
from tests.support.new_year_data import (
    DEC_30,
    DEC_31,
    JAN_1,
    decide_on,
    forward_on,
    propose_for,
    qd_numbers,
    revoke_on,
)
from workflow_app.attachments.storage import Storage
from workflow_app.council.service import minutes_sign
from workflow_app.models.catalogue import AwardVersion
from workflow_app.models.council import CouncilSession
from workflow_app.models.council_minutes import CouncilMinutes
from workflow_app.models.decision import DocumentSeries, SubmissionLetter
from workflow_app.models.user import User


@pytest.fixture
def signer(make_user, make_person):
    person = make_person("Lê Thành Long", position="Bộ trưởng")
    return make_user("signer-btp", roles=["signer", "reviewer"], person=person)


@pytest.fixture
def storage(tmp_path):
    return Storage(tmp_path / "documents")


def _series(session) -> dict[tuple[str, int], int]:
    return {(s.doc_type, s.year): s.last_number
            for s in session.scalars(select(DocumentSeries))}


def test_award_and_revoking_decisions_at_once_on_both_sides_of_new_year(
        app, tx, session, signer, make_user, make_dossier, storage):
    reviewer = make_user("reviewer-btp", roles=["reviewer"])
    to_revoke = [make_dossier("council_approved").id for _ in range(2)]
    for dossier_id in to_revoke:  # 01 and 02/QĐ-BTP of 2025
        decide_on(tx, signer.id, [dossier_id], storage, DEC_30)
        tx.commit()
    revocations = [propose_for(tx, reviewer.id, i, DEC_30) for i in to_revoke]
    waiting = [make_dossier("council_approved").id for _ in range(4)]
    tx.commit()

    def award(dossier_id, on):
        return lambda own: decide_on(own, signer.id, [dossier_id], storage, on)

    def revoke(revocation_id, on):
        return lambda own: revoke_on(own, signer.id, revocation_id, storage, on)

    attempts = [award(waiting[0], DEC_31), award(waiting[1], DEC_31),
                award(waiting[2], JAN_1), award(waiting[3], JAN_1),
                revoke(revocations[0], DEC_31), revoke(revocations[1], JAN_1)]
    assert race(app, attempts) == ["ok"] * len(attempts)
    numbers = qd_numbers(session)
    assert [n for n, _ in numbers[2025]] == [1, 2, 3, 4, 5]
    assert [n for n, _ in numbers[2026]] == [1, 2, 3]
    assert [r for _, r in numbers[2026]] == ["01/QĐ-BTP", "02/QĐ-BTP", "03/QĐ-BTP"]
    assert _series(session) == {("QĐ", 2025): 5, ("QĐ", 2026): 3}


def test_submission_letters_at_once_on_both_sides_of_new_year(
        app, tx, session, signer, make_award, make_dossier, storage):
    award = make_award()
    version = tx.scalars(select(AwardVersion).where(AwardVersion.award_id == award.id)).one()
    version.conferring_level = "prime_minister"
    tx.commit()
    ids = [make_dossier("council_approved", award=award).id for _ in range(4)]
    tx.commit()

    def forward(dossier_id, on):
        return lambda own: forward_on(own, signer.id, [dossier_id], storage, on)

    dates = (DEC_31, DEC_31, JAN_1, JAN_1)
    assert race(app, [forward(i, on) for i, on in zip(ids, dates, strict=True)]) == ["ok"] * 4
    rows = session.execute(select(SubmissionLetter.year, SubmissionLetter.reference)).all()
    assert Counter(tuple(r) for r in rows) == Counter({
        (2025, "01/TTr-BTP"): 1, (2025, "02/TTr-BTP"): 1,
        (2026, "01/TTr-BTP"): 1, (2026, "02/TTr-BTP"): 1})
    assert _series(session) == {("TTr", 2025): 2, ("TTr", 2026): 2}


def test_minutes_signed_at_once_on_both_sides_of_midnight(app, session, voted_session,
                                                         storage, monkeypatch):
    kits = [voted_session() for _ in range(4)]
    when = threading.local()
    monkeypatch.setattr(minutes_sign, "utcnow", lambda: when.moment)
    eve = datetime(2025, 12, 31, 16, 59, tzinfo=UTC)  # 31/12 23:59 in Vietnam
    new_year = datetime(2025, 12, 31, 17, 0, tzinfo=UTC)  # 01/01 00:00 in Vietnam

    def sign(kit, meeting, moment):
        def attempt(own) -> None:
            when.moment = moment
            minutes_sign.sign_off(own, own.get(CouncilSession, meeting.id),
                                  actor=own.get(User, kit.chair.id), storage=storage)
        return attempt

    moments = (eve, eve, new_year, new_year)
    attempts = [sign(kit, meeting, moment)
                for (kit, meeting, _round), moment in zip(kits, moments, strict=True)]
    assert race(app, attempts) == ["ok"] * 4
    rows = session.execute(select(CouncilMinutes.year, CouncilMinutes.reference)).all()
    assert Counter(tuple(r) for r in rows) == Counter({
        (2025, "01/BB-HĐTĐKT"): 1, (2025, "02/BB-HĐTĐKT"): 1,
        (2026, "01/BB-HĐTĐKT"): 1, (2026, "02/BB-HĐTĐKT"): 1})
    assert _series(session) == {("BB", 2025): 2, ("BB", 2026): 2}
