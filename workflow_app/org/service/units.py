"""Organisation units: create and edit, keeping the materialised paths right. Audited."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from workflow_app.audit.chain import diff, record
from workflow_app.catalogue.service.grounds import ground_problem
from workflow_app.models.org import UNIT_KINDS, OrgUnit

EDITABLE = ("code", "name", "name_en", "kind", "symbol", "founding_ground", "head_title",
            "parent_id", "is_active")


class UnitError(ValueError):
    """A rule about units was broken; the message is safe to show."""


def _snapshot(unit: OrgUnit) -> dict:
    return {name: getattr(unit, name) for name in EDITABLE}


def _check_ground(line: str) -> None:
    if line.strip() and ground_problem(line) is not None:
        raise UnitError(_("The legal basis of the unit's organisation must be one full line "
                          "“Căn cứ …;” naming the text, its number, date and issuer, without "
                          "placeholders (…, [ ]) or abbreviations."))


def _check(session: Session, unit: OrgUnit | None, code: str, kind: str,
           parent: OrgUnit | None) -> None:
    if kind not in UNIT_KINDS:
        raise UnitError(_("Unknown unit kind: %(kind)s.", kind=kind))
    clash = session.scalar(select(OrgUnit.id).where(func.lower(OrgUnit.code) == code.lower()))
    if clash is not None and (unit is None or clash != unit.id):
        raise UnitError(_("The unit code %(code)s is taken.", code=code))
    if unit is not None and parent is not None and parent.is_within(unit):
        raise UnitError(_("A unit cannot be moved under itself or one of its sub-units."))


def create_unit(session: Session, *, code: str, name: str, kind: str, parent: OrgUnit | None,
                name_en: str = "", symbol: str = "", founding_ground: str = "",
                head_title: str = "", actor=None) -> OrgUnit:
    code = code.strip()
    _check(session, None, code, kind, parent)
    _check_ground(founding_ground)
    unit = OrgUnit(code=code, name=name.strip(), name_en=name_en.strip(), kind=kind,
                   symbol=symbol.strip(), founding_ground=founding_ground.strip(),
                   head_title=head_title.strip(), parent=parent, path="/")
    session.add(unit)
    session.flush()
    unit.path = (parent.path if parent else "/") + f"{unit.id}/"
    session.flush()
    record(session, "unit.created", "unit", unit.id, actor=actor, data=_snapshot(unit))
    return unit


def update_unit(session: Session, unit: OrgUnit, *, actor=None, **changes) -> OrgUnit:
    """Apply `changes` (fields in EDITABLE; `parent` as an OrgUnit or None) and re-path."""
    before = _snapshot(unit)
    parent = changes.pop("parent", unit.parent)
    code = changes.get("code", unit.code).strip()
    _check(session, unit, code, changes.get("kind", unit.kind), parent)
    _check_ground(changes.get("founding_ground") or "")
    for name, value in changes.items():
        if name not in EDITABLE:
            raise UnitError(_("The field %(name)s cannot be edited.", name=name))
        setattr(unit, name, value.strip() if isinstance(value, str) else value)
    if parent is not unit.parent or (parent and parent.id != unit.parent_id):
        if unit.valid_to is not None:
            raise UnitError(_("%(unit)s has ceased to exist and stays under its successor: "
                              "reverse its reorganisation to change that.", unit=unit.name))
        reparent(session, unit, parent)
    session.flush()
    changed = diff(before, _snapshot(unit))
    if changed:
        record(session, "unit.updated", "unit", unit.id, actor=actor, data={"changes": changed})
    return unit


def reparent(session: Session, unit: OrgUnit, parent: OrgUnit | None) -> None:
    """Move `unit` (and its sub-units with it) under `parent`, re-writing their paths.
    Callers check that `parent` is not the unit or one of its sub-units, and audit."""
    old_prefix = unit.path
    unit.parent = parent
    new_prefix = (parent.path if parent else "/") + f"{unit.id}/"
    session.flush()
    session.execute(
        update(OrgUnit)
        .where(OrgUnit.path.startswith(old_prefix))
        .values(path=func.replace(OrgUnit.path, old_prefix, new_prefix))
        .execution_options(synchronize_session=False)
    )
    session.expire_all()
