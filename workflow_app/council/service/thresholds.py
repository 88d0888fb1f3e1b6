"""Statutory thresholds: exact arithmetic from a vote rule, with `fractions.Fraction`.

A rule (the `vote_rule` block of an award version, see `catalogue/service/rules.py`) says:
`numerator` (the agree count), `denominator` (all members | present members | valid ballots),
`comparator` (">=" or ">") and `ratio` as a fraction string ("9/10", "2/3", "1/2"). The
caller gives the denominator already reduced by the members recused for the item.

Guarantees:
- no floating point anywhere: 90 % of 21 needs exactly 19, 2/3 of 12 needs exactly 8;
- at least one agree vote is always needed, so an item nobody may vote on (denominator 0)
  is never approved;
- bad rules and impossible counts raise `RuleError` instead of giving an outcome.

Pure functions: no database, no request, no translation.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

COMPARATORS = (">=", ">")
DENOMINATORS = ("all_members", "present_members", "valid_ballots")
CHOICES = ("agree", "disagree", "abstain")
_FRACTION_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


class RuleError(ValueError):
    """A vote rule or a count that the arithmetic cannot accept (a data error)."""


@dataclass(frozen=True)
class Threshold:
    """A parsed rule: `comparator` `ratio` of `denominator` must agree."""

    comparator: str
    ratio: Fraction
    denominator: str = "all_members"
    numerator: str = "agree"

    @classmethod
    def from_rule(cls, rule: Mapping[str, Any]) -> Threshold:
        comparator = rule.get("comparator")
        if comparator not in COMPARATORS:
            raise RuleError(f"comparator must be one of {COMPARATORS}, not {comparator!r}")
        denominator = rule.get("denominator", "all_members")
        if denominator not in DENOMINATORS:
            raise RuleError(f"denominator must be one of {DENOMINATORS}, not {denominator!r}")
        numerator = rule.get("numerator", "agree")
        if numerator != "agree":
            raise RuleError(f"numerator must be 'agree', not {numerator!r}")
        return cls(comparator, parse_ratio(rule.get("ratio")), denominator, numerator)

    def votes_needed(self, denominator: int) -> int:
        """The smallest agree count meeting the rule for `denominator` voters (at least 1).

        `>=`: the count c with c / d >= r, i.e. c >= r·d → ceil(r·d).
        `>`:  c / d > r, i.e. c > r·d → floor(r·d) + 1.
        """
        if not isinstance(denominator, int) or denominator < 0:
            raise RuleError(f"the denominator must be a whole number >= 0, not {denominator!r}")
        product = self.ratio * denominator
        needed = math.ceil(product) if self.comparator == ">=" else math.floor(product) + 1
        return max(needed, 1)

    def is_met(self, agree: int, denominator: int) -> bool:
        if agree < 0 or agree > denominator:
            raise RuleError(f"{agree} agree votes cannot come from {denominator} voters")
        return agree >= self.votes_needed(denominator)


def parse_ratio(text: Any) -> Fraction:
    """`"9/10"` → Fraction(9, 10). Accepts 0 < ratio <= 1 only; anything else raises."""
    if isinstance(text, Fraction):
        value = text
    else:
        match = _FRACTION_RE.match(text) if isinstance(text, str) else None
        if not match or int(match.group(2)) == 0:
            raise RuleError(f"the ratio must be a fraction like '2/3', not {text!r}")
        value = Fraction(int(match.group(1)), int(match.group(2)))
    if not 0 < value <= 1:
        raise RuleError(f"the ratio must be above 0 and at most 1, not {value}")
    return value


def votes_needed(rule: Mapping[str, Any], denominator: int) -> int:
    """Agree votes needed under `rule` when `denominator` members count (recused removed)."""
    return Threshold.from_rule(rule).votes_needed(denominator)


def outcome(rule: Mapping[str, Any], counts: Mapping[str, int], denominator: int) -> str:
    """"approved" or "rejected" from the agree count in `counts` and the denominator.

    `counts` maps choices ("agree", "disagree", "abstain") to numbers; missing ones are 0.
    The counts must fit in the denominator when it is the number of valid ballots.
    """
    threshold = Threshold.from_rule(rule)
    unknown = set(counts) - set(CHOICES)
    if unknown:
        raise RuleError(f"unknown choices in the counts: {sorted(unknown)}")
    if any(int(n) < 0 for n in counts.values()):
        raise RuleError("counts cannot be negative")
    agree = int(counts.get("agree", 0))
    if threshold.denominator == "valid_ballots" and sum(counts.values()) > denominator:
        raise RuleError(f"{sum(counts.values())} ballots cannot come from {denominator}")
    return "approved" if threshold.is_met(agree, denominator) else "rejected"


def quorum_needed(comparator: str, ratio: str, entitled: int) -> int:
    """Members who must be present for a quorum of `comparator` `ratio` of `entitled`."""
    if comparator not in COMPARATORS:
        raise RuleError(f"comparator must be one of {COMPARATORS}, not {comparator!r}")
    return Threshold(comparator, parse_ratio(ratio)).votes_needed(entitled)
