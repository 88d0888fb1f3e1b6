"""The demo's 1 July 2025 reorganisation (issue 19 item 7), applied by the same service as
the admin pages: Sở Tư pháp Quảng Bình into Quảng Trị, Bình Định into Gia Lai, the district
Phòng Tư pháp dissolved; Quảng Bình's 2016–2020 A ratings (seed 000) count for the new Sở;
unverified decision details are marked so; loading again changes nothing."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from sqlalchemy import func, select

from workflow_app.demo.loader import load_demo
from workflow_app.demo.reorg2025 import UNVERIFIED, load_demo_reorganisation_2025
from workflow_app.eligibility.service.evaluate import evaluate
from workflow_app.models import OrgEvent, OrgUnit, RoleGrant, User
from workflow_app.models.registry import UnitRating
from workflow_app.org.service import history

FIVE_A = SimpleNamespace(prerequisites=[{
    "kind": "rating_years", "subject": "collective", "min_rating": "excellent", "years": 5,
    "consecutive": True}])
TOTP_ROLES = ("admin", "chair", "signer")


def _unit(session, code) -> OrgUnit:
    return session.scalar(select(OrgUnit).where(OrgUnit.code == code))


def test_the_2025_reorganisation_of_the_demo_units(session):
    load_demo(session, totp_required_roles=TOTP_ROLES)
    qb = _unit(session, "STP-QB")
    session.add_all(UnitRating(unit_id=qb.id, year=y, rating="excellent")
                    for y in range(2016, 2021))  # as the demo's seed 000 step does
    session.commit()
    assert load_demo_reorganisation_2025(session)
    session.commit()
    session.expire_all()
    qt, bd, gl = _unit(session, "STP-QT"), _unit(session, "STP-BD"), _unit(session, "STP-GL")
    for closed, successor in ((qb, qt), (bd, gl)):
        assert closed.valid_to == date(2025, 7, 1) and closed.is_within(successor)
        assert [p.unit.id for p in history.predecessors(session, successor)] == [closed.id]
    for code in ("PTP-QB-BT", "PTP-BD-QN", "STP-QB-VP"):
        assert _unit(session, code).valid_to == date(2025, 7, 1), code
    events = session.scalars(select(OrgEvent)).all()
    assert sorted(e.kind for e in events) == ["dissolved", "dissolved", "merged", "merged"]
    assert all(e.decision_number == UNVERIFIED and "chưa xác minh" in e.decision_issuer
               for e in events)
    submitter = session.scalar(select(User).where(User.username == "demo.submitter.qb"))
    assert [g.unit.code for g in submitter.grants] == ["STP-QT"]  # moved, by the choice made
    [five_years] = evaluate(session, qt, "CO_BO", 2020, date(2025, 12, 1), version=FIVE_A)
    assert five_years.status == "met" and "Quảng Bình" in five_years.explanation

    counts = (session.scalar(select(func.count(OrgEvent.id))),
              session.scalar(select(func.count(RoleGrant.id))))
    assert load_demo_reorganisation_2025(session) == []
    again = load_demo(session, totp_required_roles=TOTP_ROLES)
    session.commit()
    assert not again.created  # no grant over the closed Sở is given again
    assert counts == (session.scalar(select(func.count(OrgEvent.id))),
                      session.scalar(select(func.count(RoleGrant.id))))
