"""Revocation pages: a reviewer proposes from the dossier page or the registry, the signer
previews and issues the numbered decision (or keeps the award), the registry and the dossier
show the outcome; readers are scoped and refusals write nothing."""

from __future__ import annotations

import hashlib
import re

import pytest
from sqlalchemy import func, select

from tests.support.factories import REAUTH
from tests.support.helpers import csrf_token, login_as
from tests.support.registry_data import give
from tests.support.revocation_data import decide, entry_of
from workflow_app.attachments.storage import Storage
from workflow_app.dossiers.service.dossiers import today_vn
from workflow_app.models.audit import AuditEvent
from workflow_app.models.dossier import Dossier
from workflow_app.models.registry import AwardRecord
from workflow_app.models.revocation import Revocation, RevocationDecision

PENDING = "(số sẽ cấp khi ban hành)"


@pytest.fixture
def signer(make_user, make_person):
    person = make_person("Lê Thành Long", position="Bộ trưởng")
    return make_user("signer-btp", roles=["signer"], person=person, locale="en")


@pytest.fixture
def reviewer(make_user):
    return make_user("reviewer-btp", roles=["reviewer"], locale="en")


@pytest.fixture
def decided(app, tx, signer, make_dossier):
    """(dossier id, registry entry id, nominee name) of a dossier decided by 01/QĐ-BTP."""
    dossier = make_dossier("council_approved")
    storage = Storage(app.extensions["workflow_config"].instance_dir / "documents")
    decide(tx, signer, [dossier], storage, on=today_vn())
    row = (dossier.id, entry_of(tx, dossier).id, dossier.nominee_name)
    tx.rollback()
    return row


def post(client, path, data, token_from):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, token_from)})


def proposal_data(**changes) -> dict:
    data = {"ground": "fraudulent_declaration",
            "explanation": "Thành tích kê khai không có thật (xác minh của Thanh tra Bộ).",
            "evidence_reference": "Kết luận số 5/KL-TTr", "conclusion_received_on": ""}
    data.update(changes)
    return data


def propose(client, record_id: int, **changes):
    path = f"/decisions/revocations/new/{record_id}"
    return post(client, path, proposal_data(**changes), path)


def revocation_id(session) -> int:
    return session.scalar(select(Revocation.id))


def test_reviewer_proposes_from_the_dossier_page_and_bad_input_writes_nothing(
        app, client, session, reviewer, decided):
    dossier_id, record_id, _name = decided
    login_as(app, client, reviewer)
    page = client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    assert 'data-testid="revocation-link-propose_revocation"' in page
    assert f"/decisions/revocations/new/{record_id}" in page
    form = client.get(f"/decisions/revocations/new/{record_id}").get_data(as_text=True)
    assert "within 07 days" in form and "within 05 working days" in form
    assert "TTHC Huế" in form and "LEGAL_FACTS" not in form  # the source, not internal notes

    refused = propose(client, record_id, ground="")
    assert refused.status_code == 422
    refused = propose(client, record_id, conclusion_received_on="2099-01-01")
    assert refused.status_code == 422
    assert session.scalar(select(func.count()).select_from(Revocation)) == 0
    # the generic action route cannot propose without the revocation record
    generic = post(client, f"/dossiers/{dossier_id}/transitions/propose_revocation",
                   {"version": "3", "reason": "x"}, f"/dossiers/{dossier_id}")
    assert generic.status_code in (409, 422)
    assert session.scalar(select(Dossier.state).where(Dossier.id == dossier_id)) == "decided"

    done = propose(client, record_id)
    assert done.status_code == 303
    assert done.headers["Location"].endswith(f"/decisions/revocations/{revocation_id(session)}")
    assert session.scalar(select(Dossier.state).where(Dossier.id == dossier_id)) == \
        "revocation_proposed"
    again = client.get(f"/decisions/revocations/new/{record_id}").get_data(as_text=True)
    assert 'data-testid="not-proposable"' in again


def test_signer_previews_issues_and_the_registry_shows_the_revocation(
        app, client, session, reviewer, signer, decided):
    dossier_id, record_id, name = decided
    login_as(app, client, reviewer)
    propose(client, record_id)
    rid = revocation_id(session)
    login_as(app, client, signer)
    listing = client.get("/decisions/revocations").get_data(as_text=True)
    assert listing.count('data-testid="to-decide-row"') == 1
    page = client.get(f"/decisions/revocations/{rid}").get_data(as_text=True)
    assert 'data-testid="revocation-form"' in page and name in page

    fields = {m.group(1): m.group(2) for m in re.finditer(
        r'name="(issued_on|place|authority|issuer_id)"[^>]*value="([^"]*)"', page)}
    textareas = {m.group(1): m.group(2) for m in re.finditer(
        r'<textarea[^>]*name="(summary|bases|articles|recipients)"[^>]*>\s*([^<]*)</textarea>',
        page)}
    assert "01/QĐ-BTP" in textareas["articles"] and "điểm a khoản 2 Điều 93" in \
        textareas["articles"]
    data = {**fields, **{k: v.replace("&#34;", '"') for k, v in textareas.items()}}
    path = f"/decisions/revocations/{rid}"
    preview = post(client, f"{path}/preview", data, path)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and PENDING in html and name in html
    assert session.scalar(select(func.count()).select_from(RevocationDecision)) == 0

    empty = post(client, f"{path}/issue", {**data, "articles": ""}, path)
    assert empty.status_code == 422
    assert session.scalar(select(func.count()).select_from(RevocationDecision)) == 0
    wrong = post(client, f"{path}/issue", {**data, "password": "not-my-password"}, path)
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and PENDING in text  # the preview again, with why
    assert "không đúng" in text or "not correct" in text
    assert session.scalar(select(func.count()).select_from(RevocationDecision)) == 0
    issued = post(client, f"{path}/issue", {**data, **REAUTH}, path)
    assert issued.status_code == 303
    decision = session.scalar(select(RevocationDecision))
    assert decision.reference == "02/QĐ-BTP"
    after = client.get(path).get_data(as_text=True)
    assert 'data-status="revoked"' in after and "02/QĐ-BTP" in after
    assert 'data-testid="to-recover"' in after
    docx = client.get(f"{path}/docx")
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "revocation.issued"))
    assert hashlib.sha256(docx.data).hexdigest() == event.data["docx_sha256"]

    entry = session.get(AwardRecord, record_id)
    assert entry.revocation_number == "02/QĐ-BTP" and not entry.is_active
    login_as(app, client, reviewer)
    registry = client.get(f"/registry/persons/{entry.person_id}").get_data(as_text=True)
    row = registry.split('data-testid="award-row"')[1].split("</tr>")[0]
    assert 'data-status="revoked"' in row and "02/QĐ-BTP" in row and "<del>" in row
    assert 'data-status="active"' not in registry  # the only award is no longer active
    dossier_page = client.get(f"/dossiers/{dossier_id}").get_data(as_text=True)
    assert 'data-testid="dossier-revocation-row"' in dossier_page and "02/QĐ-BTP" in dossier_page


def test_signer_keeps_the_award_with_a_reason(app, client, session, reviewer, signer,
                                              decided):
    dossier_id, record_id, _name = decided
    login_as(app, client, reviewer)
    propose(client, record_id)
    rid = revocation_id(session)
    login_as(app, client, signer)
    path = f"/decisions/revocations/{rid}"
    assert post(client, f"{path}/dismiss", {"reason": ""}, path).status_code == 422
    assert post(client, f"{path}/dismiss", {"reason": "Kết luận đã bị thu hồi."},
                path).status_code == 303
    assert session.get(Revocation, rid).status == "dismissed"
    assert session.scalar(select(Dossier.state).where(Dossier.id == dossier_id)) == "decided"
    assert 'data-testid="dismissed"' in client.get(path).get_data(as_text=True)


def test_revocation_pages_are_scoped(app, client, session, reviewer, decided, submitter,
                                     make_user, make_unit, root_unit):
    dossier_id, record_id, _name = decided
    login_as(app, client, reviewer)
    propose(client, record_id)
    rid = revocation_id(session)
    login_as(app, client, submitter)  # the dossier's unit: may read, may not act
    page = client.get(f"/decisions/revocations/{rid}")
    assert page.status_code == 200 and 'data-testid="revocation-form"' not in page.get_data(
        as_text=True)
    assert client.get(f"/decisions/revocations/new/{record_id}").status_code == 403
    outsider = make_user("submitter-x", roles=["submitter", "reviewer"],
                         unit=make_unit("Cục X", parent=root_unit))
    login_as(app, client, outsider)
    assert client.get(f"/decisions/revocations/{rid}").status_code == 404
    assert client.get(f"/decisions/revocations/new/{record_id}").status_code == 404
    assert 'data-testid="revocations-row"' not in client.get(
        "/decisions/revocations").get_data(as_text=True)


def test_imported_entry_is_proposed_from_the_registry_page(app, client, session, reviewer,
                                                           make_person):
    person = make_person("Hà Văn Cũ")
    [entry] = give(session, "GK", 2022, person=person)
    login_as(app, client, reviewer)
    html = client.get(f"/registry/persons/{person.id}").get_data(as_text=True)
    assert f"/decisions/revocations/new/{entry.id}" in html
    assert propose(client, entry.id).status_code == 303
    html = client.get(f"/registry/persons/{person.id}").get_data(as_text=True)
    assert 'data-status="revocation_proposed"' in html
