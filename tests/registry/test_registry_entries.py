"""Entering registry rows by hand: an award, a rating, an initiative — validated, audited,
scoped to the officer's units, counted by eligibility like imported rows."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from tests.support.helpers import csrf_token, login_as
from workflow_app.eligibility.service.evaluate import evaluate
from workflow_app.models.audit import AuditEvent
from workflow_app.models.registry import AwardRecord, Initiative, PerformanceRating, UnitRating
from workflow_app.registry.service import entries
from workflow_app.registry.service.entries import EntryError, Recipient
from workflow_app.workflow import Forbidden


@pytest.fixture
def setup(shipped_catalogue, session, make_unit, root_unit, make_person, make_user):
    mine = make_unit("Cục Con nuôi", parent=root_unit, code="CCN")
    other = make_unit("Cục Khác", parent=root_unit, code="CK")
    person = make_person("Nguyễn Thị Nhập", unit=mine)
    officer = make_user("reviewer-ccn", roles=["reviewer"], unit=mine, locale="en")
    return mine, other, person, officer


def _award(prefix="award", **changes) -> dict:
    data = {"award_code": "CSTDCS", "year": "2024", "decision_number": "45/QĐ-CCN",
            "decision_date": "2024-12-20", "issuer": "Cục Con nuôi"}
    data.update(changes)
    return {f"{prefix}-{k}": v for k, v in data.items()}


def test_officer_enters_an_award_counted_by_eligibility(app, client, session, setup):
    mine, _other, person, officer = setup
    login_as(app, client, officer)
    page = f"/registry/persons/{person.id}"
    html = client.get(page).get_data(as_text=True)
    assert 'data-testid="entry-forms"' in html and 'name="award-award_code"' in html
    token = csrf_token(client, page)
    response = client.post(f"{page}/entries/award", data={**_award(), "award-csrf_token": token})
    assert response.status_code == 303
    entry = session.scalar(select(AwardRecord))
    assert (entry.source, entry.award_code, entry.year, entry.person_id) == (
        "manual", "CSTDCS", 2024, person.id)
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "registry.entered"))
    assert event.actor_id == officer.id and event.data["decision_number"] == "45/QĐ-CCN"
    assert 'data-award="CSTDCS" data-year="2024"' in client.get(page).get_data(as_text=True)
    with app.test_request_context(), force_locale("en"):
        [rule, *_rest] = evaluate(session, person, "CSTD_BO", 2024, date(2025, 1, 10))
    assert "in 2024 — 2022, 2023 missing" in rule.explanation  # counted like an import

    again = client.post(f"{page}/entries/award", data={**_award(), "award-csrf_token": token})
    assert again.status_code == 422
    assert "Already in the registry" in again.get_data(as_text=True)
    for bad in (_award(decision_date="2099-01-01"), _award(award_code="NOPE"),
                _award(award_code="TTLDXS"), _award(year="1800"), _award(decision_number="")):
        refused = client.post(f"{page}/entries/award", data={**bad, "award-csrf_token": token})
        assert refused.status_code == 422
    assert session.scalar(select(func.count()).select_from(AwardRecord)) == 1


def test_ratings_and_initiatives_are_entered_once(app, client, session, setup):
    mine, _other, person, officer = setup
    login_as(app, client, officer)
    page = f"/registry/persons/{person.id}"
    token = csrf_token(client, page)
    rating = {"rating-year": "2024", "rating-rating": "excellent", "rating-csrf_token": token}
    assert client.post(f"{page}/entries/rating", data=rating).status_code == 303
    assert client.post(f"{page}/entries/rating", data=rating).status_code == 422
    assert session.scalar(select(PerformanceRating.rating)) == "excellent"
    initiative = {"initiative-year": "2024", "initiative-title": "Số hoá hồ sơ con nuôi",
                  "initiative-kind": "initiative", "initiative-scope": "ministry",
                  "initiative-recognised_by": "Hội đồng sáng kiến Bộ",
                  "initiative-csrf_token": token}
    assert client.post(f"{page}/entries/initiative", data=initiative).status_code == 303
    repeated = {**initiative, "initiative-title": "  SỐ HOÁ hồ sơ   con nuôi "}
    assert client.post(f"{page}/entries/initiative", data=repeated).status_code == 422
    assert session.scalar(select(Initiative.scope)) == "ministry"

    unit_page = f"/registry/units/{mine.id}"
    unit_token = csrf_token(client, unit_page)
    assert client.post(f"{unit_page}/entries/rating", data={
        "rating-year": "2024", "rating-rating": "good",
        "rating-csrf_token": unit_token}).status_code == 303
    assert session.scalar(select(UnitRating.rating)) == "good"
    assert client.post(f"{unit_page}/entries/initiative",
                       data={"csrf_token": unit_token}).status_code == 404  # persons only
    actions = [e.data["kind"] for e in session.scalars(
        select(AuditEvent).where(AuditEvent.action == "registry.entered")
        .order_by(AuditEvent.seq))]
    assert actions == ["rating", "initiative", "rating"]


def test_entries_are_scoped_to_the_officers_units(app, client, session, setup, make_user,
                                                  make_person):
    mine, other, person, officer = setup
    stranger = make_person("Trần Văn Ngoài", unit=other)
    login_as(app, client, officer)
    assert client.get(f"/registry/persons/{stranger.id}").status_code == 404
    token = csrf_token(client, f"/registry/persons/{person.id}")
    assert client.post(f"/registry/persons/{stranger.id}/entries/rating", data={
        "rating-year": "2024", "rating-rating": "good",
        "rating-csrf_token": token}).status_code == 404
    assert client.post(f"/registry/units/{other.id}/entries/rating", data={
        "rating-year": "2024", "rating-rating": "good",
        "rating-csrf_token": token}).status_code == 403
    assert 'data-testid="entry-forms"' not in client.get(
        f"/registry/units/{other.id}").get_data(as_text=True)
    submitter = make_user("sub-ccn", roles=["submitter"], unit=mine)
    login_as(app, client, submitter)
    assert client.post(f"/registry/persons/{person.id}/entries/rating", data={
        "rating-year": "2024", "rating-rating": "good",
        "rating-csrf_token": token}).status_code == 403
    assert session.scalar(select(func.count()).select_from(PerformanceRating)) == 0


def test_service_refuses_wrong_subject_and_outsiders(app, session, setup, make_user):
    mine, other, person, officer = setup
    today = date(2025, 1, 10)
    with pytest.raises(EntryError):
        entries.add_award(session, officer, Recipient(unit=mine), award_code="LDTT", year=2024,
                          decision_number="1/QĐ-X", decision_date=today, issuer="", today=today)
    outsider = make_user("reviewer-ck", roles=["reviewer"], unit=other)
    with pytest.raises(Forbidden):
        entries.add_rating(session, outsider, Recipient(person=person), year=2024,
                           rating="good", today=today)
    session.rollback()
    assert session.scalar(select(func.count()).select_from(AwardRecord)) == 0
