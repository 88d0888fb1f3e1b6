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

A version is identified by (award code, basis key, revision); the files name the first two and
the loader compares them with the newest revision.

A version that a dossier points to (`Dossier.award_version_id`, fixed at receipt) is never
rewritten in its rules (RULE_FIELDS): `load_catalogue` refuses such a change with a problem
naming the dossiers, unless it is given `effective_from`; then the change becomes a new
revision in force from that date ("catalogue.version_revised"), the old one ends the day
before, and dossiers received before the date keep the old one. Only wording (names, the
short reference, the formal grounds, notes, the end date) is corrected in place.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from workflow_app.audit import chain
from workflow_app.audit.canonical import canonical_json
from workflow_app.catalogue.service.errors import CatalogueError, Problem
from workflow_app.catalogue.service.reader import read_catalogue
from workflow_app.models.base import utcnow
from workflow_app.models.catalogue import Award, AwardVersion
from workflow_app.models.dossier import Dossier
from workflow_app.workdays import local_date

MAX_NAMED = 20  # dossiers named in a refusal

# Columns of AwardVersion that come from the files (besides the award's code and kind).
CONTENT_FIELDS = (
    "basis_key", "basis_title_vi", "basis_title_en", "position", "name_vi", "name_en",
    "official_name", "subject", "conferring_level", "workflow", "legal_basis",
    "legal_grounds", "note", "effective_from",
    "effective_to", "disclosure", "vote_rule", "prerequisites", "quota", "simplified",
    "required_documents",
)
ACTIONS = ("added", "changed", "restored", "withdrawn", "unchanged")
# What a dossier's rules are made of: never changed in a version a dossier points to.
RULE_FIELDS = ("kind", "subject", "conferring_level", "workflow", "effective_from",
               "disclosure", "vote_rule", "prerequisites", "quota", "simplified",
               "required_documents")


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
        actions = (*ACTIONS, "revised") if self.count("revised") else ACTIONS
        return ", ".join(f"{action} {self.count(action)}" for action in actions)


def load_catalogue(session: Session, directory: Path | str | None = None, *,
                   actor: Any = None, actor_label: str | None = None,
                   dry_run: bool = False, effective_from: date | None = None) -> LoadResult:
    """Validate the files in `directory` and bring the database in line with them.

    Raises CatalogueError (nothing written) when a file is broken, or when a version a
    dossier points to would change its rules (without `effective_from`, or with a date that
    does not come after that version's start and its dossiers' receipt). With `dry_run`,
    only reports what would change. Flushes; the caller commits or rolls back.
    """
    parsed = read_catalogue(directory)
    records = [(file.name, record) for file in parsed for record in file.records]
    awards = {a.code: a for a in session.scalars(
        select(Award).options(selectinload(Award.versions)))}
    existing: dict[tuple[str, str], AwardVersion] = {}
    for award in awards.values():
        for version in award.versions:
            key = (award.code, version.basis_key)
            if key not in existing or version.revision > existing[key].revision:
                existing[key] = version
    used = _dossiers_by_version(session)
    result, problems, plan = LoadResult(), [], []
    seen: set[tuple[str, str]] = set()
    for source_file, record in records:
        key = (record["code"], record["basis_key"])
        seen.add(key)
        version = existing.get(key)
        if version is None:
            plan.append((Change("added", *key, source_file), record, None))
            continue
        change = _compare(version, record, source_file)
        rules_changed = [name for name in change.diff if name in RULE_FIELDS]
        if change.action != "unchanged" and rules_changed and used.get(version.id):
            problem = _revision_problem(version, used[version.id], rules_changed,
                                        effective_from, source_file)
            if problem is not None:
                problems.append(problem)
                continue
            change.action = "revised"
        plan.append((change, record, version))
    if problems:
        raise CatalogueError(problems)
    for change, record, version in plan:
        result.changes.append(change)
        if dry_run or change.action == "unchanged":
            continue
        if change.action == "added":
            _add(session, awards, record, change.source_file, actor, actor_label)
        elif change.action == "revised":
            _revise(session, awards, version, record, change, effective_from, actor,
                    actor_label)
        else:
            _update(session, version, record, change.source_file, change, actor, actor_label)
    for award in awards.values():
        for version in award.versions:
            key = (award.code, version.basis_key)
            if key not in seen and not version.is_withdrawn:
                result.changes.append(Change("withdrawn", *key, version.source_file))
                if not dry_run:
                    _withdraw(session, version, actor, actor_label)
    session.flush()
    return result


def _dossiers_by_version(session: Session) -> dict[int, list[tuple[int, date | None]]]:
    """{version id: [(dossier id, Vietnam date of receipt), …]} for every version in use."""
    rows = session.execute(select(Dossier.award_version_id, Dossier.id, Dossier.received_at)
                           .where(Dossier.award_version_id.is_not(None))
                           .order_by(Dossier.id)).all()
    used: dict[int, list[tuple[int, date | None]]] = {}
    for version_id, dossier_id, received_at in rows:
        day = local_date(received_at) if received_at is not None else None
        used.setdefault(version_id, []).append((dossier_id, day))
    return used


def _revision_problem(version: AwardVersion, dossiers: list[tuple[int, date | None]],
                      fields: list[str], effective_from: date | None,
                      source_file: str) -> Problem | None:
    """Why the change to a version in use cannot be loaded as a new revision, or None."""
    entry = f"award {version.award.code} (basis {version.basis_key})"
    ids = ", ".join(f"#{dossier_id}" for dossier_id, _day in dossiers[:MAX_NAMED])
    more = f" and {len(dossiers) - MAX_NAMED} more" if len(dossiers) > MAX_NAMED else ""
    if effective_from is None:
        return Problem(source_file, entry, (
            f"the rules ({', '.join(fields)}) of this version cannot change in place: "
            f"dossiers {ids}{more} were received under it. Load the change as a new version "
            "with its effective date: flask catalogue load --effective-from YYYY-MM-DD"))
    latest = max((day for _id, day in dossiers if day is not None), default=None)
    if effective_from <= version.effective_from:
        return Problem(source_file, entry, (
            f"--effective-from {effective_from} must come after the start of the version in "
            f"use ({version.effective_from})"))
    if latest is not None and effective_from <= latest:
        return Problem(source_file, entry, (
            f"--effective-from {effective_from} must come after the receipt of the dossiers "
            f"under the version in use (the last on {latest}; dossiers {ids}{more})"))
    if version.effective_to is not None and effective_from > version.effective_to:
        return Problem(source_file, entry, (
            f"--effective-from {effective_from} is after the end of the version in use "
            f"({version.effective_to}): add a new basis file instead"))
    return None


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
    if version.revision > 1:
        # A later revision starts on its own date, not on the file's basis date.
        record = {**record, "effective_from": version.effective_from}
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


def _revise(session: Session, awards: dict[str, Award], old: AwardVersion,
            record: dict[str, Any], change: Change, effective_from: date, actor: Any,
            actor_label: str | None) -> None:
    """End `old` the day before `effective_from` and add the changed rules as its next
    revision; dossiers keep the version they were received under."""
    old.effective_to = effective_from - timedelta(days=1)
    session.flush()
    record = {**record, "effective_from": effective_from}
    version = AwardVersion(award=old.award, source_file=change.source_file,
                           revision=old.revision + 1, content_hash=content_hash(record),
                           loaded_at=utcnow(),
                           **{name: record[name] for name in CONTENT_FIELDS})
    session.add(version)
    session.flush()
    chain.record(session, "catalogue.version_revised", "award_version", version.id,
                 actor=actor, actor_label=actor_label,
                 data={"code": change.code, "basis_key": change.basis_key,
                       "revision": version.revision, "replaces": old.id,
                       "effective_from": effective_from.isoformat(),
                       "source_file": change.source_file,
                       "content_hash": version.content_hash, "diff": change.diff})


def _update(session: Session, version: AwardVersion, record: dict[str, Any], source_file: str,
            change: Change, actor: Any, actor_label: str | None) -> None:
    if version.revision > 1:
        record = {**record, "effective_from": version.effective_from}
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
