"""The outcome of one prerequisite: met, not met, or unknown (the data needed is missing, or
the condition is one a person has to judge), with a plain explanation and its provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"
STATUSES = (MET, NOT_MET, UNKNOWN)


@dataclass
class RuleResult:
    """One evaluated prerequisite. `rule_id` is stable within a rule version ("2" for the
    second top-level prerequisite, "2.1" for its first option)."""

    rule_id: str
    kind: str
    status: str
    explanation: str
    basis: str | None = None  # the catalogue's `source` citation
    configurable: bool = False  # no confirmed legal source
    old_regime: bool = False
    mandatory: bool = True
    options: list[RuleResult] = field(default_factory=list)
    overridden_by: Any = None  # an EligibilityOverride when a reviewer set the rule aside

    @property
    def effective_status(self) -> str:
        """The status that counts for the submission guard: an override makes a rule met."""
        return MET if self.overridden_by is not None else self.status

    @property
    def blocks(self) -> bool:
        """True when this rule stops submission: mandatory, not met, not overridden."""
        return self.mandatory and self.effective_status == NOT_MET

    @property
    def provenance_label(self) -> str:
        if self.basis:
            return self.basis
        return _("configurable — no confirmed legal source")


def any_of(results: list[RuleResult]) -> str:
    """One option met is enough; otherwise unknown if any option could still be met."""
    statuses = {r.status for r in results}
    if MET in statuses:
        return MET
    return UNKNOWN if UNKNOWN in statuses else NOT_MET


def all_of(results: list[RuleResult]) -> str:
    """Every option must be met; one not met fails; otherwise unknown if any is unknown."""
    statuses = {r.status for r in results}
    if NOT_MET in statuses:
        return NOT_MET
    return UNKNOWN if UNKNOWN in statuses else MET


def years_text(years: list[int] | set[int]) -> str:
    """The years, oldest first, with runs of three or more as a range: "2019, 2021–2023".
    Never called with no year: a sentence with no year to name is worded without one."""
    ordered = sorted(set(years))
    if not ordered:
        raise ValueError("no year to name")
    runs: list[list[int]] = []
    for year in ordered:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) >= 3 else ", ".join(map(str, r))
                     for r in runs)


def in_years(years: list[int] | set[int]) -> str:
    """"in 2025" / "in 2023, 2025" (vi: "năm 2025" / "các năm 2023, 2025")."""
    ordered = sorted(set(years))
    if len(ordered) == 1:
        return _("in %(year)d", year=ordered[0])
    return _("in %(years)s", years=years_text(ordered))


def capitalised(text: str) -> str:
    """The text with its first letter in upper case (the rest untouched: "HTXSNV" stays)."""
    return text[:1].upper() + text[1:]


def provenance_of(prerequisite: dict[str, Any], parent: RuleResult | None) -> dict[str, Any]:
    """The prerequisite's own provenance, else its parent's (nested options inherit)."""
    if prerequisite.get("source") or prerequisite.get("configurable"):
        return {"basis": prerequisite.get("source") or None,
                "configurable": bool(prerequisite.get("configurable")),
                "old_regime": bool(prerequisite.get("old_regime"))}
    if parent is not None:
        return {"basis": parent.basis, "configurable": parent.configurable,
                "old_regime": parent.old_regime}
    return {"basis": None, "configurable": True, "old_regime": False}
