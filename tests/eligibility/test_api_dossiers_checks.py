"""A dossier's eligibility over the API: the same rules, quota and duplicate flags as the
dossier page — duplicates only for the reviewers responsible for the unit."""

from __future__ import annotations

import pytest

from tests.support.registry_data import give
from workflow_app.catalogue.service.queries import award_by_code
from workflow_app.eligibility.service.dossier import override_rule


@pytest.fixture
def cstdcs(shipped_catalogue, session):
    return award_by_code(session, "CSTDCS")


def test_rules_quota_and_duplicates_as_on_the_dossier_page(
        as_user, tx, session, make_dossier, make_person, submitting_unit, submitter,
        reviewer, other_submitter, cstdcs):
    people = [make_person(unit=submitting_unit) for _ in range(15)]
    for person in people[1:]:
        give(session, "LDTT", 2025, person=person)  # 14 LĐTT: a CSTĐCS cap of 2
    # people[0] holds no LĐTT for 2025: the first rule is not met.
    first = make_dossier(award=cstdcs, nominee=people[0], year=2025)
    make_dossier(award=cstdcs, nominee=people[0], year=2025)  # the same nomination again
    make_dossier(award=cstdcs, nominee=people[1], year=2025)
    make_dossier(award=cstdcs, nominee=people[2], year=2025)  # 3 nominees for 2 places
    first_id = first.id
    tx.rollback()

    url = f"/api/v1/dossiers/{first_id}/eligibility"
    mine = as_user(submitter, locale="en")("GET", url)
    assert mine.status_code == 200, mine.get_data(as_text=True)
    body = mine.get_json()
    assert body["dossier_id"] == first_id and body["rules"]
    assert body["duplicates"] is None  # not a reviewer
    [held] = [rule for rule in body["rules"] if rule["kind"] == "holds_award"]
    assert held["status"] == "not_met" and held["blocks"] and held["basis"]
    assert body["blocks_submission"] is True
    quota = body["quota"]
    assert (quota["award_code"], quota["cap"], quota["used"], quota["over"]) == (
        "CSTDCS", 2, 3, True)
    assert quota["blocked"] and quota["configurable"] and quota["exception_reason"] is None

    seen = as_user(reviewer)("GET", url).get_json()
    assert [(d["kind"], d["other_dossier_id"]) for d in seen["duplicates"]] == [
        ("same_nomination", first_id + 1)]

    override_rule(tx, tx.merge(first), held["rule_id"], "Giấy tờ gốc đã kiểm tra",
                  tx.merge(reviewer))
    tx.commit()
    again = as_user(reviewer)("GET", url).get_json()
    overridden = next(r for r in again["rules"] if r["rule_id"] == held["rule_id"])
    assert overridden["blocks"] is False and overridden["status"] == "not_met"
    assert overridden["overridden"]["reason"] == "Giấy tờ gốc đã kiểm tra"
    assert again["blocks_submission"] is False

    hidden = as_user(other_submitter)("GET", url)
    assert hidden.status_code == 404 and "rules" not in hidden.get_data(as_text=True)


def test_an_award_without_prerequisites_or_quota(as_user, make_dossier, submitter):
    dossier = make_dossier()
    body = as_user(submitter)("GET", f"/api/v1/dossiers/{dossier.id}/eligibility").get_json()
    assert body["rules"] == [] and body["quota"] is None and not body["blocks_submission"]
