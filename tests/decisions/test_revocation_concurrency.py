"""Revocations under concurrency: one live proposal per registry entry even when two are sent
at once, and revoking decisions share the issuer's QĐ series with award decisions without
gaps or duplicates."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.support.council_factories import race
from tests.support.registry_data import give
from tests.support.revocation_data import TODAY, decide, entry_of, proposal
from workflow_app.attachments.storage import Storage
from workflow_app.decisions.service import issue, revocation_issue
from workflow_app.decisions.service import revocation as service
from workflow_app.models.decision import Decision
from workflow_app.models.dossier import Dossier
from workflow_app.models.registry import AwardRecord
from workflow_app.models.revocation import Revocation, RevocationDecision
from workflow_app.models.user import User


@pytest.fixture
def signer(make_user, make_person):
    person = make_person("Lê Thành Long", position="Bộ trưởng")
    return make_user("signer-btp", roles=["signer"], person=person)


@pytest.fixture
def reviewers(make_user):
    return [make_user(f"reviewer-{n}", roles=["reviewer"]) for n in (1, 2)]


@pytest.fixture
def storage(tmp_path):
    return Storage(tmp_path / "documents")


def _proposer(user_id: int, entry_id: int):
    def attempt(own) -> None:
        service.propose(own, own.get(User, user_id), own.get(AwardRecord, entry_id),
                        proposal(), TODAY)
    return attempt


def test_two_proposals_at_once_on_an_imported_entry_record_one(app, session, reviewers,
                                                               make_person):
    [entry] = give(session, "GK", 2023, person=make_person())
    outcomes = race(app, [_proposer(r.id, entry.id) for r in reviewers])
    assert sorted(outcomes) == ["RevocationError", "ok"]
    assert session.scalar(select(func.count()).select_from(Revocation)) == 1


def test_two_proposals_at_once_on_a_decided_dossier_record_one(app, tx, session, reviewers,
                                                               signer, make_dossier, storage):
    dossier = make_dossier("council_approved")
    decide(tx, signer, [dossier], storage)
    entry_id, dossier_id = entry_of(tx, dossier).id, dossier.id
    tx.rollback()
    outcomes = race(app, [_proposer(r.id, entry_id) for r in reviewers])
    assert outcomes.count("ok") == 1 and len(outcomes) == 2
    assert "unexpected" not in " ".join(outcomes)
    assert session.scalar(select(func.count()).select_from(Revocation)) == 1
    assert session.scalar(select(Dossier.state).where(Dossier.id == dossier_id)) == \
        "revocation_proposed"


def test_revoking_and_award_decisions_share_one_series_under_concurrency(
        app, tx, session, reviewers, signer, make_dossier, storage):
    decided = make_dossier("council_approved")
    decide(tx, signer, [decided], storage)  # 01/QĐ-BTP
    revocation = service.propose(tx, tx.get(User, reviewers[0].id), entry_of(tx, decided),
                                 proposal(), TODAY)
    waiting = make_dossier("council_approved")
    revocation_id, waiting_id = revocation.id, waiting.id
    tx.commit()

    def revoke(own) -> None:
        user = own.get(User, signer.id)
        target = own.get(Revocation, revocation_id)
        inp = revocation_issue.default_input(own, user, target, TODAY)
        revocation_issue.issue_revocation(own, user, target, inp, storage, TODAY)

    def award(own) -> None:
        user = own.get(User, signer.id)
        dossiers = [own.get(Dossier, waiting_id)]
        issue.issue_decision(own, user, issue.default_input(user, dossiers, TODAY), storage,
                             TODAY)

    assert race(app, [revoke, award]) == ["ok", "ok"]
    numbers = sorted(session.scalars(select(Decision.number)).all()
                     + session.scalars(select(RevocationDecision.number)).all())
    assert numbers == [1, 2, 3]
