"""The dossier eligibility API after the decision: the rules are information only
(`gating` false), nothing blocks and no override is accepted."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support.api_fixtures import error_code
from tests.support.dossier_factories import CSTD_BO_DOCUMENTS
from tests.support.factories import REAUTH
from workflow_app.models.eligibility import EligibilityOverride
from workflow_app.models.org import Person

DOCS = CSTD_BO_DOCUMENTS


@pytest.fixture
def nominee(session, submitting_unit):
    person = Person(full_name="Lê Văn Sau", unit_id=submitting_unit.id, position="Chuyên viên")
    session.add(person)
    session.commit()
    return person


def test_api_marks_a_decided_dossiers_eligibility_as_not_gating(
        as_user, session, make_dossier, reviewer_a, cstd_bo, nominee):
    decided = make_dossier("decided", award=cstd_bo, nominee=nominee, documents=DOCS)
    draft = make_dossier(award=cstd_bo, nominee=nominee, documents=DOCS)
    call = as_user(reviewer_a)
    body = call("GET", f"/api/v1/dossiers/{decided.id}/eligibility").get_json()
    assert body["gating"] is False and body["blocks_submission"] is False
    assert body["rules"][0]["status"] == "not_met" and body["rules"][0]["blocks"] is False
    open_body = call("GET", f"/api/v1/dossiers/{draft.id}/eligibility").get_json()
    assert open_body["gating"] is True and open_body["blocks_submission"] is True
    refused = call("POST", f"/api/v1/dossiers/{decided.id}/eligibility/overrides",
                   json={"rule_id": "1", "reason": "Ngoại lệ", **REAUTH})
    assert refused.status_code == 409 and error_code(refused) == "override_refused"
    assert session.scalar(select(EligibilityOverride)) is None
