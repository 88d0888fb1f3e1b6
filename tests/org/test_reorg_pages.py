"""Reorganisations through the admin pages (preview, then apply; reverse), the API, the
unit page's history, and the registry showing a 2018 award under the name of 2018 with
today's beside it (issue 19 items 1, 6)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.support.api_fixtures import error_code
from tests.support.helpers import login_as, post_form
from tests.support.registry_data import give
from workflow_app.models import OrgEvent, OrgUnit
from workflow_app.org.service import reorg

NEW = "/admin/reorganisations/new"


@pytest.fixture
def provinces(make_unit, root_unit):
    qb = make_unit("Sở Tư pháp tỉnh Quảng Bình", kind="provincial_justice", parent=root_unit)
    qt = make_unit("Sở Tư pháp tỉnh Quảng Trị", kind="provincial_justice", parent=root_unit)
    return qb, qt


@pytest.fixture
def admin_client(app, client, make_user):
    login_as(app, client, make_user("root", roles=["admin"]))
    return client


def _merger_form(qb, qt, **extra) -> dict:
    return {"kind": "merged", "unit_ids": [str(qb.id)], "successor_ids": [str(qt.id)],
            "new_parent_id": "0", "effective_date": "01/07/2025",
            "decision_number": "12/QĐ-UBND", "decision_date": "20/06/2025",
            "decision_issuer": "UBND tỉnh Quảng Trị", "grants_choice": "", **extra}


def _events(session) -> int:
    return session.scalar(select(func.count(OrgEvent.id)))


def test_admin_previews_then_applies_a_merger(admin_client, session, provinces, make_user):
    qb, qt = provinces
    make_user("officer-qb", roles=["submitter"], unit=qb)
    page = post_form(admin_client, NEW, {**_merger_form(qb, qt), "action": "preview"})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and 'data-testid="reorg-apply"' not in html
    assert "officer-qb" in html or "reorg-problems" in html  # the grant must be decided
    assert _events(session) == 0

    page = post_form(admin_client, NEW, {**_merger_form(qb, qt, grants_choice="move"),
                                         "action": "preview"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'data-testid="reorg-apply"' in html
    assert "Sở Tư pháp tỉnh Quảng Bình" in html and _events(session) == 0

    done = post_form(admin_client, NEW, {**_merger_form(qb, qt, grants_choice="move"),
                                         "action": "apply"}, token_from=NEW)
    assert done.status_code == 302 and _events(session) == 1
    session.expire_all()
    assert session.get(OrgUnit, qb.id).valid_to == date(2025, 7, 1)
    listing = admin_client.get("/admin/reorganisations").get_data(as_text=True)
    assert 'data-kind="merged"' in listing and "12/QĐ-UBND" in listing


def test_a_bad_merger_is_refused_on_the_page_with_its_reason(admin_client, session,
                                                             provinces):
    qb, _qt = provinces
    page = post_form(admin_client, NEW, {**_merger_form(qb, qb), "action": "apply"})
    assert page.status_code == 422
    assert "into itself" in page.get_data(as_text=True) or "chính nó" in page.get_data(
        as_text=True)
    assert _events(session) == 0


def test_admin_reverses_from_the_list(admin_client, session, provinces):
    qb, qt = provinces
    event = reorg.apply(session, reorg.Change(
        "merged", date(2025, 7, 1), "12/QĐ-UBND", date(2025, 6, 20), "UBND", [qb], [qt]))
    session.commit()
    response = post_form(admin_client, f"/admin/reorganisations/{event.id}/reverse",
                         {"reason": "Quyết định bị hủy"}, token_from="/admin/reorganisations")
    assert response.status_code == 302
    session.expire_all()
    assert session.get(OrgUnit, qb.id).valid_to is None
    assert session.get(OrgEvent, event.id).is_reversed


def test_unit_page_shows_its_life_and_the_registry_the_name_of_the_time(
        app, client, session, provinces, make_user):
    qb, qt = provinces
    give(session, "TTLDXS", 2018, unit=qb)
    reorg.apply(session, reorg.Change(
        "renamed", date(2024, 1, 1), "5/QĐ-UBND", date(2023, 12, 1), "UBND", [qb],
        new_name="Sở Tư pháp Quảng Bình (tên 2024)"))
    reorg.apply(session, reorg.Change(
        "merged", date(2025, 7, 1), "12/QĐ-UBND", date(2025, 6, 20), "UBND", [qb], [qt]))
    session.commit()
    login_as(app, client, make_user("reader", roles=["reviewer"]))
    page = client.get(f"/org/units/{qb.id}").get_data(as_text=True)
    assert 'data-testid="unit-closed"' in page and 'data-testid="unit-events"' in page
    assert "30/06/2025" in page  # its last day
    assert "Sở Tư pháp tỉnh Quảng Trị" in page  # continued by
    registry = client.get(f"/registry/units/{qt.id}").get_data(as_text=True)
    assert 'data-testid="predecessor-awards"' in registry
    # The 2018 award under the name of 2018, today's name beside it.
    assert "Sở Tư pháp tỉnh Quảng Bình" in registry and 'data-testid="name-then"' in registry


def test_api_previews_applies_refuses_and_reads_the_history(call_as, make_user, session,
                                                            provinces):
    qb, qt = provinces
    admin = call_as(make_user("api-admin", roles=["admin"]))
    body = {"kind": "merged", "unit_ids": [qb.id], "successor_ids": [qt.id],
            "effective_date": "2025-07-01", "decision_number": "12/QĐ-UBND",
            "decision_date": "2025-06-20", "decision_issuer": "UBND tỉnh Quảng Trị"}
    preview = admin("POST", "/api/v1/reorganisations/preview", json=body)
    assert preview.status_code == 200, preview.get_data(as_text=True)
    assert preview.get_json()["ok"] and preview.get_json()["closing"][0]["id"] == qb.id
    refused = admin("POST", "/api/v1/reorganisations", json={**body, "successor_ids": [qb.id]})
    assert refused.status_code == 409 and error_code(refused) == "rule_broken"
    assert _events(session) == 0
    applied = admin("POST", "/api/v1/reorganisations", json=body)
    assert applied.status_code == 201, applied.get_data(as_text=True)
    event_id = applied.get_json()["id"]
    life = admin("GET", f"/api/v1/units/{qb.id}/history?on=2020-01-01").get_json()
    assert life["valid_to"] == "2025-07-01" and life["name_on"] == "Sở Tư pháp tỉnh Quảng Bình"
    assert [s["id"] for s in life["successors"]] == [qt.id]
    assert [e["id"] for e in life["events"]] == [event_id]
    again = admin("POST", "/api/v1/reorganisations", json=body)
    assert again.status_code == 409  # a closed unit cannot be merged again
    reversal = admin("POST", f"/api/v1/reorganisations/{event_id}/reversal",
                     json={"reason": "Nhập nhầm"})
    assert reversal.status_code == 201 and reversal.get_json()["reverses_id"] == event_id


def test_only_admins_reorganise_over_the_api(call_as, make_user, provinces):
    qb, qt = provinces
    reviewer = call_as(make_user("api-reviewer", roles=["reviewer"]))
    response = reviewer("POST", "/api/v1/reorganisations/preview", json={
        "kind": "merged", "unit_ids": [qb.id], "successor_ids": [qt.id],
        "effective_date": "2025-07-01", "decision_number": "1", "decision_date": "2025-06-20",
        "decision_issuer": "UBND"})
    assert response.status_code == 403


def test_api_sets_and_lists_the_rule_on_predecessors_years(call_as, make_user, root_unit,
                                                           provinces):
    qb, qt = provinces
    admin = call_as(make_user("api-admin", roles=["admin"]))
    listing = admin("GET", "/api/v1/reorganisations/history-rules").get_json()
    assert listing == {"default_counts_predecessors": True, "items": []}
    saved = admin("PUT", "/api/v1/reorganisations/history-rules", json={
        "body_unit_id": root_unit.id, "award_code": "CO_BO", "counts_predecessors": False,
        "note": "Quy chế thi đua của Bộ (thử)"})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    [rule] = admin("GET", "/api/v1/reorganisations/history-rules").get_json()["items"]
    assert rule["body"]["id"] == root_unit.id and rule["counts_predecessors"] is False
    dissolved = admin("POST", "/api/v1/reorganisations", json={
        "kind": "dissolved", "unit_ids": [qb.id], "effective_date": "2025-07-01",
        "decision_number": "1", "decision_date": "2025-06-20", "decision_issuer": "UBND"})
    assert dissolved.status_code == 201
    refused = admin("PUT", "/api/v1/reorganisations/history-rules", json={
        "body_unit_id": qb.id, "counts_predecessors": True})
    assert refused.status_code == 409 and error_code(refused) == "rule_broken"
