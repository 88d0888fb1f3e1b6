"""Choosing the dossiers a decision or tờ trình covers, and describing their awardees.

Which dossiers may be decided is read from the workflow definitions (the states from which
`record_decision` or `forward` leaves), never hard-coded. Awards conferred above this body
(Prime Minister, President) are forwarded with a tờ trình, not decided here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow_app.catalogue.service.grounds import official_name
from workflow_app.decisions.service.layout import AnnexRow
from workflow_app.eligibility.service.duplicates import AwardConflict, award_conflicts
from workflow_app.models.catalogue import AwardVersion
from workflow_app.models.dossier import Dossier
from workflow_app.models.org import OrgUnit
from workflow_app.models.user import User
from workflow_app.workflow.registry import get_registry

HIGHER_LEVELS = ("prime_minister", "president")
MAX_ITEMS = 500
IDS = "dossier_ids"  # the input a selection comes from


class SelectionError(ValueError):
    """The chosen dossiers cannot be used; `message` is shown on the form, `field` names the
    input at fault when it is one (the API reports it)."""

    def __init__(self, message, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field


class DuplicateAwardError(SelectionError):
    """The dossiers would record an award twice for a nominee and year (in one document, or
    on top of an active registry record): the message names each nominee, award, year and
    the dossiers; `conflicts` carries them for the API (409 `duplicate_award`)."""

    def __init__(self, conflicts: list[AwardConflict]) -> None:
        super().__init__(" ".join(c.message for c in conflicts), IDS)
        self.conflicts = conflicts


def refuse_duplicate_awards(session: Session, dossiers: list[Dossier]) -> None:
    """Raise DuplicateAwardError when recording the dossiers' awards would enter one award
    twice in the registry (never write a duplicate row silently)."""
    conflicts = award_conflicts(session, dossiers)
    if conflicts:
        raise DuplicateAwardError(conflicts)


def source_states(trigger: str) -> dict[str, set[str]]:
    """{workflow: states from which `trigger` leaves}."""
    states: dict[str, set[str]] = {}
    for definition in get_registry():
        for transition in definition.transitions:
            if transition.trigger == trigger:
                states.setdefault(definition.id, set()).update(transition.sources)
    return states


def rule_of(dossier: Dossier) -> AwardVersion | None:
    return dossier.rule_version(date.today())


def is_higher_level(dossier: Dossier) -> bool:
    version = rule_of(dossier)
    return version is not None and version.conferring_level in HIGHER_LEVELS


def is_ready_for(dossier: Dossier, trigger: str) -> bool:
    """The dossier is in a state `trigger` leaves, and at the right level for it."""
    if dossier.state not in source_states(trigger).get(dossier.workflow, set()):
        return False
    return is_higher_level(dossier) == (trigger == "forward")


def ready_dossiers(session: Session, user: User, trigger: str, role: str) -> list[Dossier]:
    """Dossiers in `user`'s scope for `role` that `trigger` can act on now."""
    states = source_states(trigger)
    wanted = {state for group in states.values() for state in group}
    rows = session.scalars(select(Dossier).where(Dossier.state.in_(wanted))
                           .order_by(Dossier.award_id, Dossier.id)).all()
    return [d for d in rows if user.can_see_unit(d.unit, role) and is_ready_for(d, trigger)]


def parse_ids(values: Iterable[str]) -> list[int]:
    ids: list[int] = []
    for value in values:
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise SelectionError(_l("The selection contains an invalid dossier.")) from None
        if number not in ids:
            ids.append(number)
    return ids


def load_selection(session: Session, user: User, ids: list[int], trigger: str,
                   role: str) -> list[Dossier]:
    """The chosen dossiers, each in `user`'s scope and ready for `trigger`, else an error."""
    if not ids:
        raise SelectionError(_l("Select at least one dossier."), IDS)
    if len(ids) > MAX_ITEMS:
        raise SelectionError(_l("Too many dossiers in one document (at most %(max)d).",
                                max=MAX_ITEMS), IDS)
    dossiers = []
    for dossier_id in ids:
        dossier = session.get(Dossier, dossier_id)
        if dossier is None or not user.can_see_unit(dossier.unit, role):
            raise SelectionError(_l("Dossier %(id)s does not exist or is outside your units.",
                                    id=dossier_id), IDS)
        if not is_ready_for(dossier, trigger):
            raise SelectionError(_l("Dossier %(id)s (%(name)s) cannot be included now: it is "
                                    "not waiting for this step.", id=dossier_id,
                                    name=dossier.nominee_name), IDS)
        dossiers.append(dossier)
    return dossiers


def issuer_for(user: User, role: str, dossiers: list[Dossier],
               issuer_id: int | None = None) -> OrgUnit:
    """The unit issuing the document: one of `user`'s `role` grants covering every dossier
    (the one asked for, else the nearest to the dossiers)."""
    candidates = [unit for unit in user.units_for(role)
                  if all(d.unit.is_within(unit) for d in dossiers)]
    if issuer_id is not None:
        candidates = [unit for unit in candidates if unit.id == issuer_id]
    if not candidates:
        raise SelectionError(_l("No unit you sign for covers all the selected dossiers."),
                             "issuer_id" if issuer_id is not None else IDS)
    return max(candidates, key=lambda unit: unit.depth)


def award_name(dossier: Dossier, issuer: OrgUnit | None = None) -> str:
    """The award as the document of `issuer` writes it (its official name, e.g. "Bằng khen
    của Bộ trưởng Bộ Tư pháp"), not the catalogue label."""
    return official_name(rule_of(dossier), issuer, dossier.award.code)


def awardee_row(dossier: Dossier, issuer: OrgUnit | None = None) -> AnnexRow:
    person = dossier.nominee_person
    if person is not None:
        return AnnexRow(person.full_name, person.position or "", person.unit.name,
                        award_name(dossier, issuer))
    unit = dossier.nominee_unit
    parent = unit.parent.name if unit is not None and unit.parent is not None else ""
    return AnnexRow(dossier.nominee_name, "", parent, award_name(dossier, issuer))


def award_names(dossiers: list[Dossier], issuer: OrgUnit | None = None) -> str:
    names: list[str] = []
    for dossier in dossiers:
        name = award_name(dossier, issuer)
        if name not in names:
            names.append(name)
    return ", ".join(names)


def preselected(dossiers: list[Dossier], award: str | None,
                ids: list[str] | None = None) -> list[Dossier]:
    """The dossiers ticked when a picker opens: `?award=<id>` ticks one award, `all` all;
    `?dossier_ids=…` (the picker sent back to refill the wording) ticks those of them that
    are still ready, ignoring anything else."""
    if ids:
        wanted = {int(value) for value in ids if value.isdigit() and len(value) < 11}
        return [d for d in dossiers if d.id in wanted]
    if award == "all":
        return list(dossiers)
    if award and award.isdigit():
        return [d for d in dossiers if d.award_id == int(award)]
    return []
