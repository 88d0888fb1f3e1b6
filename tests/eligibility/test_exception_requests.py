"""Eligibility exceptions asked for (issue 17 item 4): a submitter blocked by a rule asks for
an exception from the dossier page; the reviewer finds it in the queue while the dossier is
still a draft, refuses it with a reason, is asked again and grants it (password again) —
each step audited and notified; then the dossier can be sent. The API does the same."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support.api_fixtures import error_code
from tests.support.dossier_factories import CSTD_BO_DOCUMENTS
from tests.support.factories import REAUTH
from tests.support.helpers import csrf_token, login_as
from tests.support.registry_data import give, initiative
from workflow_app.models.audit import AuditEvent
from workflow_app.models.dossier import Dossier
from workflow_app.models.eligibility import EligibilityExceptionRequest, EligibilityOverride
from workflow_app.models.notification import Notification
from workflow_app.models.org import Person
from workflow_app.workflow import fire

ASK = "CSTĐCS 2024 đã tặng trên giấy, Quyết định số 12/QĐ-CTHADS ngày 10/01/2025"


@pytest.fixture
def blocked(session, tx, submitting_unit, make_dossier, cstd_bo):
    """A draft CSTD_BO dossier whose nominee has a gap in CSTĐCS: rule 1 blocks it."""
    person = Person(full_name="Lê Thị Gap", unit_id=submitting_unit.id,
                    position="Chấp hành viên")
    session.add(person)
    session.commit()
    dossier = make_dossier(award=cstd_bo, nominee=person, documents=CSTD_BO_DOCUMENTS)
    year, dossier_id = dossier.year, dossier.id
    tx.rollback()
    give(session, "CSTDCS", year - 2, year, person=person)  # a gap
    initiative(session, person, year, "ministry")
    return dossier_id


@pytest.fixture
def reviewer(make_user):
    return make_user("reviewer-exc", roles=["reviewer"], locale="en")


def _actions(session) -> list[str]:
    return list(session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.like("eligibility.%")).order_by(AuditEvent.seq)))


def test_ask_refuse_ask_again_grant_then_send(app, client, session, tx, submitter, reviewer,
                                             blocked):
    page = f"/dossiers/{blocked}"
    login_as(app, client, submitter)
    html = client.get(page).get_data(as_text=True)
    assert 'data-testid="ask-exception-1"' in html  # offered under the blocking rule
    token = csrf_token(client, page)
    ask = {"csrf_token": token, "rule_id": "1", "next": page}
    empty = client.post(f"/registry/dossiers/{blocked}/exception-requests",
                        data={**ask, "reason": "  "})
    assert empty.status_code == 303 and session.scalar(select(EligibilityExceptionRequest)) \
        is None
    sent = client.post(f"/registry/dossiers/{blocked}/exception-requests",
                       data={**ask, "reason": ASK})
    assert sent.status_code == 303
    html = client.get(page).get_data(as_text=True)
    assert "Đang chờ người thẩm định trả lời." in html and ASK in html
    assert "Đề nghị ngoại lệ điều kiện xét tặng" in html  # the timeline, in words
    assert ">eligibility.exception_requested<" not in html
    again = client.post(f"/registry/dossiers/{blocked}/exception-requests",
                        data={**ask, "reason": ASK})
    assert again.status_code == 303
    assert "đang chờ người thẩm định" in client.get(page).get_data(as_text=True)
    assert len(session.scalars(select(EligibilityExceptionRequest)).all()) == 1

    # The reviewer is told, finds the draft in the queue, and refuses with a reason.
    told = session.scalars(select(Notification).where(
        Notification.user_id == reviewer.id)).one()
    assert "exception to prerequisite 1" in told.message and told.link.endswith("#eligibility")
    login_as(app, client, reviewer)
    queue = client.get("/review/").get_data(as_text=True)
    assert 'data-testid="exception-requests"' in queue and "still a draft" in queue
    request_id = session.scalar(select(EligibilityExceptionRequest.id))
    answer = f"/registry/exception-requests/{request_id}/answer"
    token = csrf_token(client, page)
    refused = client.post(answer, data={"csrf_token": token, "next": page,
                                        "decision": "refuse",
                                        "reason": "Cần bản sao quyết định có chứng thực."})
    assert refused.status_code == 303
    assert session.scalar(select(EligibilityOverride)) is None

    # Asked again; granting without the password records nothing; with it, the override.
    login_as(app, client, submitter)
    html = client.get(page).get_data(as_text=True)
    assert "Cần bản sao quyết định có chứng thực." in html  # the refusal, with why
    client.post(f"/registry/dossiers/{blocked}/exception-requests",
                data={**ask, "csrf_token": csrf_token(client, page),
                      "reason": ASK + " (bản sao có chứng thực kèm theo)"})
    login_as(app, client, reviewer)
    second = session.scalar(select(EligibilityExceptionRequest.id).where(
        EligibilityExceptionRequest.status == "pending"))
    answer = f"/registry/exception-requests/{second}/answer"
    grant = {"csrf_token": csrf_token(client, page), "next": page, "decision": "grant",
             "reason": "Đã đối chiếu bản sao có chứng thực."}
    client.post(answer, data={**grant, "password": "not-my-password"})
    assert session.scalar(select(EligibilityOverride)) is None
    assert f">{grant['reason']}</textarea>" in client.get(page).get_data(as_text=True)
    assert client.post(answer, data={**grant, **REAUTH}).status_code == 303
    override = session.scalars(select(EligibilityOverride)).one()
    assert override.rule_id == "1" and override.created_by_id == reviewer.id
    twice = client.post(answer, data={**grant, **REAUTH})
    assert twice.status_code == 303 and len(session.scalars(select(EligibilityOverride))
                                            .all()) == 1
    assert _actions(session) == [
        "eligibility.exception_requested", "eligibility.exception_refused",
        "eligibility.exception_requested", "eligibility.overridden",
        "eligibility.exception_granted"]

    dossier = tx.get(Dossier, blocked)
    fire(tx, dossier, "submit", submitter)  # the rule now counts as met
    tx.commit()
    assert dossier.state == "submitted"


def test_the_api_asks_lists_and_answers(as_user, session, submitter, reviewer, blocked,
                                        make_user, make_unit, root_unit):
    ask = as_user(submitter)
    url = f"/api/v1/dossiers/{blocked}/eligibility/exception-requests"
    created = ask("POST", url, json={"rule_id": "1", "reason": ASK})
    assert created.status_code == 201, created.get_data(as_text=True)
    body = created.get_json()
    assert body["status"] == "pending" and body["nominee"] == "Lê Thị Gap"
    again = ask("POST", url, json={"rule_id": "1", "reason": ASK})
    assert again.status_code == 409 and error_code(again) == "exception_request_refused"
    not_blocking = ask("POST", url, json={"rule_id": "99", "reason": ASK})
    assert not_blocking.status_code == 409

    review = as_user(reviewer)
    listed = review("GET", "/api/v1/eligibility/exception-requests").get_json()
    assert [item["id"] for item in listed["items"]] == [body["id"]]
    stranger = as_user(make_user("reviewer-far", roles=["reviewer"],
                                 unit=make_unit("Sở Tư pháp tỉnh Z", parent=root_unit)))
    assert stranger("GET", "/api/v1/eligibility/exception-requests").get_json()["items"] == []
    answer = f"/api/v1/eligibility/exception-requests/{body['id']}/answer"
    assert stranger("POST", answer, json={"decision": "refuse", "reason": "x"}
                    ).status_code == 404
    wrong = review("POST", answer, json={"decision": "grant", "reason": "Đủ điều kiện."})
    assert wrong.status_code == 422 and error_code(wrong) == "reauth_failed"
    granted = review("POST", answer, json={"decision": "grant", "reason": "Đủ điều kiện.",
                                           **REAUTH})
    assert granted.status_code == 200 and granted.get_json()["status"] == "granted"
    assert session.scalars(select(EligibilityOverride)).one().rule_id == "1"
    late = review("POST", answer, json={"decision": "refuse", "reason": "Muộn."})
    assert late.status_code == 409
