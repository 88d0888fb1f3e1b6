"""Batches: one covering letter for many nominees, each its own dossier, tracked and
submitted together; what cannot go is reported with the engine's reason."""

from __future__ import annotations

import io
import re

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from tests.support.dossier_factories import PDF, events_of
from tests.support.helpers import csrf_token
from workflow_app.dossiers.service.dossiers import edit_dossier
from workflow_app.models.audit import AuditEvent
from workflow_app.models.batch import BatchDocument, DossierBatch
from workflow_app.models.dossier import Dossier, DossierDocument


@pytest.fixture(autouse=True)
def english(app):
    with force_locale("en"):
        yield


@pytest.fixture
def ten_people(make_person, submitting_unit):
    return [make_person(f"Cán bộ số {n:02d}", unit=submitting_unit) for n in range(1, 11)]


def _create_batch(client, unit, award, people):
    token = csrf_token(client, "/dossiers/batches/new")
    return client.post("/dossiers/batches/new", data={
        "csrf_token": token, "unit": unit.id, "title": "Tờ trình số 12/TTr-CTHADS",
        "award": award.id, "commendation_type": "CONG_TRANG", "year": "2025",
        "movement_reference": "Kế hoạch số 16/KH-STP", "persons": [p.id for p in people]})


def _upload(client, batch_id, doc_type, data=PDF, name="to-trinh.pdf"):
    token = csrf_token(client, f"/dossiers/batches/{batch_id}")
    return client.post(f"/dossiers/batches/{batch_id}/documents", data={
        "csrf_token": token, "doc_type": doc_type, "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data")


def _dossiers(session, batch_id) -> list[Dossier]:
    session.expire_all()
    return list(session.scalars(select(Dossier).where(Dossier.batch_id == batch_id)
                                .order_by(Dossier.id)))


def test_a_batch_of_ten_is_created_shares_its_letter_and_submits_the_complete_ones(
        signed_in, session, tx, make_award, submitter, submitting_unit, ten_people):
    award = make_award()
    client = signed_in(submitter)
    response = _create_batch(client, submitting_unit, award, ten_people)
    assert response.status_code == 302
    batch = session.scalar(select(DossierBatch))
    dossiers = _dossiers(session, batch.id)
    assert len(dossiers) == 10 and {d.state for d in dossiers} == {"draft"}
    assert {d.nominee_person_id for d in dossiers} == {p.id for p in ten_people}
    assert all(d.movement_reference == "Kế hoạch số 16/KH-STP" for d in dossiers)
    created = session.scalar(select(AuditEvent).where(AuditEvent.action == "batch.created"))
    assert sorted(created.data["dossier_ids"]) == [d.id for d in dossiers]

    assert _upload(client, batch.id, "TO_TRINH").status_code == 302
    assert _upload(client, batch.id, "BAO_CAO_THANH_TICH", PDF + b"report").status_code == 302
    shared = session.scalars(select(BatchDocument).order_by(BatchDocument.id)).first()
    viewed = client.get(f"/dossiers/batches/{batch.id}/documents/{shared.id}/view")  # "Xem"
    assert viewed.data == PDF and viewed.headers["Content-Disposition"].startswith("inline;")
    assert viewed.headers["Content-Security-Policy"].startswith("sandbox")
    assert f'href="/dossiers/batches/{batch.id}/documents/{shared.id}/view"' in client.get(
        f"/dossiers/batches/{batch.id}").get_data(as_text=True)
    copies = session.scalars(select(DossierDocument)).all()
    assert len(copies) == 20 and all(c.batch_document_id for c in copies)
    assert len(events_of(session, dossiers[0].id, "dossier.document_added")) == 2

    complete, incomplete = dossiers[:7], dossiers[7:]
    for dossier in complete:  # each nominee's own summary
        edit_dossier(tx, tx.get(Dossier, dossier.id), submitter, 3, summary="Hoàn thành tốt")
    tx.commit()
    response = client.post(f"/dossiers/batches/{batch.id}/submit",
                           data={"csrf_token": csrf_token(client, f"/dossiers/batches/{batch.id}")})
    assert response.status_code == 302
    states = {d.id: d.state for d in _dossiers(session, batch.id)}
    assert {states[d.id] for d in complete} == {"submitted"}
    assert {states[d.id] for d in incomplete} == {"draft"}
    page = client.get(f"/dossiers/batches/{batch.id}").get_data(as_text=True)
    assert "7 dossiers submitted." in page
    for dossier in incomplete:
        assert re.search(rf"Dossier #{dossier.id} \(Cán bộ số \d\d\) was not sent: The "
                         rf"dossier is incomplete. Missing: an achievement summary.", page)
    assert page.count('data-state="submitted"') == 7 and page.count('data-state="draft"') == 3


def test_removing_a_shared_document_spares_the_dossiers_already_sent(
        signed_in, session, tx, make_award, submitter, submitting_unit, ten_people):
    award = make_award(required_documents=["TO_TRINH"])
    client = signed_in(submitter)
    _create_batch(client, submitting_unit, award, ten_people[:2])
    batch = session.scalar(select(DossierBatch))
    _upload(client, batch.id, "TO_TRINH")
    first, second = _dossiers(session, batch.id)
    edit_dossier(tx, tx.get(Dossier, first.id), submitter, 2, summary="Đủ")
    tx.commit()
    client.post(f"/dossiers/batches/{batch.id}/submit",
                data={"csrf_token": csrf_token(client, f"/dossiers/batches/{batch.id}")})
    shared_id = session.scalar(select(BatchDocument.id))
    response = client.post(f"/dossiers/batches/{batch.id}/documents/{shared_id}/remove",
                           data={"csrf_token": csrf_token(client, f"/dossiers/batches/{batch.id}")})
    assert response.status_code == 302
    session.expire_all()
    kept = {d.dossier_id: d.removed_at for d in session.scalars(select(DossierDocument))}
    assert kept[first.id] is None and kept[second.id] is not None
    page = client.get(f"/dossiers/batches/{batch.id}").get_data(as_text=True)
    assert f"Dossier #{first.id}" in page and "already sent: it keeps the document" in page


def test_batch_pages_follow_the_dossier_access_rule(signed_in, session, make_award, submitter,
                                                    submitting_unit, ten_people,
                                                    other_submitter, reviewer, admin_user):
    award = make_award()
    _create_batch(signed_in(submitter), submitting_unit, award, ten_people[:3])
    batch = session.scalar(select(DossierBatch))
    path = f"/dossiers/batches/{batch.id}"
    assert signed_in(other_submitter).get(path).status_code == 404
    assert signed_in(admin_user).get(path).status_code == 404
    client = signed_in(reviewer)
    assert client.get(path).status_code == 200
    response = client.post(f"{path}/submit", data={"csrf_token": csrf_token(client, path)})
    assert response.status_code == 403
    assert {d.state for d in _dossiers(session, batch.id)} == {"draft"}


def test_a_batch_without_nominees_or_with_an_outsider_is_refused(
        signed_in, session, make_award, make_person, submitter, submitting_unit, other_unit):
    award = make_award()
    client = signed_in(submitter)
    response = _create_batch(client, submitting_unit, award, [])
    assert response.status_code == 422
    assert "Choose at least one nominee." in response.get_data(as_text=True)
    outsider = make_person("Người Tỉnh Khác", unit=other_unit)
    assert _create_batch(client, submitting_unit, award, [outsider]).status_code == 422
    assert session.scalar(select(func.count()).select_from(Dossier)) == 0
    assert session.scalar(select(func.count()).select_from(DossierBatch)) == 0
