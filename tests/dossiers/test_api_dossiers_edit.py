"""Opening and editing dossiers over the API: the dossier form's services (audited, version
bumped), ids looked up only within the caller's units, 403/404/409/422 as the pages."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.support.api_fixtures import error_code
from tests.support.dossier_factories import PDF, events_of, fresh
from workflow_app.accounts.service import users as user_service
from workflow_app.models.dossier import Dossier


@pytest.fixture
def award(make_award):
    return make_award()


def _new(unit, award, **fields) -> dict:
    return {"unit_id": unit.id, "award_id": award.id, "commendation_type": "CONG_TRANG",
            "year": date.today().year - 1, **fields}


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Dossier))


def test_a_submitter_opens_a_draft_for_a_person_of_their_unit(
        as_user, session, award, submitter, submitting_unit, nominee):
    call = as_user(submitter)
    response = call("POST", "/api/v1/dossiers", json=_new(
        submitting_unit, award, nominee_person_id=nominee.id, summary="Hoàn thành xuất sắc.",
        report_sections=[{"heading": "Thành tích", "body": "Dẫn đầu phong trào."},
                         {"heading": "Để trống", "body": ""}]))
    assert response.status_code == 201, response.get_data(as_text=True)
    body = response.get_json()
    assert (body["state"], body["version"], body["workflow"]) == ("draft", 1, "normal")
    assert body["nominee_person"]["id"] == nominee.id and body["unit"]["id"] == submitting_unit.id
    assert nominee.full_name in body["title"]  # made from the award, year and nominee
    assert body["missing"] and body["timeline"][0]["action"] == "dossier.created"
    dossier = fresh(session, body["id"])
    assert dossier.report_sections == [{"heading": "Thành tích", "body": "Dẫn đầu phong trào."}]
    [event] = events_of(session, dossier.id, "dossier.created")
    assert event.actor_id == submitter.id


def test_a_unit_can_be_the_nominee(as_user, award, submitter, submitting_unit, make_unit):
    team = make_unit("Phòng Nghiệp vụ", parent=submitting_unit)
    response = as_user(submitter)("POST", "/api/v1/dossiers",
                                  json=_new(submitting_unit, award, nominee_unit_id=team.id))
    assert response.status_code == 201
    assert response.get_json()["nominee_unit"]["id"] == team.id


def test_a_person_of_another_unit_is_refused_like_one_that_does_not_exist(
        as_user, session, award, submitter, submitting_unit, make_person, other_unit):
    stranger = make_person("Lê Văn Khác", unit=other_unit)
    call = as_user(submitter)
    hidden = call("POST", "/api/v1/dossiers",
                  json=_new(submitting_unit, award, nominee_person_id=stranger.id))
    missing = call("POST", "/api/v1/dossiers",
                   json=_new(submitting_unit, award, nominee_person_id=999_999))
    assert hidden.status_code == missing.status_code == 422
    assert hidden.get_json() == missing.get_json()
    assert hidden.get_json()["error"]["details"][0]["loc"] == ["nominee_person_id"]
    assert _count(session) == 0


def test_field_errors_come_from_the_service_with_the_field_named(
        as_user, session, award, submitter, submitting_unit, nominee, make_unit):
    call = as_user(submitter, locale="en")
    future = call("POST", "/api/v1/dossiers", json=_new(
        submitting_unit, award, nominee_person_id=nominee.id, year=date.today().year + 1))
    assert future.status_code == 422 and error_code(future) == "validation_failed"
    assert future.get_json()["error"]["details"][0]["loc"] == ["year"]
    team = make_unit("Phòng A", parent=submitting_unit)
    both = call("POST", "/api/v1/dossiers", json=_new(
        submitting_unit, award, nominee_person_id=nominee.id, nominee_unit_id=team.id))
    assert both.status_code == 422
    assert "one nominee" in both.get_json()["error"]["message"]
    typed = call("POST", "/api/v1/dossiers", json=_new(
        submitting_unit, award, nominee_person_id=nominee.id, year="2024"))
    assert typed.status_code == 422
    assert _count(session) == 0


def test_only_submitters_of_the_unit_may_open_one(
        as_user, award, submitting_unit, nominee, reviewer, other_submitter, submitter):
    body = _new(submitting_unit, award, nominee_person_id=nominee.id)
    by_reviewer = as_user(reviewer)("POST", "/api/v1/dossiers", json=body)
    assert by_reviewer.status_code == 403 and error_code(by_reviewer) == "role_required"
    elsewhere = as_user(other_submitter)("POST", "/api/v1/dossiers", json=body)
    assert elsewhere.status_code == 422
    assert elsewhere.get_json()["error"]["details"][0]["loc"] == ["unit_id"]
    read_only = as_user(submitter, scope="read")("POST", "/api/v1/dossiers", json=body)
    assert read_only.status_code == 403 and error_code(read_only) == "insufficient_scope"


def test_an_edit_changes_only_the_fields_sent_bumps_the_version_and_is_audited(
        as_user, session, make_dossier, submitter):
    dossier = make_dossier(summary="Cũ")
    call = as_user(submitter)
    response = call("PATCH", f"/api/v1/dossiers/{dossier.id}",
                    json={"version": dossier.version, "title": "Tiêu đề mới"})
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    assert body["title"] == "Tiêu đề mới" and body["summary"] == "Cũ"
    assert body["version"] == dossier.version + 1
    [event] = events_of(session, dossier.id, "dossier.edited")
    assert event.data["changes"]["title"][1] == "Tiêu đề mới" and event.actor_id == submitter.id
    same = call("PATCH", f"/api/v1/dossiers/{dossier.id}",
                json={"version": body["version"], "title": "Tiêu đề mới"})
    assert same.status_code == 200 and same.get_json()["version"] == body["version"]
    assert len(events_of(session, dossier.id, "dossier.edited")) == 1
    stale = call("PATCH", f"/api/v1/dossiers/{dossier.id}",
                 json={"version": dossier.version, "title": "Lại"})
    assert stale.status_code == 409 and error_code(stale) == "stale_version"
    assert fresh(session, dossier.id).title == "Tiêu đề mới"


def test_an_edit_is_refused_once_sent_and_to_those_who_may_not(
        as_user, session, make_dossier, submitter, other_submitter, make_user, submitting_unit,
        other_unit):
    sent = make_dossier("submitted")
    call = as_user(submitter)
    refused = call("PATCH", f"/api/v1/dossiers/{sent.id}",
                   json={"version": sent.version, "title": "x"})
    assert refused.status_code == 409 and error_code(refused) == "not_editable"
    draft = make_dossier()
    hidden = as_user(other_submitter)("PATCH", f"/api/v1/dossiers/{draft.id}",
                                      json={"version": draft.version, "title": "x"})
    assert hidden.status_code == 404 and hidden.get_json()["error"]["code"] == "not_found"
    # Sees the dossier (a reader role over its unit) but submits for another unit only.
    onlooker = make_user("onlooker", roles=["submitter"], unit=other_unit)
    user_service.grant_role(session, onlooker, "signer", submitting_unit, actor=None)
    session.commit()
    forbidden = as_user(onlooker)("PATCH", f"/api/v1/dossiers/{draft.id}",
                                  json={"version": draft.version, "title": "x"})
    assert forbidden.status_code == 403 and error_code(forbidden) == "forbidden"
    assert fresh(session, draft.id).title == draft.title


def test_a_simplified_dossier_has_no_report_sections(as_user, make_dossier, submitter):
    dossier = make_dossier(workflow="simplified")
    response = as_user(submitter)("PATCH", f"/api/v1/dossiers/{dossier.id}", json={
        "version": dossier.version, "report_sections": [{"heading": "A", "body": "B"}]})
    assert response.status_code == 422
    assert response.get_json()["error"]["details"][0]["loc"] == ["report_sections"]


def test_a_new_user_script_opens_completes_and_submits_a_dossier_with_the_api_alone(
        as_user, session, award, submitter, submitting_unit, nominee, reviewer_a):
    call = as_user(submitter)
    created = call("POST", "/api/v1/dossiers", json=_new(
        submitting_unit, award, nominee_person_id=nominee.id, summary="Hoàn thành xuất sắc."))
    dossier = created.get_json()
    assert [a for a in dossier["actions"] if a["trigger"] == "submit"][0]["blocked_by"]
    for doc_type in ("TO_TRINH", "BAO_CAO_THANH_TICH"):
        uploaded = call("POST", f"/api/v1/dossiers/{dossier['id']}/documents",
                        data={"doc_type": doc_type, "file": (io.BytesIO(PDF), "a.pdf")},
                        content_type="multipart/form-data")
        assert uploaded.status_code == 201, uploaded.get_data(as_text=True)
    ready = call("GET", f"/api/v1/dossiers/{dossier['id']}").get_json()
    assert ready["missing"] == [] and ready["version"] == dossier["version"] + 2
    submit = next(a for a in ready["actions"] if a["trigger"] == "submit")
    assert submit["blocked_by"] is None
    sent = call("POST", f"/api/v1/dossiers/{dossier['id']}/transitions/submit",
                json={"version": ready["version"]})
    assert sent.status_code == 200 and sent.get_json()["state"] == "submitted"
    assert fresh(session, dossier["id"]).state == "submitted"
    queue = as_user(reviewer_a)("GET", "/api/v1/review/queue").get_json()
    assert [item["id"] for item in queue["items"]] == [dossier["id"]]
