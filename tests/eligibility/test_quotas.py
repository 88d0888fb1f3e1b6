"""Quotas counted live from the registry and dossiers; exceptions recorded and audited."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from tests.support.registry_data import give
from workflow_app.catalogue.service.queries import award_by_code
from workflow_app.eligibility.service.quotas import (
    QuotaExceptionError,
    dossier_quota,
    quota_status,
    quota_violations,
    record_quota_exception,
)
from workflow_app.models.acclamation import (
    AcclamationConference,
    AcclamationContest,
    AcclamationResult,
)
from workflow_app.models.audit import AuditEvent
from workflow_app.models.org import Cluster

pytestmark = pytest.mark.usefixtures("shipped_catalogue")


def test_cstdcs_cap_is_15_percent_of_ldtt_counted_live(tx, session, make_dossier,
                                                        submitting_unit, make_person):
    people = [make_person(unit=submitting_unit) for _ in range(14)]
    for person in people:
        give(session, "LDTT", 2025, person=person)
    give(session, "CSTDCS", 2025, person=people[0])
    give(session, "CSTDCS", 2025, person=people[1], revoked=True)  # never counts
    status = quota_status(session, submitting_unit, "CSTDCS", 2025)
    assert (status.base, status.cap, status.used, status.over) == (14, 2, 1, False)
    assert status.rule["configurable"] and status.rule["old_regime"]
    # The sentence names the base award and the ratio, not catalogue codes.
    assert "Lao động tiên tiến" in status.explanation and "LDTT" not in status.explanation
    assert "14 × 15/100 (15 %) = 2" in status.explanation
    empty = quota_status(session, submitting_unit, "CSTDCS", 2024)
    assert (empty.base, empty.cap) == (0, 0)
    assert "Chưa ghi nhận trường hợp nào của năm 2024" in empty.explanation
    assert "Chưa ghi nhận" not in status.explanation

    cstdcs = award_by_code(session, "CSTDCS")
    open_one = make_dossier(award=cstdcs, nominee=people[2], year=2025)
    make_dossier("withdrawn", award=cstdcs, nominee=people[3], year=2025)  # not counted
    make_dossier("submitted", award=cstdcs, nominee=people[4], year=2025)
    tx.rollback()
    status = quota_status(session, submitting_unit, "CSTDCS", 2025)
    assert status.used == 3 and status.over and status.blocked
    assert [v.award_code for v in quota_violations(tx, [open_one])] == ["CSTDCS"]
    tx.rollback()

    record_quota_exception(session, submitting_unit, "CSTDCS", 2025,
                           "Quyết định 5/QĐ-BTP cho phép vượt", actor=None)
    session.commit()
    status = quota_status(session, submitting_unit, "CSTDCS", 2025)
    assert status.over and not status.blocked
    assert quota_violations(tx, [open_one]) == []
    tx.rollback()
    event = session.scalars(select(AuditEvent).where(
        AuditEvent.action == "quota.exception_recorded")).one()
    assert event.data["used"] == 3 and event.data["cap"] == 2
    with pytest.raises(QuotaExceptionError):
        record_quota_exception(session, submitting_unit, "CSTDCS", 2025, "again", actor=None)
    with pytest.raises(QuotaExceptionError):
        record_quota_exception(session, submitting_unit, "LDTT", 2025, "  ", actor=None)


def test_award_without_quota_has_no_cap(session, submitting_unit):
    status = quota_status(session, submitting_unit, "LDTT", 2025)
    assert status.cap is None and not status.over


def _conference(session, organiser, year: int, acclaimed: list, others: list) -> None:
    """A closed CO_BO contest of `year` where `acclaimed` were acclaimed and `others` not."""
    cluster = Cluster(code=f"CUM-{year}-{organiser.id}", name=f"Cụm {year}",
                      organiser_unit_id=organiser.id)
    conference = AcclamationConference(cluster=cluster, year=year, held_on=date(year, 11, 20))
    contest = AcclamationContest(conference=conference, award_id=award_by_code(
        session, "CO_BO").id, seats=len(acclaimed), rule={}, status="closed",
        voters=[u.id for u in acclaimed + others])
    session.add(contest)
    for position, unit in enumerate(acclaimed + others, start=1):
        session.add(AcclamationResult(contest=contest, unit_id=unit.id, position=position,
                                      rank=position, votes=5, denominator=6, votes_needed=4,
                                      acclaimed=unit in acclaimed))
    session.commit()


def test_co_cp_cap_is_a_fifth_of_the_acclaimed_cluster_leaders_of_the_body(
        tx, session, root_unit, make_unit, make_dossier, submitting_unit):
    units = [make_unit(parent=root_unit) for _ in range(7)]
    _conference(session, root_unit, 2025, units[:5], units[5:])
    _conference(session, root_unit, 2024, units[5:], [])  # another year: not counted
    give(session, "CO_CP", 2025, unit=units[0])
    co_cp = award_by_code(session, "CO_CP")
    dossier = make_dossier("awaiting_council", award=co_cp, year=2025)
    status = dossier_quota(tx, dossier)
    tx.rollback()
    assert status.unit.id == root_unit.id  # counted over the whole body, not the unit
    assert (status.base, status.cap, status.used, status.blocked) == (5, 1, 2, True)
    assert status.rule["old_regime"] and status.rule["configurable"]
    with force_locale("en"):
        assert "5 × 1/5 (20 %) = 1" in status.explanation
    assert quota_status(session, submitting_unit, "CO_CP", 2025).cap == 0  # a unit leads none
