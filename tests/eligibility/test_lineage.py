"""Histories that follow a merger (issue 19 item 2): a successor's "five years rated A" and
"three consecutive titles" count its predecessors' years where the body's rule says so
(configurable — no confirmed legal source; default: they count), and say so."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from flask_babel import force_locale

from tests.support.registry_data import give, rate_unit
from workflow_app.eligibility.service.evaluate import evaluate
from workflow_app.org.service import history_rules, reorg

ON = date(2025, 12, 1)
FIVE_A = SimpleNamespace(prerequisites=[{
    "kind": "rating_years", "subject": "collective", "min_rating": "excellent", "years": 5,
    "consecutive": True}])
THREE_TITLES = SimpleNamespace(prerequisites=[{
    "kind": "consecutive_titles", "award": "TTLDXS", "years": 3}])


@pytest.fixture(autouse=True)
def _english(app):
    with force_locale("en"):
        yield


@pytest.fixture
def merged(session, make_unit, root_unit):
    """Sở QB rated excellent 2016–2020, merged into Sở QT (no ratings of its own) on
    01/07/2025."""
    qb = make_unit("Sở Tư pháp tỉnh Quảng Bình", kind="provincial_justice", parent=root_unit)
    qt = make_unit("Sở Tư pháp tỉnh Quảng Trị", kind="provincial_justice", parent=root_unit)
    for year in range(2016, 2021):
        rate_unit(session, qb, "excellent", year)
    give(session, "TTLDXS", 2018, 2019, 2020, unit=qb)
    reorg.apply(session, reorg.Change(
        kind="merged", effective_date=date(2025, 7, 1), decision_number="12/QĐ-UBND",
        decision_date=date(2025, 6, 20), decision_issuer="UBND tỉnh", units=[qb],
        successors=[qt]))
    session.commit()
    return qb, qt


def _one(session, unit, version, award="CO_BO", year=2020):
    [result] = evaluate(session, unit, award, year, ON, version=version)
    return result


def test_the_successor_counts_the_predecessors_five_years_by_default(session, merged):
    _qb, qt = merged
    result = _one(session, qt, FIVE_A)
    assert result.status == "met"
    assert "Sở Tư pháp tỉnh Quảng Bình (2016–2020)" in result.explanation
    assert "configurable — no confirmed legal source" in result.explanation


def test_consecutive_titles_follow_the_merger_too(session, merged):
    _qb, qt = merged
    result = _one(session, qt, THREE_TITLES)
    assert result.status == "met" and "Quảng Bình" in result.explanation


def test_a_body_rule_can_stop_predecessors_counting(session, merged, root_unit):
    _qb, qt = merged
    history_rules.set_rule(session, root_unit, None, False, "Quy chế của Bộ (thử)")
    session.commit()
    result = _one(session, qt, FIVE_A)
    assert result.status != "met" and "Quảng Bình" not in result.explanation


def test_the_award_rule_wins_over_the_body_wide_one(session, merged, root_unit):
    _qb, qt = merged
    history_rules.set_rule(session, root_unit, None, False)
    history_rules.set_rule(session, root_unit, "CO_BO", True)
    session.commit()
    assert _one(session, qt, FIVE_A, award="CO_BO").status == "met"
    assert _one(session, qt, FIVE_A, award="BK_BO").status != "met"


def test_the_successors_own_rating_wins_and_the_merged_unit_keeps_its_own(session, merged):
    qb, qt = merged
    rate_unit(session, qt, "good", 2019)  # its own, below excellent
    assert _one(session, qt, FIVE_A).status == "not_met"
    assert _one(session, qb, FIVE_A).status == "met"  # the history stays where earned


def test_a_reversed_merger_passes_nothing_on(session, merged):
    _qb, qt = merged
    [event] = reorg.history.events_of(session, qt)
    reorg.reverse(session, event, "Nhập nhầm")
    session.commit()
    assert _one(session, qt, FIVE_A).status != "met"


def test_the_successors_quota_count_for_the_merger_year_includes_the_merged_units(
        session, make_unit, make_person, root_unit):
    """Quotas count a unit's subtree; the merged unit lies under its successor, so the
    successor's 2025 count includes what the merged unit's people earned that year."""
    from workflow_app.eligibility.service.quotas import count_nominees

    qb = make_unit("Sở QB", kind="provincial_justice", parent=root_unit)
    qt = make_unit("Sở QT", kind="provincial_justice", parent=root_unit)
    for unit, count in ((qb, 2), (qt, 1)):
        for _ in range(count):
            give(session, "CSTDCS", 2025, person=make_person(unit=unit))
    assert count_nominees(session, qt, "CSTDCS", 2025) == 1
    reorg.apply(session, reorg.Change(
        kind="merged", effective_date=date(2025, 7, 1), decision_number="12/QĐ-UBND",
        decision_date=date(2025, 6, 20), decision_issuer="UBND tỉnh", units=[qb],
        successors=[qt]))
    session.commit()
    session.expire_all()
    assert count_nominees(session, qt, "CSTDCS", 2025) == 3
    assert count_nominees(session, qb, "CSTDCS", 2025) == 2  # its own history unchanged
