"""Objections from the public, answered by reviewers; the dossier leaves disclosure only when
the window has elapsed and every objection has its answer."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from tests.support.helpers import csrf_token, login_as, post_form
from tests.support.review_fixtures import at_day, in_english, vn_today
from workflow_app.models.audit import AuditEvent
from workflow_app.models.disclosure import DisclosureComment
from workflow_app.models.dossier import Dossier
from workflow_app.workflow import GuardFailed, fire


@pytest.fixture(autouse=True)
def english(app):
    with force_locale("en"):
        yield


@pytest.fixture
def disclosed(tx, make_dossier, make_award, reviewer_a):
    """In appraisal, then sent to public disclosure through the engine, today."""
    dossier = make_dossier("in_appraisal", award=make_award(disclosure=True, disclosure_days=10))
    fire(tx, dossier, "open_disclosure", tx.merge(reviewer_a))
    tx.commit()
    return dossier


def _public_post(app, make_app, config, dossier_id, **data):
    """A visitor, on a client of their own (not signed in)."""
    visitor = make_app(config).test_client()
    in_english(visitor)
    path = f"/cong-khai/{dossier_id}"
    return visitor.post(path, data={"csrf_token": csrf_token(visitor, path), **data})


def _comment_ids(session, kind):
    return list(session.scalars(select(DisclosureComment.id)
                                .where(DisclosureComment.kind == kind)
                                .order_by(DisclosureComment.id)))


def test_the_window_and_the_answers_both_gate_the_move_to_the_council(
        app, make_app, config, client, session, tx, disclosed, reviewer_a):
    # Read what the test needs now: `disclosed` belongs to `tx`, and touching it after a
    # rollback would open a transaction there (holding SQLite's write lock during requests).
    dossier_id, ends = disclosed.id, disclosed.disclosure_ends_on
    assert disclosed.disclosure_started_on == vn_today()
    for body in ("Phản ánh thứ nhất", "Phản ánh thứ hai"):
        assert _public_post(app, make_app, config, dossier_id, kind="objection",
                            body=body).status_code == 302
    assert _public_post(app, make_app, config, dossier_id, kind="comment",
                        body="Ủng hộ").status_code == 302
    assert session.get(Dossier, dossier_id).open_objection_count == 2
    reviewer = tx.merge(reviewer_a)
    tx.rollback()  # hold no SQLite write lock while requests run

    def blocked(day) -> GuardFailed:
        dossier = tx.get(Dossier, dossier_id)
        tx.expire(dossier)
        with pytest.raises(GuardFailed) as error:
            fire(tx, dossier, "close_disclosure", reviewer, now=at_day(day))
        tx.rollback()
        return error.value

    # While the window is open: blocked by the window (on its last day too).
    assert blocked(ends).guard == "disclosure_window_elapsed"
    # After the window: blocked by the unanswered objections.
    error = blocked(ends + timedelta(days=1))
    assert error.guard == "objections_answered" and "2 objections" in error.description

    login_as(app, client, reviewer_a)
    path = f"/review/dossiers/{dossier_id}"
    first, second = _comment_ids(session, "objection")
    response = post_form(client, f"{path}/objections/{first}/answer",
                         {f"a{first}-answer": "Đã xác minh: không có căn cứ."}, token_from=path)
    assert response.status_code == 302
    assert session.get(Dossier, dossier_id).open_objection_count == 1
    assert "1 objection has not been answered" in blocked(ends + timedelta(days=1)).description

    post_form(client, f"{path}/objections/{second}/answer",
              {f"a{second}-answer": "Đơn vị đã giải trình."}, token_from=path)
    dossier = tx.get(Dossier, dossier_id)
    tx.expire(dossier)
    assert dossier.open_objection_count == 0
    # Still not before the window has elapsed …
    assert blocked(ends).guard == "disclosure_window_elapsed"
    # … and then the dossier moves on.
    fire(tx, dossier, "close_disclosure", reviewer, now=at_day(ends + timedelta(days=1)))
    tx.commit()
    assert session.get(Dossier, dossier_id).state == "awaiting_council"


def test_answering_is_audited_and_shown_on_the_review_page(
        app, make_app, config, client, session, disclosed, reviewer_a):
    _public_post(app, make_app, config, disclosed.id, kind="objection", body="Có sai phạm",
                 author_name="Người dân", author_contact="dan@example.vn")
    [objection] = _comment_ids(session, "objection")
    version = session.get(Dossier, disclosed.id).version
    login_as(app, client, reviewer_a)
    path = f"/review/dossiers/{disclosed.id}"
    page = client.get(path).get_data(as_text=True)
    assert "1 objection to answer" in page
    assert "dan@example.vn" in page  # reviewers may reach the author; the public never sees it
    post_form(client, f"{path}/objections/{objection}/answer",
              {f"a{objection}-answer": "Đã kiểm tra, không có sai phạm."}, token_from=path)
    comment = session.get(DisclosureComment, objection)
    assert comment.answer == "Đã kiểm tra, không có sai phạm."
    assert comment.answered_by_id == reviewer_a.id and comment.answered_at is not None
    dossier = session.get(Dossier, disclosed.id)
    assert dossier.open_objection_count == 0 and dossier.version == version + 1
    [event] = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "disclosure.objection_answered")).all()
    assert event.actor_id == reviewer_a.id
    assert event.data["comment_id"] == objection
    assert event.data["changes"] == {"open_objection_count": [1, 0]}
    page = client.get(path).get_data(as_text=True)
    assert f'data-testid="answer-{objection}"' in page
    assert f'data-testid="answer-form-{objection}"' not in page


def test_an_empty_answer_is_a_form_error(app, make_app, config, client, session, disclosed,
                                         reviewer_a):
    _public_post(app, make_app, config, disclosed.id, kind="objection", body="Phản ánh")
    [objection] = _comment_ids(session, "objection")
    login_as(app, client, reviewer_a)
    path = f"/review/dossiers/{disclosed.id}"
    response = post_form(client, f"{path}/objections/{objection}/answer",
                         {f"a{objection}-answer": "   "}, token_from=path)
    assert response.status_code == 422
    assert re.search(r"Please write the answer\.", response.get_data(as_text=True))
    assert session.get(DisclosureComment, objection).answer is None
    assert session.get(Dossier, disclosed.id).open_objection_count == 1


def test_an_objection_is_answered_once_only(app, make_app, config, client, session, disclosed,
                                            reviewer_a):
    _public_post(app, make_app, config, disclosed.id, kind="objection", body="Phản ánh")
    [objection] = _comment_ids(session, "objection")
    login_as(app, client, reviewer_a)
    path = f"/review/dossiers/{disclosed.id}"
    token = csrf_token(client, path)
    url = f"{path}/objections/{objection}/answer"
    first = client.post(url, data={"csrf_token": token, f"a{objection}-csrf_token": token,
                                   f"a{objection}-answer": "Trả lời"})
    again = client.post(url, data={"csrf_token": token, f"a{objection}-csrf_token": token,
                                   f"a{objection}-answer": "Trả lời lần hai"})
    assert (first.status_code, again.status_code) == (302, 409)
    assert session.get(DisclosureComment, objection).answer == "Trả lời"
    assert session.get(Dossier, disclosed.id).open_objection_count == 0


def test_comments_are_not_answered_and_other_provinces_cannot_answer(
        app, make_app, config, client, session, disclosed, reviewer_b):
    _public_post(app, make_app, config, disclosed.id, kind="objection", body="Phản ánh")
    [objection] = _comment_ids(session, "objection")
    login_as(app, client, reviewer_b)
    response = post_form(client, f"/review/dossiers/{disclosed.id}/objections/{objection}/answer",
                         {f"a{objection}-answer": "Không thuộc thẩm quyền"},
                         token_from="/review/")
    assert response.status_code == 404
    assert session.get(DisclosureComment, objection).answer is None
