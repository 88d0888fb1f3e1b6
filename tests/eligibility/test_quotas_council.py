"""Quotas checked before a council votes: the session page flags dossiers over a quota, the
vote does not open on them until the decision to exceed is recorded (who, why, audited)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.support.helpers import csrf_token, login_as
from workflow_app.council.service import rounds
from workflow_app.models.audit import AuditEvent
from workflow_app.models.catalogue import Award
from workflow_app.models.dossier import Dossier
from workflow_app.models.eligibility import QuotaException
from workflow_app.workflow import GuardFailed

# A cap of half the unit's holders of an award nobody holds: every nominee is over it.
QUOTA = {"kind": "share_of", "award": "BASE_Q", "max": "1/2", "configurable": True}


@pytest.fixture
def capped(tx, vote_award):
    award = vote_award()
    tx.get(Award, award.id).versions[0].quota = dict(QUOTA)
    tx.commit()
    return award


def _post(client, path, data, token_page):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, token_page)})


def test_vote_opens_only_after_the_decision_to_exceed_is_recorded(
        app, client, session, make_council, council_dossier, meeting, capped):
    kit = make_council(3)
    on_agenda, waiting = council_dossier(award=capped), council_dossier(award=capped)
    meeting_ = meeting(kit, [on_agenda])
    page = f"/council/sessions/{meeting_.id}"
    login_as(app, client, kit.secretary)
    html = client.get(page).get_data(as_text=True)
    assert html.count('data-testid="quota-flag"') == 1
    flag = html.split('data-testid="quota-flag"')[1]
    assert 'data-blocked="true"' in flag
    assert on_agenda.nominee_name in flag and waiting.nominee_name in flag

    refused = _post(client, f"{page}/rounds", {"item_id": 0}, page)
    assert refused.status_code == 409 and "quota" in refused.get_data(as_text=True).lower()
    assert session.get(Dossier, on_agenda.id).state == "awaiting_council"

    decision = {"unit_id": on_agenda.unit_id, "award_code": capped.code,
                "year": on_agenda.year, "reason": ""}
    assert _post(client, f"{page}/quota-decision", decision, page).status_code == 422
    assert _post(client, f"{page}/quota-decision", {**decision, "award_code": "LDTT",
                                                    "reason": "x"}, page).status_code == 409
    assert session.scalar(select(func.count()).select_from(QuotaException)) == 0
    done = _post(client, f"{page}/quota-decision",
                 {**decision, "reason": "Chủ tịch Hội đồng cho phép vượt (biên bản phiên họp)"},
                 page)
    assert done.status_code == 302
    event = session.scalar(select(AuditEvent).where(
        AuditEvent.action == "quota.exception_recorded"))
    assert event.actor_id == kit.secretary.id and event.data["council_session_id"] == meeting_.id
    assert 'data-testid="quota-decided"' in client.get(page).get_data(as_text=True)

    assert _post(client, f"{page}/rounds", {"item_id": 0}, page).status_code == 302
    assert session.get(Dossier, on_agenda.id).state == "in_voting"


def test_only_the_secretary_records_the_decision(app, client, session, make_council,
                                                  council_dossier, meeting, capped):
    kit = make_council(3)
    dossier = council_dossier(award=capped)
    meeting_ = meeting(kit, [dossier])
    page = f"/council/sessions/{meeting_.id}"
    login_as(app, client, kit.members[1].user)
    response = _post(client, f"{page}/quota-decision",
                     {"unit_id": dossier.unit_id, "award_code": capped.code,
                      "year": dossier.year, "reason": "x"}, page)
    assert response.status_code == 403
    assert session.scalar(select(func.count()).select_from(QuotaException)) == 0


def test_the_engine_refuses_to_open_the_vote_over_quota(tx, make_council, council_dossier,
                                                        meeting, capped):
    kit = make_council(3)
    meeting_ = meeting(kit, [council_dossier(award=capped)])
    with pytest.raises(GuardFailed) as refused:
        rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.rollback()
    assert refused.value.guard == "quota_respected"
