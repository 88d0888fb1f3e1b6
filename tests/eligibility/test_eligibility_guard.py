"""The `eligibility_met` guard on submit, the reviewer's override (route and audit), and
the eligibility panel rendering."""

from __future__ import annotations

import pytest
from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select

from tests.support.dossier_factories import CSTD_BO_DOCUMENTS
from tests.support.factories import REAUTH
from tests.support.helpers import csrf_token, login_as
from tests.support.registry_data import give, initiative
from workflow_app.eligibility.service.dossier import dossier_eligibility, override_rule
from workflow_app.models.audit import AuditEvent
from workflow_app.models.dossier import Dossier
from workflow_app.models.eligibility import EligibilityOverride
from workflow_app.models.org import Person
from workflow_app.workflow import GuardFailed, fire

DOCS = CSTD_BO_DOCUMENTS


@pytest.fixture
def nominee(session, submitting_unit):
    person = Person(full_name="Lê Thị Gap", unit_id=submitting_unit.id, position="Chấp hành viên")
    session.add(person)
    session.commit()
    return person


@pytest.fixture
def reviewer(make_user):
    return make_user("reviewer-elig", roles=["reviewer"])


def test_not_met_blocks_submit_and_override_lets_it_through(
        app, tx, session, client, make_dossier, submitter, reviewer, cstd_bo, nominee):
    dossier = make_dossier(award=cstd_bo, nominee=nominee, documents=DOCS)
    year, dossier_id = dossier.year, dossier.id
    tx.rollback()  # reading the dossier opened a transaction (a write lock on SQLite)
    give(session, "CSTDCS", year - 2, year, person=nominee)  # a gap
    initiative(session, nominee, year, "ministry")
    with force_locale("en"), pytest.raises(GuardFailed) as error:
        fire(tx, dossier, "submit", submitter)
    tx.rollback()
    assert "missing: 2 of 3" in error.value.description

    login_as(app, client, reviewer)
    page = f"/dossiers/{dossier_id}"
    token = csrf_token(client, "/registry/")
    refused = client.post(f"/registry/dossiers/{dossier_id}/override",
                          data={"csrf_token": token, "rule_id": "1", "reason": " ",
                                "next": page})
    assert refused.status_code == 303
    assert session.scalar(select(EligibilityOverride)) is None
    reason = "CSTĐCS 2024 conferred on paper, decision 12/QĐ-X"
    # Recording an override asks for the password again; a wrong one records nothing,
    # counts as a failed attempt, and the reason typed comes back on the page, open.
    wrong = client.post(f"/registry/dossiers/{dossier_id}/override",
                        data={"csrf_token": token, "rule_id": "1", "next": page,
                              "reason": reason, "password": "not-my-password"})
    assert wrong.status_code == 303 and session.scalar(select(EligibilityOverride)) is None
    back = client.get(page).get_data(as_text=True)
    assert "Việc bỏ qua điều kiện chưa được ghi nhận." in back and "không đúng" in back
    assert f">{reason}</textarea>" in back and '<details class="mt-1" open>' in back
    assert reason not in client.get(page).get_data(as_text=True)  # kept for one page only
    failed = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "auth.reauth_failed")).one()
    assert failed.data["purpose"] == "override"
    done = client.post(f"/registry/dossiers/{dossier_id}/override",
                       data={"csrf_token": token, "rule_id": "1", "next": page,
                             "reason": reason, **REAUTH})
    assert done.status_code == 303 and done.headers["Location"].endswith(page)
    event = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "eligibility.overridden")).one()
    assert event.data["rule_id"] == "1" and "12/QĐ-X" in event.data["reason"]

    fire(tx, dossier, "submit", submitter)
    tx.commit()
    assert dossier.state == "submitted"


def test_submitter_cannot_override(app, client, make_dossier, submitter, cstd_bo, nominee,
                                   session):
    dossier = make_dossier(award=cstd_bo, nominee=nominee, documents=DOCS)
    dossier_id = dossier.id
    login_as(app, client, submitter)
    response = client.post(f"/registry/dossiers/{dossier_id}/override",
                           data={"csrf_token": csrf_token(client, "/registry/"),
                                 "rule_id": "1", "reason": "x", **REAUTH})
    assert response.status_code == 403
    assert session.scalar(select(EligibilityOverride)) is None


def test_panel_shows_each_rule_with_status_and_basis(app, session, make_dossier, cstd_bo,
                                                     nominee, reviewer):
    dossier = make_dossier(award=cstd_bo, nominee=nominee, documents=DOCS)
    with app.test_request_context(), force_locale("en"):
        from flask_login import login_user
        login_user(reviewer)
        html = render_template("eligibility/_panel.html", dossier=dossier,
                               eligibility=dossier_eligibility(session, dossier))
    assert 'data-testid="rule-1" data-status="not_met"' in html
    assert "Luật TĐKT 2022, Điều 22" in html and "Blocks submission" in html
    assert "Override this rule" in html  # the reviewer covers the unit


def test_dossier_page_shows_eligibility_to_the_submitter_and_duplicates_to_the_reviewer(
        app, client, tx, session, make_dossier, submitter, reviewer, cstd_bo, nominee):
    first = make_dossier(award=cstd_bo, nominee=nominee, documents=DOCS)
    make_dossier(award=cstd_bo, nominee=nominee, documents=DOCS)  # the same nomination again
    first_id = first.id
    tx.rollback()
    login_as(app, client, submitter)
    page = client.get(f"/dossiers/{first_id}").get_data(as_text=True)
    assert 'data-testid="eligibility-panel"' in page
    assert 'data-status="not_met"' in page
    assert 'data-testid="duplicate-flags"' not in page  # flags are for the reviewer
    reviewer_client = app.test_client()
    login_as(app, reviewer_client, reviewer)
    page = reviewer_client.get(f"/dossiers/{first_id}").get_data(as_text=True)
    assert 'data-testid="duplicate-flags"' in page


@pytest.mark.parametrize("workflow", ["normal", "simplified"])
def test_not_met_blocks_resubmit_too_until_overridden(tx, session, make_dossier, submitter,
                                                      reviewer, cstd_bo, nominee, workflow):
    documents = DOCS + ["BAO_CAO_TOM_TAT_THANH_TICH"] if workflow == "simplified" else DOCS
    dossier = make_dossier("returned", workflow=workflow, award=cstd_bo, nominee=nominee,
                           documents=documents)
    year, dossier_id = dossier.year, dossier.id
    tx.rollback()
    give(session, "CSTDCS", year - 2, year, person=nominee)  # a gap: year - 1 missing
    initiative(session, nominee, year, "ministry")
    with force_locale("en"):
        with pytest.raises(GuardFailed) as error:
            fire(tx, dossier, "resubmit", submitter)
        assert f"{year - 1} missing" in error.value.description
    tx.rollback()
    assert error.value.guard == "eligibility_met"
    tx.rollback()  # reading the error's dossier began a transaction (a lock on SQLite)
    override_rule(session, session.get(Dossier, dossier_id), "1",
                  "CSTĐCS conferred on paper, decision 7/QĐ-X", reviewer)
    session.commit()
    fire(tx, dossier, "resubmit", submitter)
    tx.commit()
    assert dossier.state == "submitted"
