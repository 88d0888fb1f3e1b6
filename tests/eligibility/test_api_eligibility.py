"""Eligibility and quotas over the API: a person's and a unit's eligibility award by award
(met / not met / unknown per rule, with the legal basis), a unit's quota counts, a
reviewer's override on a dossier and a decision to exceed a quota — audited and scoped."""

from __future__ import annotations

import pytest

from tests.support.api_fixtures import error_code
from tests.support.decisions_data import count, events, ok
from tests.support.factories import REAUTH
from tests.support.registry_data import give, rate
from workflow_app.catalogue.service.queries import award_by_code
from workflow_app.models.eligibility import EligibilityOverride, QuotaException

pytestmark = pytest.mark.usefixtures("shipped_catalogue")


def _by_code(body: dict) -> dict:
    return {row["award"]["code"]: row for row in body["awards"]}


def test_a_persons_and_a_units_eligibility_award_by_award(
        as_user, session, reviewer_a, submitting_unit, make_person, submitter_b):
    person = make_person("Nguyễn Văn Ánh", unit=submitting_unit)
    give(session, "CSTDCS", 2023, person=person)
    give(session, "CSTDCS", 2024, person=person, revoked=True)  # never counts
    rate(session, person, "excellent", 2025)
    call = as_user(reviewer_a)
    body = ok(call("GET", f"/api/v1/registry/persons/{person.id}/eligibility?year=2025"))
    assert body["year"] == 2025 and body["person"]["id"] == person.id and body["unit"] is None
    awards = _by_code(body)
    assert "TTLDXS" not in awards  # collective awards are left out for a person
    cstd_bo = awards["CSTD_BO"]
    assert cstd_bo["status"] == "not_met" and cstd_bo["rules"][0]["status"] == "not_met"
    assert all(rule["basis"] or rule["configurable"] for rule in cstd_bo["rules"])
    assert cstd_bo["rules"][0]["blocks"] is True
    hidden = as_user(submitter_b)("GET", f"/api/v1/registry/persons/{person.id}/eligibility")
    assert hidden.status_code == 404 and error_code(hidden) == "not_found"

    unit = ok(call("GET", f"/api/v1/registry/units/{submitting_unit.id}/eligibility"))
    codes = _by_code(unit)
    assert "TTLDXS" in codes and "CSTD_BO" not in codes and unit["person"] is None
    assert {row["status"] for row in unit["awards"]} <= {"met", "not_met", "unknown"}
    bad = call("GET", f"/api/v1/registry/units/{submitting_unit.id}/eligibility?year=12")
    assert bad.status_code == 400 and error_code(bad) == "invalid_query"


def test_a_units_quota_counts_follow_the_registry(as_user, session, reviewer_a,
                                                  submitting_unit, make_person):
    people = [make_person(unit=submitting_unit) for _ in range(7)]
    for person in people:
        give(session, "LDTT", 2025, person=person)
    give(session, "CSTDCS", 2025, person=people[0])
    give(session, "CSTDCS", 2025, person=people[1], revoked=True)
    url = f"/api/v1/registry/units/{submitting_unit.id}/quotas?year=2025"
    quotas = {q["award_code"]: q for q in ok(as_user(reviewer_a)("GET", url))["quotas"]}
    cstdcs = quotas["CSTDCS"]
    assert (cstdcs["used"], cstdcs["cap"], cstdcs["over"], cstdcs["blocked"]) == \
        (1, 1, False, False)  # floor(7 × 15/100) = 1
    assert cstdcs["configurable"] is True and cstdcs["unit"]["id"] == submitting_unit.id
    assert "LDTT" not in quotas  # no quota rule
    give(session, "CSTDCS", 2025, person=people[2])
    again = {q["award_code"]: q for q in ok(as_user(reviewer_a)("GET", url))["quotas"]}
    assert (again["CSTDCS"]["used"], again["CSTDCS"]["blocked"]) == (2, True)


def test_a_reviewer_overrides_a_rule_once_with_a_reason(
        as_user, session, make_dossier, reviewer_a, reviewer_b, submitter):
    dossier = make_dossier("submitted", award=award_by_code(session, "CSTDCS"))
    url = f"/api/v1/dossiers/{dossier.id}/eligibility/overrides"
    call = as_user(reviewer_a)
    before = ok(call("GET", f"/api/v1/dossiers/{dossier.id}/eligibility"))
    blocking = next(rule for rule in before["rules"] if rule["status"] != "met")
    body = {"rule_id": blocking["rule_id"], "reason": "Xác minh tại đơn vị: đủ điều kiện.",
            **REAUTH}
    wrong = call("POST", url, json={**body, "password": "not-my-password"})
    assert wrong.status_code == 422 and error_code(wrong) == "reauth_failed"
    assert count(session, EligibilityOverride) == 0
    after = ok(call("POST", url, json=body), 201)
    rule = next(r for r in after["rules"] if r["rule_id"] == blocking["rule_id"])
    assert rule["overridden"]["reason"] == body["reason"] and rule["blocks"] is False
    [event] = events(session, "eligibility.overridden")
    assert event.data["rule_id"] == blocking["rule_id"] and event.actor_id == reviewer_a.id
    twice = call("POST", url, json=body)
    assert twice.status_code == 409 and error_code(twice) == "override_refused"
    unknown = call("POST", url, json={**body, "rule_id": "99"})
    assert unknown.status_code == 409 and "no such rule" in unknown.get_json()["error"]["message"]
    assert call("POST", url, json={**body, "reason": ""}).status_code == 422
    hidden = as_user(reviewer_b)("POST", url, json={**body, "rule_id": "1"})
    assert hidden.status_code == 404
    by_submitter = as_user(submitter)("POST", url, json=body)
    assert by_submitter.status_code == 403 and error_code(by_submitter) == "role_required"
    assert count(session, EligibilityOverride) == 1


def test_a_decision_to_exceed_a_quota_is_recorded_once(
        as_user, session, reviewer_a, reviewer_b, submitter, submitting_unit):
    body = {"unit_id": submitting_unit.id, "award_code": "CSTDCS", "year": 2025,
            "reason": "Quyết định 5/QĐ-BTP cho phép vượt"}
    call = as_user(reviewer_a)
    recorded = ok(call("POST", "/api/v1/quota-exceptions", json={**body, **REAUTH}), 201)
    assert recorded["reason"] == body["reason"] and recorded["created_by"]
    assert recorded["quota"]["exception_reason"] == body["reason"]
    [event] = events(session, "quota.exception_recorded")
    assert event.data["award"] == "CSTDCS" and event.subject_id == str(submitting_unit.id)
    twice = call("POST", "/api/v1/quota-exceptions", json={**body, **REAUTH})
    assert twice.status_code == 409 and error_code(twice) == "quota_exception_refused"
    unknown = call("POST", "/api/v1/quota-exceptions", json={**body, "unit_id": 999999, **REAUTH})
    assert unknown.status_code == 404 and error_code(unknown) == "unknown_reference"
    no_award = call("POST", "/api/v1/quota-exceptions",
                    json={**body, "award_code": "NOPE", **REAUTH})
    assert no_award.status_code == 409
    other = as_user(reviewer_b)("POST", "/api/v1/quota-exceptions",
                                json={**body, "year": 2024, **REAUTH})
    assert other.status_code == 403 and error_code(other) == "forbidden"
    refused = as_user(submitter)("POST", "/api/v1/quota-exceptions", json={**body, **REAUTH})
    assert refused.status_code == 403 and error_code(refused) == "role_required"
    assert count(session, QuotaException) == 1
