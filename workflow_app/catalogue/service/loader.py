"""Load the catalogue files into the database: idempotent, audited, all or nothing.

`load_catalogue` validates every file first (`reader.read_catalogue`); a broken catalogue
raises CatalogueError before anything is written. Then, in the caller's transaction (this
module flushes, never commits):

- a version not yet in the database is added      → audit "catalogue.version_added";
- a version whose content or file changed is updated → "catalogue.version_changed" with a
  field diff (`audit.chain.diff`);
- an unchanged version (same content hash, same file) is left alone, with no audit event;
- a version no longer in any file is *not* deleted (dossiers reference it) but marked
  withdrawn → "catalogue.version_withdrawn"; it no longer applies to new dossiers, and comes
  back ("catalogue.version_restored") if its entry returns.

A version is identified by (award code, basis key).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from workflow_app.audit import chain
from workflow_app.audit.canonical import canonical_json
from workflow_app.catalogue.service.reader import read_catalogue
from workflow_app.models.base import utcnow
from workflow_app.models.catalogue import Award, AwardVersion

# Columns of AwardVersion that come from the files (besides the award's code and kind).
CONTENT_FIELDS = (
    "basis_key", "basis_title_vi", "basis_title_en", "position", "name_vi", "name_en",
    "subject", "conferring_level", "workflow", "legal_basis", "note", "effective_from",
    "effective_to", "disclosure", "vote_rule", "prerequisites", "quota", "simplified",
    "required_documents",
)
ACTIONS = ("added", "changed", "restored", "withdrawn", "unchanged")


@dataclass
class Change:
    action: str
    code: str
    basis_key: str
    source_file: str
    diff: dict[str, list[Any]] = field(default_factory=dict)


@dataclass
class LoadResult:
    changes: list[Change] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)

    @property
    def is_noop(self) -> bool:
        return all(change.action == "unchanged" for change in self.changes)

    def summary(self) -> str:
        return ", ".join(f"{action} {self.count(action)}" for action in ACTIONS)


def load_catalogue(session: Session, directory: Path | str | None = None, *,
                   actor: Any = None, actor_label: str | None = None,
                   dry_run: bool = False) -> LoadResult:
    """Validate the files in `directory` and bring the database in line with them.

    Raises CatalogueError (nothing written) when a file is broken. With `dry_run`, only
    reports what would change. Flushes; the caller commits or rolls back.
    """
    parsed = read_catalogue(directory)
    records = [(file.name, record) for file in parsed for record in file.records]
    awards = {a.code: a for a in session.scalars(
        select(Award).options(selectinload(Award.versions)))}
    existing = {(a.code, v.basis_key): v for a in awards.values() for v in a.versions}
    result = LoadResult()
    seen: set[tuple[str, str]] = set()
    for source_file, record in records:
        key = (record["code"], record["basis_key"])
        seen.add(key)
        version = existing.get(key)
        if version is None:
            change = Change("added", *key, source_file)
            if not dry_run:
                _add(session, awards, record, source_file, actor, actor_label)
        else:
            change = _compare(version, record, source_file)
            if change.action != "unchanged" and not dry_run:
                _update(session, version, record, source_file, change, actor, actor_label)
        result.changes.append(change)
    for key, version in sorted(existing.items()):
        if key not in seen and not version.is_withdrawn:
            result.changes.append(Change("withdrawn", *key, version.source_file))
            if not dry_run:
                _withdraw(session, version, actor, actor_label)
    session.flush()
    return result


def snapshot(record: dict[str, Any]) -> dict[str, Any]:
    """The JSON form of a record's content, as compared, hashed and shown in diffs."""
    plain = {name: record[name] for name in ("code", "kind", *CONTENT_FIELDS)}
    for name in ("effective_from", "effective_to"):
        if isinstance(plain[name], date):
            plain[name] = plain[name].isoformat()
    return json.loads(canonical_json(plain))


def content_hash(record: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(snapshot(record))).hexdigest()


def _version_record(version: AwardVersion) -> dict[str, Any]:
    record = {name: getattr(version, name) for name in CONTENT_FIELDS}
    return {**record, "code": version.award.code, "kind": version.award.kind}


def _compare(version: AwardVersion, record: dict[str, Any], source_file: str) -> Change:
    key = (record["code"], record["basis_key"])
    before = {**snapshot(_version_record(version)), "source_file": version.source_file}
    after = {**snapshot(record), "source_file": source_file}
    diff = chain.diff(before, after)
    if not diff and not version.is_withdrawn:
        return Change("unchanged", *key, source_file)
    return Change("restored" if version.is_withdrawn else "changed", *key, source_file, diff)


def _add(session: Session, awards: dict[str, Award], record: dict[str, Any],
         source_file: str, actor: Any, actor_label: str | None) -> None:
    award = awards.get(record["code"])
    if award is None:
        award = Award(code=record["code"], kind=record["kind"])
        session.add(award)
        awards[award.code] = award
    award.kind = record["kind"]
    version = AwardVersion(award=award, source_file=source_file,
                           content_hash=content_hash(record), loaded_at=utcnow(),
                           **{name: record[name] for name in CONTENT_FIELDS})
    session.add(version)
    session.flush()
    chain.record(session, "catalogue.version_added", "award_version", version.id,
                 actor=actor, actor_label=actor_label,
                 data={"code": award.code, "basis_key": version.basis_key,
                       "source_file": source_file, "content_hash": version.content_hash,
                       "content": snapshot(record)})


def _update(session: Session, version: AwardVersion, record: dict[str, Any], source_file: str,
            change: Change, actor: Any, actor_label: str | None) -> None:
    for name in CONTENT_FIELDS:
        setattr(version, name, record[name])
    version.award.kind = record["kind"]
    version.source_file = source_file
    version.content_hash = content_hash(record)
    version.loaded_at = utcnow()
    version.withdrawn_at = None
    session.flush()
    chain.record(session, f"catalogue.version_{change.action}", "award_version", version.id,
                 actor=actor, actor_label=actor_label,
                 data={"code": change.code, "basis_key": change.basis_key,
                       "source_file": source_file, "content_hash": version.content_hash,
                       "diff": change.diff})


def _withdraw(session: Session, version: AwardVersion, actor: Any,
              actor_label: str | None) -> None:
    version.withdrawn_at = utcnow()
    session.flush()
    chain.record(session, "catalogue.version_withdrawn", "award_version", version.id,
                 actor=actor, actor_label=actor_label,
                 data={"code": version.award.code, "basis_key": version.basis_key,
                       "source_file": version.source_file,
                       "content_hash": version.content_hash})
