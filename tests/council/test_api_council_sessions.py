"""Council sessions over the API, as the session pages: the secretary schedules, builds the
agenda, records attendance, records a quota decision and ends the session (each audited);
members read the session and declare conflicts, the chair decides them; another unit's
session is a 404 with no data; refusals are JSON with a reason and write nothing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.support.api_fixtures import error_code
from tests.support.council_api_helpers import assert_hidden, body, count, events, make_outsider
from workflow_app.models.audit import AuditEvent
from workflow_app.models.catalogue import Award
from workflow_app.models.council import AgendaItem, Attendance, CouncilSession, Recusal
from workflow_app.models.dossier import Dossier
from workflow_app.models.eligibility import QuotaException

QUOTA = {"kind": "share_of", "award": "BASE_Q", "max": "1/2", "configurable": True}


@pytest.fixture
def outsider(make_user, other_unit):
    return make_outsider(make_user, other_unit)


@pytest.fixture
def council_kit(tx, make_council, council_dossier):
    """(kit, dossier, member ids): three voting members, one dossier awaiting the council."""
    kit = make_council(3)
    dossier = council_dossier()
    member_ids = [m.id for m in kit.members]
    tx.commit()
    return kit, dossier, member_ids


def test_the_secretary_schedules_builds_the_agenda_records_attendance_and_ends(
        call_as, session, council_kit):
    kit, dossier, member_ids = council_kit
    api = call_as(kit.secretary)
    made = body(api("POST", "/api/v1/council/sessions", json={
        "council_id": kit.council.id, "held_on": date.today().isoformat(),
        "place": "Phòng họp 1", "title": "Phiên họp xét Cờ thi đua"}), 201)
    assert made["is_secretary"] and made["items"] == [] and made["quorum"]["met"] is False
    assert events(session, "council.session_scheduled")[0].actor_id == kit.secretary.id
    base = f"/api/v1/council/sessions/{made['id']}"

    eligible = body(api("GET", f"{base}/eligible-dossiers"))
    assert [d["id"] for d in eligible["items"]] == [dossier.id]
    item = body(api("POST", f"{base}/items", json={"dossier_id": dossier.id}), 201)
    assert item["dossier"]["id"] == dossier.id and item["round_id"] is None
    assert "1/2" in item["rule_text"]
    stored = session.get(Dossier, dossier.id)
    assert stored.council_scheduled_on == date.today() and stored.version == dossier.version + 1
    assert events(session, "council.item_added")[0].data["dossier_id"] == dossier.id

    present = body(api("PUT", f"{base}/attendance", json={
        "members": [{"member_id": m, "status": "present"} for m in member_ids]}))
    assert {a["status"] for a in present["attendance"]} == {"present"}
    assert present["quorum"]["present_count"] == 3 and present["quorum"]["met"]
    # The three voting seats, and the secretary's own non-voting seat recorded present.
    recorded = events(session, "council.attendance_recorded")
    assert len(recorded) == 4
    [own] = [a for a in present["attendance"] if not a["voting"]]
    assert own["role"] == "secretary" and own["status"] == "present"
    assert own["member_id"] not in member_ids

    removed = body(api("DELETE", f"/api/v1/council/items/{item['id']}"))
    assert removed["items"] == []
    assert session.get(Dossier, dossier.id).council_scheduled_on is None
    assert len(events(session, "council.item_removed")) == 1

    ended = body(api("POST", f"{base}/end"))
    assert ended["ended_at"] is not None
    assert events(session, "council.session_ended")[0].subject_id == str(made["id"])
    again = api("POST", f"{base}/end")
    assert again.status_code == 409 and error_code(again) == "council_error"


def test_members_read_their_session_and_declare_a_conflict_the_chair_decides(
        call_as, session, council_kit, meeting):
    kit, dossier, _ids = council_kit
    meeting_ = meeting(kit, [dossier])
    [item_id] = [i.id for i in meeting_.items]
    member = kit.members[1]
    api = call_as(member.user)
    listed = body(api("GET", "/api/v1/council/sessions"))
    assert [s["id"] for s in listed["items"]] == [meeting_.id]
    seen = body(api("GET", f"/api/v1/council/sessions/{meeting_.id}"))
    assert seen["is_secretary"] is False and seen["quorum"] is None
    assert seen["my_seat"] == {"member_id": member.id, "role": "member", "voting": True,
                               "has_paper": False, "voted": False}
    assert [a["status"] for a in seen["attendance"] if a["voting"]] == ["present"] * 3
    assert seen["items"][0]["dossier"]["nominee"] == dossier.nominee_name

    declared = body(api("POST", f"/api/v1/council/items/{item_id}/conflicts",
                        json={"reason": "Người thân của người được đề nghị"}), 201)
    [entry] = declared["recusals"]
    assert (entry["member_id"], entry["status"], entry["kind"]) == \
        (member.id, "pending", "declared")
    twice = api("POST", f"/api/v1/council/items/{item_id}/conflicts", json={"reason": "x"})
    assert twice.status_code == 409 and error_code(twice) == "council_error"
    refused = api("POST", f"/api/v1/council/recusals/{entry['id']}/decision",
                  json={"decision": "accept"})
    assert refused.status_code == 403 and error_code(refused) == "role_required"

    decided = body(call_as(kit.chair)("POST", f"/api/v1/council/recusals/{entry['id']}/decision",
                                      json={"decision": "accept"}))
    assert decided["recusals"][0]["status"] == "accepted"
    assert session.get(Recusal, entry["id"]).decided_by_id == kit.chair.id
    assert events(session, "council.conflict_decided")[0].data["status"] == "accepted"


def test_a_member_cannot_do_the_secretarys_work(call_as, session, council_kit, meeting):
    kit, dossier, member_ids = council_kit
    meeting_ = meeting(kit, [], present=[])
    base = f"/api/v1/council/sessions/{meeting_.id}"
    chair = call_as(kit.chair)
    for method, url, payload in [
            ("POST", f"{base}/items", {"dossier_id": dossier.id}),
            ("PUT", f"{base}/attendance", {"members": [{"member_id": member_ids[0],
                                                        "status": "present"}]}),
            ("POST", f"{base}/end", None)]:
        response = chair(method, url, json=payload)
        assert response.status_code == 403 and error_code(response) == "role_required", url
    assert count(session, AgendaItem) == 0 and count(session, Attendance) == 0


def test_another_units_session_is_hidden(tx, call_as, council_kit, meeting, outsider):
    kit, dossier, member_ids = council_kit
    meeting_ = meeting(kit, [dossier])
    [item_id] = [i.id for i in meeting_.items]
    tx.commit()
    api = call_as(outsider)
    assert body(api("GET", "/api/v1/council/sessions"))["items"] == []
    base = f"/api/v1/council/sessions/{meeting_.id}"
    assert_hidden(api("GET", base), dossier.title, "Phòng họp")
    assert_hidden(api("GET", f"{base}/eligible-dossiers"), dossier.title)
    assert_hidden(api("DELETE", f"/api/v1/council/items/{item_id}"), dossier.title)
    assert_hidden(api("PUT", f"{base}/attendance", json={
        "members": [{"member_id": member_ids[0], "status": "absent"}]}))
    assert_hidden(api("POST", f"/api/v1/council/items/{item_id}/conflicts",
                      json={"reason": "x"}), dossier.title)
    scheduled = api("POST", "/api/v1/council/sessions", json={
        "council_id": kit.council.id, "held_on": "2025-01-01"})
    assert scheduled.status_code == 422 and error_code(scheduled) == "invalid_input"
    assert kit.council.name not in scheduled.get_data(as_text=True)


@pytest.mark.parametrize("payload, status, code", [
    ({"members": [{"member_id": 999999, "status": "present"}]}, 422, "invalid_input"),
    ({"members": [{"member_id": 0, "status": "present"}]}, 422, "validation_failed"),
    ({"members": [{"member_id": 1, "status": "late"}]}, 422, "validation_failed"),
    ({"members": []}, 422, "validation_failed"),
    ("MEMBER-written", 409, "council_error"),  # no item allows written votes
    ("MEMBER-twice", 422, "invalid_input"),
])
def test_bad_attendance_is_refused_with_a_reason_and_nothing_written(
        call_as, session, council_kit, meeting, payload, status, code):
    kit, dossier, member_ids = council_kit
    meeting_ = meeting(kit, [dossier], present=[])
    if payload == "MEMBER-written":
        payload = {"members": [{"member_id": member_ids[0], "status": "present"},
                               {"member_id": member_ids[1], "status": "absent_written_vote"}]}
    elif payload == "MEMBER-twice":
        payload = {"members": [{"member_id": member_ids[0], "status": "present"}] * 2}
    api = call_as(kit.secretary)
    before = count(session, Attendance), count(session, AuditEvent)
    response = api("PUT", f"/api/v1/council/sessions/{meeting_.id}/attendance", json=payload)
    assert response.status_code == status and error_code(response) == code
    assert (count(session, Attendance), count(session, AuditEvent)) == before


def test_a_flagged_quota_needs_the_recorded_decision(tx, call_as, session, make_council,
                                                      council_dossier, meeting, vote_award):
    award = vote_award()
    tx.get(Award, award.id).versions[0].quota = dict(QUOTA)
    tx.commit()
    kit = make_council(3)
    dossier = council_dossier(award=award)
    meeting_ = meeting(kit, [dossier])
    api = call_as(kit.secretary)
    base = f"/api/v1/council/sessions/{meeting_.id}"
    [flag] = body(api("GET", base))["quota_flags"]
    assert flag["blocked"] and flag["on_agenda"] == [dossier.id]
    decision = {"unit_id": flag["unit"]["id"], "award_code": flag["award_code"],
                "year": flag["year"]}
    wrong = api("POST", f"{base}/quota-decisions", json={**decision, "award_code": "LDTT",
                                                          "reason": "x"})
    assert wrong.status_code == 409 and error_code(wrong) == "quota_not_flagged"
    assert count(session, QuotaException) == 0
    done = body(api("POST", f"{base}/quota-decisions",
                    json={**decision, "reason": "Chủ tịch Hội đồng cho phép vượt"}), 201)
    assert done["quota_flags"][0]["exception_reason"] == "Chủ tịch Hội đồng cho phép vượt"
    assert not done["quota_flags"][0]["blocked"]
    [event] = events(session, "quota.exception_recorded")
    assert event.actor_id == kit.secretary.id and event.data["council_session_id"] == meeting_.id


def test_a_read_token_cannot_schedule(call_as, session, council_kit):
    kit, _dossier, _ids = council_kit
    refused = call_as(kit.secretary, scope="read")("POST", "/api/v1/council/sessions", json={
        "council_id": kit.council.id, "held_on": "2025-01-01"})
    assert refused.status_code == 403 and error_code(refused) == "insufficient_scope"
    assert session.scalar(select(CouncilSession.id)) is None


def test_my_sessions_are_key_paginated_newest_first(call_as, council_kit, meeting):
    kit, _dossier, _ids = council_kit
    made = [meeting(kit, [], present=[]).id for _ in range(3)]
    api = call_as(kit.members[1].user)
    first = body(api("GET", "/api/v1/council/sessions?limit=2"))
    assert [s["id"] for s in first["items"]] == made[::-1][:2] and first["next_cursor"]
    second = body(api("GET", f"/api/v1/council/sessions?limit=2&cursor={first['next_cursor']}"))
    assert [s["id"] for s in second["items"]] == [made[0]] and second["next_cursor"] is None
    bad = api("GET", "/api/v1/council/sessions?cursor=nonsense")
    assert bad.status_code == 400 and error_code(bad) == "invalid_cursor"
