"""Forwarding over the API: awards of the Prime Minister go up with a numbered tờ trình; the
higher decision (number, date) or refusal is recorded when it comes back — scoped like the
officer's pages, refusals with a reason and nothing written."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from tests.support.api_fixtures import error_code
from tests.support.decisions_data import (
    DOCX,
    count,
    events,
    make_higher_award,
    make_officer,
    make_signer,
    ok,
    state_of,
)
from tests.support.factories import REAUTH
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.models.decision import SubmissionLetter
from workflow_app.models.registry import AwardRecord


@pytest.fixture
def signer(make_user, make_person):
    return make_signer(make_user, make_person)


@pytest.fixture
def officer(make_user, make_person):
    return make_officer(make_user, make_person)


@pytest.fixture
def higher_award(make_award, tx):
    return make_higher_award(make_award, tx)


def _letter_body(draft: dict) -> dict:
    keys = ("dossier_ids", "issued_on", "place", "summary", "addressee", "signer_title",
            "signer_name", "body", "recipients", "issuer_id")
    return {key: draft[key] for key in keys}


def _forward(call, ids) -> dict:
    draft = ok(call("POST", "/api/v1/forwarding/draft", json={"dossier_ids": list(ids)}))
    return ok(call("POST", "/api/v1/submission-letters",
                   json={**_letter_body(draft), **REAUTH}), 201)


def test_officer_forwards_with_a_numbered_letter_then_records_the_answers(
        as_user, session, officer, make_dossier, higher_award):
    ids = [make_dossier("council_approved", award=higher_award).id for _ in range(2)]
    make_dossier("council_approved")  # decided by this body: not forwarded
    call = as_user(officer)
    assert [d["id"] for d in ok(call("GET", "/api/v1/forwarding/ready"))["items"]] == ids
    draft = ok(call("POST", "/api/v1/forwarding/draft", json={"award_id": higher_award.id}))
    assert draft["dossier_ids"] == ids
    assert draft["addressee"] == "Kính gửi: Thủ tướng Chính phủ"
    assert draft["signer_name"] == "Trần Thị Vụ"
    letter = ok(call("POST", "/api/v1/submission-letters",
                     json={**_letter_body(draft), **REAUTH}), 201)
    assert letter["reference"] == "01/TTr-BTP" and len(letter["items"]) == 2
    assert {state_of(session, i) for i in ids} == {"forwarded"}
    [event] = events(session, "submission.issued")
    assert event.data["dossier_ids"] == ids
    listed = ok(call("GET", "/api/v1/submission-letters"))["items"]
    assert [row["reference"] for row in listed] == ["01/TTr-BTP"]
    url = f"/api/v1/submission-letters/{letter['id']}"
    assert ok(call("GET", url))["addressee"] == "Kính gửi: Thủ tướng Chính phủ"
    docx, pdf = call("GET", f"{url}/docx"), call("GET", f"{url}/pdf")
    assert docx.mimetype == DOCX and pdf.mimetype == "application/pdf"
    assert hashlib.sha256(docx.data).hexdigest() == event.data["docx_sha256"]
    assert hashlib.sha256(pdf.data).hexdigest() == event.data["pdf_sha256"]

    awaiting = ok(call("GET", "/api/v1/forwarding/awaiting"))["items"]
    assert [(d["id"], d["forward_reference"]) for d in awaiting] == \
        [(i, "01/TTr-BTP") for i in ids]
    decided = ok(call("POST", f"/api/v1/forwarding/awaiting/{ids[0]}/decision", json={
        "number": "125/QĐ-TTg", "decided_on": today_vn().isoformat(),
        "version": awaiting[0]["version"]}), 201)
    assert decided["dossier"]["state"] == "decided"
    record = decided["award_record"]
    assert (record["source"], record["issuer"], record["decision_number"]) == \
        ("higher_decision", "Thủ tướng Chính phủ", "125/QĐ-TTg")
    assert session.scalar(select(AwardRecord.dossier_id)) == ids[0]
    refused = ok(call("POST", f"/api/v1/forwarding/awaiting/{ids[1]}/refusal",
                      json={"reason": "Thủ tướng không đồng ý (Công văn 12/VPCP)."}))
    assert refused["state"] == "rejected" and state_of(session, ids[1]) == "rejected"
    [refusal] = events(session, "dossier.record_higher_refusal")
    assert refusal.data["reason"] == "Thủ tướng không đồng ý (Công văn 12/VPCP)."
    assert (refusal.actor_id, refusal.to_state) == (officer.id, "rejected")
    assert ok(call("GET", "/api/v1/forwarding/awaiting"))["items"] == []


def test_another_units_reviewer_sees_nothing_and_cannot_record(
        as_user, session, officer, reviewer_b, submitter_b, make_dossier, higher_award):
    ids = [make_dossier("council_approved", award=higher_award).id]
    letter = _forward(as_user(officer), ids)
    other = as_user(reviewer_b)
    assert ok(other("GET", "/api/v1/forwarding/ready"))["items"] == []
    assert ok(other("GET", "/api/v1/forwarding/awaiting"))["items"] == []
    hidden = other("POST", f"/api/v1/forwarding/awaiting/{ids[0]}/decision",
                   json={"number": "125/QĐ-TTg", "decided_on": today_vn().isoformat()})
    assert hidden.status_code == 404 and error_code(hidden) == "not_found"
    for call in (other, as_user(submitter_b)):
        assert ok(call("GET", "/api/v1/submission-letters"))["items"] == []
        response = call("GET", f"/api/v1/submission-letters/{letter['id']}/pdf")
        assert response.status_code == 404 and error_code(response) == "not_found"
    refused = other("POST", "/api/v1/submission-letters", json={
        **_letter_body({**letter, "dossier_ids": ids, "signer_title": "X", "body": ["B"],
                        "recipients": [], "issuer_id": None}), **REAUTH})
    assert refused.status_code == 422 and error_code(refused) == "selection_invalid"
    assert state_of(session, ids[0]) == "forwarded" and count(session, SubmissionLetter) == 1


def test_refusals_roles_and_scope_write_nothing(
        as_user, session, officer, signer, make_dossier, higher_award):
    dossier = make_dossier("council_approved", award=higher_award)
    call = as_user(officer)
    _forward(call, [dossier.id])
    url = f"/api/v1/forwarding/awaiting/{dossier.id}"
    today = today_vn().isoformat()
    for bad in ({"number": "125", "decided_on": today}, {"number": "125/QĐ-TTg"},
                {"number": "125/QĐ-TTg", "decided_on": "10/11/2024"}):
        response = call("POST", f"{url}/decision", json=bad)
        assert response.status_code == 422 and error_code(response) == "validation_failed", bad
    future = call("POST", f"{url}/decision", json={"number": "125/QĐ-TTg",
                                                   "decided_on": "2999-01-01"})
    assert future.status_code == 422 and error_code(future) == "selection_invalid"
    stale = call("POST", f"{url}/decision", json={"number": "125/QĐ-TTg", "decided_on": today,
                                                  "version": 1})
    assert stale.status_code == 409 and error_code(stale) == "stale_version"
    no_reason = call("POST", f"{url}/refusal", json={"reason": ""})
    assert no_reason.status_code == 422
    by_signer = as_user(signer)("POST", f"{url}/refusal", json={"reason": "Không"})
    assert by_signer.status_code == 403 and error_code(by_signer) == "role_required"
    read_only = as_user(officer, scope="read")("POST", f"{url}/refusal", json={"reason": "K"})
    assert read_only.status_code == 403 and error_code(read_only) == "insufficient_scope"
    assert state_of(session, dossier.id) == "forwarded"
    assert count(session, AwardRecord) == 0
