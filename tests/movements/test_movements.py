"""Movements: a second kind of workflow subject driven by the same engine (states/movement.toml),
with the same audit events; plans validated; pages and the launch through the forms."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.movements.conftest import plan
from tests.support.helpers import audit_events, csrf_token, login_as, recording
from workflow_app.models.audit import AuditEvent
from workflow_app.models.movement import Movement
from workflow_app.models.subject import StateWriteForbidden
from workflow_app.models.user import ROLES
from workflow_app.movements.service import queries
from workflow_app.movements.service.movements import (
    MovementError,
    create_movement,
    update_movement,
)
from workflow_app.workflow import (
    Forbidden,
    GuardFailed,
    InvalidTransition,
    StaleVersion,
    fire,
    get_registry,
)

LAUNCH = {"document_number": "131/QĐ-BTP", "document_date": "2017-01-25",
          "document_signer": "Lê Thành Long"}


def _events(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent))


def test_every_role_fires_exactly_its_movement_transitions(tx, session, world, make_user,
                                                           make_movement):
    """The movement matrix: each (transition, source) × role, one audit event
    `movement.<trigger>` when allowed, Forbidden and nothing written otherwise; every trigger
    refused from a state it does not leave."""
    definition = get_registry().get("movement")
    assert definition.subject == "movement" and "movement" not in get_registry().names()
    users = {role: make_user(f"m-{role.replace('_', '-')}", roles=[role],
                             unit=world["ministry"]) for role in ROLES}
    problems = []
    for transition in definition.transitions:
        data = LAUNCH if transition.trigger == "launch" else {}
        reason = "Không đủ kinh phí" if transition.reason_required else None
        for source in transition.sources:
            for role in ROLES:
                movement = make_movement(source)
                before = _events(session)
                try:
                    event = fire(tx, movement, transition.trigger, users[role],
                                 movement.version, reason, **data)
                    tx.commit()
                    ok = role in transition.roles and (
                        event.action, event.subject_type, event.from_state, event.to_state,
                        movement.state, _events(session) - before) == (
                        f"movement.{transition.trigger}", "movement", source,
                        transition.dest, transition.dest, 1)
                    if not ok:
                        problems.append(f"{transition.trigger}/{source}/{role}: {event.action}")
                except Forbidden as error:
                    tx.rollback()
                    if role in transition.roles or "phong trào" not in str(error.description):
                        problems.append(f"{transition.trigger}/{source}/{role}: forbidden")
                    if _events(session) != before:
                        problems.append(f"{transition.trigger}/{source}/{role}: wrote")
        for state in set(definition.states) - set(transition.sources):
            movement = make_movement(state)
            with pytest.raises(InvalidTransition):
                fire(tx, movement, transition.trigger, users[transition.roles[0]],
                     movement.version, "x", **LAUNCH)
            tx.rollback()
    assert problems == []


def test_launch_records_the_document_and_guards_the_plan(tx, session, world, make_movement):
    organiser = world["organiser"]
    bare = make_movement(theme="", participant_ids=[])
    with pytest.raises(GuardFailed) as refused:
        fire(tx, bare, "launch", organiser, bare.version, **LAUNCH)
    tx.rollback()
    assert refused.value.guard == "movement_ready"
    movement = make_movement()
    with pytest.raises(GuardFailed):  # the number must look like 131/QĐ-BTP
        fire(tx, movement, "launch", organiser, movement.version, document_number="số 131")
    tx.rollback()
    with pytest.raises(StaleVersion) as stale:
        fire(tx, movement, "launch", organiser, movement.version + 5, **LAUNCH)
    tx.rollback()
    assert "phong trào này" in str(stale.value.description).lower()  # worded for a movement
    event = fire(tx, movement, "launch", organiser, movement.version, **LAUNCH)
    tx.commit()
    assert (movement.state, movement.document_number, movement.document_date,
            movement.document_signer) == ("launched", "131/QĐ-BTP", date(2017, 1, 25),
                                          "Lê Thành Long")
    assert event.data["changes"]["document_number"] == ["", "131/QĐ-BTP"]
    created = audit_events(session, "movement.created")
    assert created and created[-1].subject_id == str(movement.id)
    with pytest.raises(StateWriteForbidden):
        movement.state = "concluded"


def test_plans_are_validated_and_edited_with_a_version_check(tx, world, make_movement):
    organiser = world["organiser"]
    bad = [
        ({"period_end": date(2016, 1, 1)}, "period_end"),
        ({"title": "  "}, "title"),
        ({"kind": "campaign"}, "kind"),
        ({"scope": "cluster"}, "cluster_id"),
        ({"participant_ids": [999999]}, "participant_ids"),
    ]
    for changes, field in bad:
        with pytest.raises(MovementError) as refused:
            create_movement(tx, organiser, world["ministry"], plan(world, **changes))
        tx.rollback()
        assert refused.value.field == field, changes
    with pytest.raises(Forbidden):
        create_movement(tx, world["outsider"], world["ministry"], plan(world))
    tx.rollback()
    parent = make_movement()
    child = make_movement(parent_id=parent.id, scope="unit")
    with pytest.raises(MovementError):  # a cycle: the parent under its own child
        update_movement(tx, organiser, parent, parent.version, plan(world, parent_id=child.id))
    tx.rollback()
    version = child.version
    update_movement(tx, organiser, child, version, plan(world, title="Kế hoạch 16/KH-STP",
                                                        areas=["A", "B", "C"],
                                                        parent_id=parent.id))
    tx.commit()
    assert (child.title, [a.title for a in child.areas], child.version) == (
        "Kế hoạch 16/KH-STP", ["A", "B", "C"], version + 1)
    with pytest.raises(StaleVersion):
        update_movement(tx, organiser, child, version, plan(world))
    tx.rollback()
    assert tx.get(Movement, child.id).parent_id == parent.id
    make_movement()
    with recording(tx.get_bind()) as log:  # the list: four statements however many rows
        rows = queries.list_movements(tx, year=2017)
    assert len(rows) == 3 and all(r.participants == 3 for r in rows)
    assert len([s for s in log if s.lstrip().upper().startswith("SELECT")]) == 4


def test_organiser_creates_and_launches_through_the_pages(app, client, session, world):
    login_as(app, client, world["organiser"])
    token = csrf_token(client, "/movements/new")
    members = world["members"]
    response = client.post("/movements/new", data={
        "csrf_token": token, "unit_id": world["ministry"].id, "title": "Phong trào 2017",
        "kind": "regular", "scope": "sector", "theme": "Đoàn kết, kỷ cương", "year": "2017",
        "period_start": "2017-01-01", "period_end": "2016-12-31", "parent_id": "0",
        "cluster_id": "0", "participant_ids": [str(members[0].id)], "areas": "Một\nHai"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Kỳ thi đua không thể kết thúc trước" in page
    response = client.post("/movements/new", data={
        "csrf_token": token, "unit_id": world["ministry"].id, "title": "Phong trào 2017",
        "kind": "regular", "scope": "sector", "theme": "Đoàn kết, kỷ cương", "year": "2017",
        "period_start": "2017-01-01", "period_end": "2017-12-31", "parent_id": "0",
        "cluster_id": "0", "participant_ids": [str(m.id) for m in members],
        "areas": "Một\nHai"})
    assert response.status_code == 303
    movement = session.scalars(select(Movement).where(Movement.title == "Phong trào 2017")).one()
    page = client.get(f"/movements/{movement.id}").get_data(as_text=True)
    assert "Dự thảo kế hoạch" in page and "Chưa đăng ký (3)" in page and "draft" not in page
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    response = client.post(f"/movements/{movement.id}/actions/launch",
                           content_type="multipart/form-data", data={
        "csrf_token": csrf_token(client, f"/movements/{movement.id}"),
        "version": str(movement.version), "document_number": "131/QĐ-BTP",
        "document_date": "2017-01-25", "document_signer": "Lê Thành Long",
        "document_file": (io.BytesIO(pdf), "QD 131.pdf")})
    assert response.status_code == 303
    assert client.get(f"/movements/{movement.id}/document").data == pdf
    viewed = client.get(f"/movements/{movement.id}/document/view")  # "Xem", in the page
    assert viewed.data == pdf and viewed.headers["Content-Disposition"].startswith("inline;")
    assert viewed.headers["Content-Security-Policy"].startswith("sandbox")
    assert f'href="/movements/{movement.id}/document/view"' in client.get(
        f"/movements/{movement.id}").get_data(as_text=True)
    session.expire_all()
    assert session.get(Movement, movement.id).state == "launched"
    listing = client.get("/movements/").get_data(as_text=True)
    assert "131/QĐ-BTP, 25/01/2017" in listing and "Đã phát động" in listing
    login_as(app, client, world["officers"]["CCN"])
    assert client.get(f"/movements/{movement.id}/edit").status_code == 403
    assert client.get(f"/movements/{movement.id}").status_code == 200
