"""Public disclosure pages: no sign-in, nominee's name only, comments and objections with
limits, CSRF, a rate limit held in the database, and audit events without contact details."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.support.helpers import csrf_token
from tests.support.review_fixtures import in_english, vn_today, working_days_from_today
from workflow_app.disclosure.service import comments as disclosure_service
from workflow_app.disclosure.service.comments import RateLimited, RateLimits
from workflow_app.models.audit import AuditEvent
from workflow_app.models.disclosure import DisclosureComment
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import Person


@pytest.fixture
def nominee(tx, submitting_unit):
    person = Person(full_name="Phạm Văn Đức", unit_id=submitting_unit.id, position="Thẩm tra viên",
                    date_of_birth=date(1979, 11, 23), national_id="001079012345")
    tx.add(person)
    tx.commit()
    return person


@pytest.fixture
def disclosed(make_dossier, make_award, nominee):
    """A dossier under disclosure whose window opened today for 10 working days."""
    return make_dossier("public_disclosure", nominee=nominee,
                        award=make_award(disclosure=True, disclosure_days=10),
                        summary="Ba năm liền Chiến sĩ thi đua cơ sở.",
                        disclosure_started_on=vn_today(),
                        disclosure_ends_on=working_days_from_today(10))


@pytest.fixture
def visitor(client):
    in_english(client)
    return client


def _post(client, dossier_id, **data):
    path = f"/cong-khai/{dossier_id}"
    token = csrf_token(client, path)
    return client.post(path, data={"kind": "comment", "csrf_token": token, **data})


def test_the_list_shows_only_dossiers_under_disclosure(visitor, disclosed, make_dossier):
    in_appraisal = make_dossier("in_appraisal", summary="Không công khai")
    response = visitor.get("/cong-khai/")
    assert response.status_code == 200  # no sign-in
    html = response.get_data(as_text=True)
    assert f'data-dossier="{disclosed.id}"' in html
    assert f'data-dossier="{in_appraisal.id}"' not in html and "Không công khai" not in html
    assert "Phạm Văn Đức" in html and "Ba năm liền Chiến sĩ thi đua cơ sở." in html
    assert f"Award {disclosed.award.code}" in html
    start, end = disclosed.disclosure_started_on, disclosed.disclosure_ends_on
    assert f"From {start:%d/%m/%Y} to {end:%d/%m/%Y} (10 working days)" in html
    assert visitor.get(f"/cong-khai/{in_appraisal.id}").status_code == 404


@pytest.mark.parametrize("path", ["/cong-khai/", "/cong-khai/{id}"])
def test_no_personal_data_beyond_the_name(visitor, disclosed, path):
    html = visitor.get(path.format(id=disclosed.id)).get_data(as_text=True)
    assert "Phạm Văn Đức" in html
    for secret in ("001079012345", "012345", "1979", "23/11/1979", "Thẩm tra viên"):
        assert secret not in html, secret
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and " style=" not in html


def test_anyone_may_comment_without_signing_in(visitor, session, disclosed):
    response = _post(visitor, disclosed.id, body="  Đồng chí Đức rất xứng đáng.  ",
                     author_name="Nguyễn Văn B", author_contact="b@example.vn")
    assert response.status_code == 302
    assert "Your comment was recorded" in visitor.get(
        response.headers["Location"]).get_data(as_text=True)
    [comment] = session.scalars(select(DisclosureComment)).all()
    assert (comment.kind, comment.body) == ("comment", "Đồng chí Đức rất xứng đáng.")
    assert (comment.author_name, comment.author_contact) == ("Nguyễn Văn B", "b@example.vn")
    assert "127.0.0.1" not in comment.client_hash and len(comment.client_hash) == 64
    dossier = session.get(Dossier, disclosed.id)
    assert dossier.open_objection_count == 0 and dossier.version == disclosed.version


def test_an_objection_is_counted_on_the_dossier_and_audited_without_contact_details(
        visitor, session, disclosed):
    response = _post(visitor, disclosed.id, kind="objection",
                     body="Đồng chí đang bị xem xét kỷ luật.", author_name="Trần Thị C",
                     author_contact="0912 345 678")
    assert response.status_code == 302
    dossier = session.get(Dossier, disclosed.id)
    assert dossier.open_objection_count == 1 and dossier.version == disclosed.version + 1
    [event] = session.scalars(select(AuditEvent)
                              .where(AuditEvent.action == "disclosure.comment_added")).all()
    assert event.actor_id is None and event.actor_label == "public"
    assert event.subject_id == str(disclosed.id)
    assert event.data["kind"] == "objection" and event.data["open_objection_count"] == 1
    stored = json.dumps(event.data, ensure_ascii=False)
    for detail in ("Trần Thị C", "0912 345 678", "127.0.0.1", "kỷ luật"):
        assert detail not in stored
    assert len(event.data["author_sha256"]) == 64 and len(event.data["text_sha256"]) == 64


@pytest.mark.parametrize(("data", "message"), [
    ({"body": ""}, "Please write your comment."),
    ({"body": "   \n  "}, "Please write your comment."),
    ({"body": "x" * 2001}, "At most 2000 characters."),
    ({"body": "ok", "author_name": "n" * 121}, "At most 120 characters."),
    ({"body": "ok", "author_contact": "c" * 121}, "At most 120 characters."),
    ({"body": "ok", "kind": "praise"}, "Not a valid choice"),
])
def test_bad_input_gets_a_clear_form_error_and_nothing_is_stored(visitor, session, disclosed,
                                                                 data, message):
    response = _post(visitor, disclosed.id, **data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert session.scalars(select(DisclosureComment)).all() == []


def test_the_longest_allowed_comment_is_accepted(visitor, session, disclosed):
    assert _post(visitor, disclosed.id, body="x" * 2000, author_name="n" * 120).status_code == 302
    assert len(session.scalars(select(DisclosureComment.body)).one()) == 2000


def test_the_form_needs_its_csrf_token(visitor, session, disclosed):
    response = visitor.post(f"/cong-khai/{disclosed.id}", data={"kind": "comment", "body": "x"})
    assert response.status_code == 400
    assert session.scalars(select(DisclosureComment)).all() == []


def test_comments_close_when_the_window_has_elapsed(visitor, session, tx, disclosed):
    token = csrf_token(visitor, f"/cong-khai/{disclosed.id}")
    dossier = tx.get(Dossier, disclosed.id)
    dossier.disclosure_started_on = vn_today() - timedelta(days=20)
    dossier.disclosure_ends_on = vn_today() - timedelta(days=1)
    tx.commit()
    html = visitor.get(f"/cong-khai/{disclosed.id}").get_data(as_text=True)
    assert 'data-testid="comments-closed"' in html and "<textarea" not in html
    response = visitor.post(f"/cong-khai/{disclosed.id}",
                            data={"kind": "objection", "body": "Muộn", "csrf_token": token})
    assert response.status_code == 409
    assert "closed" in response.get_data(as_text=True)
    assert session.scalars(select(DisclosureComment)).all() == []


def test_rate_limit_gives_429_and_holds_for_another_app_instance(
        visitor, session, disclosed, config, make_app):
    for n in range(disclosure_service.DEFAULT_PER_HOUR):
        assert _post(visitor, disclosed.id, body=f"Ý kiến {n}").status_code == 302
    response = _post(visitor, disclosed.id, body="Một ý kiến nữa")
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert 'data-testid="rate-limited"' in html and "Please try again in" in html
    # A second worker (its own app, engine and memory) sees the same count.
    other = make_app(config).test_client()
    in_english(other)
    assert _post(other, disclosed.id, body="Từ tiến trình khác").status_code == 429
    assert session.scalar(select(DisclosureComment.id).where(
        DisclosureComment.body == "Từ tiến trình khác")) is None
    assert len(session.scalars(select(DisclosureComment)).all()) == 5


def test_the_daily_limit_counts_a_whole_day(app, tx, disclosed):
    limits = RateLimits(per_hour=100, per_day=3)
    dossier = tx.get(Dossier, disclosed.id)
    dossier.disclosure_started_on -= timedelta(days=2)  # the window covers five hours ago
    earlier = disclosure_service.utcnow() - timedelta(hours=5)
    for n in range(3):
        disclosure_service.add_comment(tx, dossier, kind="comment", body=f"c{n}",
                                       client="a" * 64, now=earlier, limits=limits)
    tx.commit()
    with pytest.raises(RateLimited) as error:
        disclosure_service.add_comment(tx, dossier, kind="comment", body="again",
                                       client="a" * 64, limits=limits)
    tx.rollback()
    assert error.value.code == 429 and 18 * 60 < error.value.minutes <= 19 * 60
    # Another address is not affected.
    disclosure_service.add_comment(tx, dossier, kind="comment", body="x", client="b" * 64,
                                   limits=limits)
    tx.commit()
