"""Councils and their members: roles, terms, audit, and the CLI."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.support.helpers import audit_events, run_cli
from workflow_app.council.service import councils
from workflow_app.council.service.errors import InvalidInput
from workflow_app.models.council import Council
from workflow_app.models.user import User


def test_members_roles_and_terms_are_audited(tx, session, make_council):
    kit = make_council(3)
    council = kit.council
    added = audit_events(session, "council.member_added")
    assert len(added) == 4  # chair, secretary, two members
    assert {e.data["role"] for e in added} == {"chair", "secretary", "member"}
    secretary_seat = next(m for m in council.members if m.role == "secretary")
    assert secretary_seat.voting is False  # a secretary does not vote by default
    member = kit.members[1]
    councils.change_role(tx, member, "vice_chair")
    councils.end_term(tx, member, date(2030, 12, 31))
    tx.commit()
    assert audit_events(session, "council.member_role_changed")[0].data["role"] == [
        "member", "vice_chair"]
    assert audit_events(session, "council.member_term_ended")[0].data["term_to"] == [
        None, "2030-12-31"]
    assert [m.id for m in councils.voting_members(council, date(2031, 1, 1))] == [
        kit.members[0].id, kit.members[2].id]


def test_terms_of_one_person_never_overlap_and_one_chair_at_a_time(tx, make_council,
                                                                    make_user):
    kit = make_council(3)
    member = kit.members[1]
    with pytest.raises(InvalidInput):
        councils.add_member(tx, kit.council, member.user, "member", term_from=date(2024, 1, 1))
    tx.rollback()
    councils.end_term(tx, member, date(2024, 12, 31))
    councils.add_member(tx, kit.council, member.user, "vice_chair",
                        term_from=date(2025, 1, 1))
    tx.commit()
    other = tx.get(User, make_user().id)
    with pytest.raises(InvalidInput):
        councils.add_member(tx, kit.council, other, "chair", term_from=date(2025, 1, 1))
    tx.rollback()
    with pytest.raises(InvalidInput):
        councils.change_role(tx, kit.members[2], "chair")


@pytest.mark.parametrize(("comparator", "ratio"), [("=", "1/2"), (">", "3/2"), (">", "half")])
def test_a_bad_quorum_rule_is_refused(tx, root_unit, comparator, ratio):
    with pytest.raises(InvalidInput):
        councils.create_council(tx, code="X", name="X", unit=tx.merge(root_unit),
                                quorum_comparator=comparator, quorum_ratio=ratio)


def test_rules_change_is_audited(tx, session, make_council):
    kit = make_council(3)
    councils.set_rules(tx, kit.council, quorum_comparator=">=", quorum_ratio="2/3",
                       recuse_nominee_unit=True)
    tx.commit()
    [event] = audit_events(session, "council.rules_changed")
    assert event.data["quorum_and_unit_recusal"] == [[">", "1/2", False], [">=", "2/3", True]]


def test_the_cli_creates_a_council_and_seats_members(app, session, root_unit, make_user):
    user = make_user("nguyen.a")
    result = run_cli(app, "council", "create", "HD-BTP", "Hội đồng TĐKT Bộ Tư pháp",
                     "--unit", "BTP", "--quorum", ">=", "2/3")
    assert result.exit_code == 0, result.output
    council = session.scalar(select(Council).where(Council.code == "HD-BTP"))
    assert (council.quorum_comparator, council.quorum_ratio) == (">=", "2/3")
    result = run_cli(app, "council", "add-member", "HD-BTP", "nguyen.a", "standing_member",
                     "--from", "2025-01-01")
    assert result.exit_code == 0, result.output
    result = run_cli(app, "council", "members", "HD-BTP")
    assert "nguyen.a" in result.output and "standing_member" in result.output
    again = run_cli(app, "council", "add-member", "HD-BTP", "nguyen.a", "member",
                    "--from", "2025-06-01")
    assert again.exit_code != 0  # overlapping term refused
    assert len(session.get(Council, council.id).members) == 1
    assert session.get(User, user.id).id == user.id
