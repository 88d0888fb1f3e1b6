"""`POST /dossiers/<id>/transitions/<trigger>`: one engine call, one commit, and a refusal
shown on the dossier page with the right status and nothing written."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from tests.support.dossier_factories import events_of, fresh, page_version, post_action
from workflow_app.dossiers.service.dossiers import edit_dossier


@pytest.fixture(autouse=True)
def english(app):
    with force_locale("en"):
        yield


def test_submit_moves_the_dossier_and_redirects_with_a_message(signed_in, session,
                                                               make_dossier, submitter):
    dossier = make_dossier()
    client = signed_in(submitter)
    response = post_action(client, dossier.id, "submit", page_version(client, dossier.id))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/dossiers/{dossier.id}")
    assert fresh(session, dossier.id).state == "submitted"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Done: Submit. The dossier is now “Submitted, awaiting intake”." in page
    [event] = events_of(session, dossier.id, "dossier.submit")
    assert event.actor_id == submitter.id and event.from_state == "draft"


@pytest.mark.parametrize(("next_value", "expected_end"), [
    ("/review/queue?sort=deadline", "/review/queue?sort=deadline"),
    ("//evil.example/x", "/dossiers/{id}"),
    ("https://evil.example/", "/dossiers/{id}"),
    ("/\\evil.example", "/dossiers/{id}"),
])
def test_next_is_followed_only_when_it_is_a_local_path(signed_in, make_dossier, reviewer,
                                                       next_value, expected_end):
    dossier = make_dossier("submitted")
    client = signed_in(reviewer)
    response = post_action(client, dossier.id, "accept", dossier.version, next=next_value)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(expected_end.format(id=dossier.id))


def test_stale_version_gives_409_and_changes_nothing(signed_in, session, tx, make_dossier,
                                                     make_user, submitting_unit, submitter):
    dossier = make_dossier()
    colleague = make_user("submitter-b", roles=["submitter"], unit=submitting_unit)
    client = signed_in(submitter)
    seen = page_version(client, dossier.id)  # the page is open …
    edit_dossier(tx, dossier, colleague, 1, summary="changed elsewhere")  # … someone edits
    tx.commit()
    response = post_action(client, dossier.id, "submit", seen)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "changed by someone else. Reload the page" in page
    assert 'data-testid="action-error"' in page and 'data-testid="timeline"' in page
    assert fresh(session, dossier.id).state == "draft"
    assert events_of(session, dossier.id, "dossier.submit") == []


def test_a_stale_page_after_the_same_users_other_tab_says_so(signed_in, session, tx,
                                                             make_dossier, make_user,
                                                             submitting_unit, submitter):
    """Issue 17 item 7: not "someone else" when it was the same user in another tab."""
    dossier = make_dossier()
    client = signed_in(submitter)
    seen = page_version(client, dossier.id)  # the page is open in one tab …
    edit_dossier(tx, dossier, submitter, 1, summary="changed in the other tab")  # … and another
    tx.commit()
    response = post_action(client, dossier.id, "submit", seen)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "You changed this dossier meanwhile, in another tab or window." in page
    assert "someone else" not in page
    assert fresh(session, dossier.id).state == "draft"
    # A colleague's later change is again "someone else", though the user's is older.
    colleague = make_user("submitter-c", roles=["submitter"], unit=submitting_unit)
    edit_dossier(tx, tx.get(type(dossier), dossier.id), colleague, 2, summary="colleague")
    tx.commit()
    response = post_action(client, dossier.id, "submit", 2)
    assert response.status_code == 409
    assert "changed by someone else" in response.get_data(as_text=True)


def test_missing_reason_gives_422(signed_in, session, make_dossier, reviewer):
    dossier = make_dossier("in_appraisal")
    response = post_action(signed_in(reviewer), dossier.id, "return_for_supplement",
                           dossier.version, reason="   ")
    assert response.status_code == 422
    assert "Please give a reason for this action." in response.get_data(as_text=True)
    assert fresh(session, dossier.id).state == "in_appraisal"


def test_incomplete_dossier_submit_gives_409_naming_the_missing_documents(
        signed_in, session, make_dossier, submitter):
    dossier = make_dossier(documents=["TO_TRINH"])
    client = signed_in(submitter)
    page = client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert 'data-testid="blocked-submit"' in page  # shown disabled, with why
    assert "Missing: Achievement report (báo cáo thành tích)." in page
    response = post_action(client, dossier.id, "submit", dossier.version)
    text = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "The dossier is incomplete. Missing: Achievement report (báo cáo thành tích)." in text
    assert "Submission letter" not in text.split("incomplete")[1].split("</div>")[0]
    assert fresh(session, dossier.id).state == "draft"


def test_a_role_not_named_by_the_transition_gets_403(signed_in, session, make_dossier,
                                                     reviewer, auditor):
    dossier = make_dossier()
    for user in (reviewer, auditor):
        response = post_action(signed_in(user), dossier.id, "submit", dossier.version)
        assert response.status_code == 403
        assert "does not allow this action" in response.get_data(as_text=True)
    assert fresh(session, dossier.id).state == "draft"


def test_someone_who_cannot_see_the_dossier_gets_404(signed_in, session, make_dossier,
                                                     other_submitter, admin_user):
    dossier = make_dossier()
    for user in (other_submitter, admin_user):
        assert post_action(signed_in(user), dossier.id, "submit",
                           dossier.version).status_code == 404
    assert fresh(session, dossier.id).state == "draft"


def test_unknown_trigger_404_missing_version_422_and_wrong_state_409(
        signed_in, session, make_dossier, submitter):
    dossier = make_dossier()
    client = signed_in(submitter)
    assert post_action(client, dossier.id, "teleport", dossier.version).status_code == 404
    response = post_action(client, dossier.id, "submit", None)
    assert response.status_code == 422
    assert "did not say which version" in response.get_data(as_text=True)
    assert post_action(client, dossier.id, "resubmit", dossier.version).status_code == 409
    assert events_of(session, dossier.id)[-1].action == "dossier.created"


def test_decision_number_is_accepted_under_either_field_name(signed_in, session, make_user,
                                                             make_dossier):
    signer = make_user("signer-1", roles=["signer"])
    dossier = make_dossier("council_approved")
    client = signed_in(signer)
    bad = post_action(client, dossier.id, "record_decision", dossier.version,
                      decision_number="QĐ 12")
    assert bad.status_code == 409 and "not a document number" in bad.get_data(as_text=True)
    us_order = post_action(client, dossier.id, "record_decision", dossier.version,
                           decision_number="2307/QĐ-BTP", decision_date="12/31/2025")
    assert us_order.status_code == 409 and "not a valid date" in us_order.get_data(as_text=True)
    response = post_action(client, dossier.id, "record_decision", dossier.version,
                           decision_number="2307/QĐ-BTP", decision_date="01/12/2025")
    assert response.status_code == 302
    decided = fresh(session, dossier.id)
    assert (decided.state, decided.decision_number) == ("decided", "2307/QĐ-BTP")
    assert str(decided.decision_date) == "2025-12-01"
