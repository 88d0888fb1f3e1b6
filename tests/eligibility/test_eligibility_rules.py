"""The eligibility engine on the shipped catalogue: windows and year boundaries, gaps,
revoked awards, unknown data, rule versions in force on the receipt date, collectives."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale

from tests.support.registry_data import by_kind, give, initiative, rate, rate_unit
from workflow_app.catalogue.service.prerequisites import KINDS
from workflow_app.eligibility.service.evaluate import COMBINED, EVALUATORS, evaluate
from workflow_app.models.base import utcnow

ON = date(2025, 12, 1)  # Decree 152/2025 in force


@pytest.fixture(autouse=True)
def catalogue(shipped_catalogue):
    with force_locale("en"):
        yield


def test_every_catalogue_kind_has_an_evaluator():
    assert set(EVALUATORS) | set(COMBINED) == set(KINDS)


def test_three_consecutive_cstdcs_ending_with_the_nomination_year(session, make_person):
    person = make_person()
    give(session, "CSTDCS", 2023, 2024, 2025, person=person)
    rule = by_kind(evaluate(session, person, "CSTD_BO", 2025, ON), "consecutive_titles")
    assert rule.status == "met"
    assert rule.basis == "Luật TĐKT 2022, Điều 22" and not rule.configurable
    # Year boundary: for 2026 the window is 2024–2026, and 2026 is missing.
    later = by_kind(evaluate(session, person, "CSTD_BO", 2026, ON), "consecutive_titles")
    assert later.status == "not_met"
    assert "2026 missing: 2 of 3" in later.explanation and "2024–2026" in later.explanation


def test_a_gap_breaks_the_run(session, make_person):
    person = make_person()
    give(session, "CSTDCS", 2022, 2023, 2025, person=person)
    rule = by_kind(evaluate(session, person, "CSTD_BO", 2025, ON), "consecutive_titles")
    assert rule.status == "not_met"
    assert "2023, 2025 — 2024 missing: 2 of 3" in rule.explanation


def test_a_revoked_award_never_counts(session, make_person):
    person = make_person()
    give(session, "CSTDCS", 2023, 2025, person=person)
    give(session, "CSTDCS", 2024, person=person, revoked=True)
    rule = by_kind(evaluate(session, person, "CSTD_BO", 2025, ON), "consecutive_titles")
    assert rule.status == "not_met" and "2024 missing" in rule.explanation


def test_initiative_at_ministry_scope_or_wider(session, make_person):
    person = make_person()
    initiative(session, person, 2025, "unit")
    option = evaluate(session, person, "CSTD_BO", 2025, ON)[1]
    assert option.kind == "any_of" and option.status == "not_met"
    initiative(session, person, 2025, "national")  # wider than ministry counts
    assert evaluate(session, person, "CSTD_BO", 2025, ON)[1].status == "met"


def test_rating_unknown_when_missing_not_met_when_below(session, make_person):
    person = make_person()
    rule = by_kind(evaluate(session, person, "LDTT", 2025, ON), "rating_years")
    assert rule.status == "unknown" and "No rating recorded for 2025" in rule.explanation
    rate(session, person, "completed", 2025)
    assert by_kind(evaluate(session, person, "LDTT", 2025, ON), "rating_years").status \
        == "not_met"
    other = make_person()
    rate(session, other, "excellent", 2025)
    assert by_kind(evaluate(session, other, "LDTT", 2025, ON), "rating_years").status == "met"


def test_manual_rules_are_unknown_and_keep_their_basis(session, make_person):
    results = evaluate(session, make_person(), "LDTT", 2025, ON)
    assert by_kind(results, "criterion").status == "unknown"
    assert by_kind(results, "no_pending_proceedings").basis == "Nghị định 152/2025/NĐ-CP"


def test_rule_version_in_force_on_the_receipt_date(session, make_person):
    person = make_person()
    before = evaluate(session, person, "CSTD_BO", 2025, date(2025, 6, 30))  # Decree 98/2023
    after = evaluate(session, person, "CSTD_BO", 2025, date(2025, 7, 1))  # Decree 152/2025
    assert [r.kind for r in before] == ["consecutive_titles", "any_of"]
    assert [r.kind for r in after] == ["consecutive_titles", "any_of", "no_pending_proceedings"]
    none = evaluate(session, person, "CSTD_BO", 2023, date(2023, 6, 1))
    assert none[0].kind == "version" and none[0].status == "unknown"


def test_bk_ttg_bk_bo_and_five_good_years_with_three_cstdcs(session, make_person):
    person = make_person()
    give(session, "BK_BO", 2022, person=person)
    give(session, "CSTDCS", 2021, 2023, 2025, person=person)
    rate(session, person, "good", 2021, 2022, 2023, 2024, 2025)
    top = evaluate(session, person, "BK_TTG", 2025, ON)[0]
    route = top.options[1]
    assert route.kind == "all_of" and route.status == "met"
    assert top.status == "met"
    assert route.basis == "Luật TĐKT 2022, Điều 73 k1 b"
    # One year below "good" breaks the five consecutive years.
    other = make_person()
    give(session, "BK_BO", 2022, person=other)
    give(session, "CSTDCS", 2021, 2023, 2025, person=other)
    rate(session, other, "good", 2021, 2022, 2024, 2025)
    rate(session, other, "completed", 2023)
    route = evaluate(session, other, "BK_TTG", 2025, ON)[0].options[1]
    assert route.status == "not_met"
    assert by_kind(route.options, "rating_years").status == "not_met"


def test_collective_member_shares(session, make_unit, root_unit, make_person):
    unit = make_unit("Vụ Thi đua", parent=root_unit)
    members = [make_person(unit=unit) for _ in range(10)]
    for person in members:
        rate(session, person, "good", 2025)
    ldtt = [give(session, "LDTT", 2025, person=person)[0] for person in members[:7]]
    give(session, "CSTDCS", 2025, person=members[0])
    rate_unit(session, unit, "excellent", 2025)
    results = evaluate(session, unit, "TTLDXS", 2025, ON)
    assert [r.status for r in results if r.kind in ("unit_rating", "member_share",
                                                       "member_count")] == ["met"] * 4
    assert "7 of 10 members" in results[2].explanation
    # A revoked LĐTT leaves 6 of 11 (below 70 %); a new, unrated member makes
    # "100 % complete their tasks" unknown rather than not met.
    ldtt[6].revoked_at = utcnow()
    session.commit()
    make_person(unit=unit)
    results = evaluate(session, unit, "TTLDXS", 2025, ON)
    assert results[1].status == "unknown" and "1 not rated yet" in results[1].explanation
    assert results[2].status == "not_met" and "6 of 11 members" in results[2].explanation


def test_collective_rules_skip_individual_only_ones(session, make_unit, root_unit):
    unit = make_unit("Cục Bổ trợ", parent=root_unit)
    kinds = [r.kind for r in evaluate(session, unit, "BK_TTG", 2025, ON)]
    assert kinds == ["criterion", "no_pending_proceedings"]
