"""One catalogue file → normalised award-version records, or problems naming file and entry.

File layout (see `workflow_app/data/catalogue/README.md`):

    [basis]                      key, title_vi, title_en, effective_from, effective_to?,
                                 citations, legal_grounds?, note?,
                                 [[basis.prerequisites]] (apply to all)
    [[award]]                    code, name_vi, name_en, official_name?, kind, subject,
                                 conferring_level, workflow, legal_basis, legal_grounds?,
                                 note?, required_documents
    [award.disclosure]           required, working_days?          + provenance
    [award.vote_rule]            method, numerator, denominator, comparator, ratio,
                                 absent_may_vote_in_writing      + provenance
    [[award.prerequisites]]      kind + parameters               + provenance
    [award.quota]                kind, award|group, max          + provenance
    [award.simplified]           allowed_for, required_documents + provenance (optional)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from workflow_app.catalogue.service import rules
from workflow_app.catalogue.service import vocabulary as v
from workflow_app.catalogue.service.errors import Problem
from workflow_app.catalogue.service.fields import CODE_RE, Entry
from workflow_app.catalogue.service.grounds import NAME_FIELDS, PREFIX, ground_problem
from workflow_app.catalogue.service.prerequisites import prerequisite_list

BASIS_KEY_RE = re.compile(r"^[A-Z][A-Z0-9_]{1,59}$")
BASIS_KEYS = {"key", "title_vi", "title_en", "effective_from", "effective_to", "citations",
              "legal_grounds", "note", "prerequisites"}
AWARD_KEYS = {"code", "name_vi", "name_en", "official_name", "kind", "subject",
              "conferring_level", "workflow", "legal_basis", "legal_grounds",
              "grounds_to_confirm", "note",
              "required_documents", "disclosure", "vote_rule", "prerequisites", "quota",
              "simplified"}
GROUND_REASONS = {
    "empty": "an empty line",
    "placeholder": "a placeholder (…, [ ], { }) instead of the text's number, date and issuer",
    "shorthand": "catalogue shorthand (k1:, '.;', TĐKT): write the lines as a decision does",
    "form": "must read \"Căn cứ …;\" (start with \"Căn cứ \", end with \";\")",
}


@dataclass
class ParsedFile:
    """A valid file: its basis and one normalised record per award."""

    name: str
    basis: dict[str, Any]
    records: list[dict[str, Any]] = field(default_factory=list)
    # (entry label, field path, referenced award code), checked against the whole catalogue.
    award_refs: list[tuple[str, str, str]] = field(default_factory=list)


def read_file(name: str, data: dict[str, Any], problems: list[Problem]) -> ParsedFile | None:
    """Validate one parsed TOML document; append problems and return None if it is broken."""
    before = len(problems)
    top = Entry(name, "(file)", problems)
    top.only_keys(data, "", {"basis", "award"})
    basis_entry = Entry(name, "[basis]", problems)
    basis = _basis(basis_entry, data.get("basis"))
    awards = data.get("award")
    if not isinstance(awards, list) or not awards:
        top.fail("award", "the file needs at least one [[award]] entry")
        awards = []
    parsed = ParsedFile(name, basis or {})
    seen: dict[str, int] = {}
    for index, raw in enumerate(awards, start=1):
        entry = _award_entry(name, index, raw, problems)
        record = _award(entry, raw, basis) if basis is not None else None
        if record is None:
            continue
        if record["code"] in seen:
            entry.fail("code", f"duplicate code: already used by entry {seen[record['code']]} "
                               "in this file")
            continue
        seen[record["code"]] = index
        record["position"] = index
        parsed.records.append(record)
        parsed.award_refs += [(entry.label, path, code) for path, code in entry.award_refs]
    parsed.award_refs += [(basis_entry.label, path, code) for path, code in basis_entry.award_refs]
    return parsed if len(problems) == before else None


def _award_entry(name: str, index: int, raw: Any, problems: list[Problem]) -> Entry:
    code = raw.get("code") if isinstance(raw, dict) else None
    label = f"award {code} (entry {index})" if isinstance(code, str) and code else \
        f"award entry {index}"
    return Entry(name, label, problems)


def _basis(entry: Entry, data: Any) -> dict[str, Any] | None:
    if data is None:
        entry.fail("basis", "the file needs a [basis] table")
        return None
    data = entry.table(data, "basis")
    if data is None:
        return None
    entry.only_keys(data, "", BASIS_KEYS)
    basis = {
        "key": entry.text(data, "key", max_len=60, pattern=BASIS_KEY_RE),
        "title_vi": entry.text(data, "title_vi"),
        "title_en": entry.text(data, "title_en"),
        "effective_from": entry.day(data, "effective_from"),
        "effective_to": entry.day(data, "effective_to", required=False),
        "citations": entry.text_list(data, "citations"),
        "legal_grounds": _grounds(entry, data),
        "note": entry.text(data, "note", required=False) or "",
    }
    start, end = basis["effective_from"], basis["effective_to"]
    if start and end and end < start:
        entry.fail("effective_to", f"{end} is before effective_from {start}")
    if basis["citations"] is not None:
        basis["prerequisites"] = prerequisite_list(
            entry, data.get("prerequisites", []), basis["citations"], "prerequisites")
    return basis if entry.ok else None


def _award(entry: Entry, raw: Any, basis: dict[str, Any]) -> dict[str, Any] | None:
    data = entry.table(raw, "award")
    if data is None:
        return None
    entry.only_keys(data, "", AWARD_KEYS)
    citations = basis["citations"]
    workflow = entry.choice(data, "workflow", v.WORKFLOWS)
    core = v.SIMPLIFIED_CORE_DOCUMENTS if workflow == "simplified" else v.NORMAL_CORE_DOCUMENTS
    needs_vote = workflow == "normal" or "vote_rule" in data
    record = {
        "code": entry.text(data, "code", max_len=30, pattern=CODE_RE),
        "kind": entry.choice(data, "kind", v.AWARD_KINDS),
        "name_vi": entry.text(data, "name_vi", max_len=255),
        "name_en": entry.text(data, "name_en", max_len=255),
        "official_name": _official_name(entry, data),
        "subject": entry.choice(data, "subject", v.AWARD_SUBJECTS),
        "conferring_level": entry.choice(data, "conferring_level", v.CONFERRING_LEVELS),
        "workflow": workflow,
        "legal_basis": entry.text(data, "legal_basis"),
        "legal_grounds": [*basis.get("legal_grounds", []), *_grounds(entry, data),
                          *_to_confirm(entry, data)],
        "note": entry.text(data, "note", required=False) or "",
        "required_documents": rules.required_documents(entry, data, "", core),
        "disclosure": _block(entry, data, "disclosure", rules.disclosure, citations),
        "vote_rule": _block(entry, data, "vote_rule", rules.vote_rule, citations,
                            required=needs_vote) or {},
        "quota": _block(entry, data, "quota", rules.quota, citations),
        "simplified": _block(entry, data, "simplified", rules.simplified, citations,
                             required=False) or {},
        "prerequisites": None,
        "basis_key": basis["key"],
        "basis_title_vi": basis["title_vi"],
        "basis_title_en": basis["title_en"],
        "effective_from": basis["effective_from"],
        "effective_to": basis["effective_to"],
    }
    own = prerequisite_list(entry, data.get("prerequisites", []), citations)
    record["prerequisites"] = (own or []) + (basis.get("prerequisites") or [])
    return record if entry.ok else None


def _grounds(entry: Entry, data: dict) -> list[str]:
    """The formal "Căn cứ …;" lines (optional; an award without any cannot be decided until
    they are entered)."""
    if "legal_grounds" not in data:
        return []
    lines = entry.text_list(data, "legal_grounds") or []
    for line in lines:
        problem = ground_problem(line)
        if problem is not None:
            entry.fail("legal_grounds", f"'{line}': {GROUND_REASONS[problem]}")
    return lines


def _to_confirm(entry: Entry, data: dict) -> list[str]:
    """Texts the award cites whose number, date or issuer is not confirmed: shipped as
    placeholder lines ("Căn cứ [ … ];") that no decision can be issued with until the agency
    writes the line in `legal_grounds`."""
    if "grounds_to_confirm" not in data:
        return []
    return [f"{PREFIX}[{text}];" for text in entry.text_list(data, "grounds_to_confirm") or []]


def _official_name(entry: Entry, data: dict) -> str:
    """The name a decision and certificate print; may use {issuer} and {head_title}."""
    name = entry.text(data, "official_name", required=False, max_len=255) or ""
    unknown = set(re.findall(r"\{([^{}]*)\}", name)) - set(NAME_FIELDS)
    if unknown:
        entry.fail("official_name", f"unknown placeholder {{{sorted(unknown)[0]}}} (known: "
                                    f"{{issuer}}, {{head_title}})")
    return name


def _block(entry: Entry, data: dict, key: str, reader, citations: list[str], *,
           required: bool = True) -> dict[str, Any] | None:
    if key not in data:
        if required:
            entry.fail(key, "missing required table")
        return None
    return reader(entry, data[key], citations)
