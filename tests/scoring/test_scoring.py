"""Scoring and classification: bad points refused whole, a version check between two
assessors, the assessor never scoring itself; a ranking in SQL with ties named; lock,
publish to the registry, and the eligibility rules decided from the published results."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.support.helpers import audit_events, recording
from workflow_app.eligibility.service import rules_history, rules_results
from workflow_app.eligibility.service.evaluate import _applies
from workflow_app.eligibility.service.facts import Facts
from workflow_app.models.org import OrgUnit
from workflow_app.models.registry import UnitRating
from workflow_app.models.scoring import ScoreCriterion, ScoreEntry, ScoreResult
from workflow_app.scoring.service.access import ScoringError
from workflow_app.scoring.service.ranking import ranking
from workflow_app.scoring.service.results import lock_results, publish_results
from workflow_app.scoring.service.scores import ScoreInput, save_scores
from workflow_app.workflow import Forbidden, StaleVersion


def _criteria(tx, table) -> dict[str, int]:
    return {c.code: c.id for c in tx.scalars(select(ScoreCriterion)
                                             .where(ScoreCriterion.table_id == table.id))}


def _scores(criteria, **points) -> list[ScoreInput]:
    return [ScoreInput(criteria[code.removeprefix("c")], value, note)
            for code, (value, note) in points.items()]


def test_bad_scores_are_refused_whole_and_two_assessors_cannot_both_win(
        tx, cluster_world, make_table):
    table = make_table()
    c = _criteria(tx, table)
    units = [tx.get(OrgUnit, u.id) for u in cluster_world["units"]]
    head, member = units[0], units[1]
    officer, assessor = cluster_world["officers"][1], cluster_world["officers"][0]
    refusals = [
        ({"c1": ("10,5", "")}, "tối đa 10"),
        ({"c2": ("-1", "")}, "chỉ được chấm điểm âm ở mục điểm trừ"),
        ({"c4": ("-3,5", "")}, "từ -3 đến 0"),
        ({"c1": ("1,755", "")}, "tối đa hai chữ số thập phân"),
    ]
    for points, words in refusals:
        with pytest.raises(ScoringError) as refused:
            save_scores(tx, officer, table, member, "self", table.version,
                        _scores(c, c3=("1", ""), **points))
        tx.rollback()
        assert words in str(refused.value.message), refused.value.message
    with pytest.raises(ScoringError) as several:  # every bad score named at once
        save_scores(tx, officer, table, member, "self", table.version,
                    _scores(c, c1=("10,5", ""), c2=("-1", ""), c3=("1", ""), c4=("-3,5", "")))
    tx.rollback()
    assert [cid for cid, _m in several.value.problems] == [c["1"], c["2"], c["4"]]
    assert "3" in str(several.value.message) and "tối đa 10" in several.value.problems[0][1]
    assert tx.scalar(select(ScoreEntry.id)) is None  # nothing of the refused saves
    version = save_scores(tx, officer, table, member, "self", table.version, _scores(
        c, c1=("9,5", "Biên bản kiểm tra"), c2=("5,5", ""), c3=("2", ""), c4=("-1", "")))
    tx.commit()
    with pytest.raises(Forbidden):  # another unit's officer scoring this one itself
        save_scores(tx, cluster_world["officers"][2], table, member, "self", version, [])
    tx.rollback()
    with pytest.raises(ScoringError) as itself:
        save_scores(tx, assessor, table, head, "assessor", version, [])
    tx.rollback()
    assert "không thể tự chấm" in str(itself.value.message)
    with pytest.raises(ScoringError) as no_reason:
        save_scores(tx, assessor, table, member, "assessor", version,
                    _scores(c, c1=("8", "")))
    tx.rollback()
    assert "lý do" in str(no_reason.value.message) and "9,5" in str(no_reason.value.message)
    seen = version  # two assessors opened the sheet at this version
    save_scores(tx, assessor, table, member, "assessor", seen,
                _scores(c, c1=("8", "Thiếu 1 dự thảo")))
    tx.commit()
    with pytest.raises(StaleVersion) as stale:
        save_scores(tx, assessor, table, member, "assessor", seen,
                    _scores(c, c1=("7", "Thiếu 2 dự thảo")))
    tx.rollback()
    assert stale.value.code == 409 and "Tải lại" in str(stale.value.description)
    # The same assessor in another tab is told so, not that "someone else" changed it.
    assert "ở một thẻ hoặc cửa sổ khác" in str(stale.value.description)
    entry = tx.scalar(select(ScoreEntry).where(ScoreEntry.criterion_id == c["1"],
                                               ScoreEntry.unit_id == member.id))
    assert (entry.self_cp, entry.assessed_cp, entry.reason) == (950, 800, "Thiếu 1 dự thảo")
    assert [e.data["unit_id"] for e in audit_events(tx, "scoring.assessor_scored")] == [
        member.id]


def test_ranking_in_sql_names_ties_and_published_results_decide_eligibility(
        app, tx, cluster_world, make_table):
    table = make_table()
    c = _criteria(tx, table)
    units = [tx.get(OrgUnit, u.id) for u in cluster_world["units"]]
    officers = cluster_world["officers"]
    own = [("10", "5,5", "2", "0"), ("9", "3", "0", "0"), ("10", "2", "0", "0")]
    organiser = cluster_world["organiser"]
    with pytest.raises(ScoringError) as nobody:  # nothing scored: nothing to approve
        lock_results(tx, organiser, table, table.version)
    tx.rollback()
    assert "chưa" in str(nobody.value.message)
    assert {(r.rank, r.band, r.scored) for r in ranking(tx, table)} == {(None, None, False)}
    for unit, officer, (p1, p2, p3, p4) in zip(units, officers, own, strict=False):
        save_scores(tx, officer, table, unit, "self", table.version, _scores(
            c, c1=(p1, ""), c2=(p2, ""), c3=(p3, ""), c4=(p4, "")))
    tx.commit()
    with recording(tx.get_bind()) as log:
        rows = ranking(tx, table)
    assert len(log.touching("score_entry")) == 1  # the ranking is one SQL statement
    assert [(r.unit_name, r.total_cp, r.rank, r.tied_with, r.band and r.band["code"])
            for r in rows] == [
        ("Cục Trợ giúp pháp lý", 1750, 1, (), "A"),
        ("Cục Con nuôi", 1200, 2, ("Thanh tra Bộ",), "B"),
        ("Thanh tra Bộ", 1200, 2, ("Cục Con nuôi",), "B"),
        ("Cục Bồi thường nhà nước", 0, None, (), None),  # not scored yet: no rank, no band
    ]
    with pytest.raises(Forbidden):
        lock_results(tx, officers[0], table, table.version)
    tx.rollback()
    lock_results(tx, organiser, table, table.version)
    tx.commit()
    assert audit_events(tx, "scoring.locked")[-1].data["not_scored"] == [units[3].id]
    with pytest.raises(ScoringError):  # scoring a locked table
        save_scores(tx, officers[1], table, units[1], "self", table.version,
                    _scores(c, c1=("10", "")))
    tx.rollback()
    tx.add(UnitRating(unit_id=units[1].id, year=2017, rating="completed"))  # typed in before
    tx.commit()
    publish_results(tx, organiser, table, table.version)
    tx.commit()
    ratings = dict(tx.execute(select(UnitRating.unit_id, UnitRating.rating)
                              .where(UnitRating.year == 2017)).all())
    assert ratings == {units[0].id: "excellent", units[1].id: "good", units[2].id: "good"}
    assert audit_events(tx, "scoring.published")[-1].data["replaced"] == [
        {"unit_id": units[1].id, "was": "completed"}]
    assert tx.scalar(select(ScoreResult.tied).where(ScoreResult.unit_id == units[2].id))
    with app.test_request_context(headers={"Accept-Language": "vi"}):
        leader = Facts.load(tx, units[0], 2017, date(2018, 1, 15))
        second = Facts.load(tx, units[1], 2017, date(2018, 1, 15))
        assert rules_results.cluster_leader({"level": "ministry"}, leader)[0] == "met"
        status, text = rules_results.cluster_leader({"level": "ministry"}, second)
        assert status == "not_met" and "2" in text and "3" in text  # of the scored
        assert rules_results.cluster_leader({"level": "ministry", "acclaimed": True},
                                            leader)[0] == "unknown"
        assert rules_results.movement_leader({"launched_by": "ministry"}, leader)[0] == \
            "unknown"
        for year in range(2013, 2017):  # Quảng Bình's "A five years running" (seed 000)
            tx.add(UnitRating(unit_id=units[0].id, year=year, rating="excellent"))
        tx.commit()
        rule = {"kind": "rating_years", "subject": "collective", "min_rating": "excellent",
                "years": 5, "consecutive": True}
        assert _applies(rule, "collective")
        assert not _applies({**rule, "subject": "individual"}, "collective")
        facts = Facts.load(tx, units[0], 2017, date(2018, 1, 15))
        assert rules_history.rating_years(rule, facts)[0] == "met"
