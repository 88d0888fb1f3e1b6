"""Movement fixtures: an organising unit with its standing agency (reviewer) and signer,
member units with their officers, and `make_movement(state=…)` opened through the engine."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from tests.support.workflow_factories import add_award_version
from workflow_app.audit.chain import record
from workflow_app.models.base import utcnow
from workflow_app.models.catalogue import Award
from workflow_app.models.subject import permit_state_write
from workflow_app.movements.service.movements import PlanFields, create_movement

_counter = itertools.count(1)


@pytest.fixture
def world(make_unit, root_unit, make_user, make_person):
    ministry = make_unit("Vụ Thi đua - Khen thưởng", parent=root_unit, code="VTDKT")
    members = [make_unit(name, parent=ministry, code=code) for name, code in (
        ("Cục Trợ giúp pháp lý", "CTGPL"), ("Thanh tra Bộ", "TTB"),
        ("Cục Con nuôi", "CCN"))]
    people = {m.code: make_person(f"Nguyễn Văn {m.code}", unit=m) for m in members}
    return {
        "ministry": ministry, "members": members, "people": people,
        "organiser": make_user("vu-tdkt", roles=["reviewer"], unit=ministry),
        "signer": make_user("bo-truong", roles=["signer"], unit=ministry),
        "officers": {m.code: make_user(f"officer-{m.code.lower()}", roles=["submitter"],
                                       unit=m) for m in members},
        "outsider": make_user("outsider", roles=["reviewer"], unit=members[2]),
    }


def plan(world, **changes) -> PlanFields:
    fields = {"title": f"Phong trào thi đua ngành Tư pháp {next(_counter)}",
              "theme": "Ngành Tư pháp đoàn kết, kỷ cương, đổi mới, phát triển",
              "kind": "regular", "scope": "sector", "year": 2017,
              "period_start": date(2017, 1, 1), "period_end": date(2017, 12, 31),
              "participant_ids": [m.id for m in world["members"]],
              "areas": ["Xây dựng, thẩm định VBQPPL", "Trợ giúp pháp lý"]}
    fields.update(changes)
    return PlanFields(**fields)


@pytest.fixture
def make_movement(tx, world):
    def make(state: str | None = None, **changes):
        movement = create_movement(tx, world["organiser"], world["ministry"],
                                   plan(world, **changes))
        if state is not None and state != movement.state:
            before = movement.state
            with permit_state_write(movement):
                movement.state = state
            movement.state_entered_at = utcnow()
            tx.flush()
            record(tx, "movement.test_placed", "movement", movement.id, from_state=before,
                   to_state=state, actor_label="tests")
        tx.commit()
        return movement

    return make


@pytest.fixture
def awards(tx):
    made = {}
    for code, subject in (("TTLDXS", "collective"), ("CSTDCS", "individual")):
        award = Award(code=code, kind="title")
        tx.add(award)
        tx.flush()
        add_award_version(tx, award).subject = subject
        made[code] = award
    tx.commit()
    return made
