"""Organisations that change (issue 19): units with a life, reorganisation events with their
decision, names and parents as of any day, hand-over of work in flight, role grants by an
explicit choice, reversal by a compensating event, and the refusals of bad input."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from workflow_app.models import AuditEvent, OrgEvent, OrgUnit, RoleGrant
from workflow_app.org.service import history, reorg, scope

MERGER_DAY = date(2025, 7, 1)


def change(kind, units, successors=(), *, day=MERGER_DAY, **fields) -> reorg.Change:
    return reorg.Change(kind=kind, effective_date=day, decision_number="12/QĐ-UBND",
                        decision_date=date(2025, 6, 20), decision_issuer="UBND tỉnh Quảng Trị",
                        units=list(units), successors=list(successors), **fields)


@pytest.fixture(autouse=True)
def _english(app):
    """The services' messages in English, as the assertions read them (Vietnamese is
    checked by the page tests and tests/framework/test_i18n.py)."""
    with force_locale("en"):
        yield


@pytest.fixture
def provinces(make_unit, root_unit):
    """Bộ ─ Khối ─┬─ Sở QB ── Phòng QB
                  └─ Sở QT"""
    local = make_unit("Khối cơ quan Tư pháp địa phương", kind="other", parent=root_unit)
    qb = make_unit("Sở Tư pháp tỉnh Quảng Bình", kind="provincial_justice", parent=local)
    qb_office = make_unit("Văn phòng Sở", kind="division", parent=qb)
    qt = make_unit("Sở Tư pháp tỉnh Quảng Trị", kind="provincial_justice", parent=local)
    return local, qb, qb_office, qt


def _events(session) -> int:
    return session.scalar(select(func.count(OrgEvent.id)))


def test_rename_keeps_the_old_name_for_days_before_it(session, provinces):
    _local, qb, _office, _qt = provinces
    event = reorg.apply(session, change("renamed", [qb], new_name="Sở Tư pháp Quảng Bình mới"))
    session.commit()
    assert qb.name == "Sở Tư pháp Quảng Bình mới"
    assert history.name_as_of(session, qb, date(2018, 5, 1)) == "Sở Tư pháp tỉnh Quảng Bình"
    assert history.name_as_of(session, qb, date(2025, 6, 30)) == "Sở Tư pháp tỉnh Quảng Bình"
    assert history.name_as_of(session, qb, MERGER_DAY) == "Sở Tư pháp Quảng Bình mới"
    [audit] = session.scalars(select(AuditEvent).where(AuditEvent.action == "org.renamed"))
    assert str(audit.subject_id) == str(event.id)
    assert audit.data["units"][0]["old_name"] == "Sở Tư pháp tỉnh Quảng Bình"


def test_move_records_the_parent_as_of_each_day(session, provinces, root_unit):
    local, qb, office, _qt = provinces
    reorg.apply(session, change("moved", [qb], new_parent=root_unit))
    session.commit()
    assert qb.parent_id == root_unit.id and office.path.startswith(qb.path)
    assert history.parent_as_of(session, qb, date(2020, 1, 1)).id == local.id
    assert history.parent_as_of(session, qb, MERGER_DAY).id == root_unit.id


def test_merger_closes_the_unit_and_its_sub_units_and_keeps_them_under_the_successor(
        session, provinces):
    local, qb, office, qt = provinces
    reorg.apply(session, change("merged", [qb], [qt]))
    session.commit()
    session.expire_all()
    assert (qb.valid_to, office.valid_to, qt.valid_to) == (MERGER_DAY, MERGER_DAY, None)
    assert not qb.is_active and qb.is_closed and not qb.exists_on(MERGER_DAY)
    assert qb.exists_on(date(2025, 6, 30))
    # Kept in the tree under its successor (scope follows), its parent before recorded.
    assert qb.parent_id == qt.id and qb.is_within(qt) and office.is_within(qt)
    assert history.parent_as_of(session, qb, date(2020, 1, 1)).id == local.id
    assert [u.id for u in history.successors_of(session, qb)] == [qt.id]
    assert [(p.unit.id, p.until) for p in history.predecessors(session, qt)] == [
        (qb.id, MERGER_DAY)]
    assert history.current_name(session, qb) == "Sở Tư pháp tỉnh Quảng Trị"


def test_merger_hands_open_dossiers_over_and_leaves_decided_ones(
        session, tx, provinces, make_dossier, make_user):
    _local, qb, _office, qt = provinces
    officer = make_user("officer-qb", roles=["submitter"], unit=qb)
    open_one = make_dossier("submitted", unit=qb, creator=officer)
    decided = make_dossier("decided", unit=qb, creator=officer)
    plan = reorg.preview(session, change("merged", [qb], [qt], grants_choice="move"))
    assert plan.ok and [d.id for d in plan.work.dossiers] == [open_one.id]
    event = reorg.apply(session, change("merged", [qb], [qt], grants_choice="move"))
    session.commit()
    assert event.handover["dossier"] == [[open_one.id, qb.id, qt.id]]
    tx.expire_all()
    assert tx.get(type(open_one), open_one.id).unit_id == qt.id
    assert tx.get(type(decided), decided.id).unit_id == qb.id  # history stays where earned


def test_grants_over_a_closing_unit_need_an_explicit_choice(session, provinces, make_user):
    _local, qb, _office, qt = provinces
    officer = make_user("officer-qb", roles=["submitter"], unit=qb)
    plan = reorg.preview(session, change("merged", [qb], [qt]))
    assert not plan.ok and any("move" in p or "lapse" in p for p in plan.problems)
    with pytest.raises(reorg.ReorgError):
        reorg.apply(session, change("merged", [qb], [qt]))
    assert _events(session) == 0 and session.get(OrgUnit, qb.id).valid_to is None

    reorg.apply(session, change("merged", [qb], [qt], grants_choice="move"))
    session.commit()
    session.expire_all()
    assert [(g.role, g.unit_id) for g in officer.grants] == [("submitter", qt.id)]


def test_grants_lapse_when_so_chosen_and_come_back_on_reversal(session, provinces, make_user):
    _local, qb, _office, qt = provinces
    officer = make_user("officer-qb", roles=["submitter"], unit=qb)
    event = reorg.apply(session, change("merged", [qb], [qt], grants_choice="lapse"))
    session.commit()
    assert session.scalar(select(func.count(RoleGrant.id)).where(
        RoleGrant.user_id == officer.id)) == 0
    reorg.reverse(session, event, "Nhập nhầm quyết định")
    session.commit()
    session.expire_all()
    assert [(g.role, g.unit_id) for g in officer.grants] == [("submitter", qb.id)]


def test_a_submitter_of_the_merged_unit_sees_its_people_and_dossiers_under_the_successor(
        session, provinces, make_user, make_person):
    _local, qb, _office, qt = provinces
    officer = make_user("officer-qb", roles=["submitter"], unit=qb)
    staff = make_person("Phạm Thị Ngọc Lan", unit=qb)
    other_qt = make_user("officer-qt", roles=["submitter"], unit=qt)
    assert not scope.can_see_person(other_qt, staff)
    reorg.apply(session, change("merged", [qb], [qt], grants_choice="move"))
    session.commit()
    session.expire_all()
    # The moved grant covers the successor, and the closed unit lies under it.
    assert scope.can_see_person(officer, staff)
    assert scope.can_see_person(other_qt, staff)  # the successor's officers too
    assert scope.scope_paths(officer) == [qt.path]


@pytest.mark.parametrize("case", ["before_existence", "itself", "descendant", "dissolved",
                                  "successor_later", "future", "earlier_than_latest"])
def test_bad_input_gets_a_clear_message_and_nothing_is_applied(session, provinces, case):
    local, qb, office, qt = provinces
    if case == "before_existence":
        qb.valid_from = date(2010, 1, 1)
        session.commit()
        bad, words = change("merged", [qb], [qt], day=date(2009, 12, 31)), "before"
    elif case == "itself":
        bad, words = change("merged", [qb], [qb]), "itself"
    elif case == "descendant":
        bad, words = change("merged", [qb], [office]), "sub-unit"
    elif case == "dissolved":
        reorg.apply(session, change("dissolved", [qt]))
        session.commit()
        bad, words = change("renamed", [qt], new_name="Sở mới"), "ceased to exist"
    elif case == "successor_later":
        qt.valid_from = date(2025, 8, 1)
        session.commit()
        bad, words = change("merged", [qb], [qt]), "only exists from"
    elif case == "future":
        bad, words = change("merged", [qb], [qt], day=date(2099, 1, 1)), "future"
    else:
        reorg.apply(session, change("renamed", [qb], new_name="Tên 2025"))
        session.commit()
        bad, words = change("merged", [qb], [qt], day=date(2024, 1, 1)), "date order"
    before_events, before = _events(session), (qb.name, qb.parent_id, qb.valid_to)
    with pytest.raises(reorg.ReorgError, match=words):
        reorg.apply(session, bad)
    session.rollback()
    session.expire_all()
    assert _events(session) == before_events
    assert (qb.name, qb.parent_id, qb.valid_to) == before


def test_split_passes_the_history_to_the_chosen_part_only(session, provinces, make_unit):
    local, qb, _office, _qt = provinces
    north = make_unit("Sở Bắc", kind="provincial_justice", parent=local)
    south = make_unit("Sở Nam", kind="provincial_justice", parent=local)
    reorg.apply(session, change("split", [qb], [north, south], heirs=[north]))
    session.commit()
    session.expire_all()
    assert [p.unit.id for p in history.predecessors(session, north)] == [qb.id]
    assert history.predecessors(session, south) == []
    assert qb.is_within(north) and qb.valid_to == MERGER_DAY


def test_reversal_restores_everything_and_keeps_both_events(session, provinces, make_dossier,
                                                            tx, make_user):
    local, qb, office, qt = provinces
    officer = make_user("officer-qb", roles=["submitter"], unit=qb)
    dossier = make_dossier("submitted", unit=qb, creator=officer)
    event = reorg.apply(session, change("merged", [qb], [qt], grants_choice="move"))
    session.commit()
    with pytest.raises(reorg.ReorgError, match="reason"):
        reorg.reverse(session, event, "  ")
    compensation = reorg.reverse(session, event, "Quyết định bị hủy")
    session.commit()
    session.expire_all()
    assert (qb.valid_to, office.valid_to, qb.is_active, qb.parent_id) == (None, None, True,
                                                                          local.id)
    assert office.is_within(qb) and not qb.is_within(qt)
    tx.expire_all()
    assert tx.get(type(dossier), dossier.id).unit_id == qb.id
    assert compensation.reverses_id == event.id and event.is_reversed
    assert _events(session) == 2  # nothing deleted
    assert history.predecessors(session, qt) == []
    with pytest.raises(reorg.ReorgError, match="already"):
        reorg.reverse(session, event, "lần nữa")


def test_a_later_change_must_be_reversed_first(session, provinces):
    _local, qb, _office, qt = provinces
    first = reorg.apply(session, change("renamed", [qb], new_name="Tên A",
                                        day=date(2025, 1, 1)))
    reorg.apply(session, change("merged", [qb], [qt]))
    session.commit()
    with pytest.raises(reorg.ReorgError, match="later change"):
        reorg.reverse(session, first, "sai")
    assert not first.is_reversed


def test_created_unit_exists_from_its_date(session, provinces):
    local, _qb, _office, qt = provinces
    unit = reorg.create_unit(session, code="STP-NEW", name="Sở Tư pháp mới",
                             kind="provincial_justice", parent=local,
                             effective_date=MERGER_DAY, decision_number="1/QĐ-UBND",
                             decision_date=date(2025, 6, 1), decision_issuer="UBND tỉnh")
    session.commit()
    assert unit.valid_from == MERGER_DAY and not unit.exists_on(date(2025, 6, 30))
    assert [e.kind for e in history.events_of(session, unit)] == ["created"]
    with pytest.raises(reorg.ReorgError, match="before"):
        reorg.apply(session, change("merged", [unit], [qt], day=date(2025, 6, 1)))


def test_the_merged_units_submitter_sees_their_dossiers_under_the_successor(
        app, client, session, tx, provinces, make_dossier, make_user):
    from tests.support.helpers import login_as
    from workflow_app.dossiers.service import access
    from workflow_app.models import Dossier

    _local, qb, _office, qt = provinces
    officer = make_user("officer-qb", roles=["submitter"], unit=qb)
    ids = [make_dossier(state, unit=qb, creator=officer, title=title).id
           for state, title in (("submitted", "Hồ sơ đang xét QB"),
                                ("decided", "Hồ sơ đã quyết định QB"))]
    tx.commit()
    stranger = make_user("officer-qt", roles=["submitter"], unit=qt)
    assert not access.can_see_dossier(stranger, session.get(Dossier, ids[1]))
    reorg.apply(session, change("merged", [qb], [qt], grants_choice="move"))
    session.commit()
    session.expire_all()
    open_one, decided = (session.get(Dossier, i) for i in ids)
    assert open_one.unit_id == qt.id and decided.unit_id == qb.id
    for user in (officer, stranger):  # the moved grant, and the successor's own officer
        assert access.can_see_dossier(user, open_one) and access.can_see_dossier(user, decided)
        assert access.may_submit_for(user, open_one.unit)
    login_as(app, client, officer)
    listing = client.get("/dossiers/").get_data(as_text=True)
    assert all(f'data-testid="dossier-{i}"' in listing for i in ids)


def test_a_ceased_unit_cannot_be_moved_by_a_plain_edit(session, provinces, root_unit):
    from workflow_app.org.service import units as unit_service

    _local, qb, _office, qt = provinces
    reorg.apply(session, change("merged", [qb], [qt]))
    session.commit()
    with pytest.raises(unit_service.UnitError, match="reverse its reorganisation"):
        unit_service.update_unit(session, qb, parent=root_unit)
    session.rollback()
    session.expire_all()
    assert qb.parent_id == qt.id
