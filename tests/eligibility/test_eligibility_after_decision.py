"""Eligibility gates a dossier only while it can still pass the `eligibility_met` guard:
once decided or forwarded, a later change in the records (a revocation) shows a rule as not
met for information only — no "blocks submission" badge, no override (page, service, API)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support.dossier_factories import CSTD_BO_DOCUMENTS
from tests.support.helpers import login_as
from workflow_app.eligibility.service.dossier import OverrideError, eligibility_open, override_rule
from workflow_app.models.eligibility import EligibilityOverride
from workflow_app.models.org import Person

DOCS = CSTD_BO_DOCUMENTS


@pytest.fixture
def nominee(session, submitting_unit):
    person = Person(full_name="Lê Văn Sau", unit_id=submitting_unit.id, position="Chuyên viên")
    session.add(person)
    session.commit()
    return person


@pytest.fixture
def reviewer(make_user):
    return make_user("reviewer-after", roles=["reviewer"], locale="en")


@pytest.mark.parametrize(("workflow", "state", "expected"), [
    ("normal", "draft", True), ("normal", "returned", True),
    ("normal", "in_appraisal", True),  # may still be returned and resubmitted
    ("normal", "decided", False), ("normal", "forwarded", False),
    ("normal", "revoked", False), ("normal", "rejected", False),
    ("simplified", "draft", True), ("simplified", "decided", False),
])
def test_eligibility_is_open_only_while_the_guard_can_still_be_reached(
        make_dossier, cstd_bo, nominee, workflow, state, expected):
    dossier = make_dossier(state, workflow=workflow, award=cstd_bo, nominee=nominee)
    assert eligibility_open(dossier) is expected


def test_decided_dossier_shows_not_met_as_information_without_block_or_override(
        app, client, tx, session, make_dossier, reviewer, cstd_bo, nominee):
    decided = make_dossier("decided", award=cstd_bo, nominee=nominee, documents=DOCS)
    draft = make_dossier(award=cstd_bo, nominee=nominee, documents=DOCS)
    decided_id, draft_id = decided.id, draft.id
    tx.rollback()
    login_as(app, client, reviewer)
    page = client.get(f"/dossiers/{decided_id}").get_data(as_text=True)
    assert 'data-status="not_met"' in page  # the result is still shown …
    assert 'data-testid="eligibility-information"' in page  # … as information
    assert 'data-testid="eligibility-blocked"' not in page
    assert "Override this rule" not in page
    before = client.get(f"/dossiers/{draft_id}").get_data(as_text=True)
    assert 'data-testid="eligibility-blocked"' in before and "Override this rule" in before
    assert 'data-testid="eligibility-information"' not in before


def test_no_override_is_recorded_on_a_decided_dossier(session, make_dossier, reviewer,
                                                       cstd_bo, nominee):
    dossier = make_dossier("decided", award=cstd_bo, nominee=nominee, documents=DOCS)
    with pytest.raises(OverrideError):
        override_rule(session, dossier, "1", "Ngoại lệ", reviewer)
    assert session.scalar(select(EligibilityOverride)) is None

