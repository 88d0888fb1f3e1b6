"""Statutory thresholds: exact fractions, every ratio and denominator, and the edges."""

from __future__ import annotations

from fractions import Fraction

import pytest

from workflow_app.council.service.thresholds import (
    RuleError,
    Threshold,
    outcome,
    parse_ratio,
    quorum_needed,
    votes_needed,
)

RATIOS = ["1/2", "2/3", "3/4", "4/5", "9/10", "1/1", "1/3", "3/5"]
BASES = ["all_members", "present_members", "valid_ballots"]


def rule(comparator=">=", ratio="1/2", denominator="all_members"):
    return {"method": "secret_ballot", "numerator": "agree", "denominator": denominator,
            "comparator": comparator, "ratio": ratio, "absent_may_vote_in_writing": False}


@pytest.mark.parametrize(("comparator", "ratio", "denominator", "needed"), [
    (">=", "9/10", 21, 19),   # 90 % of 21 needs 19 (18.9 rounds up)
    (">=", "2/3", 12, 8),     # 2/3 of 12 needs exactly 8
    (">", "1/2", 10, 6),      # more than half of 10
    (">=", "1/2", 10, 5),     # at least half of 10
    (">", "2/3", 12, 9),      # more than 2/3 of 12: 8 is not enough
    (">=", "9/10", 20, 18),
    (">", "9/10", 20, 19),
    (">=", "1/1", 7, 7),      # unanimity
    (">", "1/2", 1, 1),
    (">", "1/2", 11, 6),      # odd denominators: > 5.5
    (">=", "1/2", 11, 6),
])
def test_named_examples(comparator, ratio, denominator, needed):
    assert votes_needed(rule(comparator, ratio), denominator) == needed


def _brute_force(comparator: str, ratio: str, denominator: int) -> int | None:
    """The smallest agree count in 1..denominator meeting the rule, counted one by one."""
    value = Fraction(ratio)
    for agree in range(1, denominator + 1):
        share = Fraction(agree, denominator)
        if (share >= value) if comparator == ">=" else (share > value):
            return agree
    return None


@pytest.mark.parametrize("ratio", RATIOS)
@pytest.mark.parametrize("comparator", [">=", ">"])
@pytest.mark.parametrize("basis", BASES)
def test_every_denominator_matches_counting_one_by_one(ratio, comparator, basis):
    for denominator in range(0, 61):
        the_rule = rule(comparator, ratio, basis)
        needed = votes_needed(the_rule, denominator)
        expected = _brute_force(comparator, ratio, denominator)
        if expected is None:  # unreachable (">" 1/1, or nobody may vote): never approved
            assert needed > denominator
            assert outcome(the_rule, {"agree": denominator}, denominator) == "rejected"
            continue
        assert needed == expected, (ratio, comparator, denominator)
        # The edge: one vote short fails, the needed count passes, every count above passes.
        below = {"agree": needed - 1, "disagree": denominator - needed + 1}
        at = {"agree": needed, "disagree": denominator - needed}
        assert outcome(the_rule, below, denominator) == "rejected"
        assert outcome(the_rule, at, denominator) == "approved"
        assert outcome(the_rule, {"agree": denominator}, denominator) == "approved"


@pytest.mark.parametrize("denominator", range(1, 40))
def test_ninety_percent_is_never_rounded_down(denominator):
    needed = votes_needed(rule(">=", "9/10"), denominator)
    assert Fraction(needed, denominator) >= Fraction(9, 10)
    assert Fraction(needed - 1, denominator) < Fraction(9, 10)


def test_recused_members_leave_the_denominator():
    # 12 members, 2 recused: 2/3 of 10 needs 7 (not 8 as for 12).
    assert votes_needed(rule(">=", "2/3"), 12) == 8
    assert votes_needed(rule(">=", "2/3"), 12 - 2) == 7
    assert outcome(rule(">=", "2/3"), {"agree": 7, "disagree": 3}, 10) == "approved"


def test_nobody_left_to_vote_is_never_approved():
    for comparator in (">=", ">"):
        assert votes_needed(rule(comparator, "1/2"), 0) == 1
        assert outcome(rule(comparator, "1/2"), {}, 0) == "rejected"


def test_abstentions_count_in_valid_ballots_but_not_as_agree():
    the_rule = rule(">", "1/2", "valid_ballots")
    assert outcome(the_rule, {"agree": 3, "disagree": 1, "abstain": 2}, 6) == "rejected"
    assert outcome(the_rule, {"agree": 4, "disagree": 1, "abstain": 1}, 6) == "approved"


@pytest.mark.parametrize("bad", [
    {"comparator": "=>"}, {"comparator": None}, {"ratio": "0/3"}, {"ratio": "4/3"},
    {"ratio": "0.5"}, {"ratio": "1/0"}, {"ratio": 0.5}, {"denominator": "everyone"},
    {"numerator": "disagree"},
])
def test_bad_rules_are_refused(bad):
    with pytest.raises(RuleError):
        votes_needed({**rule(), **bad}, 10)


@pytest.mark.parametrize(("counts", "denominator"), [
    ({"agree": 11}, 10),                        # more agree votes than voters
    ({"agree": 5, "disagree": 6}, 10),          # more valid ballots than the denominator
    ({"agree": -1}, 10),
    ({"agree": 1, "maybe": 1}, 10),
])
def test_impossible_counts_are_refused(counts, denominator):
    with pytest.raises(RuleError):
        outcome(rule(">", "1/2", "valid_ballots"), counts, denominator)


def test_negative_or_fractional_denominators_are_refused():
    for value in (-1, 2.5):
        with pytest.raises(RuleError):
            votes_needed(rule(), value)


def test_ratios_parse_exactly():
    assert parse_ratio(" 9 / 10 ") == Fraction(9, 10)
    assert Threshold.from_rule(rule(">", "2/3")).ratio == Fraction(2, 3)


@pytest.mark.parametrize(("comparator", "ratio", "entitled", "needed"), [
    (">", "1/2", 9, 5), (">", "1/2", 10, 6), (">=", "2/3", 12, 8), (">=", "2/3", 13, 9),
    (">", "1/2", 0, 1),
])
def test_quorum_counts(comparator, ratio, entitled, needed):
    assert quorum_needed(comparator, ratio, entitled) == needed


def test_quorum_refuses_an_unknown_comparator():
    with pytest.raises(RuleError):
        quorum_needed("≥", "1/2", 10)
