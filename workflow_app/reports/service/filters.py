"""The filters of the statistics (issue 14, item 1), shared by the page and the API.

- what is counted (`source`): awards conferred (the registry's active records), or
  nominations (dossiers past the draft and not withdrawn, by their submitting unit);
- period: a year or a range of years (the award's or the dossier's emulation year);
- unit: the recipient's unit (a person's unit, or the collective itself), with or without its
  sub-units;
- award (a catalogue code), level of the deciding authority (the award's `conferring_level`
  in the catalogue), individual or collective, commendation type (Law 2022 Art. 8: known only
  for awards that came from a dossier; imported history has none and is left out when this
  filter is set);
- nominee attribute: leader or front-line worker. The source is the organisation data's
  `Person.is_leader` (a person holding a leading post); a front-line worker is a person who
  does not (seeds 001, 004: "người lao động trực tiếp"). Collectives have neither.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask_babel import lazy_gettext as _l

from workflow_app.models.catalogue import COMMENDATION_TYPES, CONFERRING_LEVELS

SOURCES = ("awards", "dossiers")
SUBJECTS = ("individual", "collective")
ATTRIBUTES = ("leader", "front_line")
GROUPINGS = ("unit", "award", "level", "subject", "attribute")
MIN_YEAR, MAX_YEAR = 1945, 2200
MAX_SPAN = 30  # years in one table

SOURCE_LABELS = {
    "awards": _l("Awards conferred (registry)"),
    "dossiers": _l("Nominations (dossiers submitted)"),
}
GROUPING_LABELS = {
    "unit": _l("Unit"),
    "award": _l("Award or title"),
    "level": _l("Level of the deciding authority"),
    "subject": _l("Individual or collective"),
    "attribute": _l("Leader or front-line worker"),
}
SUBJECT_LABELS = {"individual": _l("Individual"), "collective": _l("Collective")}
ATTRIBUTE_LABELS = {"leader": _l("Leader"), "front_line": _l("Front-line worker"),
                    "none": _l("Collective (no attribute)")}
LEVEL_LABELS = {
    "unit": _l("Head of the unit"),
    "ministry": _l("Minister or provincial chair"),
    "prime_minister": _l("Prime Minister"),
    "president": _l("President"),
    "unknown": _l("Not in the catalogue"),
}


class FilterError(ValueError):
    """A filter that cannot be applied; its message reads in the user's language."""


@dataclass(frozen=True)
class StatsQuery:
    year_from: int
    year_to: int
    unit_id: int | None = None
    sub_units: bool = True
    award: str = ""
    level: str = ""
    subject: str = ""
    commendation_type: str = ""
    attribute: str = ""
    group_by: str = "unit"
    source: str = "awards"

    def check(self) -> StatsQuery:
        if not (MIN_YEAR <= self.year_from <= MAX_YEAR and MIN_YEAR <= self.year_to <= MAX_YEAR):
            raise FilterError(_l("Give years between 1945 and 2200."))
        if self.year_from > self.year_to:
            raise FilterError(_l("The first year comes after the last year."))
        if self.year_to - self.year_from >= MAX_SPAN:
            raise FilterError(_l("At most %(n)d years in one table.", n=MAX_SPAN))
        for value, allowed in ((self.level, CONFERRING_LEVELS), (self.subject, SUBJECTS),
                               (self.commendation_type, COMMENDATION_TYPES),
                               (self.attribute, ATTRIBUTES), (self.group_by, GROUPINGS),
                               (self.source, SOURCES)):
            if value and value not in allowed:
                raise FilterError(_l("Unknown filter value “%(value)s”.", value=value))
        return self

    def with_(self, **changes) -> StatsQuery:
        return replace(self, **changes)

    def as_args(self) -> dict:
        """The filters as query-string arguments (links to drill-down, XLSX, PDF)."""
        args = {"year_from": self.year_from, "year_to": self.year_to,
                "group_by": self.group_by}
        if self.source != "awards":
            args["source"] = self.source
        if self.unit_id:
            args["unit_id"] = self.unit_id
            args["sub_units"] = "y" if self.sub_units else "n"
        for name in ("award", "level", "subject", "commendation_type", "attribute"):
            if getattr(self, name):
                args[name] = getattr(self, name)
        return args
