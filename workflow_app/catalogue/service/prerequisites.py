"""Prerequisites as data that an eligibility engine can evaluate later.

Each prerequisite is a table with a `kind` and the parameters of that kind (see
`PARAMETERS`). The top-level list of an award means "all of these"; `any_of` and `all_of`
nest other prerequisites under `options`. `criterion` is a condition a reviewer checks by
hand (text in both languages). `subject` restricts a prerequisite to individuals or to
collectives. Top-level prerequisites carry their own provenance (`source` XOR
`configurable`); nested options inherit it from their parent unless they give their own.
"""

from __future__ import annotations

from typing import Any

from workflow_app.catalogue.service import vocabulary as v
from workflow_app.catalogue.service.fields import Entry
from workflow_app.catalogue.service.rules import PROVENANCE_KEYS, provenance

# kind -> {parameter: (type, required)}; types are read by `_read_param`.
PARAMETERS: dict[str, dict[str, tuple[Any, bool]]] = {
    "holds_award": {"award": ("award", True), "when": (v.HOLD_WHEN, True)},
    "consecutive_titles": {"award": ("award", True), "years": ("int", True)},
    "titles_in_period": {"award": ("award", True), "count": ("int", True),
                         "within": ("int", True)},
    "rating_years": {"min_rating": (v.RATINGS, True), "years": ("int", True),
                     "consecutive": ("bool", False), "within": ("int", False)},
    "unit_rating": {"min_rating": (v.RATINGS, True)},
    "initiative": {"scope": (v.SCOPES, True), "count": ("int", False),
                   "within": ("int", False)},
    "science_topic": {"scope": (v.SCOPES, True), "count": ("int", False),
                      "within": ("int", False)},
    "member_share": {"award": ("award", False), "min_rating": (v.RATINGS, False),
                     "comparator": (v.COMPARATORS, True), "ratio": ("fraction", True)},
    "member_count": {"award": ("award", True), "min": ("int", True)},
    "no_disciplined_member": {"min_level": (v.DISCIPLINE_LEVELS, True)},
    "no_pending_proceedings": {},
    "cluster_leader": {"level": (v.CLUSTER_LEVELS, True), "acclaimed": ("bool", False)},
    "movement_leader": {"launched_by": (v.MOVEMENT_LAUNCHERS, True),
                        "thematic": ("bool", False), "min_years": ("int", False)},
    "criterion": {"text_vi": ("text", True), "text_en": ("text", True)},
    "any_of": {"options": ("options", True)},
    "all_of": {"options": ("options", True)},
}
KINDS = tuple(PARAMETERS)
MAX_DEPTH = 4


def prerequisite_list(entry: Entry, data: Any, citations: list[str],
                      path: str = "prerequisites") -> list[dict[str, Any]] | None:
    """The top-level list: each item needs its own provenance."""
    if not isinstance(data, list):
        entry.fail(path, "must be a list of tables ([[award.prerequisites]])")
        return None
    items = [prerequisite(entry, item, f"{path}[{i + 1}]", citations)
             for i, item in enumerate(data)]
    return items if all(item is not None for item in items) else None


def prerequisite(entry: Entry, data: Any, path: str, citations: list[str], *,
                 depth: int = 0) -> dict[str, Any] | None:
    data = entry.table(data, path)
    if data is None:
        return None
    kind = entry.choice(data, "kind", KINDS, path)
    if kind is None:
        return None
    params = PARAMETERS[kind]
    entry.only_keys(data, path, {"kind", "subject"} | PROVENANCE_KEYS | set(params))
    result: dict[str, Any] = {"kind": kind}
    for name, (kind_of_value, required) in params.items():
        if name in data or required:
            result[name] = _read_param(entry, data, name, kind_of_value, required, path,
                                       citations, depth)
    if "subject" in data:
        result["subject"] = entry.choice(data, "subject", ("individual", "collective"), path)
    _check_consistency(entry, result, path)
    result.update(provenance(entry, data, path, citations, nested=depth > 0))
    return result


def _read_param(entry: Entry, data: dict, name: str, kind_of_value: Any, required: bool,
                path: str, citations: list[str], depth: int) -> Any:
    if isinstance(kind_of_value, tuple):
        return entry.choice(data, name, kind_of_value, path, required=required)
    if kind_of_value == "award":
        return entry.award_ref(data, name, path, required=required)
    if kind_of_value == "int":
        return entry.integer(data, name, path, required=required, maximum=50)
    if kind_of_value == "bool":
        return entry.boolean(data, name, path, required=required)
    if kind_of_value == "fraction":
        return entry.fraction(data, name, path, required=required)
    if kind_of_value == "text":
        return entry.text(data, name, path, required=required)
    return _options(entry, data.get(name), f"{path}.{name}", citations, depth)


def _options(entry: Entry, data: Any, path: str, citations: list[str],
             depth: int) -> list[dict[str, Any]] | None:
    if depth + 1 >= MAX_DEPTH:
        entry.fail(path, f"nested deeper than {MAX_DEPTH} levels")
        return None
    if not isinstance(data, list) or len(data) < 2:
        entry.fail(path, "must be a list of at least two prerequisites")
        return None
    return [prerequisite(entry, item, f"{path}[{i + 1}]", citations, depth=depth + 1)
            for i, item in enumerate(data)]


def _check_consistency(entry: Entry, item: dict[str, Any], path: str) -> None:
    kind = item["kind"]
    if kind == "member_share" and ("award" in item) == ("min_rating" in item):
        entry.fail(path, "member_share needs exactly one of award or min_rating")
    if kind == "titles_in_period" and _gt(item.get("count"), item.get("within")):
        entry.fail(path, "count cannot exceed within (years)")
    if kind in ("rating_years", "initiative", "science_topic") and \
            _gt(item.get("years"), item.get("within")):
        entry.fail(path, "years cannot exceed within")


def _gt(a: Any, b: Any) -> bool:
    return isinstance(a, int) and isinstance(b, int) and a > b
