"""The review page: the dossier's essentials, the checklist (audited), and the actions."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from tests.support.helpers import audit_events, login_as, post_form
from tests.support.review_fixtures import form_fields
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import Person
from workflow_app.models.review import ReviewCheck


@pytest.fixture(autouse=True)
def english(app):
    with force_locale("en"):
        yield


@pytest.fixture
def dossier(make_dossier, tx, submitting_unit):
    nominee = Person(full_name="Lê Thị Hồng", unit_id=submitting_unit.id, position="Chấp hành viên",
                     date_of_birth=date(1980, 3, 15))
    tx.add(nominee)
    tx.commit()
    return make_dossier("in_appraisal", nominee=nominee,
                        summary="Hoàn thành xuất sắc nhiệm vụ năm 2025.\nCó sáng kiến cấp cơ sở.")




def test_the_page_shows_the_dossiers_essentials(app, client, dossier, reviewer_a,
                                                submitting_unit):
    login_as(app, client, reviewer_a)
    html = client.get(f"/review/dossiers/{dossier.id}").get_data(as_text=True)
    assert "Lê Thị Hồng" in html and "Chấp hành viên" in html
    assert submitting_unit.name_en in html  # the proposing unit, in the reader's language
    assert f"Award {dossier.award.code}" in html  # the rule version's name
    assert "test basis" in html  # its legal basis
    assert "Merit (công trạng)" in html
    assert "Hoàn thành xuất sắc nhiệm vụ năm 2025.<br>Có sáng kiến cấp cơ sở." in html
    assert "TO_TRINH.pdf" in html and "BAO_CAO_THANH_TICH.pdf" in html
    for document in dossier.documents:  # downloads go through the dossier pages' route
        assert f'href="/dossiers/{dossier.id}/documents/{document.id}"' in html
    assert "In appraisal" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and " style=" not in html


def test_drafts_stay_with_the_submitter(app, client, make_dossier, reviewer_a):
    draft = make_dossier()
    login_as(app, client, reviewer_a)
    assert client.get(f"/review/dossiers/{draft.id}").status_code == 404


def test_checklist_lists_required_documents_then_general_items(app, client, dossier,
                                                                reviewer_a):
    login_as(app, client, reviewer_a)
    html = client.get(f"/review/dossiers/{dossier.id}").get_data(as_text=True)
    order = [html.index(f'data-testid="check-{code}"') for code in (
        "DOC:TO_TRINH", "DOC:BAO_CAO_THANH_TICH", "GEN:authority", "GEN:report_template",
        "GEN:signatures", "GEN:no_pending_case")]
    assert order == sorted(order)
    assert "ND 152/2025 principle" in html  # the principle names its source …
    assert "LEGAL_FACTS" not in html  # … not the project's internal notes
    assert "configurable — no confirmed legal source" in html


def test_saving_the_checklist_is_audited_with_the_diff(app, client, session, dossier,
                                                       reviewer_a):
    login_as(app, client, reviewer_a)
    path = f"/review/dossiers/{dossier.id}"
    response = post_form(client, f"{path}/checklist", {
        "check_DOC_TO_TRINH": "y", "note_DOC_TO_TRINH": "Có chữ ký, đóng dấu",
        "check_GEN_authority": "y"}, token_from=path)
    assert response.status_code == 302
    rows = {r.item_code: r for r in session.scalars(select(ReviewCheck))}
    assert set(rows) == {"DOC:TO_TRINH", "GEN:authority"}
    assert rows["DOC:TO_TRINH"].checked and rows["DOC:TO_TRINH"].note == "Có chữ ký, đóng dấu"
    assert rows["DOC:TO_TRINH"].updated_by_id == reviewer_a.id
    [event] = audit_events(session, "review.checklist_saved")
    assert event.actor_id == reviewer_a.id and event.subject_id == str(dossier.id)
    assert event.data["changes"] == {
        "DOC:TO_TRINH": [None, {"checked": True, "note": "Có chữ ký, đóng dấu"}],
        "GEN:authority": [None, {"checked": True, "note": ""}],
    }

    # Untick one item, keep the other: only the change is recorded.
    post_form(client, f"{path}/checklist", {
        "check_DOC_TO_TRINH": "y", "note_DOC_TO_TRINH": "Có chữ ký, đóng dấu"}, token_from=path)
    second = audit_events(session, "review.checklist_saved")[-1]
    assert second.data["changes"] == {
        "GEN:authority": [{"checked": True, "note": ""}, {"checked": False, "note": ""}]}

    # Saving again without a change writes nothing.
    response = post_form(client, f"{path}/checklist", {
        "check_DOC_TO_TRINH": "y", "note_DOC_TO_TRINH": "Có chữ ký, đóng dấu"}, token_from=path)
    assert response.status_code == 302
    assert len(audit_events(session, "review.checklist_saved")) == 2
    page = client.get(path).get_data(as_text=True)
    assert "Nothing changed in the checklist." in page
    assert "Last changed by reviewer-a" in page


def test_a_too_long_note_is_a_form_error_and_nothing_is_saved(app, client, session, dossier,
                                                              reviewer_a):
    login_as(app, client, reviewer_a)
    path = f"/review/dossiers/{dossier.id}"
    response = post_form(client, f"{path}/checklist", {
        "check_GEN_signatures": "y", "note_GEN_signatures": "x" * 1001}, token_from=path)
    assert response.status_code == 422
    assert "At most 1000 characters." in response.get_data(as_text=True)
    assert session.scalars(select(ReviewCheck)).all() == []
    assert audit_events(session, "review.checklist_saved") == []


def test_another_provinces_reviewer_cannot_save_the_checklist(app, client, session, dossier,
                                                              reviewer_b):
    login_as(app, client, reviewer_b)
    response = post_form(client, f"/review/dossiers/{dossier.id}/checklist",
                         {"check_GEN_signatures": "y"}, token_from="/review/")
    assert response.status_code == 404
    assert session.scalars(select(ReviewCheck)).all() == []


def test_actions_follow_the_definition_and_explain_what_blocks_them(
        app, client, dossier, reviewer_a, transition_route):
    login_as(app, client, reviewer_a)
    html = client.get(f"/review/dossiers/{dossier.id}").get_data(as_text=True)
    for trigger in ("return_for_supplement", "reject", "send_to_council", "open_disclosure"):
        assert f'data-testid="action-{trigger}"' in html
    assert 'data-testid="action-accept"' not in html  # not from in_appraisal
    # The award's rule does not ask for disclosure: the button is shown disabled, with why.
    assert "does not call for public disclosure" in html.split(
        'data-testid="blocked-open_disclosure"')[1][:200]


def test_returning_a_dossier_with_reasons_from_the_review_page(
        app, client, session, dossier, reviewer_a, transition_route):
    login_as(app, client, reviewer_a)
    path = f"/review/dossiers/{dossier.id}"
    action, fields = form_fields(client.get(path).get_data(as_text=True),
                                 "action-return_for_supplement")
    assert fields["version"] == str(dossier.version) and fields["next"] == path
    fields["reason"] = "Thiếu biên bản bình xét có chữ ký."
    response = client.post(action, data=fields)
    assert response.status_code == 302 and response.headers["Location"].endswith(path)
    assert session.get(Dossier, dossier.id).state == "returned"
    [event] = audit_events(session, "dossier.return_for_supplement")
    assert event.data["reason"] == "Thiếu biên bản bình xét có chữ ký."
    # Back on the page: the clock is paused while the dossier is with the submitter.
    assert 'data-testid="clock-paused"' in client.get(path).get_data(as_text=True)


def test_a_stale_page_cannot_act_twice(app, client, session, dossier, reviewer_a,
                                       transition_route):
    login_as(app, client, reviewer_a)
    path = f"/review/dossiers/{dossier.id}"
    html = client.get(path).get_data(as_text=True)
    action, fields = form_fields(html, "action-send_to_council")
    assert client.post(action, data=fields).status_code == 302
    reject_action, reject_fields = form_fields(html, "action-reject")
    reject_fields["reason"] = "Không đủ tiêu chuẩn"
    assert client.post(reject_action, data=reject_fields).status_code == 409
    assert session.get(Dossier, dossier.id).state == "awaiting_council"


def test_non_reviewers_are_refused(app, client, dossier, submitter):
    login_as(app, client, submitter)
    assert client.get(f"/review/dossiers/{dossier.id}").status_code == 403
