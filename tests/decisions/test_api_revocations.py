"""Revocation over the API (Law 2022 Art. 93 k2): a reviewer proposes against a registry
entry; the signer previews and issues the numbered revoking decision, records a higher
authority's decision, or keeps the award; the reviewer records the recovery — scoped like the
revocation pages, refusals with a reason and nothing written."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.support.api_fixtures import error_code
from tests.support.decisions_data import (
    DOCX,
    PENDING,
    count,
    events,
    make_officer,
    make_signer,
    ok,
    state_of,
)
from tests.support.factories import REAUTH
from tests.support.revocation_data import decide, entry_of
from workflow_app.attachments.storage import Storage
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.models.registry import AwardRecord
from workflow_app.models.revocation import Revocation, RevocationDecision


@pytest.fixture
def signer(make_user, make_person):
    return make_signer(make_user, make_person)


@pytest.fixture
def signer_b(make_user, make_person, province_b):
    return make_signer(make_user, make_person, province_b, "signer-b")


@pytest.fixture
def officer(make_user, make_person):
    return make_officer(make_user, make_person)


@pytest.fixture
def decided(app, tx, signer, make_dossier):
    """(dossier id, registry entry id, nominee person id): decided by 01/QĐ-BTP today."""
    dossier = make_dossier("council_approved")
    storage = Storage(app.extensions["workflow_config"].instance_dir / "documents")
    decide(tx, signer, [dossier], storage, on=today_vn())
    row = (dossier.id, entry_of(tx, dossier).id, dossier.nominee_person_id)
    tx.rollback()
    return row


def proposal(record_id: int, **changes) -> dict:
    body = {"award_record_id": record_id, "ground": "false_papers",
            "explanation": "Bằng tốt nghiệp nộp kèm hồ sơ là giả.",
            "evidence_reference": "Kết luận thanh tra số 12/KL-TTr",
            "conclusion_received_on": today_vn().isoformat()}
    body.update(changes)
    return body


def _wording(draft: dict) -> dict:
    keys = ("issued_on", "place", "summary", "authority", "bases", "articles", "recipients",
            "issuer_id")
    return {key: draft[key] for key in keys}


def test_proposed_previewed_issued_then_recovered_through_the_api(
        as_user, session, officer, signer, decided):
    dossier_id, record_id, person_id = decided
    reviewer, decider = as_user(officer), as_user(signer)
    proposed = ok(reviewer("POST", "/api/v1/revocations", json=proposal(record_id)), 201)
    assert (proposed["status"], proposed["level"], proposed["point"]) == \
        ("proposed", "own", "Art. 93 k2 b")
    assert proposed["deadlines"]["filing_due"] == \
        (today_vn() + timedelta(days=7)).isoformat()
    assert state_of(session, dossier_id) == "revocation_proposed"
    assert len(events(session, "revocation.proposed")) == 1
    history = ok(reviewer("GET", f"/api/v1/registry/persons/{person_id}"))
    assert history["awards"][0]["status"] == "revocation_proposed"
    assert history["awards"][0]["revocation_id"] == proposed["id"]

    url = f"/api/v1/revocations/{proposed['id']}"
    to_decide = ok(decider("GET", "/api/v1/revocations?to_decide=true"))["items"]
    assert [row["id"] for row in to_decide] == [proposed["id"]]
    assert ok(decider("GET", url))["can_decide"] is True
    draft = ok(decider("POST", f"{url}/draft"))
    assert any("01/QĐ-BTP" in article for article in draft["articles"])
    preview = ok(decider("POST", f"{url}/preview", json=_wording(draft)))
    assert preview["reference"] == PENDING and preview["annex"] == []
    assert count(session, RevocationDecision) == 0
    issued = ok(decider("POST", f"{url}/decision", json={**_wording(draft), **REAUTH}), 201)
    assert (issued["status"], issued["decision_reference"]) == ("revoked", "02/QĐ-BTP")
    assert issued["document"]["reference"] == "02/QĐ-BTP" and issued["can_record_recovery"] \
        is False
    assert state_of(session, dossier_id) == "revoked"
    entry = session.get(AwardRecord, record_id)
    assert entry.revoked_at is not None and entry.revocation_number == "02/QĐ-BTP"
    [event] = events(session, "revocation.issued")
    for fmt, mimetype in (("docx", DOCX), ("pdf", "application/pdf")):
        download = decider("GET", f"{url}/{fmt}")
        assert download.mimetype == mimetype
        assert hashlib.sha256(download.data).hexdigest() == event.data[f"{fmt}_sha256"]

    assert ok(reviewer("GET", url))["can_record_recovery"] is True
    recovered = ok(reviewer("POST", f"{url}/recovery", json={
        "recovered_on": today_vn().isoformat(), "note": "Biên nhận số 3"}))
    assert recovered["recovered_on"] == today_vn().isoformat()
    assert events(session, "revocation.recovered")[0].data["note"] == "Biên nhận số 3"
    again = reviewer("POST", f"{url}/recovery", json={"recovered_on": today_vn().isoformat()})
    assert again.status_code == 409 and error_code(again) == "revocation_error"
    award = ok(reviewer("GET", f"/api/v1/registry/persons/{person_id}"))["awards"][0]
    assert (award["status"], award["revocation_number"]) == ("revoked", "02/QĐ-BTP")


def test_the_signer_may_keep_the_award(as_user, session, officer, signer, decided):
    dossier_id, record_id, _person = decided
    proposed = ok(as_user(officer)("POST", "/api/v1/revocations", json=proposal(record_id)),
                  201)
    url = f"/api/v1/revocations/{proposed['id']}"
    empty = as_user(signer)("POST", f"{url}/dismissal", json={"reason": ""})
    assert empty.status_code == 422
    kept = ok(as_user(signer)("POST", f"{url}/dismissal",
                              json={"reason": "Kết luận đã bị hủy."}))
    assert (kept["status"], kept["dismissal_reason"]) == ("dismissed", "Kết luận đã bị hủy.")
    assert state_of(session, dossier_id) == "decided"
    assert events(session, "revocation.dismissed")[0].data["reason"] == "Kết luận đã bị hủy."
    late = as_user(signer)("POST", f"{url}/dismissal", json={"reason": "x"})
    assert late.status_code == 409 and error_code(late) == "revocation_error"


def test_a_higher_authoritys_award_is_revoked_by_recording_its_decision(
        as_user, session, officer, signer, make_person, make_award):
    award = make_award()
    person = make_person()
    entry = AwardRecord(person_id=person.id, award_code=award.code, year=2023,
                        decision_number="125/QĐ-TTg", decision_date=date(2024, 1, 10),
                        issuer="Thủ tướng Chính phủ", source="higher_decision")
    session.add(entry)
    session.commit()
    proposed = ok(as_user(officer)("POST", "/api/v1/revocations", json=proposal(entry.id)),
                  201)
    assert proposed["level"] == "higher" and proposed["dossier_id"] is None
    url = f"/api/v1/revocations/{proposed['id']}"
    decider = as_user(signer)
    draft = decider("POST", f"{url}/draft")
    assert draft.status_code == 409 and error_code(draft) == "revocation_error"
    today = today_vn().isoformat()
    bad = decider("POST", f"{url}/higher-decision",
                  json={"number": "12/QĐ-TTg", "decided_on": "2023-01-01"})
    assert bad.status_code == 422 and error_code(bad) == "revocation_input_error"
    recorded = ok(decider("POST", f"{url}/higher-decision",
                          json={"number": "12/QĐ-TTg", "decided_on": today}), 201)
    assert (recorded["status"], recorded["decision_reference"], recorded["document"]) == \
        ("revoked", "12/QĐ-TTg", None)
    assert session.get(AwardRecord, entry.id).revocation_number == "12/QĐ-TTg"
    assert events(session, "revocation.recorded")[0].data["reference"] == "12/QĐ-TTg"
    assert decider("GET", f"{url}/pdf").status_code == 404  # no document of ours


def test_other_units_and_roles_get_nothing(
        as_user, session, officer, signer, signer_b, reviewer_b, submitter, submitter_b,
        decided):
    _dossier, record_id, _person = decided
    hidden_entry = as_user(reviewer_b)("POST", "/api/v1/revocations", json=proposal(record_id))
    assert hidden_entry.status_code == 404 and error_code(hidden_entry) == "not_found"
    by_submitter = as_user(submitter)("POST", "/api/v1/revocations", json=proposal(record_id))
    assert by_submitter.status_code == 403 and error_code(by_submitter) == "role_required"
    read_only = as_user(officer, scope="read")("POST", "/api/v1/revocations",
                                               json=proposal(record_id))
    assert read_only.status_code == 403 and error_code(read_only) == "insufficient_scope"
    assert count(session, Revocation) == 0

    proposed = ok(as_user(officer)("POST", "/api/v1/revocations", json=proposal(record_id)),
                  201)
    url = f"/api/v1/revocations/{proposed['id']}"
    assert ok(as_user(submitter)("GET", url))["id"] == proposed["id"]  # the dossier's unit
    for call in (as_user(submitter_b), as_user(signer_b)):
        assert ok(call("GET", "/api/v1/revocations"))["items"] == []
        response = call("GET", url)
        assert response.status_code == 404 and error_code(response) == "not_found"
    refused = as_user(signer_b)("POST", f"{url}/dismissal", json={"reason": "Giữ"})
    assert refused.status_code == 404
    by_reviewer = as_user(officer)("POST", f"{url}/dismissal", json={"reason": "Giữ"})
    assert by_reviewer.status_code == 403 and error_code(by_reviewer) == "role_required"
    assert session.scalar(select(Revocation.status)) == "proposed"


def test_bad_proposals_are_refused_with_the_reason(as_user, session, officer, decided):
    _dossier, record_id, _person = decided
    call = as_user(officer)
    for bad in ({"ground": "dislike"}, {"explanation": ""}, {"conclusion_received_on": "x"},
                {"award_record_id": 0}, {"extra": 1}):
        response = call("POST", "/api/v1/revocations", json=proposal(record_id, **bad))
        assert response.status_code == 422 and error_code(response) == "validation_failed", bad
    early = call("POST", "/api/v1/revocations",
                 json=proposal(record_id, conclusion_received_on="2000-01-01"))
    assert early.status_code == 422 and error_code(early) == "revocation_input_error"
    assert "before the award decision" in early.get_json()["error"]["message"]
    assert call("POST", "/api/v1/revocations", json=proposal(999999)).status_code == 404
    assert count(session, Revocation) == 0
    ok(call("POST", "/api/v1/revocations", json=proposal(record_id)), 201)
    twice = call("POST", "/api/v1/revocations", json=proposal(record_id))
    assert twice.status_code == 409 and error_code(twice) == "revocation_error"
    assert "already proposed" in twice.get_json()["error"]["message"]
    assert count(session, Revocation) == 1
