"""Council management pages: admins create councils and seat members with roles and terms,
end terms and change roles (audited, with the decision cited); bad input is a form error;
the secretary and chair read only."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.support.helpers import audit_events, login_as, post_form
from workflow_app.council.service import rounds
from workflow_app.models.council import Council, CouncilMember


@pytest.fixture
def admin(make_user, root_unit):
    return make_user("admin-en", roles=["admin"], unit=root_unit, locale="en")




def _create(client, root_unit, **fields):
    data = {"unit_id": root_unit.id, "code": "HDTDKT-BTP",
            "name": "Hội đồng Thi đua - Khen thưởng Bộ Tư pháp", "quorum_comparator": ">",
            "quorum_ratio": "1/2", "basis": "Quyết định số 123/QĐ-BTP", **fields}
    return post_form(client, "/council/councils/new", data)


def test_an_admin_creates_a_council_citing_the_decision(app, client, session, admin, root_unit):
    login_as(app, client, admin)
    response = _create(client, root_unit, recuse_nominee_unit="y")
    assert response.status_code == 302
    council = session.scalar(select(Council).where(Council.code == "HDTDKT-BTP"))
    assert response.headers["Location"].endswith(f"/council/councils/{council.id}")
    assert council.recuse_nominee_unit is True
    [event] = audit_events(session, "council.created")
    assert event.actor_id == admin.id and event.data["basis"] == "Quyết định số 123/QĐ-BTP"
    listing = client.get("/council/councils").get_data(as_text=True)
    assert f'data-testid="council-{council.id}"' in listing


@pytest.mark.parametrize(("fields", "message"), [
    ({"quorum_ratio": "half"}, "fraction"),
    ({"code": "HD TDKT"}, "without spaces"),
    ({"name": ""}, "This field is required"),
])
def test_bad_council_input_is_a_form_error(app, client, session, admin, root_unit, fields,
                                           message):
    login_as(app, client, admin)
    response = _create(client, root_unit, **fields)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert session.scalar(select(Council)) is None


def test_a_taken_code_is_refused(app, client, session, admin, root_unit, make_council):
    kit = make_council(3)
    login_as(app, client, admin)
    response = _create(client, root_unit, code=kit.council.code.lower())
    assert response.status_code == 422 and "is taken" in response.get_data(as_text=True)


def _seat(client, council, user, role, start, end="", **extra):
    url = f"/council/councils/{council.id}"
    data = {"seat-user_id": user.id, "seat-role": role, "seat-term_from": start,
            "seat-term_to": end, "seat-voting": "default", **extra}
    return post_form(client, f"{url}/members", data, token_from=url)


def test_seating_members_with_clear_errors_for_overlaps_and_a_second_chair(
        app, client, session, admin, make_council, make_user, make_person, root_unit):
    kit = make_council(3)
    council = kit.council
    newcomer = make_user("new.member", person=make_person("Nguyễn Văn Mới"))
    login_as(app, client, admin)
    second_chair = _seat(client, council, newcomer, "chair", "2025-01-01")
    assert second_chair.status_code == 422
    assert "already has a chair" in second_chair.get_data(as_text=True)
    overlapping = _seat(client, council, kit.members[1].user, "member", "2024-01-01")
    assert overlapping.status_code == 422
    assert "already has a seat" in overlapping.get_data(as_text=True)
    backwards = _seat(client, council, newcomer, "member", "2025-06-01", "2025-01-01")
    assert backwards.status_code == 422 and "cannot end before" in backwards.get_data(
        as_text=True)
    forged = _seat(client, council, newcomer, "president", "2025-01-01")
    assert forged.status_code == 422
    ok = _seat(client, council, newcomer, "standing_member", "2025-01-01",
               **{"seat-basis": "Quyết định số 45/QĐ-BTP"})
    assert ok.status_code == 302
    seat = session.scalar(select(CouncilMember).where(CouncilMember.user_id == newcomer.id))
    assert (seat.role, seat.voting, seat.term_from) == ("standing_member", True,
                                                        date(2025, 1, 1))
    added = audit_events(session, "council.member_added")[-1]
    assert added.actor_id == admin.id and added.data["basis"] == "Quyết định số 45/QĐ-BTP"
    page = client.get(f"/council/councils/{council.id}").get_data(as_text=True)
    assert f'data-testid="missing-grant-{seat.id}"' in page  # no council_member role yet


def test_ending_a_term_and_changing_a_role_are_audited(app, client, session, admin,
                                                       make_council):
    kit = make_council(3)
    member = kit.members[1]
    url = f"/council/councils/{kit.council.id}"
    login_as(app, client, admin)
    too_early = post_form(client, f"/council/members/{member.id}/end",
                          {"end-last_day": "2019-12-31"}, token_from=url)
    assert too_early.status_code == 422
    assert "cannot end before it starts" in too_early.get_data(as_text=True)
    ended = post_form(client, f"/council/members/{member.id}/end",
                      {"end-last_day": "2030-12-31", "end-basis": "QĐ 9/QĐ-BTP"},
                      token_from=url)
    assert ended.status_code == 302
    assert session.get(CouncilMember, member.id).term_to == date(2030, 12, 31)
    assert audit_events(session, "council.member_term_ended")[0].data["basis"] == "QĐ 9/QĐ-BTP"
    changed = post_form(client, f"/council/members/{member.id}/role",
                        {"role-role": "vice_chair"}, token_from=url)
    assert changed.status_code == 302
    assert audit_events(session, "council.member_role_changed")[0].data["role"] == [
        "member", "vice_chair"]


def test_a_term_cannot_end_before_a_session_whose_voting_started(
        app, client, tx, session, admin, make_council, council_dossier, meeting):
    kit = make_council(3)
    held_on = date.today() - timedelta(days=10)  # within sessions.date_window
    meeting_ = meeting(kit, [council_dossier()], held_on=held_on)
    rounds.open_round(tx, meeting_, actor=kit.secretary)
    tx.commit()
    member = kit.members[2]
    login_as(app, client, admin)
    refused = post_form(client, f"/council/members/{member.id}/end",
                        {"end-last_day": (held_on - timedelta(days=1)).isoformat()},
                        token_from=f"/council/councils/{kit.council.id}")
    assert refused.status_code == 422
    assert held_on.strftime("%d/%m/%Y") in refused.get_data(as_text=True)
    assert session.get(CouncilMember, member.id).term_to is None


def test_secretary_and_chair_read_only_others_see_nothing(app, client, session, make_council,
                                                         make_user, root_unit):
    kit = make_council(3)
    url = f"/council/councils/{kit.council.id}"
    for reader in (kit.secretary, kit.chair):
        login_as(app, client, reader)
        page = client.get(url)
        assert page.status_code == 200
        assert 'data-testid="add-seat"' not in page.get_data(as_text=True)
        assert post_form(client, f"/council/members/{kit.members[1].id}/role",
                         {"role-role": "chair"}, token_from=url).status_code == 403
        assert client.get("/council/councils/new").status_code == 403
    login_as(app, client, kit.members[1].user)  # a member: not a reader of the council
    assert client.get(url).status_code == 404
    assert client.get("/council/councils").status_code == 403
