"""Read and validate a whole catalogue directory, with the checks that span files."""

from __future__ import annotations

import tomllib
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

from workflow_app.catalogue.service.errors import CatalogueError, Problem
from workflow_app.catalogue.service.schema import ParsedFile, read_file
from workflow_app.config import DATA_DIR

DEFAULT_DIR = DATA_DIR / "catalogue"


def read_catalogue(directory: Path | str | None = None) -> list[ParsedFile]:
    """Every `*.toml` file in `directory`, validated; raises CatalogueError listing all problems.

    Guarantees on return: each file is valid on its own; basis keys are unique; an award code
    has one kind everywhere; no two versions of one award overlap in time; every award a rule
    refers to exists in the catalogue.
    """
    directory = Path(directory) if directory else DEFAULT_DIR
    if not directory.is_dir():
        raise CatalogueError([Problem(str(directory), "(directory)", "not a directory")])
    paths = sorted(directory.glob("*.toml"))
    if not paths:
        raise CatalogueError([Problem(str(directory), "(directory)", "no *.toml files")])
    problems: list[Problem] = []
    parsed: list[ParsedFile] = []
    for path in paths:
        data = _parse(path, problems)
        if data is not None and (result := read_file(path.name, data, problems)) is not None:
            parsed.append(result)
    if not problems:
        _check_across_files(parsed, problems)
    if problems:
        raise CatalogueError(problems)
    return parsed


def _parse(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        problems.append(Problem(path.name, "(file)", "not UTF-8 text"))
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(path.name, "(file)", f"not valid TOML: {exc}"))
    except OSError as exc:
        problems.append(Problem(path.name, "(file)", f"cannot be read: {exc.strerror}"))
    return None


def _label(record: dict[str, Any]) -> str:
    return f"award {record['code']} (entry {record['position']})"


def _span(record: dict[str, Any]) -> str:
    return f"{record['effective_from']}–{record['effective_to'] or 'open'}"


def _check_across_files(parsed: list[ParsedFile], problems: list[Problem]) -> None:
    basis_files: dict[str, str] = {}
    by_code: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for file in parsed:
        key = file.basis["key"]
        if key in basis_files:
            problems.append(Problem(file.name, "[basis]", f"key: '{key}' is already used by "
                                                          f"{basis_files[key]}"))
        basis_files[key] = file.name
        for record in file.records:
            by_code[record["code"]].append((file.name, record))
    for versions in by_code.values():
        _check_kind(versions, problems)
        _check_overlaps(versions, problems)
    for file in parsed:
        for label, path, code in file.award_refs:
            if code not in by_code:
                problems.append(Problem(file.name, label, f"{path}: unknown award code '{code}'"))


def _check_kind(versions: list[tuple[str, dict[str, Any]]], problems: list[Problem]) -> None:
    first_file, first = versions[0]
    for name, record in versions[1:]:
        if record["kind"] != first["kind"]:
            problems.append(Problem(name, _label(record), f"kind: '{record['kind']}' differs "
                                    f"from '{first['kind']}' in {first_file}"))


def _check_overlaps(versions: list[tuple[str, dict[str, Any]]], problems: list[Problem]) -> None:
    ordered = sorted(versions, key=lambda item: item[1]["effective_from"])
    for (prev_file, prev), (name, record) in zip(ordered, ordered[1:], strict=False):
        prev_end = prev["effective_to"] or date.max
        if record["effective_from"] <= prev_end:
            problems.append(Problem(
                name, _label(record),
                f"effective dates {_span(record)} overlap the version in {prev_file} "
                f"(basis {prev['basis_key']}, {_span(prev)})"))
