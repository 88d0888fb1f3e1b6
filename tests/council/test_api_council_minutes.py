"""Minutes over the API, as the minutes pages: the draft and the frozen content, DOCX and PDF
downloads with their types, the chair's sign-off (numbered, audited, once), and the check
against the audit trail naming a tampered line; another unit's minutes are a 404."""

from __future__ import annotations

import copy
import hashlib

import pytest
from sqlalchemy import select, update

from tests.support.api_fixtures import error_code
from tests.support.council_api_helpers import assert_hidden, body, count, events, make_outsider
from tests.support.factories import REAUTH
from workflow_app.models.council_minutes import CouncilMinutes

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def outsider(make_user, other_unit):
    return make_outsider(make_user, other_unit)


@pytest.fixture
def closed_session(tx, voted_session):
    kit, meeting_, _round = voted_session(close=True)
    tx.commit()
    return kit, meeting_


def test_the_chair_signs_off_the_minutes_once_and_they_freeze(call_as, session,
                                                              closed_session):
    kit, meeting_ = closed_session
    base = f"/api/v1/council/sessions/{meeting_.id}/minutes"
    member = call_as(kit.members[1].user)
    draft = body(member("GET", base))
    assert draft["signed"] is False and draft["all_rounds_closed"] is True
    content = draft["content"]
    assert content["number"] is None and content["rounds"][0]["ballot_count"] == 5
    assert [m["attendance"] for m in content["members"]].count("absent_written_vote") == 1
    assert content["items"][0]["recusals"][0]["status"] == "accepted"

    docx = member("GET", f"{base}/docx")
    assert docx.status_code == 200 and docx.mimetype == DOCX and docx.data[:2] == b"PK"
    pdf = member("GET", f"{base}/pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.data.startswith(b"%PDF")

    refused = member("POST", f"{base}/sign", json=REAUTH)
    assert refused.status_code == 403 and error_code(refused) == "role_required"
    chair = call_as(kit.chair)
    wrong = chair("POST", f"{base}/sign", json={"password": "not-my-password"})
    assert wrong.status_code == 422 and error_code(wrong) == "reauth_failed"
    assert count(session, CouncilMinutes) == 0
    signed = body(chair("POST", f"{base}/sign", json=REAUTH), 201)
    assert signed["signed"] and signed["reference"] == "01/BB-HĐTĐKT"
    assert signed["content"]["number"]["reference"] == "01/BB-HĐTĐKT"
    [event] = events(session, "council.minutes_signed")
    assert event.actor_id == kit.chair.id and event.data["pdf_sha256"] == signed["pdf_sha256"]
    again = chair("POST", f"{base}/sign", json=REAUTH)
    assert again.status_code == 409 and error_code(again) == "council_error"
    assert count(session, CouncilMinutes) == 1

    frozen_pdf = member("GET", f"{base}/pdf")
    assert hashlib.sha256(frozen_pdf.data).hexdigest() == signed["pdf_sha256"]
    assert body(member("GET", base))["content"] == signed["content"]


def test_verification_names_a_tampered_line(call_as, session, closed_session):
    kit, meeting_ = closed_session
    base = f"/api/v1/council/sessions/{meeting_.id}/minutes"
    chair = call_as(kit.chair)
    unsigned = body(chair("GET", f"{base}/verify"))
    assert unsigned["signed"] is False and unsigned["ok"] is False
    body(chair("POST", f"{base}/sign", json=REAUTH), 201)
    clean = body(chair("GET", f"{base}/verify"))
    assert clean["ok"] and {c["code"] for c in clean["checks"]} >= {"signature", "files",
                                                                    "tallies"}
    row = session.scalar(select(CouncilMinutes))
    content = copy.deepcopy(row.content)
    content["items"][0]["tally"]["agree"] += 1
    session.execute(update(CouncilMinutes).where(CouncilMinutes.id == row.id)
                    .values(content=content))
    tampered = body(call_as(kit.secretary)("GET", f"{base}/verify"))
    assert tampered["ok"] is False
    failing = {c["code"]: c["problems"] for c in tampered["checks"] if not c["ok"]}
    assert "tallies" in failing and failing["tallies"]
    member = call_as(kit.members[1].user)
    refused = member("GET", f"{base}/verify")
    assert refused.status_code == 403 and error_code(refused) == "role_required"


def test_another_units_minutes_are_hidden(tx, call_as, session, closed_session, outsider):
    kit, meeting_ = closed_session
    title = meeting_.items[0].dossier.title
    tx.commit()
    base = f"/api/v1/council/sessions/{meeting_.id}/minutes"
    api = call_as(outsider)
    for url in (base, f"{base}/docx", f"{base}/pdf", f"{base}/verify"):
        assert_hidden(api("GET", url), title)
    assert_hidden(api("POST", f"{base}/sign", json=REAUTH), title)
    assert count(session, CouncilMinutes) == 0
