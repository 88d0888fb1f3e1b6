"""Ranking an approval vote among units (bình xét, suy tôn). Pure functions.

- Each candidate's denominator leaves out its own unit, which may not vote for itself:
  `all_members` → members − 1; `present_members` / `valid_ballots` → units that voted,
  minus the candidate if it voted.
- Ranks are competition ranks: tied units share a rank (10, 10, 8 → ranks 1, 1, 3).
  Display order within a tie is by Vietnamese name, for reading only.
- Acclaimed: the units meeting the threshold whose whole tie group fits in the `seats`.
  A tie group straddling the last seat is not acclaimed and is reported (`boundary_tie`):
  the conference decides it (a run-off), not the order of names.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workflow_app.council.service.thresholds import Threshold
from workflow_app.org.service.collation import vi_sort_key


@dataclass(frozen=True)
class Line:
    unit_id: int
    name: str
    votes: int
    rank: int
    tied: bool
    denominator: int
    votes_needed: int
    meets_threshold: bool
    acclaimed: bool
    boundary_tie: bool


def rank(names: Mapping[int, str], votes: Mapping[int, int], voted: set[int], seats: int,
         rule: Mapping[str, Any], members: int | None = None) -> list[Line]:
    """The ranked list of every candidate in `names` (votes default to 0). `members`: the
    number of member units (default: the candidates are all the members)."""
    threshold = Threshold.from_rule(rule)
    counts = {unit: int(votes.get(unit, 0)) for unit in names}
    group_size: dict[int, int] = {}
    for n in counts.values():
        group_size[n] = group_size.get(n, 0) + 1
    lines = []
    for unit, n in counts.items():
        position = 1 + sum(1 for other in counts.values() if other > n)
        if threshold.denominator == "all_members":
            denominator = (members or len(names)) - 1
        else:
            denominator = len(voted - {unit})
        needed = threshold.votes_needed(denominator)
        meets = n >= needed
        fits = position + group_size[n] - 1 <= seats
        straddles = position <= seats and not fits
        lines.append(Line(unit, names[unit], n, position, group_size[n] > 1, denominator,
                          needed, meets, meets and fits, meets and straddles))
    return sorted(lines, key=lambda line: (line.rank, vi_sort_key(line.name)))
