"""Fixtures for the revoked-annex tests: two dossiers decided together by 01/QĐ-BTP, the
first one's award then revoked by 02/QĐ-BTP (same QĐ series). Test modules bind them by
assignment (see their headers)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.support.revocation_data import TODAY, decide, entry_of, proposal
from workflow_app.attachments.storage import Storage
from workflow_app.decisions.service import revocation as service
from workflow_app.decisions.service import revocation_issue
from workflow_app.models.user import User


@dataclass
class RevokedWorld:
    decision_id: int
    revoked_item_id: int
    kept_item_id: int
    revocation_id: int


@pytest.fixture
def signer(make_user, make_person):
    person = make_person("Lê Thành Long", position="Bộ trưởng")
    return make_user("signer-btp", roles=["signer"], person=person, locale="en")


@pytest.fixture
def officer(make_user):
    return make_user("reviewer-btp", roles=["reviewer"], locale="en")


@pytest.fixture
def revoked_world(app, tx, signer, officer, make_dossier) -> RevokedWorld:
    storage = Storage(app.extensions["workflow_config"].instance_dir / "documents")
    first, second = make_dossier("council_approved"), make_dossier("council_approved")
    decision = decide(tx, signer, [first, second], storage)
    items = {item.dossier_id: item.id for item in decision.items}
    revocation = service.propose(tx, tx.get(User, officer.id), entry_of(tx, first), proposal(),
                                 TODAY)
    tx.commit()
    user = tx.get(User, signer.id)
    inp = revocation_issue.default_input(tx, user, revocation, TODAY)
    revocation_issue.issue_revocation(tx, user, revocation, inp, storage, TODAY)
    tx.commit()
    world = RevokedWorld(decision.id, items[first.id], items[second.id], revocation.id)
    tx.rollback()
    return world
