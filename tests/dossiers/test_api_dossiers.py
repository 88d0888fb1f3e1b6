"""Dossiers over the API: scoped exactly like the pages, key-paginated (stable while new
dossiers arrive), one dossier with version and timeline, and a transition through the
engine with one audit event."""

from __future__ import annotations

from sqlalchemy import select

from tests.support.api_fixtures import error_code
from tests.support.helpers import recording
from workflow_app.models.audit import AuditEvent
from workflow_app.models.dossier import Dossier


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["id"] for item in response.get_json()["items"]]


def test_a_user_of_unit_a_neither_lists_nor_reads_unit_b_dossiers(
        as_user, make_dossier, other_unit, submitter, other_submitter, auditor):
    mine = make_dossier()
    theirs = make_dossier(unit=other_unit, creator=other_submitter)
    call = as_user(submitter)
    assert _ids(call("GET", "/api/v1/dossiers")) == [mine.id]
    hidden = call("GET", f"/api/v1/dossiers/{theirs.id}")
    missing = call("GET", "/api/v1/dossiers/999999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.get_json() == missing.get_json()  # existence is not disclosed
    assert error_code(hidden) == "not_found"
    refused = call("POST", f"/api/v1/dossiers/{theirs.id}/transitions/withdraw",
                   json={"version": theirs.version, "reason": "x"})
    assert refused.status_code == 404
    assert _ids(as_user(auditor)("GET", "/api/v1/dossiers")) == [theirs.id, mine.id]


def test_pages_are_stable_while_new_dossiers_arrive(as_user, make_dossier, submitter):
    made = [make_dossier().id for _ in range(5)]
    call = as_user(submitter)
    first = call("GET", "/api/v1/dossiers?limit=2").get_json()
    assert [d["id"] for d in first["items"]] == made[::-1][:2] and first["next_cursor"]
    make_dossier()  # arrives between two pages: it belongs before page 1, not in page 2
    make_dossier()
    second = call("GET", f"/api/v1/dossiers?limit=2&cursor={first['next_cursor']}").get_json()
    third = call("GET", f"/api/v1/dossiers?limit=2&cursor={second['next_cursor']}").get_json()
    seen = [d["id"] for page in (first, second, third) for d in page["items"]]
    assert seen == made[::-1] and third["next_cursor"] is None


def test_filters_are_those_of_the_list_page(as_user, make_dossier, submitter):
    draft = make_dossier(title="Chiến sĩ thi đua cơ sở")
    submitted = make_dossier("submitted", year=2020)
    call = as_user(submitter)
    assert _ids(call("GET", "/api/v1/dossiers?state=submitted")) == [submitted.id]
    assert _ids(call("GET", "/api/v1/dossiers?year=2020")) == [submitted.id]
    assert _ids(call("GET", "/api/v1/dossiers", query_string={"q": "Chiến sĩ"})) == [draft.id]
    assert call("GET", "/api/v1/dossiers?commendation_type=NOPE").status_code == 400


def test_one_dossier_has_its_version_actions_documents_and_timeline(as_user, make_dossier,
                                                                    submitter):
    dossier = make_dossier()
    body = as_user(submitter)("GET", f"/api/v1/dossiers/{dossier.id}").get_json()
    assert body["id"] == dossier.id and body["version"] == dossier.version
    assert body["state"] == "draft" and body["unit"]["id"] == dossier.unit_id
    assert {d["doc_type"] for d in body["documents"]} == {"TO_TRINH", "BAO_CAO_THANH_TICH"}
    assert "submit" in {a["trigger"] for a in body["actions"]}
    assert [e["action"] for e in body["timeline"]] == ["dossier.created"]
    assert body["timeline"][0]["occurred_at"].endswith("Z")


def test_one_dossier_reads_its_events_once(app, as_user, make_dossier, submitter):
    """The timeline's labels and its exact times come from one read of the events: a second
    read could see an event committed in between (it did, as a 500 under load)."""
    dossier = make_dossier()
    call = as_user(submitter)
    with recording(app.extensions["workflow_db_engine"]) as statements:
        assert call("GET", f"/api/v1/dossiers/{dossier.id}").status_code == 200
    assert len([s for s in statements.touching("audit_event") if "subject_id" in s]) == 1


def test_a_transition_goes_through_the_engine_once(as_user, session, make_dossier, submitter,
                                                   reviewer):
    dossier = make_dossier("submitted")
    call = as_user(reviewer)
    response = call("POST", f"/api/v1/dossiers/{dossier.id}/transitions/return_for_supplement",
                    json={"version": dossier.version, "reason": "Thiếu báo cáo"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["state"] == "returned" and body["version"] == dossier.version + 1
    assert body["timeline"][0]["action"] == "dossier.return_for_supplement"
    assert body["timeline"][0]["reason"] == "Thiếu báo cáo"
    [event] = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "dossier.return_for_supplement")).all()
    assert event.actor_id == reviewer.id and event.to_state == "returned"
    assert session.get(Dossier, dossier.id).state == "returned"
    again = call("POST", f"/api/v1/dossiers/{dossier.id}/transitions/return_for_supplement",
                 json={"version": dossier.version, "reason": "again"})
    assert again.status_code == 409 and error_code(again) == "stale_version"
