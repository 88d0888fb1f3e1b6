"""Helpers for catalogue tests: a private copy of the shipped files that a test may break."""

from __future__ import annotations

import shutil
from pathlib import Path

from sqlalchemy import func, select

from workflow_app.catalogue.service.reader import DEFAULT_DIR
from workflow_app.models.audit import AuditEvent
from workflow_app.models.catalogue import Award, AwardVersion

ND98 = "ltdkt2022_nd98_2023.toml"
ND152 = "ltdkt2022_nd152_2025.toml"
TT14 = "tt14_2025_btp.toml"


def copy_catalogue(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for path in DEFAULT_DIR.glob("*.toml"):
        shutil.copy(path, target / path.name)
    return target


def edit(directory: Path, name: str, old: str, new: str) -> None:
    """Replace the first occurrence of `old` in one file (which must contain it)."""
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def database_state(session) -> tuple:
    """Everything the loader may write, for before/after comparisons."""
    session.expire_all()
    versions = session.execute(
        select(Award.code, Award.kind, AwardVersion.basis_key, AwardVersion.content_hash,
               AwardVersion.source_file, AwardVersion.withdrawn_at)
        .join(AwardVersion.award).order_by(Award.code, AwardVersion.basis_key)
    ).all()
    events = session.scalar(select(func.count()).select_from(AuditEvent))
    return tuple(versions), events
