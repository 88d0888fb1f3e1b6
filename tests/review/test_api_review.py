"""The reviewer's work over the API: the appraisal queue (scoped, most urgent first, paged by
key), the checklist (read, save: audited once per change), public-disclosure comments and
answers to objections — scoped like the review pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.support.api_fixtures import error_code
from tests.support.dossier_factories import events_of, fresh
from workflow_app.disclosure.service.comments import add_comment
from workflow_app.models.base import utcnow
from workflow_app.models.disclosure import DisclosureComment
from workflow_app.workflow import fire

CLIENT = "a" * 64


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.get_data(as_text=True)
    return [item["id"] for item in response.get_json()["items"]]


def test_the_queue_holds_the_units_sent_dossiers_most_urgent_first_paged_by_key(
        as_user, make_dossier, reviewer_a, province_b, submitter_b):
    now = utcnow()
    oldest = make_dossier("submitted", now=now - timedelta(days=40))
    middle = make_dossier("submitted", now=now - timedelta(days=3))
    newest = make_dossier("in_appraisal", now=now)
    make_dossier()  # a draft: the submitter's working copy
    make_dossier("submitted", unit=province_b, creator=submitter_b)  # another province
    call = as_user(reviewer_a)
    everything = call("GET", "/api/v1/review/queue").get_json()
    order = [item["id"] for item in everything["items"]]
    assert sorted(order) == sorted([oldest.id, middle.id, newest.id])
    assert order[0] == oldest.id and everything["items"][0]["clock"]["is_overdue"]
    assert everything["total"] == 3 and everything["overdue"] >= 1
    assert everything["counts"] == {"submitted": 2, "in_appraisal": 1}
    first = call("GET", "/api/v1/review/queue?limit=2").get_json()
    second = call("GET", f"/api/v1/review/queue?limit=2&cursor={first['next_cursor']}")
    assert _ids(second) == order[2:] and second.get_json()["next_cursor"] is None
    assert [i["id"] for i in first["items"]] == order[:2]
    assert _ids(call("GET", "/api/v1/review/queue?state=in_appraisal")) == [newest.id]


def test_queue_filters_never_widen_the_scope_and_others_get_403(
        as_user, make_dossier, reviewer_a, root_unit, province_b, submitter_b, submitter):
    mine = make_dossier("submitted")
    make_dossier("submitted", unit=province_b, creator=submitter_b)
    make_dossier()
    call = as_user(reviewer_a)
    assert _ids(call("GET", "/api/v1/review/queue?state=draft")) == []
    assert _ids(call("GET", f"/api/v1/review/queue?unit_id={province_b.id}")) == []
    assert _ids(call("GET", f"/api/v1/review/queue?unit_id={root_unit.id}")) == [mine.id]
    assert _ids(call("GET", "/api/v1/review/queue?unit_id=999999")) == []
    bad = call("GET", "/api/v1/review/queue?overdue=perhaps")
    assert bad.status_code == 400 and error_code(bad) == "invalid_query"
    refused = as_user(submitter)("GET", "/api/v1/review/queue")
    assert refused.status_code == 403 and error_code(refused) == "role_required"


def test_the_checklist_is_read_and_saved_once_per_change(
        as_user, session, make_dossier, reviewer_a, reviewer_b):
    dossier = make_dossier("submitted")
    url = f"/api/v1/review/dossiers/{dossier.id}/checklist"
    call = as_user(reviewer_a)
    checklist = call("GET", url).get_json()
    codes = {item["code"]: item for item in checklist["items"]}
    assert codes["DOC:TO_TRINH"]["document_present"] is True
    assert "GEN:authority" in codes and not checklist["closed"]
    body = {"items": [{"code": "DOC:TO_TRINH", "checked": True, "note": "Đủ chữ ký"}]}
    saved = call("PUT", url, json=body)
    assert saved.status_code == 200, saved.get_data(as_text=True)
    item = next(i for i in saved.get_json()["items"] if i["code"] == "DOC:TO_TRINH")
    assert item["checked"] and item["note"] == "Đủ chữ ký" and item["updated_by"]
    assert saved.get_json()["changed"] == ["DOC:TO_TRINH"]
    assert call("PUT", url, json=body).get_json()["changed"] == []
    [event] = events_of(session, dossier.id, "review.checklist_saved")
    assert event.actor_id == reviewer_a.id
    unknown = call("PUT", url, json={"items": [{"code": "GEN:nope", "checked": True}]})
    assert unknown.status_code == 422 and error_code(unknown) == "input_invalid"
    assert as_user(reviewer_b)("GET", url).status_code == 404
    read_only = as_user(reviewer_a, scope="read")("PUT", url, json=body)
    assert read_only.status_code == 403 and error_code(read_only) == "insufficient_scope"
    draft = make_dossier()
    assert call("GET", f"/api/v1/review/dossiers/{draft.id}/checklist").status_code == 404


@pytest.fixture
def disclosed(tx, make_dossier, make_award, reviewer_a):
    """Under public disclosure since today, with an objection and a comment."""
    dossier = make_dossier("in_appraisal", award=make_award(disclosure=True, disclosure_days=10))
    fire(tx, dossier, "open_disclosure", tx.merge(reviewer_a))
    add_comment(tx, dossier, kind="objection", body="Chưa đúng thành tích", client=CLIENT,
                author_name="Người dân", author_contact="0900000000")
    add_comment(tx, dossier, kind="comment", body="Ủng hộ", client=CLIENT)
    tx.commit()
    return dossier


def test_reviewers_read_the_comments_and_answer_an_objection_once(
        as_user, session, tx, disclosed, reviewer_a, reviewer_b, submitter):
    dossier_id = disclosed.id
    tx.rollback()
    call = as_user(reviewer_a)
    page = call("GET", f"/api/v1/review/dossiers/{dossier_id}/comments").get_json()
    assert page["disclosure"]["window_open"] and page["disclosure"]["open_objection_count"] == 1
    objection, comment = page["items"]
    assert objection["kind"] == "objection" and objection["author_contact"] == "0900000000"
    assert _ids(call("GET", f"/api/v1/review/dossiers/{dossier_id}/comments?unanswered=true")
                ) == [objection["id"]]
    url = f"/api/v1/review/dossiers/{dossier_id}/objections/{objection['id']}/answer"
    answered = call("POST", url, json={"answer": "Đã xác minh, thành tích đúng."})
    assert answered.status_code == 200, answered.get_data(as_text=True)
    assert answered.get_json()["answer"] == "Đã xác minh, thành tích đúng."
    assert fresh(session, dossier_id).open_objection_count == 0
    [event] = events_of(session, dossier_id, "disclosure.objection_answered")
    assert event.actor_id == reviewer_a.id
    again = call("POST", url, json={"answer": "Lần nữa"})
    assert again.status_code == 409 and error_code(again) == "already_answered"
    not_objection = call("POST", f"/api/v1/review/dossiers/{dossier_id}/objections/"
                                 f"{comment['id']}/answer", json={"answer": "x"})
    assert not_objection.status_code == 422 and error_code(not_objection) == "input_invalid"
    elsewhere = call("POST", f"/api/v1/review/dossiers/{dossier_id}/objections/999999/answer",
                     json={"answer": "x"})
    assert elsewhere.status_code == 404
    empty = call("POST", url, json={"answer": ""})
    assert empty.status_code == 422
    hidden = as_user(reviewer_b)("GET", f"/api/v1/review/dossiers/{dossier_id}/comments")
    assert hidden.status_code == 404 and "Người dân" not in hidden.get_data(as_text=True)
    refused = as_user(submitter)("GET", f"/api/v1/review/dossiers/{dossier_id}/comments")
    assert refused.status_code == 403 and error_code(refused) == "role_required"
    assert session.scalar(select(DisclosureComment).where(
        DisclosureComment.id == comment["id"])).answer is None


def test_the_public_list_shows_what_the_public_page_shows(
        as_user, tx, disclosed, make_dossier, submitter_b):
    dossier_id, nominee = disclosed.id, disclosed.nominee_name
    other = make_dossier("in_appraisal")
    tx.rollback()
    call = as_user(submitter_b)  # any signed-in user, any unit
    listed = call("GET", "/api/v1/disclosures").get_json()
    assert [item["dossier_id"] for item in listed["items"]] == [dossier_id]
    item = listed["items"][0]
    assert item["nominee_name"] == nominee and item["window_open"]
    assert "author_contact" not in str(listed) and "0900000000" not in str(listed)
    assert call("GET", f"/api/v1/disclosures/{dossier_id}").get_json() == item
    assert call("GET", f"/api/v1/disclosures/{other.id}").status_code == 404
