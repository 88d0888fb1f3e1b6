"""The new-dossier and edit pages: forms, scope of the choices, errors, diff in the audit."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from tests.support.dossier_factories import events_of, fresh
from tests.support.helpers import csrf_token
from workflow_app.models.dossier import Dossier


@pytest.fixture(autouse=True)
def english(app):
    with force_locale("en"):
        yield


def _new_form(client, **fields):
    token = csrf_token(client, "/dossiers/new")
    return client.post("/dossiers/new", data={"csrf_token": token, **fields})


def _dossiers(session):
    return list(session.scalars(select(Dossier)))


def test_new_dossier_form_offers_only_people_in_scope_and_awards_in_force(
        signed_in, make_award, make_person, submitter, other_unit, nominee):
    award = make_award("LDTT")
    outsider = make_person("Người Tỉnh Khác", unit=other_unit)
    page = signed_in(submitter).get("/dossiers/new").get_data(as_text=True)
    assert "Nguyễn Văn Bình" in page and outsider.full_name not in page
    assert f'value="{award.id}"' in page
    assert '<optgroup label="For individuals and collectives">' in page
    assert ">Award LDTT</option>" in page
    assert "not the official report template" in page  # default headings are suggestions
    assert "Thành tích đạt được" in page


def test_creating_a_dossier_through_the_form(signed_in, session, make_award, submitter,
                                             submitting_unit, nominee):
    award = make_award()
    client = signed_in(submitter)
    response = _new_form(client, unit=submitting_unit.id, nominee_kind="person",
                         person=nominee.id, award=award.id, commendation_type="CONG_TRANG",
                         year="2025", summary="Hoàn thành xuất sắc nhiệm vụ",
                         **{"sections-0-heading": "Thành tích đạt được",
                            "sections-0-body": "Ba sáng kiến được công nhận",
                            "sections-1-heading": "Sơ lược lý lịch", "sections-1-body": ""})
    assert response.status_code == 302
    [dossier] = _dossiers(session)
    assert response.headers["Location"].endswith(f"/dossiers/{dossier.id}")
    assert dossier.nominee_person_id == nominee.id and dossier.state == "draft"
    assert dossier.report_sections == [{"heading": "Thành tích đạt được",
                                        "body": "Ba sáng kiến được công nhận"}]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Ba sáng kiến được công nhận" in page and "Dossier created" in page


@pytest.mark.parametrize("forged", [
    {"person": "999999"}, {"award": "999999"}, {"unit": "999999"}, {"person": "abc"},
    {"commendation_type": "HACKED"}, {"year": "năm ngoái"},
])
def test_forged_or_bad_ids_are_form_errors_not_500(signed_in, session, make_award, submitter,
                                                   submitting_unit, nominee, forged):
    award = make_award()
    fields = {"unit": submitting_unit.id, "nominee_kind": "person", "person": nominee.id,
              "award": award.id, "commendation_type": "CONG_TRANG", "year": "2025", **forged}
    response = _new_form(signed_in(submitter), **fields)
    assert response.status_code == 422
    assert "invalid-feedback" in response.get_data(as_text=True)
    assert _dossiers(session) == []


def test_person_of_another_unit_cannot_be_posted(signed_in, session, make_award, make_person,
                                                 submitter, submitting_unit, other_unit):
    award = make_award()
    outsider = make_person("Người Tỉnh Khác", unit=other_unit)
    response = _new_form(signed_in(submitter), unit=submitting_unit.id, nominee_kind="person",
                         person=outsider.id, award=award.id, commendation_type="CONG_TRANG",
                         year="2025")
    assert response.status_code == 422 and _dossiers(session) == []


def test_users_without_the_submitter_role_cannot_open_the_form(signed_in, reviewer):
    assert signed_in(reviewer).get("/dossiers/new").status_code == 403


def test_edit_page_saves_and_the_timeline_shows_the_changed_fields(
        signed_in, session, make_dossier, submitter):
    dossier = make_dossier(summary="Tóm tắt cũ")
    client = signed_in(submitter)
    form = client.get(f"/dossiers/{dossier.id}/edit").get_data(as_text=True)
    assert '<input id="version" name="version" type="hidden" value="1">' in form
    assert "Tóm tắt cũ" in form
    response = client.post(f"/dossiers/{dossier.id}/edit", data={
        "csrf_token": csrf_token(client, f"/dossiers/{dossier.id}/edit"), "version": "1",
        "award": dossier.award_id, "commendation_type": "CONG_TRANG",
        "year": str(dossier.year), "title": dossier.title, "summary": "Tóm tắt mới",
        "movement_reference": "Kế hoạch số 16/KH-STP"})
    assert response.status_code == 302
    [edited] = events_of(session, dossier.id, "dossier.edited")
    assert edited.data["changes"]["summary"] == ["Tóm tắt cũ", "Tóm tắt mới"]
    assert edited.data["changes"]["movement_reference"] == ["", "Kế hoạch số 16/KH-STP"]
    page = client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert "Dossier edited" in page and "Tóm tắt cũ → Tóm tắt mới" in page


def test_edit_with_a_stale_version_is_refused_with_409_keeping_the_text(
        signed_in, session, make_dossier, submitter):
    dossier = make_dossier()
    client = signed_in(submitter)
    response = client.post(f"/dossiers/{dossier.id}/edit", data={
        "csrf_token": csrf_token(client, f"/dossiers/{dossier.id}/edit"), "version": "0",
        "award": dossier.award_id, "commendation_type": "CONG_TRANG",
        "year": str(dossier.year), "summary": "Văn bản của tôi"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Reload the page" in page and "Văn bản của tôi" in page  # stale: 409
    assert fresh(session, dossier.id).version == 1


def test_edit_outside_draft_or_returned_is_refused_with_409(signed_in, session, make_dossier,
                                                            submitter):
    dossier = make_dossier("submitted")
    client = signed_in(submitter)
    response = client.get(f"/dossiers/{dossier.id}/edit")
    assert response.status_code == 409
    assert "only while it is a draft or returned" in response.get_data(as_text=True)
    response = client.post(f"/dossiers/{dossier.id}/edit", data={
        "csrf_token": csrf_token(client, f"/dossiers/{dossier.id}"), "version": "1",
        "award": dossier.award_id, "commendation_type": "CONG_TRANG",
        "year": str(dossier.year), "summary": "x"})
    assert response.status_code == 409
    assert events_of(session, dossier.id, "dossier.edited") == []


def test_the_current_step_card_of_a_decided_dossier_names_its_decision(
        signed_in, make_dossier, submitter):
    from datetime import date

    dossier = make_dossier("decided", decision_number="05/QĐ-BTP",
                           decision_date=date(2026, 1, 2))
    page = signed_in(submitter).get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    card = page[page.index('data-testid="clock-card"'):][:1200]
    assert "Decision 05/QĐ-BTP of 02/01/2026." in card and "—" not in card
