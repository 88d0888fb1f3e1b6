"""Validation of the rule blocks of an award: provenance, vote rule, disclosure, quota,
simplified procedure.

Every block carries its provenance: either `source = "…"` citing one of the texts listed in
the file's `[basis].citations`, or `configurable = true` (no confirmed legal source) — never
both, never neither. `old_regime = true` marks a default taken from the pre-2024 regime; it is
only allowed on a configurable value, because old law is not a source for current rules.
"""

from __future__ import annotations

from typing import Any

from workflow_app.catalogue.service import vocabulary as v
from workflow_app.catalogue.service.fields import Entry

PROVENANCE_KEYS = {"source", "configurable", "old_regime", "note"}


def provenance(entry: Entry, data: dict, path: str, citations: list[str], *,
               nested: bool = False) -> dict[str, Any]:
    """Check `source` XOR `configurable`; nested prerequisite options may inherit (give neither)."""
    has_source = "source" in data
    configurable = entry.boolean(data, "configurable", path, required=False, default=False)
    old_regime = entry.boolean(data, "old_regime", path, required=False, default=False)
    note = entry.text(data, "note", path, required=False) or ""
    source = entry.text(data, "source", path, required=False) if has_source else None
    if has_source and configurable:
        entry.fail(path, "has both source and configurable = true; a value either cites its "
                         "legal source or is configurable, not both")
    elif not has_source and not configurable and not nested:
        entry.fail(path, 'needs either source = "…" (a citation) or configurable = true '
                         "(no confirmed legal source)")
    if old_regime and not configurable:
        entry.fail(path, "old_regime = true is only allowed with configurable = true: "
                         "pre-2024 law is not a source for current rules")
    if source is not None:
        _check_citation(entry, path, source, citations)
    if nested and not has_source and not configurable and not old_regime and not note:
        return {}
    return {"source": source, "configurable": bool(configurable),
            "old_regime": bool(old_regime), "note": note}


def _check_citation(entry: Entry, path: str, source: str, citations: list[str]) -> None:
    for part in (p.strip() for p in source.split(";")):
        if not any(part.startswith(text) for text in citations):
            entry.fail(f"{path}.source", f"'{part}' does not cite one of this file's texts "
                                         f"([basis].citations: {'; '.join(citations)})")


def vote_rule(entry: Entry, data: Any, citations: list[str]) -> dict[str, Any] | None:
    path = "vote_rule"
    data = entry.table(data, path)
    if data is None:
        return None
    entry.only_keys(data, path, PROVENANCE_KEYS | {
        "method", "numerator", "denominator", "comparator", "ratio",
        "absent_may_vote_in_writing"})
    return {
        "method": entry.choice(data, "method", v.VOTE_METHODS, path),
        "numerator": entry.choice(data, "numerator", v.VOTE_NUMERATORS, path),
        "denominator": entry.choice(data, "denominator", v.VOTE_DENOMINATORS, path),
        "comparator": entry.choice(data, "comparator", v.COMPARATORS, path),
        "ratio": entry.fraction(data, "ratio", path),
        "absent_may_vote_in_writing": entry.boolean(data, "absent_may_vote_in_writing", path),
        **provenance(entry, data, path, citations),
    }


def disclosure(entry: Entry, data: Any, citations: list[str]) -> dict[str, Any] | None:
    path = "disclosure"
    data = entry.table(data, path)
    if data is None:
        return None
    entry.only_keys(data, path, PROVENANCE_KEYS | {"required", "working_days"})
    required = entry.boolean(data, "required", path)
    days = entry.integer(data, "working_days", path, required=bool(required), maximum=60)
    if required is False and "working_days" in data:
        entry.fail(f"{path}.working_days", "only allowed when required = true")
    return {"required": required, "working_days": days if required else None,
            **provenance(entry, data, path, citations)}


def quota(entry: Entry, data: Any, citations: list[str]) -> dict[str, Any] | None:
    path = "quota"
    data = entry.table(data, path)
    if data is None:
        return None
    entry.only_keys(data, path, PROVENANCE_KEYS | {"kind", "award", "group", "max"})
    kind = entry.choice(data, "kind", v.QUOTA_KINDS, path)
    result: dict[str, Any] = {"kind": kind}
    if kind == "share_of":
        if ("award" in data) == ("group" in data):
            entry.fail(path, "a share_of quota needs exactly one of award = \"CODE\" or "
                             f"group = ({', '.join(v.QUOTA_GROUPS)})")
        elif "award" in data:
            result["award"] = entry.award_ref(data, "award", path)
        else:
            result["group"] = entry.choice(data, "group", v.QUOTA_GROUPS, path)
        result["max"] = entry.fraction(data, "max", path)
    elif kind == "none":
        for key in ("award", "group", "max"):
            if key in data:
                entry.fail(f"{path}.{key}", "not allowed when kind = \"none\"")
    return {**result, **provenance(entry, data, path, citations)}


def simplified(entry: Entry, data: Any, citations: list[str]) -> dict[str, Any] | None:
    """When the award may also go through the simplified procedure (Law Art. 85)."""
    path = "simplified"
    data = entry.table(data, path)
    if data is None:
        return None
    entry.only_keys(data, path, PROVENANCE_KEYS | {"allowed_for", "required_documents"})
    documents = required_documents(entry, data, path, v.SIMPLIFIED_CORE_DOCUMENTS)
    return {
        "allowed_for": entry.text_list(data, "allowed_for", path, choices=v.SIMPLIFIED_CASES),
        "required_documents": documents,
        **provenance(entry, data, path, citations),
    }


def required_documents(entry: Entry, data: dict, path: str,
                       core: tuple[str, ...]) -> list[str] | None:
    """Known document codes, including the core documents the procedure needs."""
    documents = entry.text_list(data, "required_documents", path, choices=v.DOCUMENT_CODES)
    if documents is not None:
        where = f"{path}.required_documents" if path else "required_documents"
        for code in core:
            if code not in documents:
                entry.fail(where, f"must include {code} for this procedure")
    return documents
